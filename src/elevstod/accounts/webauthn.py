"""Security keys and passkeys (WebAuthn) as a second factor, on django-otp-webauthn.

The ceremonies (options, state in the session, signature checks by py_webauthn) are the
library's; this module adapts its helper to the project: the relying party and the origins
come from the settings, and the name shown by the authenticator is the staff member's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper as LibraryHelper
from django_otp_webauthn.settings import app_settings
from django_otp_webauthn.utils import rewrite_exceptions
from webauthn.helpers.exceptions import WebAuthnException

if TYPE_CHECKING:
    from .models import User

logger = logging.getLogger(__name__)


class WebAuthnHelper(LibraryHelper):
    def get_allowed_origins(self) -> list[str]:
        """The configured origins. In development (relying party ``localhost``) any port of
        localhost, as the demo and the browser tests run on a port of their own."""
        origins = list(super().get_allowed_origins())
        host = self.request.get_host()
        if self.get_relying_party_domain() == "localhost" and host.split(":")[0] == "localhost":
            origins.append(f"{self.request.scheme}://{host}")
        return origins

    # A ceremony must be completed within the time the browser was given for it (plus a
    # minute): the challenge kept in the session does not stay valid forever.

    def get_registration_state(self, creation_options: dict[str, Any]) -> dict[str, Any]:
        return {**super().get_registration_state(creation_options), "issued_at": time.time()}

    def get_authentication_state(self, options: dict[str, Any]) -> dict[str, Any]:
        return {**super().get_authentication_state(options), "issued_at": time.time()}

    def register_complete(self, user: User, state: dict[str, Any], data: dict[str, Any]) -> Any:
        _refuse_stale(state)
        return super().register_complete(user=user, state=state, data=data)

    def authenticate_complete(self, user: User, state: dict[str, Any], data: dict[str, Any]) -> Any:
        _refuse_stale(state)
        return super().authenticate_complete(user=user, state=state, data=data)

    def get_credential_display_name(self, user: User) -> str:
        person = getattr(user, "person", None)
        return str(person) if person is not None else str(user.get_username())


def _refuse_stale(state: dict[str, Any]) -> None:
    age = time.time() - float(state.get("issued_at", 0))
    if not 0 <= age <= app_settings.OTP_WEBAUTHN_TIMEOUT_SECONDS + 60:
        raise exceptions.InvalidState(code="expired")


@contextmanager
def ceremony_errors() -> Iterator[None]:
    """A malformed or false answer from the browser becomes the library's API error (a 4xx
    with a message), never a server error. Logged for whoever investigates a refused key."""
    try:
        with rewrite_exceptions(logger=None):  # its logger writes tracebacks at ERROR level
            yield
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        logger.info("refused WebAuthn answer: %r", error)
        raise exceptions.UnprocessableEntity(code="malformed") from error
    except exceptions.OTPWebAuthnApiError as error:
        logger.info("refused WebAuthn answer: %s (%s)", error.code, error.__cause__)
        raise

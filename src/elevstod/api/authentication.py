"""Who calls the API: a personal access token in ``Authorization: Bearer <token>``.

The token stands for its user, who then acts with their own rights through the same access
layer as on the pages; the token's scopes can only take away (``permissions.TokenScope``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from elevstod.accounts.models import PersonalAccessToken, User
from elevstod.accounts.tokens import token_authenticate

from .integrations import TOKEN_PREFIX, integration_token_authenticate
from .models import IntegrationToken


class BearerTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, PersonalAccessToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as: Bearer <token>."))
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from error
        row = token_authenticate(token)
        if row is None:
            raise exceptions.AuthenticationFailed(
                _("The token is not valid: unknown, expired or revoked.")
            )
        return row.user, row

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class ClientTokenAuthentication(BaseAuthentication):
    """A system integration's token from the client-credentials grant (``elvc_…``): no user
    stands behind it, only the client and what it was granted (``integrations``)."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, IntegrationToken] | None:
        header = get_authorization_header(request).split()
        if len(header) != 2 or header[0].lower() != b"bearer":
            return None
        if not header[1].startswith(TOKEN_PREFIX.encode()):
            return None  # a personal access token: the next class's
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from error
        row = integration_token_authenticate(token)
        if row is None:
            raise exceptions.AuthenticationFailed(
                _("The token is not valid: unknown, expired or revoked.")
            )
        return AnonymousUser(), row

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def client_label(request: Any) -> str:
    """How the access log names the API client: the token's name and its prefix, or the
    integration client's name and id."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, PersonalAccessToken):
        return f"token {auth.name} ({auth.prefix})"
    if isinstance(auth, IntegrationToken):
        return f"integration {auth.client.name} ({auth.client.client_id})"
    return "unknown client"

"""The second factor the session names, checked in the query that reads the signed-in user.

The session keeps the persistent id of the device that verified the user (django-otp). That
device must still exist, belong to the user and be confirmed on every request, so a removed or
unconfirmed device ends the step-up at once; instead of a query of its own, the check is an
``EXISTS`` in the query that reads the user (``accounts.backends``), which the request makes
anyway. The session's device id reaches that query through the request's cache
(``core.request_cache``): nothing is kept from one request to the next.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from django_otp.models import Device

from elevstod.core.request_cache import request_cache

from .models import User

# Set on the user read by ``accounts.backends``: whether the session's device still verifies
# them. Absent when the user was read without the check; then the device is read on its own.
DEVICE_OK = "elevstod_device_ok"
_NAMESPACE = "accounts_verifying_device"


def expect_device(persistent_id: str | None) -> None:
    """Tell the user's query of this request which device the session names (None: none)."""
    cache = request_cache(_NAMESPACE)
    if cache is not None:
        cache["persistent_id"] = persistent_id


def session_device() -> tuple[Any, int] | None:
    """The device model and id the session names, for the user's query: None outside a
    request, when the session names no device, or a device id that names no device model."""
    cache = request_cache(_NAMESPACE)
    persistent_id = cache.get("persistent_id") if cache is not None else None
    model = _device_model(persistent_id) if persistent_id else None
    if model is None or persistent_id is None:
        return None
    return model, int(persistent_id.rsplit("/", 1)[1])


def device_check(model: Any, device_pk: int) -> dict[str, RawSQL]:
    """The annotation that checks the session's device (of ``model``, id ``device_pk``) with
    the user. Written out (the device's table, its id, the user's column) rather than built as
    an ORM subquery on every request: the same ``EXISTS`` at about a quarter of the CPU."""
    # Identifiers from the models' metadata, quoted; the device's id is a parameter.
    q = connection.ops.quote_name
    meta, users = model._meta, User._meta
    user = f"{q(users.db_table)}.{q(users.pk.column)}"
    sql = (
        f"EXISTS (SELECT 1 FROM {q(meta.db_table)} WHERE {q(meta.pk.column)} = %s"  # noqa: S608
        f" AND {q(meta.get_field('user').column)} = {user}"
        f" AND {q(meta.get_field('confirmed').column)})"
    )
    return {DEVICE_OK: RawSQL(sql, [device_pk], BooleanField())}  # noqa: S611


def _device_model(persistent_id: str) -> Any:
    """The device model of a persistent id (``app_label.model_name/pk``), or None."""
    try:
        label, pk = persistent_id.rsplit("/", 1)
        int(pk)
        model = apps.get_model(label)
    except (ValueError, LookupError):
        return None
    return model if issubclass(model, Device) else None


def verification_end(user: Any) -> None:
    """The user is no longer verified in this request (the session's stamp expired)."""
    user.otp_device = None
    setattr(user, DEVICE_OK, False)

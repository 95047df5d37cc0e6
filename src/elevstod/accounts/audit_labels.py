"""The accounts app's log codes in words (read by ``elevstod.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EVENTS: dict[str, Promise] = {
    "accounts.user.created": _("Created a user account"),
    "accounts.user.eppn_linked": _("Linked a federated login to a user account"),
    "accounts.session.logged_in": _("Logged in"),
    "accounts.session.logged_out": _("Logged out"),
    "accounts.session.login_failed": _("Failed to log in"),
    "accounts.session.failures_counted": _("Counted the failed logins of a period"),
    "accounts.session.login_throttled": _("Was stopped after too many failed logins"),
    "accounts.step_up.verified": _("Confirmed the second factor"),
    "accounts.step_up.failed": _("Failed to confirm the second factor"),
    "accounts.step_up.throttled": _("Was stopped after too many wrong codes"),
    "accounts.factor.enrolled": _("Added a second factor"),
    "accounts.factor.removed": _("Removed a second factor"),
    "accounts.token.created": _("Created an access token for the API"),
    "accounts.token.revoked": _("Revoked an access token for the API"),
}

"""The reasons a user may see a pupil (each an access rule of ``access.py``, logged with every
read) and the rights each gives. ``access`` is where they are used: import them from there."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    """Why a user may see a pupil: the access rule. Logged with every read."""

    TEACHER = "TEACHER", _("teaches the pupil")
    MENTOR = "MENTOR", _("the pupil's mentor")
    PRINCIPAL = "PRINCIPAL", _("principal of the pupil's unit")
    PUPIL_HEALTH = "PUPIL_HEALTH", _("pupil health team of the pupil's unit")
    ADMINISTRATOR = "ADMINISTRATOR", _("administrator of the pupil's unit")
    GUARDIAN = "GUARDIAN", _("guardian of the pupil")
    SELF = "SELF", _("the pupil themselves")
    # Organiser-wide, for records management only (the log, the register extract, disposal):
    # never a right to the pupil's pages, so it is in no rule of ``pupil_grant``.
    DATA_PROTECTION_OFFICER = (
        "DATA_PROTECTION_OFFICER",
        _("data protection officer of the organiser"),
    )
    # Rules of the support app on its own objects (``support/access.py``), on top of the above.
    PRINCIPAL_OF_PROGRAMME_UNIT = (
        "PRINCIPAL_OF_PROGRAMME_UNIT",
        _("principal of the unit where the programme was decided"),
    )
    INVESTIGATOR = "INVESTIGATOR", _("investigates the pupil's need of special support")
    REPORTER = "REPORTER", _("reported the pupil to the principal")
    PARTY = "PARTY", _("party to the decision (guardian with custody, or the pupil from 16)")


class Right(models.TextChoices):
    VIEW_PUPIL = "VIEW_PUPIL", _("see the pupil's school details")
    VIEW_SUPPORT = "VIEW_SUPPORT", _("see and work with the pupil's support")
    VIEW_GUARDIAN_CONTACTS = "VIEW_GUARDIAN_CONTACTS", _("see guardians' contact details")
    MANAGE_PEOPLE = "MANAGE_PEOPLE", _("manage the pupil's placement and groups")
    FAMILY_VIEW = "FAMILY_VIEW", _("see the pupil's own page as pupil or guardian")


STAFF_REASONS = frozenset({Reason.TEACHER, Reason.MENTOR, Reason.PRINCIPAL, Reason.PUPIL_HEALTH})
FAMILY_REASONS = frozenset({Reason.GUARDIAN, Reason.SELF})
# Who may see a pupil with protected identity at all (DOMAIN.md §4; issue "Foundation").
PROTECTED_IDENTITY_REASONS = frozenset(
    {Reason.MENTOR, Reason.PRINCIPAL, Reason.PUPIL_HEALTH, Reason.GUARDIAN, Reason.SELF}
)

RIGHTS_BY_REASON: dict[str, frozenset[str]] = {
    **{
        reason: frozenset({Right.VIEW_PUPIL, Right.VIEW_SUPPORT, Right.VIEW_GUARDIAN_CONTACTS})
        for reason in STAFF_REASONS
    },
    Reason.ADMINISTRATOR: frozenset(
        {Right.VIEW_PUPIL, Right.VIEW_GUARDIAN_CONTACTS, Right.MANAGE_PEOPLE}
    ),
    Reason.GUARDIAN: frozenset({Right.FAMILY_VIEW}),
    Reason.SELF: frozenset({Right.FAMILY_VIEW}),
}

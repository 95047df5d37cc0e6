"""The library of common adaptations, kept per organiser and per school unit by the principal."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.audit.services import audit_record
from elevstod.core.errors import DomainError
from elevstod.organisation.models import SchoolUnit, Subject

from ..access import may_edit_library
from ..errors import FieldError
from ..models import AdaptationTemplate
from .submissions import submission_claim, submission_done


def _require_principal(actor: User, unit: SchoolUnit) -> None:
    if not may_edit_library(actor, unit):
        raise DomainError(_("Only the principal keeps the unit's library."), code="forbidden")


def _check(title: str, subject: Subject | None, unit: SchoolUnit) -> None:
    if not title.strip():
        raise FieldError("title", _("Write what is adapted."))


@transaction.atomic
def template_create(
    *,
    actor: User,
    unit: SchoolUnit,
    title: str,
    description: str,
    subject: Subject | None,
    token: str = "",
) -> AdaptationTemplate:
    earlier = submission_claim(actor=actor, token=token, model=AdaptationTemplate)
    if earlier is not None:
        return earlier
    _require_principal(actor, unit)
    _check(title, subject, unit)
    entry = AdaptationTemplate.objects.create(
        organiser=unit.organiser,
        unit=unit,
        title=title.strip(),
        description=description.strip(),
        subject=subject,
    )
    audit_record(
        code="support.library_entry.created",
        actor=actor,
        obj=entry,
        unit_id=unit.pk,
        data={"title": entry.title},
    )
    submission_done(actor=actor, token=token, result=entry)
    return entry


@transaction.atomic
def template_update(
    *,
    actor: User,
    entry: AdaptationTemplate,
    title: str,
    description: str,
    subject: Subject | None,
    is_active: bool,
) -> AdaptationTemplate:
    if entry.unit is None:
        raise DomainError(_("Entries of the organiser's library are changed by the organiser."))
    _require_principal(actor, entry.unit)
    _check(title, subject, entry.unit)
    entry.title, entry.description = title.strip(), description.strip()
    entry.subject, entry.is_active = subject, is_active
    entry.save()
    audit_record(
        code="support.library_entry.changed",
        actor=actor,
        obj=entry,
        unit_id=entry.unit_id,
        data={"title": entry.title, "is_active": is_active},
    )
    return entry


def template_remove(*, actor: User, entry: AdaptationTemplate) -> AdaptationTemplate:
    """Take an entry of the unit's library out of use (kept, inactive)."""
    return template_update(
        actor=actor,
        entry=entry,
        title=entry.title,
        description=entry.description,
        subject=entry.subject,
        is_active=False,
    )


@transaction.atomic
def template_create_for_organiser(
    *, actor: User | None, unit: SchoolUnit, title: str, description: str, subject: Subject | None
) -> AdaptationTemplate:
    """An organiser-wide entry (used by the demo loader and, later, the organiser's admin)."""
    _check(title, subject, unit)
    entry = AdaptationTemplate.objects.create(
        organiser=unit.organiser,
        unit=None,
        title=title.strip(),
        description=description.strip(),
        subject=subject,
    )
    audit_record(
        code="support.library_entry.created",
        actor=actor,
        obj=entry,
        data={"title": entry.title, "organiser_id": unit.organiser_id},
    )
    return entry

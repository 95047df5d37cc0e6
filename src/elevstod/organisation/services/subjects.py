"""Subjects (Skolverket's subject codes) and the subject of a group."""

from __future__ import annotations

from django.db import transaction

from elevstod.audit.services import audit_record
from elevstod.core.actors import Actor

from ..models import Group, Subject
from .units import subject_create


@transaction.atomic
def subject_for_code(*, actor: Actor | None, code: str, name: str) -> Subject:
    """The subject with this code; created (with its audit event) when there is none yet."""
    subject = Subject.objects.filter(code=code).first()
    return subject or subject_create(actor=actor, code=code, name=name or code)


@transaction.atomic
def group_set_subject(*, actor: Actor | None, group: Group, subject: Subject) -> bool:
    """Give the group its subject; False (and nothing written) when it already has it."""
    if group.subject_id == subject.pk:
        return False
    group.subject = subject
    group.save(update_fields=["subject", "updated_at"])
    audit_record(
        code="organisation.group.updated",
        actor=actor,
        obj=group,
        unit_id=group.unit_id,
        data={"fields": ["subject"], "subject": subject.code},
    )
    return True

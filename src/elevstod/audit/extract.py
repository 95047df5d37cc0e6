"""Register extract (GDPR art. 15): everything Elevstöd stores about one pupil, as data that a
machine can read (JSON) and a person can read (a page). Only that pupil's rows."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from elevstod.notifications.models import Notification
from elevstod.organisation.access import Reason, pupil_grant, scope_for
from elevstod.organisation.models import (
    GroupMembership,
    Guardianship,
    Mentorship,
    Person,
    Placement,
)
from elevstod.support.models import (
    ActionProgramme,
    AdaptationEvaluation,
    AdaptationFollowUp,
    AdaptationVersion,
    Appeal,
    Decision,
    ExtraAdaptation,
    Investigation,
    Measure,
    PartyNotification,
    ProgrammeEvaluation,
    ProgrammeFollowUp,
    Referral,
)

from .models import AccessLogEntry, AuditEvent

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "civic_number",
    "security_marking",
    "email",
    "mobile",
    "address",
    "external_id",
)


def extract_reason(actor: Any, pupil: Person) -> str | None:
    """Who may produce an extract: the principal of the pupil's unit, or the organiser's data
    protection officer for a pupil who is or was placed at one of its units."""
    if Reason.PRINCIPAL in pupil_grant(actor, pupil).reasons:
        return Reason.PRINCIPAL
    dpo = scope_for(actor).dpo_organisers
    if dpo and Placement.objects.filter(pupil=pupil, unit__organiser_id__in=dpo).exists():
        return "DATA_PROTECTION_OFFICER"
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(v.pk if isinstance(v, models.Model) else v) for v in value]
    return value


def _rows(qs: Iterable[models.Model]) -> list[dict[str, Any]]:
    out = []
    for obj in qs:
        row = {k: _plain(v) for k, v in model_to_dict(obj).items()}
        row["id"] = obj.pk
        for name in ("created_at", "occurred_at", "changed_at", "decided_at", "recorded_at"):
            if hasattr(obj, name):
                row[name] = _plain(getattr(obj, name))
        out.append(row)
    return out


def register_extract(pupil: Person) -> dict[str, Any]:
    adaptations = ExtraAdaptation.objects.filter(pupil=pupil)
    programmes = ActionProgramme.objects.filter(pupil=pupil)
    decisions = Decision.objects.filter(pupil=pupil)
    return {
        "pupil": {name: getattr(pupil, name) for name in PERSON_FIELDS} | {"id": pupil.pk},
        "placements": _rows(Placement.objects.filter(pupil=pupil)),
        "group_memberships": _rows(GroupMembership.objects.filter(pupil=pupil)),
        "guardians": [
            {"id": g.guardian_id, "name": g.guardian.full_name}
            for g in Guardianship.objects.filter(pupil=pupil).select_related("guardian")
        ],
        "mentors": _rows(Mentorship.objects.filter(pupil=pupil)),
        "extra_adaptations": _rows(adaptations),
        "adaptation_versions": _rows(AdaptationVersion.objects.filter(adaptation__in=adaptations)),
        "adaptation_follow_ups": _rows(
            AdaptationFollowUp.objects.filter(adaptation__in=adaptations)
        ),
        "adaptation_evaluations": _rows(
            AdaptationEvaluation.objects.filter(adaptation__in=adaptations)
        ),
        "referrals": _rows(Referral.objects.filter(pupil=pupil)),
        "investigations": _rows(Investigation.objects.filter(pupil=pupil)),
        "action_programmes": _rows(programmes),
        "measures": _rows(Measure.objects.filter(programme__in=programmes)),
        "programme_follow_ups": _rows(ProgrammeFollowUp.objects.filter(programme__in=programmes)),
        "programme_evaluations": _rows(
            ProgrammeEvaluation.objects.filter(programme__in=programmes)
        ),
        "decisions": _rows(decisions),
        "party_notifications": _rows(PartyNotification.objects.filter(decision__in=decisions)),
        "appeals": _rows(Appeal.objects.filter(decision__in=decisions)),
        "notifications_about_the_pupil": _rows(Notification.objects.filter(pupil_id=pupil.pk)),
        "change_log": _rows(AuditEvent.objects.filter(pupil_id=pupil.pk).order_by("id")),
        "access_log": _rows(AccessLogEntry.objects.filter(pupil_id=pupil.pk).order_by("id")),
    }

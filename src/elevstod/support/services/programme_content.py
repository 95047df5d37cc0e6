"""What an action programme holds (3 kap. 9 §: the needs, the measures with a responsible
person each, when and by whom they are followed up and evaluated), as users write it, as it is
checked and as it is decided."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.organisation.staff_access import staff_with_access_to

from .. import workflow as wf
from ..errors import FieldError
from ..models import ActionProgramme, Measure


@dataclass(frozen=True)
class MeasureInput:
    what: str
    responsible_id: int
    how: str = ""
    how_much: str = ""
    support_form: str = wf.SupportForm.ORDINARY


@dataclass(frozen=True)
class ProgrammeInput:
    needs: str = ""
    follow_up_plan: str = ""
    evaluation_date: dt.date | None = None
    follow_up_responsible_id: int | None = None
    evaluation_responsible_id: int | None = None
    pupil_participated: bool = False
    guardians_participated: bool = False
    participation_views: str = ""
    planned_decision_date: dt.date | None = None
    measures: Sequence[MeasureInput] = field(default_factory=tuple)


CONTENT_FIELDS = (
    "needs",
    "follow_up_plan",
    "evaluation_date",
    "follow_up_responsible_id",
    "evaluation_responsible_id",
    "pupil_participated",
    "guardians_participated",
    "participation_views",
    "planned_decision_date",
)

# What a renewal copy starts without: its own decision date, and whether the pupil and the
# guardians took part, which is asked anew for each programme (3 kap. 9 § skollagen).
NOT_COPIED_ON_RENEWAL = (
    "planned_decision_date",
    "pupil_participated",
    "guardians_participated",
    "participation_views",
)


def forms_of(programme: ActionProgramme) -> set[str]:
    return set(programme.measures.values_list("support_form", flat=True))


def check_input(programme: ActionProgramme, data: ProgrammeInput) -> None:
    staff = {p.pk for p in staff_with_access_to(programme.pupil)}
    for name in ("follow_up_responsible_id", "evaluation_responsible_id"):
        value = getattr(data, name)
        if value is not None and value not in staff:
            raise FieldError(
                name.removesuffix("_id"), _("The responsible person must work with the pupil.")
            )
    for i, m in enumerate(data.measures):
        if not m.what.strip():
            raise FieldError(f"measures-{i}-what", _("Write what the measure is."))
        if m.responsible_id not in staff:
            raise FieldError(
                f"measures-{i}-responsible", _("The responsible person must work with the pupil.")
            )
        if m.support_form not in wf.SupportForm.__members__.values():
            raise FieldError(f"measures-{i}-support_form", _("Choose a form of support."))
    if data.evaluation_date is not None and data.evaluation_date <= today():
        raise FieldError("evaluation_date", _("The evaluation date must be in the future."))


def responsibles(programme: ActionProgramme) -> set[int | None]:
    people = set(programme.measures.values_list("responsible_id", flat=True))
    return people | {programme.follow_up_responsible_id, programme.evaluation_responsible_id}


def require_complete(programme: ActionProgramme) -> None:
    missing = []
    if not programme.needs.strip():
        missing.append(_("the needs"))
    if not programme.measures.exists():
        missing.append(_("at least one measure"))
    if not programme.follow_up_plan.strip() or programme.follow_up_responsible_id is None:
        missing.append(_("when and by whom the measures are followed up"))
    if programme.evaluation_date is None or programme.evaluation_responsible_id is None:
        missing.append(_("when and by whom the programme is evaluated"))
    if missing:
        raise DomainError(
            _("The programme cannot be decided yet. Missing: %(missing)s.")
            % {"missing": ", ".join(str(m) for m in missing)}
        )


def snapshot(programme: ActionProgramme) -> dict[str, Any]:
    """What is decided: the programme's content and measures, as it stood."""
    data = {f: getattr(programme, f) for f in CONTENT_FIELDS}
    data = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}
    data["measures"] = [
        {
            "what": m.what,
            "how": m.how,
            "how_much": m.how_much,
            "support_form": m.support_form,
            "responsible_id": m.responsible_id,
            "responsible": m.responsible.full_name,
        }
        for m in programme.measures.select_related("responsible")
    ]
    return data


def replace_measures(programme: ActionProgramme, measures: Sequence[MeasureInput]) -> None:
    programme.measures.all().delete()
    Measure.objects.bulk_create(
        Measure(
            programme=programme,
            position=i,
            what=m.what.strip(),
            how=m.how.strip(),
            how_much=m.how_much.strip(),
            responsible_id=m.responsible_id,
            support_form=m.support_form,
        )
        for i, m in enumerate(measures)
    )

"""The support figures, counted in the database: one grouped query per kind of record, over
all the units asked for at once (GROUP BY unit, conditional counts), so the number of queries
does not grow with units or pupils. Callers decide who may see which units (``statistics``).

``protect``: leave out pupils with protected identity, for figures that leave the unit (the
organiser's): a count that includes them could single them out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate

from elevstod.core.timeutil import now, today
from elevstod.organisation.models import Person, Placement
from elevstod.support import workflow as wf
from elevstod.support.models import (
    ActionProgramme,
    Appeal,
    Decision,
    ExtraAdaptation,
    Investigation,
    Referral,
)

from .aggregates import Median
from .periods import Period, Term

Rows = dict[int, dict[str, Any]]
NONE = Person.SecurityMarking.NONE


def _scoped(
    qs: QuerySet[Any], units: Sequence[int], period: Period, protect: bool, via: str = ""
) -> QuerySet[Any]:
    """``qs`` at ``units``, of pupils in the chosen school years there during the period, and
    without protected pupils when ``protect``. ``via``: the path to the pupil and unit."""
    qs = qs.filter(**{f"{via}unit_id__in": list(units)})
    if protect:
        # The few protected pupils as a subquery: no join with every person.
        qs = qs.exclude(**{f"{via}pupil_id__in": _protected()})
    if period.years:
        placed = Placement.objects.filter(
            pupil_id=OuterRef(f"{via}pupil_id"),
            unit_id=OuterRef(f"{via}unit_id"),
            school_year__in=period.years,
            start_date__lte=period.end,
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        qs = qs.filter(Exists(placed))
    return qs.order_by()


def _protected() -> QuerySet[Any]:
    return Person.objects.exclude(security_marking=NONE).values("pk")


def _by_unit(qs: QuerySet[Any], aggregates: dict[str, Any], field: str = "unit_id") -> Rows:
    rows = qs.values(field).annotate(**aggregates)
    return {row.pop(field): row for row in rows}


def _in(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def adaptations(units: Sequence[int], period: Period, protect: bool) -> Rows:
    """Pupils with extra adaptations active during the period; active adaptations whose
    follow-up is on schedule or overdue today."""
    day = today()
    active_in = Q(start_date__lte=period.end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    )
    now_active = Q(status=ExtraAdaptation.Status.ACTIVE)
    qs = _scoped(ExtraAdaptation.objects.filter(active_in), units, period, protect)
    return _by_unit(
        qs,
        {
            "pupils": Count("pupil_id", distinct=True),
            "follow_up_on_time": Count(
                "pk",
                filter=now_active & (Q(next_follow_up__isnull=True) | Q(next_follow_up__gte=day)),
            ),
            "follow_up_overdue": Count("pk", filter=now_active & Q(next_follow_up__lt=day)),
        },
    )


def adaptation_subjects(
    units: Sequence[int], period: Period, protect: bool
) -> list[dict[str, Any]]:
    """Pupils with active adaptations per subject (an adaptation across all subjects counts
    under its own heading), over all ``units``."""
    active_in = Q(start_date__lte=period.end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    )
    qs = _scoped(ExtraAdaptation.objects.filter(active_in), units, period, protect)
    per_subject = list(
        qs.filter(subjects__isnull=False)
        .values("subjects__name")
        .annotate(pupils=Count("pupil_id", distinct=True))
        .order_by("subjects__name")
    )
    across = qs.filter(all_subjects=True).aggregate(pupils=Count("pupil_id", distinct=True))
    rows = [{"subject": r["subjects__name"], "pupils": r["pupils"]} for r in per_subject]
    return [{"subject": None, "pupils": across["pupils"]}, *rows]


def _waited() -> Any:
    return ExpressionWrapper(
        Coalesce(F("handled_at"), Value(now())) - F("created_at"), output_field=DurationField()
    )


def referrals(units: Sequence[int], period: Period, protect: bool) -> Rows:
    """Referrals made during the period; how long they waited for the principal (until handled,
    or until now when still open)."""
    qs = _scoped(Referral.objects.filter(_in("created_at__date", period)), units, period, protect)
    qs = qs.annotate(waited=_waited())
    return _by_unit(
        qs,
        {
            "referrals": Count("pk"),
            "open": Count("pk", filter=Q(state=wf.ReferralState.OPEN)),
            "median_wait": Median("waited"),
            "max_wait": Max("waited"),
        },
    )


def investigations(units: Sequence[int], period: Period, protect: bool) -> Rows:
    started = _in("created_at__date", period)
    concluded = _in("concluded_on", period)
    qs = _scoped(Investigation.objects.filter(started | concluded), units, period, protect)
    duration = ExpressionWrapper(
        F("concluded_on") - TruncDate("created_at"), output_field=DurationField()
    )
    qs = qs.annotate(duration=duration)
    return _by_unit(
        qs,
        {
            "started": Count("pk", filter=started),
            "concluded": Count("pk", filter=concluded),
            "median_duration": Median("duration", filter=concluded),
        },
    )


DECISION_KINDS = (wf.DecisionKind.PROGRAMME, wf.DecisionKind.NO_PROGRAMME)


def decisions(units: Sequence[int], period: Period, protect: bool) -> Rows:
    """Decisions to draw up a programme (the first decision on a new one and on each renewal)
    and not to draw one up, taken during the period."""
    qs = _scoped(
        Decision.objects.filter(_in("decided_on", period), kind__in=list(DECISION_KINDS)),
        units,
        period,
        protect,
    )
    return _by_unit(qs, {str(k): Count("pk", filter=Q(kind=k)) for k in DECISION_KINDS})


def programmes_by_form(units: Sequence[int], period: Period, protect: bool) -> Rows:
    """Action programmes in force today, in total and with a measure of each form of support."""
    qs = _scoped(
        ActionProgramme.objects.filter(state__in=list(wf.IN_FORCE)), units, period, protect
    )
    forms = {
        str(form): Count("pk", filter=Q(measures__support_form=form), distinct=True)
        for form in wf.SupportForm
    }
    return _by_unit(qs, {"in_force": Count("pk", distinct=True), **forms})


def evaluations(units: Sequence[int], period: Period, protect: bool) -> Rows:
    """Programmes whose evaluation date fell in the period: evaluated on time, evaluated late,
    and not evaluated although the date has passed."""
    day = today()
    qs = _scoped(
        ActionProgramme.objects.filter(_in("evaluation_date", period)).exclude(
            state__in=[*wf.UNDECIDED, wf.ProgrammeState.DISCARDED]
        ),
        units,
        period,
        protect,
    )
    evaluated = Q(evaluation__isnull=False)
    return _by_unit(
        qs,
        {
            "on_time": Count(
                "pk", filter=evaluated & Q(evaluation__date__lte=F("evaluation_date"))
            ),
            "late": Count("pk", filter=evaluated & Q(evaluation__date__gt=F("evaluation_date"))),
            "missing": Count("pk", filter=Q(evaluation__isnull=True, evaluation_date__lt=day)),
        },
    )


def appeals(units: Sequence[int], period: Period, protect: bool) -> Rows:
    """Appeals received during the period, by how the school and the Board handled them."""
    qs = _scoped(
        Appeal.objects.filter(_in("received_on", period)), units, period, protect, "decision__"
    )
    states = {f"state_{s}": Count("pk", filter=Q(state=s)) for s in wf.AppealState}
    rulings = {f"ruling_{r}": Count("pk", filter=Q(ruling=r)) for r in Appeal.Ruling.values}
    return _by_unit(qs, {"appeals": Count("pk"), **states, **rulings}, "decision__unit_id")


def trends(units: Sequence[int], terms: list[Term], protect: bool) -> dict[str, Rows]:
    """Per term and unit: adaptations started, referrals made, programmes decided. One grouped
    query per kind with a conditional count per term (date comparisons, no date parts taken of
    every row). Keyed ``"<year>-<1|2>"`` (2: autumn) inside each unit's row."""
    span = Period(terms[0].start, terms[-1].end)
    sources: dict[str, tuple[QuerySet[Any], str]] = {
        "adaptations": (ExtraAdaptation.objects.all(), "start_date"),
        "referrals": (Referral.objects.all(), "created_at__date"),
        "programmes": (Decision.objects.filter(kind=wf.DecisionKind.PROGRAMME), "decided_on"),
    }
    out: dict[str, Rows] = {}
    for key, (qs, field) in sources.items():
        counts = {
            f"term_{i}": Count("pk", filter=_in(field, Period(t.start, t.end)))
            for i, t in enumerate(terms)
        }
        rows = _by_unit(_scoped(qs.filter(_in(field, span)), units, span, protect), counts)
        out[key] = {
            unit: {term_key(t): row[f"term_{i}"] for i, t in enumerate(terms)}
            for unit, row in rows.items()
        }
    return out


def term_key(term: Term) -> str:
    return f"{term.year}-{2 if term.autumn else 1}"


def pupils_with_programme_on(units: Sequence[int], day: dt.date, protect: bool) -> list[Any]:
    """The official-statistics count: pupils with an action programme in force on ``day``,
    per unit and the school year of their placement there that day (one query)."""
    placements = Placement.objects.filter(unit_id__in=list(units), start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    if protect:
        placements = placements.exclude(pupil_id__in=_protected())
    programme = ActionProgramme.objects.filter(
        pupil_id=OuterRef("pupil_id"),
        unit_id=OuterRef("unit_id"),
        decisions__kind=wf.DecisionKind.PROGRAMME,
        decisions__decided_on__lte=day,
    ).exclude(_ended_before(day))
    return list(
        placements.filter(Exists(programme))
        .values("unit_id", "unit__school_unit_code", "unit__name", "school_year")
        .annotate(pupils=Count("pupil_id", distinct=True))
        .order_by("unit__school_unit_code", "school_year")
    )


def _ended_before(day: dt.date) -> Q:
    """A programme that was closed, or replaced by a new one, on or before ``day``."""
    closed = Decision.objects.filter(
        programme_id=OuterRef("pk"),
        kind=wf.DecisionKind.CLOSE_PROGRAMME,
        decided_on__lte=day,
    )
    replaced = Decision.objects.filter(
        programme__previous_id=OuterRef("pk"),
        kind=wf.DecisionKind.PROGRAMME,
        decided_on__lte=day,
    )
    return Q(Exists(closed)) | Q(Exists(replaced))

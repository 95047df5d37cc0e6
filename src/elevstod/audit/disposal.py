"""Retention and disposal (bevarande och gallring) per the organiser's records-management plan.

Action programmes, decisions and investigations are kept (they are public records the
organiser must preserve unless its own plan says otherwise). Extra adaptations are disposed of
a configurable number of years after the pupil left the organiser's schools: a dry run shows
what would go, the data protection officer confirms, the content is removed and only a trace
remains (the run, and an audit event with counts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.organisation.access import scope_for
from elevstod.organisation.models import Organiser, Placement
from elevstod.support.models import (
    AdaptationEvaluation,
    AdaptationFollowUp,
    AdaptationVersion,
    ExtraAdaptation,
    Referral,
)

from .models import DisposalRun, RetentionRule
from .services import audit_record

DEFAULT_KEEP_YEARS: dict[str, int] = {RetentionRule.Kind.EXTRA_ADAPTATIONS: 2}


def _require_dpo(actor: Any, organiser: Organiser) -> None:
    if organiser.pk not in scope_for(actor).dpo_organisers:
        raise DomainError(
            _("Only the data protection officer of the organiser may do this."), code="forbidden"
        )


def keep_years(organiser: Organiser, kind: str) -> int | None:
    rule = RetentionRule.objects.filter(organiser=organiser, kind=kind).first()
    return rule.keep_years if rule is not None else DEFAULT_KEEP_YEARS.get(kind)


@transaction.atomic
def retention_rule_set(
    *, actor: Any, organiser: Organiser, kind: str, years: int | None
) -> RetentionRule:
    _require_dpo(actor, organiser)
    rule, _created = RetentionRule.objects.update_or_create(
        organiser=organiser, kind=kind, defaults={"keep_years": years}
    )
    audit_record(
        code="audit.retention_rule.set",
        actor=actor,
        obj=rule,
        data={"kind": kind, "keep_years": years},
    )
    return rule


def _left_before(organiser: Organiser, cutoff: dt.date) -> Any:
    """Pupils with no current placement at the organiser, whose last one ended before cutoff."""
    placements = Placement.objects.filter(unit__organiser=organiser)
    current = placements.filter(Q(end_date__isnull=True) | Q(end_date__gte=today()))
    ended = (
        placements.exclude(pupil_id__in=current.values("pupil_id"))
        .values("pupil_id")
        .annotate(last=Max("end_date"))
        .filter(last__lt=cutoff)
    )
    return ended.values("pupil_id")


@transaction.atomic
def disposal_dry_run(
    *, actor: Any, organiser: Organiser, kind: str = RetentionRule.Kind.EXTRA_ADAPTATIONS
) -> DisposalRun:
    _require_dpo(actor, organiser)
    years = keep_years(organiser, kind)
    if years is None:
        raise DomainError(_("These records are kept: the rule has no disposal time."))
    cutoff = today().replace(year=today().year - years)
    candidates = ExtraAdaptation.objects.filter(
        unit__organiser=organiser, pupil_id__in=_left_before(organiser, cutoff)
    )
    ids = sorted(candidates.values_list("pk", flat=True))
    run = DisposalRun.objects.create(
        organiser=organiser,
        kind=kind,
        cutoff=cutoff,
        candidate_ids=ids,
        pupils=candidates.values("pupil_id").distinct().count(),
        created_by_id=actor.pk,
    )
    audit_record(
        code="audit.disposal.previewed",
        actor=actor,
        obj=run,
        data={"kind": kind, "records": len(ids), "cutoff": cutoff.isoformat()},
    )
    return run


@transaction.atomic
def disposal_confirm(*, actor: Any, run_id: int) -> DisposalRun:
    """Remove exactly the records the dry run listed (those still eligible), keep a trace."""
    run = DisposalRun.objects.select_for_update().select_related("organiser").get(pk=run_id)
    _require_dpo(actor, run.organiser)
    if run.state != DisposalRun.State.DRY_RUN:
        raise DomainError(_("This disposal has already been carried out."))
    if run.created_at.date() != today():
        raise DomainError(_("The dry run is from another day: make a new one."))
    still = ExtraAdaptation.objects.filter(
        pk__in=run.candidate_ids, pupil_id__in=_left_before(run.organiser, run.cutoff)
    )
    ids = list(still.values_list("pk", flat=True))
    removed = {
        "follow_ups": AdaptationFollowUp.objects.filter(adaptation_id__in=ids).delete()[0],
        "evaluations": AdaptationEvaluation.objects.filter(adaptation_id__in=ids).delete()[0],
        "versions": AdaptationVersion.objects.filter(adaptation_id__in=ids).delete()[0],
        "referral_links": Referral.adaptations.through.objects.filter(
            extraadaptation_id__in=ids
        ).delete()[0],
    }
    ExtraAdaptation.subjects.through.objects.filter(extraadaptation_id__in=ids).delete()
    removed["extra_adaptations"] = ExtraAdaptation.objects.filter(pk__in=ids).delete()[0]
    DisposalRun.objects.filter(pk=run.pk).update(
        state=DisposalRun.State.CONFIRMED,
        confirmed_by_id=actor.pk,
        confirmed_at=timezone.now(),
        removed=removed,
    )
    run.refresh_from_db()
    audit_record(
        code="audit.disposal.performed",
        actor=actor,
        obj=run,
        data={"kind": run.kind, "removed": removed, "cutoff": run.cutoff.isoformat()},
    )
    return run

"""Retention and disposal (bevarande och gallring) per the organiser's records-management plan.

Action programmes, decisions and investigations are kept (they are public records the
organiser must preserve unless its own plan says otherwise). Extra adaptations are disposed of
a configurable number of years after the pupil left the organiser's schools: a dry run shows
what would go, the data protection officer confirms, the content is removed and only a trace
remains (the run, and an audit event with counts).

Which records can be disposed of, which of them a rule lets go and what their removal takes
with it is declared by the app that owns them (``registry.DisposableKind``, registered from its
``AppConfig.ready()``); this module holds the procedure common to all kinds."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.organisation.models import Organiser
from elevstod.organisation.records_access import access_organiser_records

from .models import DisposalRun, RetentionRule
from .registry import DISPOSABLE_KINDS, DisposableKind
from .services import audit_record


def _kind(kind: str) -> DisposableKind:
    if kind not in DISPOSABLE_KINDS:
        raise DomainError(_("These records are kept: the rule has no disposal time."))
    return DISPOSABLE_KINDS[kind]


def keep_years(organiser: Organiser, kind: str) -> int | None:
    rule = RetentionRule.objects.filter(organiser=organiser, kind=kind).first()
    if rule is not None:
        return rule.keep_years
    declared = DISPOSABLE_KINDS.get(kind)
    return declared.default_keep_years if declared is not None else None


@transaction.atomic
def retention_rule_set(
    *, actor: User, organiser: Organiser, kind: str, years: int | None
) -> RetentionRule:
    access_organiser_records(actor=actor, organiser_pk=organiser.pk)
    _kind(kind)  # only a declared kind has a rule
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


@transaction.atomic
def disposal_dry_run(*, actor: User, organiser: Organiser, kind: str) -> DisposalRun:
    access_organiser_records(actor=actor, organiser_pk=organiser.pk)
    years = keep_years(organiser, kind)
    if years is None:
        raise DomainError(_("These records are kept: the rule has no disposal time."))
    cutoff = today().replace(year=today().year - years)
    candidates = _kind(kind).candidates(organiser, cutoff)
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
def disposal_confirm(*, actor: User, run_id: int) -> DisposalRun:
    """Remove exactly the records the dry run listed (those still eligible), keep a trace."""
    run = DisposalRun.objects.select_for_update().select_related("organiser").get(pk=run_id)
    access_organiser_records(actor=actor, organiser_pk=run.organiser_id)
    if run.state != DisposalRun.State.DRY_RUN:
        raise DomainError(_("This disposal has already been carried out."))
    if run.created_at.date() != today():
        raise DomainError(_("The dry run is from another day: make a new one."))
    kind = _kind(run.kind)
    still = kind.candidates(run.organiser, run.cutoff).filter(pk__in=run.candidate_ids)
    removed = kind.remove(list(still.values_list("pk", flat=True)))
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

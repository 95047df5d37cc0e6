"""What the support app contributes to others: its sections of the register extract, extra
adaptations as a kind of disposable records, and the dates reminders are sent for
(``due_dates.py``). Imported from ``SupportConfig.ready()``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from elevstod.audit.registry import (
    DisposableKind,
    ExtractSection,
    register_disposable_kind,
    register_extract_section,
    rows_of,
)
from elevstod.imports.hooks import on_placements_ended
from elevstod.notifications.registry import register_due_source, register_notice_days
from elevstod.organisation.models import Organiser, Person
from elevstod.organisation.selectors import pupils_who_left

from . import departures, due_dates
from .models import (
    ActionProgramme,
    AdaptationEvaluation,
    AdaptationFollowUp,
    AdaptationVersion,
    Appeal,
    AppealAttachment,
    Decision,
    ExtraAdaptation,
    Investigation,
    Measure,
    PartyNotification,
    ProgrammeEvaluation,
    ProgrammeFollowUp,
    Referral,
)

Rows = Callable[[Person], list[dict[str, Any]]]


def _of_pupil(model: type[models.Model]) -> Rows:
    return lambda pupil: rows_of(model._default_manager.filter(pupil=pupil))


def _through(model: type[models.Model], parent: type[models.Model], link: str) -> Rows:
    """The rows of ``model`` hanging on the pupil's ``parent`` rows (by the field ``link``)."""
    return lambda pupil: rows_of(
        model._default_manager.filter(
            **{f"{link}__in": parent._default_manager.filter(pupil=pupil)}
        )
    )


EXTRACT_SECTIONS = (
    ExtractSection("extra_adaptations", 100, _of_pupil(ExtraAdaptation), (ExtraAdaptation,)),
    ExtractSection(
        "adaptation_versions",
        110,
        _through(AdaptationVersion, ExtraAdaptation, "adaptation"),
        (AdaptationVersion,),
    ),
    ExtractSection(
        "adaptation_follow_ups",
        120,
        _through(AdaptationFollowUp, ExtraAdaptation, "adaptation"),
        (AdaptationFollowUp,),
    ),
    ExtractSection(
        "adaptation_evaluations",
        130,
        _through(AdaptationEvaluation, ExtraAdaptation, "adaptation"),
        (AdaptationEvaluation,),
    ),
    ExtractSection("referrals", 140, _of_pupil(Referral), (Referral,)),
    ExtractSection("investigations", 150, _of_pupil(Investigation), (Investigation,)),
    ExtractSection("action_programmes", 160, _of_pupil(ActionProgramme), (ActionProgramme,)),
    ExtractSection("measures", 170, _through(Measure, ActionProgramme, "programme"), (Measure,)),
    ExtractSection(
        "programme_follow_ups",
        180,
        _through(ProgrammeFollowUp, ActionProgramme, "programme"),
        (ProgrammeFollowUp,),
    ),
    ExtractSection(
        "programme_evaluations",
        190,
        _through(ProgrammeEvaluation, ActionProgramme, "programme"),
        (ProgrammeEvaluation,),
    ),
    ExtractSection("decisions", 200, _of_pupil(Decision), (Decision,)),
    ExtractSection(
        "party_notifications",
        210,
        _through(PartyNotification, Decision, "decision"),
        (PartyNotification,),
    ),
    ExtractSection("appeals", 220, _through(Appeal, Decision, "decision"), (Appeal,)),
    # The files' name, type, size and checksum (the content itself is not a field of the rows).
    ExtractSection(
        "appeal_attachments",
        230,
        lambda pupil: rows_of(
            AppealAttachment.objects.filter(appeal__decision__pupil=pupil).defer("data")
        ),
        (AppealAttachment,),
    ),
)


def _disposable_adaptations(organiser: Organiser, cutoff: dt.date) -> Any:
    """Extra adaptations at the organiser's units of pupils who left it before ``cutoff``."""
    return ExtraAdaptation.objects.filter(
        unit__organiser=organiser,
        pupil_id__in=pupils_who_left(organiser=organiser, before=cutoff),
    )


def _remove_adaptations(ids: list[int]) -> dict[str, int]:
    """Delete the adaptations ``ids`` with their follow-ups, evaluations, versions and links."""
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
    return removed


EXTRA_ADAPTATIONS = DisposableKind(
    kind="EXTRA_ADAPTATIONS",
    label=_("Extra adaptations"),
    default_keep_years=2,
    candidates=_disposable_adaptations,
    remove=_remove_adaptations,
    models=(ExtraAdaptation, AdaptationVersion, AdaptationFollowUp, AdaptationEvaluation),
)

for section in EXTRACT_SECTIONS:
    register_extract_section(section)
register_disposable_kind(EXTRA_ADAPTATIONS)
for source in due_dates.SOURCES:
    register_due_source(source)
register_notice_days(due_dates.reminder_days)


# A pupil whose placement an SS 12000 run ended: the principal is asked to close the programme.
on_placements_ended(departures.departed_programmes_notify)

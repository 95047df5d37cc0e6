"""Builders shared by the test modules, calling the real services: extra adaptations, the special
support chain, and the pages read through Django's test client. Fixtures stay in the conftest
files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from elevstod.core.timeutil import today
from elevstod.organisation.models import Person
from elevstod.support import workflow as wf
from elevstod.support.models import (
    ActionProgramme,
    Decision,
    ExtraAdaptation,
    Investigation,
    PartyNotification,
)
from elevstod.support.services import adaptations, investigations, programmes
from elevstod.support.services.adaptations import AdaptationInput
from elevstod.support.services.decisions import decision_notify_party

# --- extra adaptations (on the ``school`` fixture of tests/support) ------------------------------


def adaptation_input(responsible: Person, **overrides: object) -> AdaptationInput:
    """The input of a complete extra adaptation, ``overrides`` changing its fields."""
    values: dict[str, object] = {
        "title": "Förlängd skrivtid",
        "description": "Upp till 50 % längre tid.",
        "need": "Hinner inte läsa färdigt.",
        "all_subjects": True,
        "subject_ids": [],
        "start_date": today(),
        "responsible_id": responsible.pk,
        "next_follow_up": today() + dt.timedelta(weeks=4),
        "visible_to_family": False,
    }
    values.update(overrides)
    return AdaptationInput(**values)  # type: ignore[arg-type]


def new_adaptation(
    school: Any,
    *,
    actor: Any = None,
    pupil: Person | None = None,
    responsible: Person | None = None,
    **overrides: Any,
) -> ExtraAdaptation:
    """An extra adaptation for ``pupil`` (the school's pupil), written by ``actor`` (the teacher),
    ``responsible`` the actor unless told; ``overrides`` change its fields."""
    actor = actor or school.teacher
    return adaptations.adaptation_create(
        actor=actor,
        pupil=pupil or school.pupil,
        data=adaptation_input(responsible or actor.person, **overrides),
    )


# --- the special support chain (on the ``school`` fixture of tests/support) ----------------------


def started_investigation(school: Any, **kw: Any) -> Investigation:
    """An investigation started by the principal, the pupil health member investigating."""
    return investigations.investigation_start(
        actor=school.principal,
        pupil=school.pupil,
        investigator_ids=[school.health.person.pk],
        planned_decision_date=today() + dt.timedelta(days=14),
        **kw,
    )


def completed_investigation(school: Any) -> Investigation:
    """An investigation with its mapping and assessment written, pupil health consulted."""
    inv = started_investigation(school)
    return investigations.investigation_update(
        actor=school.health,
        investigation_id=inv.pk,
        expected_version=inv.version,
        data=investigations.InvestigationInput(
            mapping_individual="Läser långsamt.",
            mapping_group="Stor grupp.",
            mapping_school="Få speciallärare.",
            assessment="Behöver särskilt stöd i läsning.",
            health_consulted=True,
        ),
    )


def programme_content(
    school: Any, form: str = wf.SupportForm.ORDINARY, responsible: Person | None = None
) -> programmes.ProgrammeInput:
    """A complete programme: needs, plan, responsible persons and one measure of ``form``."""
    responsible = responsible or school.teacher.person
    return programmes.ProgrammeInput(
        needs="Stöd i läsförståelse.",
        follow_up_plan="Varannan vecka.",
        evaluation_date=today() + dt.timedelta(days=90),
        follow_up_responsible_id=school.teacher.person.pk,
        evaluation_responsible_id=school.principal.person.pk,
        pupil_participated=True,
        guardians_participated=True,
        participation_views="Eleven vill ha stöd i mindre grupp.",
        measures=[
            programmes.MeasureInput(
                what="Lästräning",
                how="Enskilt med speciallärare",
                how_much="3 x 20 min/vecka",
                responsible_id=responsible.pk,
                support_form=form,
            )
        ],
    )


def draft_programme(school: Any, form: str = wf.SupportForm.ORDINARY) -> ActionProgramme:
    """A complete, undecided programme concluded from a completed investigation."""
    inv = completed_investigation(school)
    programme = investigations.investigation_conclude_with_programme(
        actor=school.principal, investigation_id=inv.pk, expected_version=inv.version
    )
    return programmes.programme_update(
        actor=school.teacher,
        programme_id=programme.pk,
        expected_version=programme.version,
        data=programme_content(school, form),
    )


def decided_programme(
    school: Any, actor: Any = None, form: str = wf.SupportForm.ORDINARY
) -> ActionProgramme:
    """A programme decided by ``actor`` (the principal unless told)."""
    programme = draft_programme(school, form)
    return programmes.programme_decide(
        actor=actor or school.principal,
        programme_id=programme.pk,
        expected_version=programme.version,
        reasons="Utredningen visar behov.",
        decided_on=today(),
    )


def notified_decision(school: Any, notified_on: dt.date) -> tuple[Decision, Person]:
    """The decision on a programme, of which the guardian was notified on ``notified_on``."""
    decision = decided_programme(school).decisions.get()
    guardian = school.guardian.person
    decision_notify_party(
        actor=school.principal,
        decision=decision,
        party=guardian,
        notified_on=notified_on,
        method=PartyNotification.Method.IN_PERSON,
    )
    return decision, guardian


# --- pages (through Django's test client) --------------------------------------------------------


def page(client: Any, url: str, **params: Any) -> str:
    """The body of a page that answers 200."""
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return str(response.content.decode())


def pupil_url(person: Person) -> str:
    return reverse("organisation:pupil_detail", args=[person.pk])


def family_url(person: Person) -> str:
    return reverse("organisation:family_pupil", args=[person.pk])


def group_url(group: Any) -> str:
    return reverse("organisation:group_detail", args=[group.pk])


def unit_url(unit: Any) -> str:
    return reverse("organisation:unit_detail", args=[unit.pk])

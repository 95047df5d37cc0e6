"""What the authorization matrix of the pages (``test_authorization_matrix.py``) and of the REST
API (``test_authorization_matrix_api.py``) share: the groups of roles, the objects of the cast
the URLs point at, and how an answer is judged; and the reasons of a user of the cast for a
pupil, which the access tests (``test_access.py``, ``test_access_table.py``) read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver
from django.utils import timezone

from elevstod.conversations.services import booking, plans, talks
from elevstod.core.timeutil import today
from elevstod.organisation.access import pupil_grant, pupils_visible_to
from elevstod.support.models import PartyNotification
from elevstod.support.services import adaptations, appeals, delegation, investigations, programmes
from elevstod.support.services.decisions import decision_notify_party
from elevstod.support.workflow import DecisionKind
from tests.builders import adaptation_input
from tests.conftest import PUPILS, USERS

A1_STAFF = {"teacher", "mentor", "colleague", "principal", "health", "admin", "former_teacher"}
SUPPORT = {"teacher", "mentor", "principal", "health"}
STAFF = A1_STAFF | {"other_unit_teacher", "other_unit_principal", "foreign_principal"}
EVERYONE = set(USERS)
TALKS = {"teacher", "mentor", "guardian", "pupil_user"}

# Arguments of a URL beside the object's id.
EXTRA_KWARGS: dict[str, dict[str, str]] = {"overviews:todo_list": {"kind": "anmalningar"}}


def walk(patterns: list, namespace: str | None = None) -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def cast_objects(cast):
    """One object of each kind the URLs point at, about the cast's pupil, made with the real
    services."""
    adaptation = adaptations.adaptation_create(
        actor=cast.teacher,
        pupil=cast.pupil,
        data=adaptation_input(cast.teacher.person, next_follow_up=None),
    )
    referral = investigations.referral_submit(
        actor=cast.teacher, pupil=cast.pupil, tried="x", why="y"
    )
    inv = investigations.investigation_start(
        actor=cast.principal,
        pupil=cast.pupil,
        investigator_ids=[],
        planned_decision_date=None,
        referral=referral,
    )
    inv = investigations.investigation_update(
        actor=cast.principal,
        investigation_id=inv.pk,
        expected_version=inv.version,
        data=investigations.InvestigationInput(
            mapping_individual="x", assessment="y", health_consulted=True
        ),
    )
    programme = investigations.investigation_conclude_with_programme(
        actor=cast.principal, investigation_id=inv.pk, expected_version=inv.version
    )
    programme = programmes.programme_update(
        actor=cast.principal,
        programme_id=programme.pk,
        expected_version=programme.version,
        data=programmes.ProgrammeInput(
            needs="Behov",
            follow_up_plan="Varje vecka",
            follow_up_responsible_id=cast.teacher.person.pk,
            evaluation_responsible_id=cast.principal.person.pk,
            evaluation_date=today() + dt.timedelta(days=30),
            measures=[programmes.MeasureInput(what="Stöd", responsible_id=cast.teacher.person.pk)],
        ),
    )
    programme = programmes.programme_decide(
        actor=cast.principal,
        programme_id=programme.pk,
        expected_version=programme.version,
        reasons="Behov finns.",
        decided_on=today(),
    )
    decision = programme.decisions.get()
    decision_notify_party(
        actor=cast.principal,
        decision=decision,
        party=cast.guardian.person,
        notified_on=today(),
        method=PartyNotification.Method.IN_PERSON,
    )
    # Online first: a party who has appealed is refused another online appeal.
    online = appeals.appeal_lodge(
        actor=cast.guardian,
        decision_id=decision.pk,
        change_requested="Mer stöd",
        grounds="Behovet är större.",
        attachments=[("intyg.pdf", b"%PDF-1.7 intyg")],
    )
    appeal = appeals.appeal_register(
        actor=cast.principal,
        decision_id=decision.pk,
        appellant_id=cast.guardian.person.pk,
        received_on=today(),
    )
    grant = delegation.delegation_grant(
        actor=cast.principal,
        unit=cast.unit_a1,
        delegate=cast.teacher.person,
        kind=DecisionKind.NO_PROGRAMME,
        valid_from=today(),
    )
    talk = talks.talk_plan(
        actor=cast.mentor,
        pupil=cast.pupil,
        data=talks.TalkInput(
            starts_at=timezone.now() + dt.timedelta(days=2),
            duration_minutes=30,
            place="Sal 12",
            participant_ids=[cast.pupil.pk],
            other_participants="",
        ),
    )
    (slot,) = booking.slots_offer(
        actor=cast.mentor,
        group=cast.class_5a,
        day=today() + dt.timedelta(days=3),
        first=dt.time(13),
        count=1,
        minutes=20,
        place="Sal 12",
    )
    plan = plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
    plan = plans.plan_update(
        actor=cast.mentor,
        plan_id=plan.pk,
        data=plans.PlanInput(pupil_will="Läsa.", guardians_will="", school_efforts="Lästräning."),
    )
    plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    return {
        "grant": grant,
        "attachment": online.attachments.get(),
        "talk": talk,
        "slot": slot,
        "plan": plan,
        "pupil": cast.pupil,
        "class_5a": cast.class_5a,
        "unit_a1": cast.unit_a1,
        "organiser_a": cast.organiser_a,
        "adaptation": adaptation,
        "referral": referral,
        "investigation": inv,
        "programme": programme,
        "decision": decision,
        "appeal": appeal,
    }


def url_of(name: str, target: object | None) -> str:
    if target is None:
        return reverse(name)
    pattern = dict(walk(get_resolver().url_patterns))[name]
    kwarg = next(iter(pattern.pattern.converters))
    kwargs = {kwarg: target.pk, **EXTRA_KWARGS.get(name, {})}  # type: ignore[attr-defined]
    return reverse(name, kwargs=kwargs)


def assert_answer(client, url: str, allowed: bool, secret: str, post: dict | None = None) -> None:
    response = client.get(url) if post is None else client.post(url, post)
    if allowed:
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/"), url
            assert "/konto/logga-in/" not in response["Location"], url
    else:
        assert response.status_code in (403, 404), (url, response.status_code)
        assert secret not in response.content.decode(), url


# --- the reasons of a user of the cast (organisation.access) --------------------------------


def reasons(cast, user: str, pupil: str) -> set[str]:
    return set(pupil_grant(cast.user(user), cast.pupil_named(pupil)).reasons)


def visible(cast, user: str, **kw) -> set[str]:
    """The cast names of the pupils in ``pupils_visible_to(user)``."""
    ids = set(pupils_visible_to(cast.user(user), **kw).values_list("pk", flat=True))
    return {name for name in PUPILS if cast.pupil_named(name).pk in ids}

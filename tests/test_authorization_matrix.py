"""The authorization matrix: every URL of the application, every role of the standing cast.

The list of URLs comes from the URL configuration, so a new page fails this test until it is
given its expected answers here. "Allowed" means the page answers (200, or a redirect within
the app); "refused" means the same 404 (or 403) a missing object gets, with nothing of the
pupil in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver
from django.utils import timezone

import pytest

from elevstod.conversations.services import plans, talks
from elevstod.core.timeutil import today
from elevstod.support.models import PartyNotification
from elevstod.support.services import adaptations, appeals, investigations, programmes
from elevstod.support.services.decisions import decision_notify_party
from tests.builders import adaptation_input

from .conftest import USERS

pytestmark = pytest.mark.django_db

A1_STAFF = {"teacher", "mentor", "colleague", "principal", "health", "admin", "former_teacher"}
SUPPORT = {"teacher", "mentor", "principal", "health"}
STAFF = A1_STAFF | {"other_unit_teacher", "other_unit_principal", "foreign_principal"}
EVERYONE = set(USERS)
TALKS = {"teacher", "mentor", "guardian", "pupil_user"}

# Pages that answer without login or only to POST: not part of the matrix.
PUBLIC = {
    "core:healthz",
    "accounts:login",
    "accounts:saml_metadata",
    "accounts:saml_login",
    "accounts:saml_acs",
    "accounts:saml_complete",
    "set_language",
}
POST_ONLY = {
    "accounts:logout",
    "notifications:mark_read",
    "accounts:factor_remove",
    "accounts:backup_codes",
    "accounts:webauthn_register_begin",
    "accounts:webauthn_register_complete",
    "accounts:webauthn_verify_begin",
    "accounts:webauthn_verify_complete",
}

# url name -> (the object its arguments point at, who may open it)
MATRIX: dict[str, tuple[str, set[str]]] = {
    "home:start": ("", EVERYONE),
    "accounts:step_up": ("", EVERYONE),
    "accounts:security": ("", EVERYONE),
    "accounts:sms_enrol": ("", EVERYONE),
    "accounts:totp_enrol": ("", EVERYONE),
    "accounts:webauthn_enrol": ("", EVERYONE),
    "accounts:staff_factors": ("", {"admin"}),
    "organisation:pupil_search": ("", STAFF),
    "organisation:pupil_detail": ("pupil", {"teacher", "mentor", "principal", "health", "admin"}),
    "organisation:family_pupil": ("pupil", {"guardian", "pupil_user"}),
    "organisation:group_detail": ("class_5a", A1_STAFF),
    "organisation:unit_detail": ("unit_a1", A1_STAFF),
    "support:adaptation_new": ("pupil", SUPPORT),
    "support:adaptation_detail": ("adaptation", SUPPORT),
    "support:adaptation_edit": ("adaptation", SUPPORT),
    "support:adaptation_follow_up": ("adaptation", SUPPORT),
    "support:adaptation_evaluate": ("adaptation", SUPPORT),
    "support:adaptation_end": ("adaptation", SUPPORT),
    "support:unit_overview": ("unit_a1", A1_STAFF),
    "support:group_overview": ("class_5a", A1_STAFF),
    "support:library": ("unit_a1", A1_STAFF),
    "support:referral_new": ("pupil", SUPPORT),
    "support:referral_detail": ("referral", {"teacher", "principal", "health"}),
    "support:investigation_new": ("pupil", {"principal"}),
    "support:investigation_detail": ("investigation", {"principal", "health"}),
    "support:programme_detail": ("programme", SUPPORT),
    "support:programme_edit": ("programme", SUPPORT),
    # Support staff who may not take the step are sent back to the programme with a message.
    "support:programme_renew": ("programme", SUPPORT),
    "support:programme_discard": ("programme", SUPPORT),
    "support:programme_support_form_decision": ("programme", SUPPORT),
    "support:decision_detail": ("decision", SUPPORT),
    "support:appeal_detail": ("appeal", SUPPORT),
    "support:delegation_order": ("unit_a1", A1_STAFF),
    "support:unit_special_support": ("unit_a1", A1_STAFF),
    "notifications:inbox": ("", EVERYONE),
    "notifications:preferences": ("", EVERYONE),
    "notifications:failed_deliveries": ("", {"admin"}),
    "audit:log": ("", {"principal", "other_unit_principal", "foreign_principal"}),  # own scope
    "audit:chain": ("", set()),
    "audit:disposal": ("", set()),
    "audit:register_extract": ("pupil", {"principal"}),
    # The development talk and plan: the pupil, the guardians, the pupil's teachers, the mentor.
    "conversations:pupil_talks": ("pupil", TALKS),
    "conversations:talk_plan": ("pupil", {"mentor"}),
    "conversations:talk_book": ("pupil", {"guardian"}),
    "conversations:talk_cancel": ("pupil", {"guardian"}),
    "conversations:plan_start": ("pupil", {"mentor"}),
    "conversations:talk_detail": ("talk", TALKS),
    "conversations:talk_prepare": ("talk", {"guardian", "pupil_user"}),
    "conversations:talk_record": ("talk", {"mentor"}),
    "conversations:group_times": ("class_5a", {"mentor"}),
    "conversations:unit_overview": ("unit_a1", {"principal", "mentor"}),
    "conversations:unit_questions": ("unit_a1", {"principal"}),
    "conversations:plan_detail": ("plan", TALKS),
    "conversations:plan_edit": ("plan", {"mentor"}),
    "conversations:plan_subject": ("plan", {"teacher", "mentor"}),
    "conversations:plan_snapshot": ("plan", {"mentor"}),
    "conversations:plan_fix": ("plan", {"mentor"}),
    "conversations:adaptation_plan": ("adaptation", {"teacher", "mentor"}),
}

# The same pages about the other pupils of the cast: who may open a pupil's page.
PUPIL_PAGE = {
    "other_pupil": {"colleague", "principal", "health", "admin"},
    "far_pupil": {"other_unit_teacher", "other_unit_principal"},
    "foreign_pupil": {"foreign_principal"},
    "protected_pupil": {"mentor", "principal", "health"},
    "former_pupil": set(),
}


def _walk(patterns: list, namespace: str | None = None) -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


def test_every_url_of_the_app_has_its_expected_answers():
    names = {name for name, _ in _walk(get_resolver().url_patterns)}
    missing = names - set(MATRIX) - PUBLIC - POST_ONLY
    assert missing == set(), "give these pages their expected answers in MATRIX"
    assert set(MATRIX) <= names, "MATRIX names a page that no longer exists"


@pytest.fixture
def objects(cast):
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
    appeal = appeals.appeal_register(
        actor=cast.principal,
        decision_id=decision.pk,
        appellant_id=cast.guardian.person.pk,
        received_on=today(),
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
    plan = plans.plan_start(actor=cast.mentor, pupil=cast.pupil)
    plan = plans.plan_update(
        actor=cast.mentor,
        plan_id=plan.pk,
        data=plans.PlanInput(pupil_will="Läsa.", guardians_will="", school_efforts="Lästräning."),
    )
    plans.plan_fix(actor=cast.mentor, plan_id=plan.pk)
    return {
        "talk": talk,
        "plan": plan,
        "pupil": cast.pupil,
        "class_5a": cast.class_5a,
        "unit_a1": cast.unit_a1,
        "adaptation": adaptation,
        "referral": referral,
        "investigation": inv,
        "programme": programme,
        "decision": decision,
        "appeal": appeal,
    }


def _url(name: str, target: object | None) -> str:
    if target is None:
        return reverse(name)
    pattern = dict(_walk(get_resolver().url_patterns))[name]
    kwarg = next(iter(pattern.pattern.converters))
    return reverse(name, kwargs={kwarg: target.pk})  # type: ignore[attr-defined]


def _assert_answer(client, url: str, allowed: bool, secret: str) -> None:
    response = client.get(url)
    if allowed:
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/"), url
            assert "/konto/logga-in/" not in response["Location"], url
    else:
        assert response.status_code in (403, 404), (url, response.status_code)
        assert secret not in response.content.decode(), url


@pytest.mark.parametrize("user", USERS)
def test_each_role_gets_exactly_the_pages_it_should(client, cast, objects, user):
    client.force_login(cast.user(user))
    for name, (target, allowed) in MATRIX.items():
        url = _url(name, objects[target] if target else None)
        _assert_answer(client, url, user in allowed, cast.pupil.civic_number or "")


@pytest.mark.parametrize("user", USERS)
def test_each_role_sees_only_the_pupils_it_should(client, cast, user):
    client.force_login(cast.user(user))
    for pupil_name, allowed in PUPIL_PAGE.items():
        pupil = cast.pupil_named(pupil_name)
        url = reverse("organisation:pupil_detail", args=[pupil.pk])
        _assert_answer(client, url, user in allowed, pupil.civic_number or "")


def test_anonymous_users_get_nothing_but_the_login(client, objects):
    for name, (target, _allowed) in MATRIX.items():
        url = _url(name, objects[target] if target else None)
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/konto/logga-in/" in response["Location"], url


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_pages_refuse_a_get(client, cast, name):
    client.force_login(cast.principal)
    assert client.get(reverse(name)).status_code in (405, 404)

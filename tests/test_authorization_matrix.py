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

from elevstod.conversations.services import booking, plans, talks
from elevstod.core.timeutil import today
from elevstod.support.models import PartyNotification
from elevstod.support.services import adaptations, appeals, delegation, investigations, programmes
from elevstod.support.services.decisions import decision_notify_party
from elevstod.support.workflow import DecisionKind
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
    "core:readyz",
    "core:metrics",  # behind a token, not a login (tests/test_health_and_metrics.py)
    "accounts:login",
    "accounts:saml_metadata",
    "accounts:saml_login",
    "accounts:saml_acs",
    "accounts:saml_complete",
    "set_language",
    "api:schema",
    "api:reference",
    "api:token",  # the client-credentials grant: a client's secret, no login (tests/api)
}
POST_ONLY = {
    "accounts:logout",
    "accounts:step_up_send",
    "notifications:mark_read",
    "accounts:factor_remove",
    "accounts:backup_codes",
    "accounts:webauthn_register_begin",
    "accounts:webauthn_register_complete",
    "accounts:webauthn_verify_begin",
    "accounts:webauthn_verify_complete",
    "accounts:token_create",
    "integrations:client_create",
    "integrations:client_revoke",
    "accounts:token_revoke",
    "imports:sync_now",
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
    "support:appeal_attachment": ("attachment", SUPPORT),
    # The family's pages of decisions: the parties only (a guardian with custody; the cast's
    # pupil is under 16). Confirming a decision already received leads back to it.
    "family:decision": ("decision", {"guardian"}),
    "family:decision_acknowledge": ("decision", {"guardian"}),
    "family:appeal_new": ("decision", {"guardian"}),
    "family:appeal": ("appeal", {"guardian"}),
    "family:appeal_attachment": ("attachment", {"guardian"}),
    "support:delegation_order": ("unit_a1", A1_STAFF),
    "support:unit_special_support": ("unit_a1", A1_STAFF),
    # The documents: exactly those who may read the page each comes from.
    "documents:programme_pdf": ("programme", SUPPORT),
    "documents:decision_pdf": ("decision", SUPPORT),
    "documents:investigation_pdf": ("investigation", {"principal", "health"}),
    "documents:history_pdf": ("pupil", SUPPORT),
    # The family's copy: the parties only (the guardian; the cast's pupil is under 16).
    "family_documents:decision_pdf": ("decision", {"guardian"}),
    # The written development plan, like its page: the pupil, the guardians, teachers, mentor.
    "plan_documents:plan_pdf": ("plan", TALKS),
    "notifications:inbox": ("", EVERYONE),
    "notifications:preferences": ("", EVERYONE),
    "notifications:failed_deliveries": ("", {"admin"}),
    "audit:log": ("", {"principal", "other_unit_principal", "foreign_principal"}),  # own scope
    "audit:chain": ("", set()),
    "audit:disposal": ("", set()),
    "audit:register_extract": ("pupil", {"principal"}),
    "overviews:todo_list": ("unit_a1", {"principal"}),
    "overviews:unit_statistics": ("unit_a1", {"principal", "health"}),
    "overviews:unit_official": ("unit_a1", {"principal", "health"}),
    "overviews:organiser_statistics": ("organiser_a", {"analyst"}),
    "overviews:organiser_official": ("organiser_a", {"analyst"}),
    # the organiser's administrators only (a source or none: the page lists their own)
    "imports:sources": ("", {"admin"}),
    "integrations:clients": ("", {"admin"}),
    "imports:progress": ("", {"admin"}),
    "imports:people": ("", {"admin"}),
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
    "conversations:slot_withdraw": ("slot", {"mentor"}),
    "conversations:unit_overview": ("unit_a1", {"principal", "mentor"}),
    "conversations:unit_questions": ("unit_a1", {"principal"}),
    "conversations:plan_detail": ("plan", TALKS),
    "conversations:plan_edit": ("plan", {"mentor"}),
    "conversations:plan_subject": ("plan", {"teacher", "mentor"}),
    "conversations:plan_snapshot": ("plan", {"mentor"}),
    "conversations:plan_fix": ("plan", {"mentor"}),
    "conversations:adaptation_plan": ("adaptation", {"teacher", "mentor"}),
}
# Arguments of a URL beside the object's id.
EXTRA_KWARGS: dict[str, dict[str, str]] = {"overviews:todo_list": {"kind": "anmalningar"}}

# The steps of the pages, one POST view each: url name -> (the object, who may post to it).
# "Allowed" means the step answers (the page again with the form's errors, or back to the page
# with the service's answer); whether the service then lets the user take the step is its own
# rule (tests/support/test_steps.py). Refused users get the same 404 as a missing object.
INVESTIGATORS = {"principal", "health"}
STEPS: dict[str, tuple[str, set[str]]] = {
    "support:investigation_save": ("investigation", INVESTIGATORS),
    "support:investigation_invite": ("investigation", INVESTIGATORS),
    "support:investigation_conclude_with_programme": ("investigation", INVESTIGATORS),
    "support:investigation_conclude_without_programme": ("investigation", INVESTIGATORS),
    "support:programme_submit": ("programme", SUPPORT),
    "support:programme_return": ("programme", SUPPORT),
    "support:programme_decide": ("programme", SUPPORT),
    "support:programme_follow_up": ("programme", SUPPORT),
    "support:programme_evaluate": ("programme", SUPPORT),
    "support:programme_close": ("programme", SUPPORT),
    "support:decision_notify": ("decision", SUPPORT),
    "support:decision_appeal": ("decision", SUPPORT),
    "support:appeal_dismiss": ("appeal", SUPPORT),
    "support:appeal_reconsider": ("appeal", SUPPORT),
    "support:appeal_forward": ("appeal", SUPPORT),
    "support:appeal_ruling": ("appeal", SUPPORT),
    "support:delegation_add": ("unit_a1", {"principal"}),
    "support:delegation_revoke": ("unit_a1", {"principal"}),
    "audit:disposal_rule": ("", set()),
    "audit:disposal_dry_run": ("", set()),
    "audit:disposal_confirm": ("", set()),
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


# The REST API (a personal access token of each role): what a GET answers (200, or 404), and
# which routes take writes (a write with an empty body: 400 when the object is the caller's to
# work with, else the same 404).
API_READS: dict[str, tuple[str, set[str]]] = {
    "api:pupil_list": ("", EVERYONE),  # the list is scoped: see the test of who is in it
    "api:pupil_detail": ("pupil", {"teacher", "mentor", "principal", "health", "admin"}),
    "api:pupil_adaptations": ("pupil", SUPPORT),
    "api:pupil_referrals": ("pupil", SUPPORT),
    "api:pupil_investigations": ("pupil", SUPPORT),
    "api:pupil_programmes": ("pupil", SUPPORT),
    "api:pupil_decisions": ("pupil", SUPPORT),
    "api:adaptation": ("adaptation", SUPPORT),
    "api:referral": ("referral", {"teacher", "principal", "health"}),
    "api:investigation": ("investigation", {"principal", "health"}),
    "api:programme": ("programme", SUPPORT),
    "api:decision": ("decision", SUPPORT),
    "api:appeal": ("appeal", SUPPORT),
    # the statistics: exactly who opens the statistics pages
    "api:unit_statistics": ("unit_a1", {"principal", "health"}),
    "api:organiser_statistics": ("organiser_a", {"analyst"}),
}
API_WRITES: dict[str, tuple[str, str, set[str]]] = {
    "api:pupil_adaptations": ("post", "pupil", SUPPORT),
    "api:pupil_referrals": ("post", "pupil", SUPPORT),
    "api:adaptation": ("put", "adaptation", SUPPORT),
    "api:adaptation_follow_up": ("post", "adaptation", SUPPORT),
    "api:adaptation_evaluate": ("post", "adaptation", SUPPORT),
    "api:programme_follow_up": ("post", "programme", SUPPORT),
    "api:decision_notification": ("post", "decision", SUPPORT),
}
# Who finds the cast's pupil in the pupil list of the API (as in the search).
API_PUPIL_LIST = {"teacher", "mentor", "principal", "health", "admin"}


def test_every_url_of_the_app_has_its_expected_answers():
    names = {name for name, _ in _walk(get_resolver().url_patterns)}
    missing = (
        names - set(MATRIX) - set(STEPS) - PUBLIC - POST_ONLY - set(API_READS) - set(API_WRITES)
    )
    assert missing == set(), "give these pages their expected answers in MATRIX or STEPS"
    assert set(MATRIX) | set(STEPS) <= names, "MATRIX or STEPS names a page that no longer exists"
    assert set(API_READS) | set(API_WRITES) <= names, "the API matrix names no route"


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


def _url(name: str, target: object | None) -> str:
    if target is None:
        return reverse(name)
    pattern = dict(_walk(get_resolver().url_patterns))[name]
    kwarg = next(iter(pattern.pattern.converters))
    kwargs = {kwarg: target.pk, **EXTRA_KWARGS.get(name, {})}  # type: ignore[attr-defined]
    return reverse(name, kwargs=kwargs)


def _assert_answer(client, url: str, allowed: bool, secret: str, post: dict | None = None) -> None:
    response = client.get(url) if post is None else client.post(url, post)
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
def test_each_role_may_post_to_exactly_the_steps_it_should(client, cast, objects, user):
    client.force_login(cast.user(user))
    body = {"grant": objects["grant"].pk}  # the rest empty: the forms say what is missing
    for name, (target, allowed) in STEPS.items():
        url = _url(name, objects[target] if target else None)
        _assert_answer(client, url, user in allowed, cast.pupil.civic_number or "", post=body)


def test_a_step_answers_only_a_post(client, cast, objects):
    client.force_login(cast.principal)
    for name, (target, _allowed) in STEPS.items():
        url = _url(name, objects[target] if target else None)
        assert client.get(url).status_code == 405, url


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
    for name, (target, _allowed) in STEPS.items():
        response = client.post(_url(name, objects[target] if target else None))
        assert response.status_code == 302, name
        assert "/konto/logga-in/" in response["Location"], name


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_pages_refuse_a_get(client, cast, name):
    client.force_login(cast.principal)
    assert client.get(reverse(name)).status_code in (405, 404)


def _api_client(user):
    """A token of ``user`` made directly (the service refuses roles without a duty): whatever
    the token, the API answers with the user's own rights."""
    from rest_framework.test import APIClient

    from elevstod.accounts.models import PersonalAccessToken
    from elevstod.accounts.tokens import token_digest

    token = f"elv_matrix_{user.pk}"
    PersonalAccessToken.objects.create(
        user=user,
        name="matrix",
        prefix=token[:10],
        digest=token_digest(token),
        scopes=["read", "write"],
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.mark.parametrize("user", USERS)
def test_each_role_gets_exactly_the_api_answers_it_should(cast, objects, user):
    client = _api_client(cast.user(user))
    secret = cast.pupil.civic_number or ""
    for name, (target, allowed) in API_READS.items():
        url = _url(name, objects[target] if target else None)
        answer = client.get(url)
        expected = 200 if user in allowed else 404
        assert answer.status_code == expected, (url, answer.status_code)
        if user not in allowed:
            assert secret not in answer.content.decode(), url
    for name, (method, target, allowed) in API_WRITES.items():
        url = _url(name, objects[target])
        answer = getattr(client, method)(url, {}, format="json")
        expected = 400 if user in allowed else 404
        assert answer.status_code == expected, (method, url, answer.status_code)
    listed = client.get(reverse("api:pupil_list")).content.decode()
    assert (secret in listed) == (user in API_PUPIL_LIST)


def test_anonymous_callers_of_the_api_are_asked_for_a_token(client, objects):
    for name, (target, _allowed) in API_READS.items():
        answer = client.get(_url(name, objects[target] if target else None))
        assert answer.status_code == 401, name
        assert answer["WWW-Authenticate"].startswith("Bearer"), name

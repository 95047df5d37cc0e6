"""The authorization matrix: every URL of the application, every role of the standing cast.

The list of URLs comes from the URL configuration, so a new page fails this test until it is
given its expected answers here. "Allowed" means the page answers (200, or a redirect within
the app); "refused" means the same 404 (or 403) a missing object gets, with nothing of the
pupil in it."""

from __future__ import annotations

from django.urls import get_resolver, reverse

import pytest

from .authorization import (
    A1_STAFF,
    EVERYONE,
    STAFF,
    SUPPORT,
    TALKS,
    assert_answer,
    cast_objects,
    url_of,
    walk,
)
from .conftest import USERS
from .test_authorization_matrix_api import API_READS, API_WRITES

pytestmark = pytest.mark.django_db

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
    "support:library_add": ("unit_a1", {"principal"}),
    "support:library_remove": ("unit_a1", {"principal"}),
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


def test_every_url_of_the_app_has_its_expected_answers():
    names = {name for name, _ in walk(get_resolver().url_patterns)}
    missing = (
        names - set(MATRIX) - set(STEPS) - PUBLIC - POST_ONLY - set(API_READS) - set(API_WRITES)
    )
    assert missing == set(), "give these pages their expected answers in MATRIX or STEPS"
    assert set(MATRIX) | set(STEPS) <= names, "MATRIX or STEPS names a page that no longer exists"
    assert set(API_READS) | set(API_WRITES) <= names, "the API matrix names no route"


@pytest.fixture
def objects(cast):
    return cast_objects(cast)


@pytest.mark.parametrize("user", USERS)
def test_each_role_gets_exactly_the_pages_it_should(client, cast, objects, user):
    client.force_login(cast.user(user))
    for name, (target, allowed) in MATRIX.items():
        url = url_of(name, objects[target] if target else None)
        assert_answer(client, url, user in allowed, cast.pupil.civic_number or "")


@pytest.mark.parametrize("user", USERS)
def test_each_role_may_post_to_exactly_the_steps_it_should(client, cast, objects, user):
    client.force_login(cast.user(user))
    body = {"grant": objects["grant"].pk}  # the rest empty: the forms say what is missing
    for name, (target, allowed) in STEPS.items():
        url = url_of(name, objects[target] if target else None)
        assert_answer(client, url, user in allowed, cast.pupil.civic_number or "", post=body)


def test_a_step_answers_only_a_post(client, cast, objects):
    client.force_login(cast.principal)
    for name, (target, _allowed) in STEPS.items():
        url = url_of(name, objects[target] if target else None)
        assert client.get(url).status_code == 405, url


@pytest.mark.parametrize("user", USERS)
def test_each_role_sees_only_the_pupils_it_should(client, cast, user):
    client.force_login(cast.user(user))
    for pupil_name, allowed in PUPIL_PAGE.items():
        pupil = cast.pupil_named(pupil_name)
        url = reverse("organisation:pupil_detail", args=[pupil.pk])
        assert_answer(client, url, user in allowed, pupil.civic_number or "")


def test_anonymous_users_get_nothing_but_the_login(client, objects):
    for name, (target, _allowed) in MATRIX.items():
        url = url_of(name, objects[target] if target else None)
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/konto/logga-in/" in response["Location"], url
    for name, (target, _allowed) in STEPS.items():
        response = client.post(url_of(name, objects[target] if target else None))
        assert response.status_code == 302, name
        assert "/konto/logga-in/" in response["Location"], name


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_pages_refuse_a_get(client, cast, name):
    client.force_login(cast.principal)
    assert client.get(reverse(name)).status_code in (405, 404)

"""Writes through the API: each one service call, one transaction and its audit event, with the
forms' refusals as JSON (a code, Swedish and English, the field); a change carries the version
it started from and a stale one gets 409 with the current version; a repeated request with the
same Idempotency-Key writes once."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

import pytest

from elevstod.audit.models import AuditEvent
from elevstod.core.limits import TEXT_MAX
from elevstod.core.timeutil import today
from elevstod.support.models import ExtraAdaptation, PartyNotification, ProgrammeFollowUp, Referral
from tests.builders import decided_programme, new_adaptation

pytestmark = pytest.mark.django_db


def _body(school, **overrides):
    body = {
        "title": "Förlängd skrivtid",
        "need": "Hinner inte läsa färdigt.",
        "all_subjects": True,
        "start_date": today().isoformat(),
        "responsible": school.teacher.person.pk,
        "next_follow_up": (today() + dt.timedelta(weeks=4)).isoformat(),
    }
    body.update(overrides)
    return body


def _create(school, api, **overrides):
    return api.post(
        reverse("api:pupil_adaptations", args=[school.pupil.pk]), _body(school, **overrides)
    )


def test_a_teacher_writes_an_adaptation_through_the_api(school, api_as):
    answer = _create(school, api_as(school.teacher))
    assert answer.status_code == 201
    adaptation = ExtraAdaptation.objects.get()
    assert answer.json()["id"] == adaptation.pk
    assert adaptation.version == 1
    assert adaptation.created_by == school.teacher
    assert AuditEvent.objects.filter(code="support.adaptation.created").count() == 1


def test_the_same_idempotency_key_twice_writes_once(school, api_as):
    api = api_as(school.teacher)
    url = reverse("api:pupil_adaptations", args=[school.pupil.pk])
    first = api.post(url, _body(school), **{"Idempotency-Key": "abc-1"})
    second = api.post(url, _body(school), **{"Idempotency-Key": "abc-1"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert ExtraAdaptation.objects.count() == 1


def test_a_missing_text_is_refused_with_its_field_in_swedish_and_english(school, api_as):
    answer = _create(school, api_as(school.teacher), need="  ")
    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "invalid"
    assert body["field"] == "need"
    assert body["message"]["sv"].startswith("Skriv")
    assert body["message"]["en"].startswith("Write")
    assert not ExtraAdaptation.objects.exists()


def test_a_text_over_the_limit_is_refused_saying_how_long_it_may_be(school, api_as):
    answer = _create(school, api_as(school.teacher), need="x" * (TEXT_MAX + 1))
    assert answer.status_code == 400
    body = answer.json()
    assert body["field"] == "need"
    assert "10000" in body["message"]["en"].replace(",", "").replace("\xa0", "")
    assert body["message"]["sv"] != body["message"]["en"]


def test_a_value_of_the_wrong_type_is_a_400_not_a_500(school, api_as):
    answer = _create(school, api_as(school.teacher), start_date="i morgon", responsible="x")
    assert answer.status_code == 400
    body = answer.json()
    assert body["field"] in {"start_date", "responsible"}
    assert body["message"]["sv"] != body["message"]["en"]


def test_a_body_that_is_not_json_is_a_clear_400(school, api_as):
    api = api_as(school.teacher)
    url = reverse("api:pupil_adaptations", args=[school.pupil.pk])
    answer = api.client.post(url, "inte json", content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["message"]["sv"] == "Anropet är inte giltig JSON."


def test_a_colleague_who_does_not_teach_the_pupil_cannot_write(school, api_as):
    answer = _create(school, api_as(school.colleague))
    assert answer.status_code == 404
    assert not ExtraAdaptation.objects.exists()


def test_a_change_from_the_current_version_is_saved(school, api_as):
    adaptation = new_adaptation(school)
    api = api_as(school.teacher)
    url = reverse("api:adaptation", args=[adaptation.pk])
    answer = api.put(url, _body(school, title="Kortare texter", version=1))
    assert answer.status_code == 200
    assert answer.json()["version"] == 2
    assert answer.json()["title"] == "Kortare texter"


def test_a_change_from_a_stale_version_gets_409_with_the_current_version(school, api_as):
    adaptation = new_adaptation(school)
    api = api_as(school.teacher)
    url = reverse("api:adaptation", args=[adaptation.pk])
    api.put(url, _body(school, title="Först", version=1))
    stale = api.put(url, _body(school, title="Sen", version=1))
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "stale"
    assert body["current"]["version"] == 2
    assert body["current"]["title"] == "Först"
    assert ExtraAdaptation.objects.get().title == "Först"


def test_an_adaptation_is_followed_up_and_evaluated_and_reported_to_the_principal(school, api_as):
    adaptation = new_adaptation(school)
    api = api_as(school.teacher)
    follow = api.post(
        reverse("api:adaptation_follow_up", args=[adaptation.pk]),
        {"date": today().isoformat(), "observation": "Bättre.", "effect": "PARTLY"},
    )
    assert follow.status_code == 201
    evaluate = api.post(
        reverse("api:adaptation_evaluate", args=[adaptation.pk]),
        {
            "date": today().isoformat(),
            "outcome": "Räcker inte.",
            "effect": "NO_EFFECT",
            "next_step": "REPORT",
        },
    )
    assert evaluate.status_code == 201
    assert Referral.objects.filter(pupil=school.pupil).count() == 1
    codes = set(AuditEvent.objects.values_list("code", flat=True))
    assert {"support.adaptation.followed_up", "support.adaptation.evaluated"} <= codes


def test_an_ended_adaptation_cannot_be_followed_up(school, api_as):
    adaptation = new_adaptation(school)
    api = api_as(school.teacher)
    api.post(
        reverse("api:adaptation_evaluate", args=[adaptation.pk]),
        {"date": today().isoformat(), "outcome": "Klart.", "effect": "WORKS", "next_step": "END"},
    )
    answer = api.post(
        reverse("api:adaptation_follow_up", args=[adaptation.pk]),
        {"date": today().isoformat(), "observation": "x", "effect": "WORKS"},
    )
    assert answer.status_code == 422
    assert set(answer.json()["message"]) == {"sv", "en"}


def test_a_teacher_reports_to_the_principal(school, api_as):
    answer = api_as(school.teacher).post(
        reverse("api:pupil_referrals", args=[school.pupil.pk]),
        {"tried": "Förlängd tid.", "why": "Räcker inte."},
    )
    assert answer.status_code == 201
    assert Referral.objects.get().reported_by == school.teacher


def test_a_programme_is_followed_up(school, api_as):
    programme = decided_programme(school)
    answer = api_as(school.teacher).post(
        reverse("api:programme_follow_up", args=[programme.pk]),
        {"date": today().isoformat(), "text": "Går framåt."},
    )
    assert answer.status_code == 201, answer.json()
    assert ProgrammeFollowUp.objects.filter(programme=programme).count() == 1


def test_a_partys_notification_is_recorded_and_starts_the_appeal_period(school, api_as):
    decision = decided_programme(school).decisions.get()
    api = api_as(school.principal)
    url = reverse("api:decision_notification", args=[decision.pk])
    answer = api.post(
        url,
        {
            "party": school.guardian.person.pk,
            "notified_on": today().isoformat(),
            "method": "LETTER",
        },
    )
    assert answer.status_code == 201
    (party,) = [p for p in answer.json()["parties"] if p["id"] == school.guardian.person.pk]
    assert party["notified_on"] == today().isoformat()
    assert party["appeal_last_day"]
    assert PartyNotification.objects.count() == 1
    not_a_party = api.post(
        url,
        {"party": school.teacher.person.pk, "notified_on": today().isoformat(), "method": "LETTER"},
    )
    assert not_a_party.status_code == 400
    assert not_a_party.json()["field"] == "party"

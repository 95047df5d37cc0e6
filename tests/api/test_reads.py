"""Reads through the API are scoped exactly as the pages, logged like a page read with the API
client named, paged with a cursor, cached with ETags, filtered by changed-since, and run a
number of SQL queries that does not grow with the data."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.core.timeutil import today
from elevstod.organisation import services as org
from elevstod.organisation.models import Person
from elevstod.support import workflow as wf
from elevstod.support.services import adaptations
from tests.builders import decided_programme, new_adaptation, notified_decision
from tests.factories import civic_number_for

pytestmark = pytest.mark.django_db


def _pupil_adaptations(pupil):
    return reverse("api:pupil_adaptations", args=[pupil.pk])


def _follow_up_and_evaluate(school, adaptation):
    adaptations.adaptation_follow_up(
        actor=school.teacher,
        adaptation_id=adaptation.pk,
        date=today(),
        observation="Hann klart.",
        effect="WORKS",
        next_follow_up=adaptation.next_follow_up,
    )
    adaptations.adaptation_evaluate(
        actor=school.teacher,
        adaptation_id=adaptation.pk,
        date=today(),
        outcome="Fungerar.",
        effect="WORKS",
        next_step="CONTINUE",
        next_follow_up=today() + dt.timedelta(days=30),
    )


def test_a_teacher_reads_a_pupils_adaptations_with_follow_ups_and_evaluations(school, api_as):
    adaptation = new_adaptation(school)
    _follow_up_and_evaluate(school, adaptation)
    answer = api_as(school.teacher).get(_pupil_adaptations(school.pupil))
    assert answer.status_code == 200
    (row,) = answer.json()["results"]
    assert row["title"] == adaptation.title
    assert [f["observation"] for f in row["follow_ups"]] == ["Hann klart."]
    assert [e["next_step"] for e in row["evaluations"]] == ["CONTINUE"]


def test_every_read_of_pupil_data_is_logged_with_the_api_client_named(school, api_as):
    new_adaptation(school)
    api_as(school.teacher).get(_pupil_adaptations(school.pupil))
    entry = AccessLogEntry.objects.filter(purpose="support.adaptation.page").get()
    assert entry.granted
    assert entry.pupil_id == school.pupil.pk
    assert entry.actor_id == school.teacher.pk
    assert entry.path.startswith("API token Testapp (elv_")
    assert _pupil_adaptations(school.pupil) in entry.path


def test_a_refused_read_is_logged_and_answered_like_a_missing_pupil(school, api_as):
    api = api_as(school.colleague)  # teaches no group of the pupil
    refused = api.get(_pupil_adaptations(school.pupil))
    missing = api.get(reverse("api:pupil_adaptations", args=[999_999]))
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert AccessLogEntry.objects.filter(granted=False, pupil_id=school.pupil.pk).exists()


def test_the_pupil_list_searches_by_name_and_personal_identity_number(school, api_as):
    api = api_as(school.principal)
    by_name = api.get(reverse("api:pupil_list"), q="alva").json()["results"]
    assert [p["id"] for p in by_name] == [school.pupil.pk]
    assert by_name[0]["unit"]["name"] == "Ekskolan"
    number = civic_number_for(dt.date(2015, 3, 14), 123)
    Person.objects.filter(pk=school.classmate.pk).update(civic_number=number)
    by_number = api.get(reverse("api:pupil_list"), q=number).json()["results"]
    assert [p["id"] for p in by_number] == [school.classmate.pk]
    assert AccessLogEntry.objects.filter(purpose="organisation.pupil.search").exists()


def test_the_pupil_list_is_paged_with_a_cursor(school, api_as):
    api = api_as(school.principal)
    seen, url = [], reverse("api:pupil_list") + "?page_size=1"
    while url:
        page = api.get(url).json()
        seen += [p["id"] for p in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 3  # Alva, Bo and Cilla at Ekskolan; not Dan


def test_a_protected_pupil_is_listed_only_for_those_who_may_see_them(school, api_as):
    teacher = {
        p["id"] for p in api_as(school.teacher).get(reverse("api:pupil_list")).json()["results"]
    }
    principal = {
        p["id"] for p in api_as(school.principal).get(reverse("api:pupil_list")).json()["results"]
    }
    assert school.protected.pk in principal
    assert school.protected.pk not in teacher


def test_a_single_object_has_an_etag_and_an_unchanged_one_answers_304(school, api_as):
    adaptation = new_adaptation(school)
    api = api_as(school.teacher)
    url = reverse("api:adaptation", args=[adaptation.pk])
    first = api.get(url)
    assert first.status_code == 200
    again = api.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    _follow_up_and_evaluate(school, adaptation)
    changed = api.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_changed_since_gives_only_what_changed_after(school, api_as):
    old = new_adaptation(school, title="Gammal")
    moment = timezone.now()
    api = api_as(school.teacher)
    url = _pupil_adaptations(school.pupil)
    assert api.get(url, changed_since=moment.isoformat()).json()["results"] == []
    _follow_up_and_evaluate(school, old)
    new_adaptation(school, title="Ny")
    titles = {r["title"] for r in api.get(url, changed_since=moment.isoformat()).json()["results"]}
    assert titles == {"Gammal", "Ny"}


def test_a_changed_since_that_is_not_a_moment_is_a_clear_400(school, api_as):
    answer = api_as(school.teacher).get(_pupil_adaptations(school.pupil), changed_since="igår")
    assert answer.status_code == 400
    body = answer.json()
    assert body["field"] == "changed_since"
    assert body["message"]["sv"] != body["message"]["en"]


@pytest.mark.parametrize("offset", ["-23:29", "+23:59", "+14:00"])
def test_a_changed_since_with_any_iso_offset_is_answered(school, api_as, offset):
    # ISO 8601 allows offsets the database refuses; the moment is compared in UTC.
    moment = f"2026-10-17T20:40:46{offset}"
    answer = api_as(school.teacher).get(reverse("api:pupil_list"), changed_since=moment)
    assert answer.status_code == 200


def test_a_changed_since_before_the_first_year_is_a_clear_400(school, api_as):
    moment = "0001-01-01T00:10:00+23:00"
    answer = api_as(school.teacher).get(reverse("api:pupil_list"), changed_since=moment)
    assert answer.status_code == 400
    assert answer.json()["field"] == "changed_since"


def test_investigations_are_shown_only_to_those_who_may_see_them(school, api_as):
    decided_programme(school)
    url = reverse("api:pupil_investigations", args=[school.pupil.pk])
    assert len(api_as(school.principal).get(url).json()) == 1
    assert api_as(school.teacher).get(url).json() == []


def test_decisions_come_with_their_parties_and_appeal_deadlines(school, api_as):
    decision, guardian = notified_decision(school, today())
    url = reverse("api:pupil_decisions", args=[school.pupil.pk])
    (row,) = api_as(school.teacher).get(url).json()
    assert row["id"] == decision.pk
    assert row["appealable"]
    (party,) = [p for p in row["parties"] if p["id"] == guardian.pk]
    assert party["appeal_last_day"] == wf.appeal_last_day(today()).isoformat()
    programmes = api_as(school.teacher).get(reverse("api:pupil_programmes", args=[school.pupil.pk]))
    (programme,) = programmes.json()
    assert programme["measures"]
    assert programme["state"] == decision.programme.state


# What the two reads run, exactly, after the token's first use of the minute (the test
# transaction's savepoint and its release around the access log's row; on PostgreSQL one more,
# the lock that keeps the log's hash chain in order). The pupil list: the token, the rate
# window's update and count, the duties, the page of pupils and their current placements, the
# log's last hash and row. A pupil's adaptations: the token, the rate window, the duties, the
# pupil with the grant, the log, and the adaptations with their subjects, follow-ups and
# evaluations.
API_QUERIES = {"pupil_list": 10, "adaptations": 13}


def _budget(read: str) -> int:
    return API_QUERIES[read] + (connection.vendor == "postgresql")


def _queries(api, url):
    api.get(url)  # the token's first use of the minute opens its rate window and marks it used
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


def test_the_pupil_list_runs_the_same_queries_for_three_pupils_as_for_thirty(school, api_as):
    api = api_as(school.principal)
    url = reverse("api:pupil_list") + "?page_size=100"
    few = _queries(api, url)
    for n in range(27):
        p = org.person_create(actor=None, given_name=f"Extra{n}", family_name="Elev")
        org.placement_start(
            actor=None, pupil=p, unit=school.unit, school_year=5, start_date=today()
        )
    assert _queries(api, url) == few == _budget("pupil_list")


def test_a_pupils_adaptations_run_the_same_queries_for_one_as_for_six(school, api_as):
    api = api_as(school.teacher)
    first = new_adaptation(school)
    _follow_up_and_evaluate(school, first)
    few = _queries(api, _pupil_adaptations(school.pupil))
    for _ in range(5):
        _follow_up_and_evaluate(school, new_adaptation(school))
    assert _queries(api, _pupil_adaptations(school.pupil)) == few == _budget("adaptations")

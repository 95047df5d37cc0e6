"""The statistics through the API: the same figures as the pages, for exactly those who may
open the pages, with the small-number rule for the organiser, and the read logged like
opening the page, with the API client named."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.organisation.models import Person, SchoolUnit
from tests.overviews.conftest import adapt, pupils_at

from .conftest import Api, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_unit(cast):
    """Aspskolan with the support module: the organiser has two units to count."""
    SchoolUnit.objects.filter(pk=cast.unit_a2.pk).update(support_module_enabled=True)
    return cast.unit_a2


def _unit_url(cast) -> str:
    return reverse("api:unit_statistics", args=[cast.unit_a1.pk])


def _organiser_url(cast) -> str:
    return reverse("api:organiser_statistics", args=[cast.organiser_a.pk])


def _table(body, key: str) -> dict[str, list]:
    table = next(t for t in body["tables"] if t["key"] == key)
    rows = {r["name"]: r["cells"] for r in table["rows"]}
    if table["total"]:
        rows["total"] = table["total"]["cells"]
    return rows


def test_the_principal_reads_the_units_exact_counts(cast):
    adapt(cast.principal, [cast.pupil, cast.protected_pupil])
    api = Api(token_for(cast.principal, write=False))

    answer = api.get(_unit_url(cast))

    assert answer.status_code == 200
    body = answer.json()
    assert body["small_number_rule"] is False
    assert body["units"][0]["school_unit_code"] == cast.unit_a1.school_unit_code
    pupils = _table(body, "anpassningar")["Ekskolan"][0]
    assert pupils == {"value": 2, "text": "2", "lower_bound": False}


def test_the_analyst_reads_under_five_hidden_and_a_total_that_does_not_reveal_it(cast, second_unit):
    adapt(cast.principal, pupils_at(cast.unit_a1, 6))
    adapt(cast.other_unit_principal, pupils_at(second_unit, 2))
    api = Api(token_for(cast.analyst, write=False))

    body = api.get(_organiser_url(cast)).json()

    figures = _table(body, "anpassningar")
    assert body["small_number_rule"] is True
    assert figures["Ekskolan"][0]["value"] == 6
    assert figures["Aspskolan"][0] == {"value": None, "text": "< 5", "lower_bound": False}
    assert figures["total"][0] == {"value": 6, "text": "≥ 6", "lower_bound": True}


def test_the_organisers_figures_name_no_pupil(cast, second_unit):
    adapt(cast.principal, [cast.pupil, cast.protected_pupil, *pupils_at(cast.unit_a1, 5)])
    body = Api(token_for(cast.analyst)).get(_organiser_url(cast)).content.decode()
    for person in Person.objects.exclude(pk=cast.analyst.person_id):
        assert person.family_name not in body
        assert (person.civic_number or "-") not in body


READERS = {"unit": {"principal", "health"}, "organiser": {"analyst"}}
CALLERS = ["principal", "health", "teacher", "mentor", "admin", "analyst", "other_unit_principal"]


@pytest.mark.parametrize("name", CALLERS)
@pytest.mark.parametrize("which", sorted(READERS))
def test_only_those_who_open_the_statistics_pages_read_them_through_the_api(cast, name, which):
    api = Api(token_for(cast.user(name), write=False))
    url = _unit_url(cast) if which == "unit" else _organiser_url(cast)

    answer = api.get(url)

    assert answer.status_code == (200 if name in READERS[which] else 404)


def test_reading_the_statistics_is_logged_with_the_client_named(cast):
    api = Api(token_for(cast.analyst, name="Rapportverktyget"))
    assert api.get(_organiser_url(cast)).status_code == 200
    entry = AccessLogEntry.objects.get(purpose="overviews.statistics.organiser")
    assert entry.actor_id == cast.analyst.pk
    assert entry.pupil_id is None
    assert entry.reasons == "ORGANISER_STATISTICS"
    assert "Rapportverktyget" in entry.path


def test_a_refused_read_is_logged_nowhere_as_granted(cast):
    Api(token_for(cast.teacher)).get(_organiser_url(cast))
    assert not AccessLogEntry.objects.filter(
        purpose__startswith="overviews.statistics", granted=True
    ).exists()


def test_the_period_and_school_years_narrow_the_figures(cast):
    adapt(cast.principal, pupils_at(cast.unit_a1, 2, year=3))
    api = Api(token_for(cast.principal))
    everyone = _table(api.get(_unit_url(cast)).json(), "anpassningar")["Ekskolan"][0]["value"]
    third = api.get(_unit_url(cast), school_year=[3]).json()
    assert third["period"]["school_years"] == [3]
    assert _table(third, "anpassningar")["Ekskolan"][0]["value"] == 2
    assert everyone >= 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "igår"}, "from"),
        ({"to": "2020-01-01", "from": "2021-01-01"}, "to"),
        ({"school_year": "11"}, "school_year"),
        ({"from": "0001-01-01", "to": "0001-01-02"}, "from"),
    ],
)
def test_a_bad_period_is_a_clear_400_naming_the_parameter(cast, params, field):
    answer = Api(token_for(cast.principal)).get(_unit_url(cast), **params)
    assert answer.status_code == 400
    assert answer.json()["field"] == field
    assert answer.json()["message"]["sv"]


def test_the_organisers_statistics_run_the_same_queries_whatever_the_data(
    cast, second_unit, django_assert_max_num_queries
):
    api = Api(token_for(cast.analyst))
    with CaptureQueriesContext(connection) as few:
        assert api.get(_organiser_url(cast)).status_code == 200
    adapt(cast.principal, pupils_at(cast.unit_a1, 8))
    adapt(cast.other_unit_principal, pupils_at(second_unit, 3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get(_organiser_url(cast)).status_code == 200

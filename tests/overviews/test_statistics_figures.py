"""Support in figures: the counts pinned against hand-built records, for the unit's principal
(exact) and the organiser's analyst (counts only, the small-number rule, no protected pupils),
the query bound, who may open the pages, and that opening them is logged."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine

from elevstod.audit.models import AccessLogEntry
from elevstod.core.timeutil import today
from elevstod.organisation.models import Person, Placement, SchoolUnit
from elevstod.overviews import statistics
from elevstod.overviews.periods import Period, school_year_start
from elevstod.support import workflow as wf
from elevstod.support.labels import label
from elevstod.support.services import investigations
from tests.builders import decided_programme, page
from tests.factories import SchoolUnitFactory

from .conftest import adapt, pupils_at

pytestmark = pytest.mark.django_db


def _period() -> Period:
    return Period(school_year_start(today()), today())


def _cells(report, key: str) -> dict[str, list[str]]:
    table = report.table(key)
    lines = {row.label: [c.text for c in row.cells] for row in table.rows}
    if table.total:
        lines["total"] = [c.text for c in table.total.cells]
    return lines


def test_the_principal_sees_exact_counts_of_the_unit_protected_pupils_included(cast):
    adapt(cast.principal, [cast.pupil, cast.protected_pupil])
    adapt(cast.principal, [cast.pupil])  # a second adaptation: still one pupil

    report = statistics.report(units=[cast.unit_a1], period=_period(), protect=False)

    assert _cells(report, "anpassningar")["Ekskolan"] == ["2", "3", "0"]


def test_the_organiser_sees_under_five_as_such_and_a_total_that_does_not_reveal_it(
    cast, second_unit
):
    adapt(cast.principal, pupils_at(cast.unit_a1, 6))
    adapt(cast.other_unit_principal, pupils_at(second_unit, 2))
    units = [second_unit, cast.unit_a1]

    figures = _cells(statistics.report(units=units, period=_period(), protect=True), "anpassningar")

    assert figures["Ekskolan"][0] == "6"
    assert figures["Aspskolan"][0] == "< 5"
    # 8 would give the hidden 2 away (8 - 6): only what the shown cells add up to.
    assert figures["total"][0] == "≥ 6"


def test_a_total_over_cells_all_shown_is_exact(cast, second_unit):
    adapt(cast.principal, pupils_at(cast.unit_a1, 5))
    adapt(cast.other_unit_principal, pupils_at(second_unit, 7))
    report = statistics.report(units=[second_unit, cast.unit_a1], period=_period(), protect=True)
    assert _cells(report, "anpassningar")["total"][0] == "12"


def test_pupils_with_protected_identity_are_not_counted_for_the_organiser(cast, second_unit):
    adapt(cast.principal, [*pupils_at(cast.unit_a1, 5), cast.protected_pupil])
    units = [second_unit, cast.unit_a1]

    organiser = statistics.report(units=units, period=_period(), protect=True)
    principal = statistics.report(units=[cast.unit_a1], period=_period(), protect=False)

    assert _cells(organiser, "anpassningar")["Ekskolan"][0] == "5"
    assert _cells(principal, "anpassningar")["Ekskolan"][0] == "6"


def test_referral_waiting_days_median_and_longest(cast):
    start = dt.datetime.now(dt.UTC)
    for days_ago in (2, 4, 9):
        with time_machine.travel(start - dt.timedelta(days=days_ago)):
            investigations.referral_submit(
                actor=cast.principal, pupil=cast.pupil, tried="a", why="b"
            )
    report = statistics.report(
        units=[cast.unit_a1],
        period=Period(today() - dt.timedelta(days=20), today()),
        protect=False,
    )
    assert _cells(report, "anmalningar")["Ekskolan"] == ["3", "3", "4", "9"]


def test_a_median_over_fewer_than_five_is_not_shown_to_the_organiser(cast, second_unit):
    investigations.referral_submit(actor=cast.principal, pupil=cast.pupil, tried="a", why="b")
    report = statistics.report(units=[second_unit, cast.unit_a1], period=_period(), protect=True)
    assert _cells(report, "anmalningar")["Ekskolan"] == ["< 5", "< 5", "–", "–"]


def test_programmes_in_force_by_form_and_decisions_to_draw_one_up(cast):
    decided_programme(cast, form="SPECIAL_GROUP")
    report = statistics.report(units=[cast.unit_a1], period=_period(), protect=False)

    forms = _cells(report, "atgardsprogram")["Ekskolan"]
    assert forms[0] == "1"  # in force
    assert forms[2] == "1"  # a measure in a special teaching group
    assert _cells(report, "beslut")["Ekskolan"] == ["1", "0"]


def test_school_years_narrow_the_figures(cast):
    adapt(cast.principal, pupils_at(cast.unit_a1, 2, year=3))
    adapt(cast.principal, [cast.pupil])  # year 5
    period = Period(school_year_start(today()), today(), (3,))
    report = statistics.report(units=[cast.unit_a1], period=period, protect=False)
    assert _cells(report, "anpassningar")["Ekskolan"][0] == "2"


def test_the_organiser_page_runs_the_same_queries_whatever_the_units_and_pupils(
    client, cast, second_unit
):
    client.force_login(cast.analyst)
    url = reverse("overviews:organiser_statistics", args=[cast.organiser_a.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    adapt(cast.principal, pupils_at(cast.unit_a1, 8))
    decided_programme(cast)
    from tests.factories import SchoolUnitFactory

    SchoolUnitFactory(organiser=cast.organiser_a, module=True, name="Tredje skolan")
    assert queries() == few


PAGES = {
    "unit": lambda cast: reverse("overviews:unit_statistics", args=[cast.unit_a1.pk]),
    "unit official": lambda cast: reverse("overviews:unit_official", args=[cast.unit_a1.pk]),
    "organiser": lambda cast: reverse("overviews:organiser_statistics", args=[cast.organiser_a.pk]),
    "organiser official": lambda cast: reverse(
        "overviews:organiser_official", args=[cast.organiser_a.pk]
    ),
}
ALLOWED = {
    "unit": {"principal", "health"},
    "unit official": {"principal", "health"},
    "organiser": {"analyst"},
    "organiser official": {"analyst"},
}


@pytest.mark.parametrize(
    "name",
    [
        "principal",
        "health",
        "teacher",
        "mentor",
        "admin",
        "analyst",
        "other_unit_principal",
        "foreign_principal",
        "guardian",
    ],
)
@pytest.mark.parametrize("which", sorted(PAGES))
def test_only_the_units_leaders_and_the_organisers_analysts_open_the_statistics(
    client, cast, name, which
):
    client.force_login(cast.user(name))
    response = client.get(PAGES[which](cast))
    assert response.status_code == (200 if name in ALLOWED[which] else 404)


def test_opening_the_statistics_is_logged(client, cast):
    client.force_login(cast.analyst)
    page(client, PAGES["organiser"](cast))
    entry = AccessLogEntry.objects.get(purpose="overviews.statistics.organiser")
    assert entry.actor_id == cast.analyst.pk
    assert entry.pupil_id is None


@pytest.mark.parametrize(
    ("which", "name", "purpose"),
    [
        ("unit", "teacher", "overviews.statistics.unit"),
        ("unit official", "other_unit_principal", "overviews.statistics.unit"),
        ("organiser", "principal", "overviews.statistics.organiser"),
        ("organiser official", "teacher", "overviews.statistics.organiser"),
    ],
)
def test_a_refused_opening_of_the_statistics_is_logged_as_refused(
    client, cast, which, name, purpose
):
    client.force_login(cast.user(name))
    url = PAGES[which](cast)
    assert client.get(url).status_code == 404
    entry = AccessLogEntry.objects.get(purpose=purpose)
    assert (entry.actor_id, entry.granted, entry.pupil_id) == (cast.user(name).pk, False, None)


def test_the_organiser_page_names_no_pupil(client, cast, second_unit):
    adapt(cast.principal, [cast.pupil, cast.protected_pupil])
    client.force_login(cast.analyst)
    body = page(client, PAGES["organiser"](cast))
    for person in Person.objects.all():
        assert person.family_name not in body or person.family_name in ("Analys",)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            {"fran": "2025-05-01", "till": "2025-01-01"},
            "Datumet i ”Från” är efter datumet i ”Till”.",
        ),
        ({"fran": "igår"}, "Skriv datumet som ÅÅÅÅ-MM-DD"),
        ({"fran": "1899-12-31"}, "Första dagen kan inte vara före 1900."),
        ({"fran": "2010-01-01", "till": "2025-01-01"}, "Välj en period på högst tio år."),
    ],
)
def test_a_period_that_cannot_be_shown_is_said_by_the_form_with_what_was_typed(
    client, cast, typed, message
):
    adapt(cast.principal, [cast.pupil])
    client.force_login(cast.principal)
    body = page(client, PAGES["unit"](cast), **typed, arskurs="5")
    error = re.search(
        r'<p class="notice notice-error period-error" id="period-error"[^>]*>(.*?)</p>', body
    )
    assert error is not None
    assert message in error.group(1)
    assert f'name="fran" value="{typed["fran"]}" aria-invalid="true"' in body
    assert 'name="arskurs" value="5" checked' in body
    # The figures shown are the school year's so far, and the page says so.
    assert f"{school_year_start(today()):%Y-%m-%d} – {today():%Y-%m-%d}" in body
    assert "Siffrorna nedan gäller läsåret hittills." in body


def test_a_period_that_can_be_shown_has_no_message(client, cast):
    client.force_login(cast.principal)
    body = page(client, PAGES["unit"](cast), fran="2025-01-01", till="2025-05-01")
    assert "period-error" not in body
    assert 'name="fran" value="2025-01-01">' in body


def test_an_export_of_a_bad_period_or_a_crafted_school_year_is_a_bad_request(client, cast):
    client.force_login(cast.principal)
    url = PAGES["unit"](cast)
    bad = {"fran": "2025-05-01", "till": "2025-01-01", "tabell": "amnen", "format": "csv"}
    assert client.get(url, bad).status_code == 400
    assert client.get(url, {"arskurs": "12"}).status_code == 400


def test_a_terms_trend_figure_over_a_hidden_unit_is_a_lower_bound(cast, second_unit):
    adapt(cast.principal, pupils_at(cast.unit_a1, 6))
    adapt(cast.other_unit_principal, pupils_at(second_unit, 1))
    report = statistics.report(units=[second_unit, cast.unit_a1], period=_period(), protect=True)
    trend = report.table("trender")
    started = trend.rows[0].cells[-1]  # this term
    assert started.text == "≥ 6"


def test_every_column_header_begins_with_a_capital_the_shared_labels_unchanged(cast):
    report = statistics.report(units=[cast.unit_a1], period=_period(), protect=False)
    headers = [c.header for t in report.tables for c in t.columns]
    assert "Avvisat för sent inkommet" in headers
    assert [h for h in headers if not h[:1].isupper()] == []
    assert label("appeal", wf.AppealState.DISMISSED_LATE) == "avvisat för sent inkommet"


TEN_YEARS = [f"{s} {y}" for y in range(2020, 2025) for s in ("VT", "HT")]


@pytest.mark.parametrize(
    ("start", "end", "terms"),
    [
        (dt.date(2024, 1, 1), dt.date(2025, 6, 30), ["VT 2024", "HT 2024", "VT 2025"]),
        # Within one term: that term and the one before, so there is a change to see.
        (dt.date(2025, 8, 15), dt.date(2025, 12, 1), ["VT 2025", "HT 2025"]),
        (dt.date(2015, 1, 1), dt.date(2024, 12, 31), TEN_YEARS),  # the last ten terms
    ],
)
def test_the_trend_shows_the_terms_of_the_chosen_period_and_names_them(cast, start, end, terms):
    report = statistics.report(units=[cast.unit_a1], period=Period(start, end), protect=False)
    trend = report.table("trender")
    assert [c.header for c in trend.columns] == terms
    assert trend.title == f"Utveckling per termin, {terms[0]}–{terms[-1]}"


def test_the_school_year_filter_offers_the_years_the_units_have(client, cast, second_unit):
    pupils_at(second_unit, 1, year=7)
    client.force_login(cast.analyst)
    body = page(client, PAGES["organiser"](cast))
    offered = re.findall(r'name="arskurs" value="(\d+)"', body)
    units = SchoolUnit.objects.filter(organiser=cast.organiser_a, support_module_enabled=True)
    placed = Placement.objects.filter(unit__in=units).values_list("school_year", flat=True)
    assert offered == [str(y) for y in sorted(set(placed))]
    assert "7" in offered
    assert "10" not in offered


def test_without_placements_the_filter_offers_f_to_9(cast):
    unit = SchoolUnitFactory(organiser=cast.organiser_a, module=True, name="Ny skola")
    offered = [text for _year, text in statistics.school_years_of([unit])]
    assert offered == ["F", "1", "2", "3", "4", "5", "6", "7", "8", "9"]

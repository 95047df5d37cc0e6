"""Every statistics table as CSV and XLSX, safe from formula injection, and the official
statistics: pupils with an action programme per school unit code and school year on a
reference date (15 October by default)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.urls import reverse

import pytest
import time_machine
from openpyxl import load_workbook

from elevstod.core.timeutil import today
from elevstod.organisation.models import SchoolUnit
from elevstod.overviews import exports, views
from elevstod.support.services import programmes
from tests.builders import decided_programme

from .conftest import adapt

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ekskolan", "Ekskolan"),
        ("< 5", "< 5"),
        (7, 7),
    ],
)
def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text(value, written):
    assert exports.safe(value) == written


def _csv(response) -> list[list[str]]:
    """The rows of a CSV as a spreadsheet set to Swedish reads it: semicolons, UTF-8 with a
    byte order mark."""
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_a_table_downloads_as_csv_with_a_name_made_harmless(client, cast):
    SchoolUnit.objects.filter(pk=cast.unit_a1.pk).update(name="=cmd|' /C calc'!A0")
    adapt(cast.principal, [cast.pupil])
    client.force_login(cast.principal)

    response = client.get(
        reverse("overviews:unit_statistics", args=[cast.unit_a1.pk]),
        {"tabell": "anpassningar", "format": "csv"},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][0] == "Skolenhet"
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][1] == "10000001"
    assert rows[1][2] == "1"
    first_line = response.content.decode("utf-8-sig").splitlines()[0]
    assert first_line.startswith("Skolenhet;Skolenhetskod;Elever med extra anpassningar;")


def test_every_table_downloads_as_one_xlsx_workbook(client, cast):
    SchoolUnit.objects.filter(pk=cast.unit_a1.pk).update(name="@Ekskolan")
    adapt(cast.principal, [cast.pupil, cast.protected_pupil])
    client.force_login(cast.principal)

    response = client.get(
        reverse("overviews:unit_statistics", args=[cast.unit_a1.pk]),
        {"tabell": "alla", "format": "xlsx"},
    )

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Extra anpassningar",
        "Anmälningar",
        "Utredningar",
        "Beslut",
        "Åtgärdsprogram",
        "Utvärderingar",
        "Överklaganden",
        "Ämnen",
        "Trender",
    ]
    sheet = book["Åtgärdsprogram"]
    assert sheet["A1"].value == "Gällande åtgärdsprogram per stödform"
    assert sheet["A2"].value == "Skolenhet"
    sheet = book["Extra anpassningar"]
    assert sheet["A3"].value == "'@Ekskolan"
    assert sheet["A3"].data_type == "s"
    assert sheet["C3"].value == 2


def test_the_organisers_export_keeps_the_small_number_rule(client, cast):
    adapt(cast.principal, [cast.pupil])
    client.force_login(cast.analyst)
    response = client.get(
        reverse("overviews:organiser_statistics", args=[cast.organiser_a.pk]),
        {"tabell": "anpassningar", "format": "csv"},
    )
    assert _csv(response)[1][2] == "< 5"


def test_an_unknown_table_or_format_is_a_bad_request(client, cast):
    client.force_login(cast.principal)
    url = reverse("overviews:unit_statistics", args=[cast.unit_a1.pk])
    assert client.get(url, {"tabell": "nope", "format": "csv"}).status_code == 400
    assert client.get(url, {"tabell": "amnen", "format": "pdf"}).status_code == 400
    assert client.get(url, {"format": "csv"}).status_code == 400


@pytest.mark.parametrize(
    ("day", "reference"),
    [
        (dt.date(2026, 10, 14), dt.date(2025, 10, 15)),
        (dt.date(2026, 10, 15), dt.date(2026, 10, 15)),
        (dt.date(2027, 3, 1), dt.date(2026, 10, 15)),
    ],
)
def test_the_reference_date_is_the_last_15_october(day, reference):
    assert views.reference_date_default(day) == reference


def test_the_official_export_counts_pupils_with_a_programme_in_force_on_the_date(client, cast):
    programme = decided_programme(cast)
    client.force_login(cast.principal)
    url = reverse("overviews:unit_official", args=[cast.unit_a1.pk])

    rows = _csv(client.get(url, {"datum": today().isoformat()}))
    before = _csv(client.get(url, {"datum": (today() - dt.timedelta(days=1)).isoformat()}))

    assert rows[0] == [
        "skolenhetskod",
        "skolenhet",
        "arskurs",
        "elever_med_atgardsprogram",
        "referensdatum",
    ]
    assert rows[1] == ["10000001", "Ekskolan", "5", "1", today().isoformat()]
    assert before[1:] == []

    with time_machine.travel(today() + dt.timedelta(days=2)):
        programmes.programme_close(
            actor=cast.principal,
            programme_id=programme.pk,
            reasons="Behovet är borta.",
            decided_on=today(),
        )
        client.force_login(cast.principal)  # a fresh second factor, two days on
        after = _csv(client.get(url, {"datum": today().isoformat()}))
        still = _csv(client.get(url, {"datum": (today() - dt.timedelta(days=1)).isoformat()}))
    assert after[1:] == []
    assert still[1][3] == "1"


def test_the_official_export_as_xlsx_and_for_the_organiser_with_the_rule(client, cast):
    decided_programme(cast)
    client.force_login(cast.analyst)
    url = reverse("overviews:organiser_official", args=[cast.organiser_a.pk])
    rows = _csv(client.get(url, {"datum": today().isoformat()}))
    assert rows[1][3] == "< 5"
    response = client.get(url, {"datum": today().isoformat(), "format": "xlsx"})
    assert response["Content-Type"] == exports.XLSX

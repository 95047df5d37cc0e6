"""Who has seen this pupil: the log search of the principal and the data protection officer."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.audit.services import access_log_record
from elevstod.organisation.civic import civic_number_display
from elevstod.organisation.models import Duty
from elevstod.support.services.adaptations import adaptation_create
from tests.builders import adaptation_input
from tests.factories import DutyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(cast):
    user = UserFactory()
    DutyFactory(
        person=user.person,
        organiser=cast.organiser_a,
        unit=None,
        role=Duty.Role.DATA_PROTECTION_OFFICER,
    )
    return user


def _read(client, user, pupil):
    client.force_login(user)
    client.get(reverse("organisation:pupil_detail", args=[pupil.pk]))


def test_principal_sees_who_read_a_pupil_of_the_unit_and_why(client, cast):
    _read(client, cast.teacher, cast.pupil)
    client.force_login(cast.principal)
    page = client.get(reverse("audit:log"), {"pupil": cast.pupil.family_name})
    body = page.content.decode()
    assert page.status_code == 200
    assert cast.teacher.username in body
    assert "Läste elevens sida" in body
    assert "undervisar eleven" in body


def test_the_log_says_in_words_what_was_read_and_why_never_the_code_names(client, cast):
    _read(client, cast.teacher, cast.pupil)
    client.force_login(cast.principal)
    body = client.get(reverse("audit:log")).content.decode()
    for code in ("organisation.pupil.page", "TEACHER", "audit.log.searched"):
        assert code not in body


def test_a_change_is_shown_in_words_with_the_pupils_name(client, cast):
    adaptation_create(
        actor=cast.teacher, pupil=cast.pupil, data=adaptation_input(cast.teacher.person)
    )
    client.force_login(cast.principal)
    body = client.get(reverse("audit:log")).content.decode()
    assert "Skrev en extra anpassning" in body
    assert "support.adaptation.created" not in body
    assert cast.pupil.full_name in body


def test_a_legacy_code_nobody_declares_still_shows_as_it_is(client, cast):
    access_log_record(
        actor=cast.teacher,
        pupil_id=cast.pupil.pk,
        purpose="legacy.pupil.viewed",
        reasons=["OLD_RULE"],
        granted=True,
    )
    client.force_login(cast.principal)
    page = client.get(reverse("audit:log"))
    assert page.status_code == 200
    assert "legacy.pupil.viewed" in page.content.decode()
    assert "OLD_RULE" in page.content.decode()


def test_principal_does_not_see_the_log_of_another_units_pupil(client, cast):
    _read(client, cast.other_unit_teacher, cast.far_pupil)
    client.force_login(cast.principal)
    body = client.get(reverse("audit:log")).content.decode()
    assert cast.other_unit_teacher.username not in body


def test_data_protection_officer_sees_the_whole_organiser(client, cast, dpo):
    _read(client, cast.other_unit_teacher, cast.far_pupil)
    _read(client, cast.teacher, cast.pupil)
    client.force_login(dpo)
    body = client.get(reverse("audit:log")).content.decode()
    assert cast.other_unit_teacher.username in body
    assert cast.teacher.username in body


def test_refused_reads_are_in_the_log_too(client, cast):
    _read(client, cast.colleague, cast.pupil)
    client.force_login(cast.principal)
    body = client.get(reverse("audit:log"), {"staff": cast.colleague.username}).content.decode()
    assert "nekad" in body or "refused" in body


@pytest.mark.parametrize("who", ["teacher", "mentor", "admin", "analyst", "guardian"])
def test_others_cannot_search_the_log(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("audit:log")).status_code == 404


def test_reading_the_log_is_itself_logged(client, cast):
    client.force_login(cast.principal)
    client.get(reverse("audit:log"), {"pupil": "x"})
    entry = AccessLogEntry.objects.get(purpose="audit.log.searched")
    assert entry.actor_id == cast.principal.pk
    assert "pupil=x" in entry.path


def _csv(client, params=None):
    response = client.get(reverse("audit:log"), {"format": "csv", **(params or {})})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    # Read the way a spreadsheet set to Swedish reads it: a byte order mark, then semicolons.
    assert text.startswith("\ufefftime;kind;")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_the_export_names_the_pupil_and_says_in_words_what_and_why(client, cast, dpo):
    _read(client, cast.teacher, cast.pupil)
    client.force_login(dpo)
    [row] = [r for r in _csv(client) if r["what"] == "organisation.pupil.page"]
    assert row["pupil_id"] == str(cast.pupil.pk)
    assert row["pupil_name"] == "Alva Andersson"
    assert row["civic_number"] == civic_number_display(cast.pupil.civic_number)
    assert row["what_label"] == "Läste elevens sida"
    assert (row["why"], row["why_label"]) == ("TEACHER", "undervisar eleven")
    assert row["user"].startswith(cast.teacher.username)


def test_the_export_never_writes_a_name_a_spreadsheet_would_run_as_a_formula(client, cast, dpo):
    cast.pupil.given_name = "=HYPERLINK(1)"
    cast.pupil.save()
    _read(client, cast.teacher, cast.pupil)
    client.force_login(dpo)
    [row] = [r for r in _csv(client) if r["what"] == "organisation.pupil.page"]
    assert row["pupil_name"].startswith("'=HYPERLINK(1)")


def test_the_export_names_the_changed_object(client, cast, dpo):
    adaptation = adaptation_create(
        actor=cast.teacher, pupil=cast.pupil, data=adaptation_input(cast.teacher.person)
    )
    client.force_login(dpo)
    [row] = [r for r in _csv(client) if r["kind"] == "write"]
    assert (row["what"], row["what_label"]) == (
        "support.adaptation.created",
        "Skrev en extra anpassning",
    )
    assert (row["object_type"], row["object_id"]) == ("support.extraadaptation", str(adaptation.pk))
    assert row["pupil_name"] == "Alva Andersson"


def _queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("audit:log"), params)
        if params.get("format") == "csv":
            b"".join(response.streaming_content)
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"format": "csv"}], ids=["page", "export"])
def test_the_log_looks_pupils_up_in_one_query_however_many_rows(client, cast, dpo, params):
    _read(client, cast.teacher, cast.pupil)
    client.force_login(dpo)
    few = _queries(client, params)
    for pupil in (cast.other_pupil, cast.far_pupil, cast.protected_pupil):
        _read(client, cast.mentor, pupil)
        _read(client, cast.principal, pupil)
    client.force_login(dpo)
    assert len({r["pupil_id"] for r in _csv(client)}) == 4
    assert _queries(client, params) == few


def test_only_the_data_protection_officer_checks_the_chain(client, cast, dpo):
    client.force_login(cast.principal)
    assert client.get(reverse("audit:chain")).status_code == 404
    client.force_login(dpo)
    page = client.get(reverse("audit:chain"))
    assert page.status_code == 200
    assert "audit_auditevent" in page.content.decode()


@pytest.mark.parametrize("bad", ["2026-13-45", "abc"])
def test_an_invalid_date_is_an_error_next_to_the_field_not_ignored(client, cast, bad):
    _read(client, cast.teacher, cast.pupil)
    client.force_login(cast.principal)
    page = client.get(reverse("audit:log"), {"start": bad, "staff": "teach"})
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_start_error"' in body
    assert f"Skriv datumet som ÅÅÅÅ-MM-DD (du skrev ”{bad}”)." in body
    assert 'aria-invalid="true"' in body
    assert f'value="{bad}"' in body
    assert 'value="teach"' in body
    assert cast.teacher.username not in body  # no search ran on half the filters


def test_an_invalid_date_gives_no_export_but_the_error(client, cast):
    client.force_login(cast.principal)
    page = client.get(reverse("audit:log"), {"end": "abc", "format": "csv"})
    assert page["Content-Type"].startswith("text/html")
    assert 'id="id_end_error"' in page.content.decode()


def test_a_start_after_the_end_is_an_error_on_the_end_date(client, cast):
    client.force_login(cast.principal)
    page = client.get(reverse("audit:log"), {"start": "2026-05-02", "end": "2026-05-01"})
    body = page.content.decode()
    assert 'id="id_end_error"' in body
    assert "Slutdatumet ligger före startdatumet." in body


def test_valid_dates_filter_the_log(client, cast):
    _read(client, cast.teacher, cast.pupil)
    client.force_login(cast.principal)
    day = timezone.localdate().isoformat()
    same_day = client.get(reverse("audit:log"), {"start": day, "end": day}).content.decode()
    before = client.get(reverse("audit:log"), {"end": "2020-01-01"}).content.decode()
    assert cast.teacher.username in same_day
    assert cast.teacher.username not in before


def test_the_export_reads_in_chunks_without_losing_or_repeating_a_row(
    client, cast, dpo, monkeypatch
):
    monkeypatch.setattr("elevstod.audit.views.EXPORT_CHUNK", 2)
    for pupil in (cast.pupil, cast.other_pupil, cast.far_pupil):
        _read(client, cast.principal, pupil)
        _read(client, cast.teacher, pupil)
    client.force_login(dpo)
    rows = _csv(client)
    in_scope = AccessLogEntry.objects.exclude(pupil_id=None).count()
    assert len(rows) == in_scope == 6
    assert len({(r["time"], r["user"], r["pupil_id"]) for r in rows}) == 6


def test_paging_through_the_log_keeps_the_search(client, cast):
    for _ in range(101):  # one page holds 100 rows
        access_log_record(
            actor=cast.teacher,
            pupil_id=cast.pupil.pk,
            purpose="organisation.pupil.page",
            reasons=["TEACHER"],
            granted=True,
        )
    client.force_login(cast.principal)
    body = client.get(reverse("audit:log"), {"pupil": cast.pupil.family_name}).content.decode()
    assert f"pupil={cast.pupil.family_name}&amp;sida=2" in body
    second = client.get(reverse("audit:log"), {"pupil": cast.pupil.family_name, "sida": 2})
    assert f"pupil={cast.pupil.family_name}&amp;sida=1" in second.content.decode()

"""Synchronising with an SS 12000 API, tested over real HTTP against a server in the process."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

import pytest
import time_machine

from elevstod.imports.client import ApiClient
from elevstod.imports.models import ImportRun
from elevstod.imports.sync import sync_execute, sync_start
from elevstod.organisation.models import Person, Placement

from . import ssdata
from .server import Server, State, Trouble

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent / "ss12000_schema"
ENTITY_SCHEMAS = {
    "organisations": "organisation",
    "persons": "person",
    "duties": "duty",
    "groups": "group",
    "activities": "activity",
}


@pytest.fixture
def server():
    with Server(State(export=ssdata.base_export())) as running:
        yield running


def sync(source, server, *, full=False, waits=None, confirmed=False, **client_options):
    options = {"base_url": server.url, "token": server.state.token, "page_size": 3}
    options |= client_options
    client = ApiClient(sleep=(waits.append if waits is not None else lambda s: None), **options)
    run = sync_start(actor=None, source=source, full=full, confirmed=confirmed)
    return sync_execute(run=run, actor=None, client=client)


def test_the_served_fixtures_validate_against_the_reference_schemas():
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource

    schemas = [json.loads(p.read_text()) for p in SCHEMAS.glob("*.schema.json")]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    by_id = {s["$id"]: s for s in schemas}
    for kind, records in ssdata.base_export().items():
        validator = jsonschema.Draft202012Validator(
            by_id[f"/schemas/{ENTITY_SCHEMAS[kind]}"],
            registry=registry,
            format_checker=jsonschema.FormatChecker(),
        )
        for record in records:
            errors = [e.message for e in validator.iter_errors(record)]
            assert errors == [], (kind, record["id"], errors)


def test_a_full_sync_pages_through_the_server(source, server):
    run = sync(source, server)

    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert run.kind == ImportRun.Kind.FULL
    assert Person.objects.count() == 19
    person_pages = [r for r in server.state.requests if r.startswith("/persons")]
    assert len(person_pages) == 7  # 19 persons, 3 a page
    assert all("pageToken" in r and "meta.modified" not in r for r in person_pages[1:])


def test_an_incremental_sync_reads_changes_and_deletions_only(source, server):
    source.truncation_share = 0.25  # one pupil of eight leaves
    source.save()
    with time_machine.travel("2026-08-10 12:00"):
        sync(source, server)
    source.refresh_from_db()
    assert source.modified_after is not None
    # a pupil changes name; another is deleted at the source
    changed, deleted = server.state.export["persons"][0], server.state.export["persons"][5]
    changed["familyName"] = "Ekström"
    changed["meta"] = {**ssdata.META, "modified": "2026-09-01T10:00:00+02:00"}
    server.state.export["persons"].remove(deleted)
    server.state.deleted = {"persons": [("2026-09-01T10:00:00+02:00", deleted["id"])]}
    server.state.requests.clear()

    with time_machine.travel("2026-09-02 03:00"):
        run = sync(source, server)

    assert run.kind == ImportRun.Kind.INCREMENTAL
    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert any("meta.modified.after" in r for r in server.state.requests)
    assert run.counts["persons"] == {"updated": 1}
    assert Person.objects.get(external_id=changed["id"]).family_name == "Ekström"
    gone = Person.objects.get(external_id=deleted["id"])
    assert Placement.objects.get(pupil=gone).end_date is not None
    assert Placement.objects.active().filter(unit__name="Ekskolan").count() == 7


def test_it_waits_as_told_by_retry_after_and_goes_on(source, server):
    server.state.trouble = [Trouble("/persons", 429, {"Retry-After": "7"})]
    waits: list[float] = []

    run = sync(source, server, waits=waits)

    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert waits == [7.0]
    assert Person.objects.count() == 19


def test_a_server_error_is_retried_with_back_off_then_the_run_fails(source, server):
    server.state.trouble = [Trouble("/groups", 500) for _ in range(4)]
    waits: list[float] = []

    run = sync(source, server, waits=waits, retries=3, backoff=0.5)

    assert run.status == ImportRun.Status.FAILED
    assert waits == [0.5, 1.0, 2.0]
    assert run.message == "Servern svarade med fel 500."
    assert Person.objects.count() == 19  # what came before is kept, nothing is ended


def test_a_refused_token_fails_with_a_clear_message(source, server):
    run = sync(source, server, token="wrong")

    assert run.status == ImportRun.Status.FAILED
    assert "401" in run.message
    assert "nekade" in run.message
    assert Person.objects.count() == 0


def test_a_token_is_fetched_by_client_credentials(source, server):
    token_url = server.url.removesuffix("/ss12000") + "/token"

    run = sync(
        source,
        server,
        token="",
        token_url=token_url,
        client_id="elevstod",
        client_secret="client-secret",
    )

    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert server.state.tokens_issued == 1


def test_a_slow_answer_times_out_and_is_asked_again(source, server):
    server.state.trouble = [Trouble("/duties", 200, delay=1.0)]

    run = sync(source, server, timeout=0.3)

    assert run.status == ImportRun.Status.SUCCEEDED, run.message
    assert run.counts["duties"]["created"] == 3


def test_an_answer_cut_off_fails_the_run_and_ends_nothing(source, server):
    with time_machine.travel("2026-08-10 12:00"):
        sync(source, server, full=True)
    server.state.trouble = [Trouble("/persons", cut_off=True)]

    run = sync(source, server, full=True)

    assert run.status == ImportRun.Status.FAILED
    assert "JSON" in run.message
    assert Placement.objects.active().count() == 8


def test_a_truncated_export_stops_before_ending_pupils(source, server):
    with time_machine.travel("2026-08-10 12:00"):
        sync(source, server, full=True)
    server.state.export["persons"] = server.state.export["persons"][:2]

    run = sync(source, server, full=True)

    assert run.status == ImportRun.Status.AWAITING_CONFIRMATION
    assert Placement.objects.active().count() == 8


def test_the_command_reads_the_secret_from_the_environment(source, server, monkeypatch):
    source.base_url = server.url
    source.save()
    monkeypatch.setenv("EKBY_SS12000_TOKEN", server.state.token)
    out = StringIO()

    call_command("ss12000_sync", "--source", "ekby", stdout=out, stderr=StringIO())

    assert "SUCCEEDED" in out.getvalue()
    assert Person.objects.count() == 19


def test_the_command_fails_clearly_without_the_secret(source, server, monkeypatch):
    source.base_url = server.url
    source.save()
    monkeypatch.delenv("EKBY_SS12000_TOKEN", raising=False)

    with pytest.raises(CommandError, match="EKBY_SS12000_TOKEN"):
        call_command("ss12000_sync", "--source", "ekby", stdout=StringIO(), stderr=StringIO())


def test_a_page_the_fast_parser_refuses_is_read_and_its_bad_record_refused_alone(source, server):
    pupil = server.state.export["persons"][0]
    pupil["enrolments"][0]["schoolYear"] = float("nan")  # sent as NaN, which orjson refuses

    run = sync(source, server, full=True)

    assert run.status == ImportRun.Status.SUCCEEDED
    assert [(e["entity"], e["id"]) for e in run.errors] == [("placements", pupil["id"])]
    assert run.errors[0]["reason"] == "Inskrivningen saknar årskurs mellan 0 och 10."
    assert Person.objects.filter(external_id=pupil["id"]).exists()

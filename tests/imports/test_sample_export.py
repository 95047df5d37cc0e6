"""The demo's sample SS 12000 export: valid against the reference schemas, and importable into
an organiser through the file source the command makes, a second time changing nothing."""

from __future__ import annotations

import json
import zipfile
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

import pytest

from elevstod.imports.models import ImportRun, Source
from elevstod.imports.sample import KINDS, sample_export
from elevstod.organisation.civic import civic_number_normalize
from elevstod.organisation.models import Group, Guardianship, Mentorship, Person, Placement
from tests.factories import OrganiserFactory

SCHEMAS = Path(__file__).resolve().parent / "ss12000_schema"


def validator_for(kind):
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource

    schemas = [json.loads(p.read_text()) for p in SCHEMAS.glob("*.schema.json")]
    registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas)
    by_id = {s["$id"]: s for s in schemas}
    return jsonschema.Draft202012Validator(
        by_id[f"/schemas/{kind}"], registry=registry, format_checker=jsonschema.FormatChecker()
    )


def written(tmp_path):
    out = StringIO()
    call_command("ss12000_sample", str(tmp_path / "sample.zip"), stdout=out)
    with zipfile.ZipFile(tmp_path / "sample.zip") as archive:
        files = {name: json.loads(archive.read(name)) for name in archive.namelist()}
    return files, out.getvalue()


def test_every_file_of_the_sample_validates_against_the_reference_schemas(tmp_path):
    files, _out = written(tmp_path)

    assert sorted(files) == sorted(f"{kind}.json" for kind in KINDS)
    for name, content in files.items():
        errors = [e.message for e in validator_for(name.removesuffix(".json")).iter_errors(content)]
        assert errors == [], (name, errors)


def test_the_sample_has_valid_unique_identity_numbers_and_ids():
    persons = sample_export()["persons"]
    numbers = [civic_number_normalize(p["civicNo"]["value"]) for p in persons]
    ids = [r["id"] for records in sample_export().values() for r in records]

    assert len(set(numbers)) == len(numbers)
    assert len(set(ids)) == len(ids)


def test_a_schema_check_catches_a_broken_sample():
    broken = {"persons": [{"id": "not-a-uuid", "givenName": "Ella"}]}

    assert list(validator_for("persons").iter_errors(broken))


@pytest.mark.django_db
def test_the_printed_command_imports_the_sample_and_a_second_run_changes_nothing(tmp_path):
    organiser = OrganiserFactory(name="Åbyholms kommun")
    out = StringIO()
    path = tmp_path / "sample"
    call_command("ss12000_sample", str(path), "--organiser", "Åbyholms kommun", stdout=out)
    command = out.getvalue().splitlines()[-1].removeprefix("Import it with: manage.py ")
    name, *args = command.split()

    call_command(name, *args, stdout=StringIO(), stderr=StringIO())
    call_command(name, *args, stdout=StringIO(), stderr=StringIO())

    assert Source.objects.get().organiser == organiser
    first, second = ImportRun.objects.order_by("pk")
    assert first.status == second.status == ImportRun.Status.SUCCEEDED
    assert first.errors == []
    assert first.counts["persons"]["created"] == 21
    assert "created" not in second.counts["persons"]
    assert Placement.objects.filter(unit__organiser=organiser).count() == 8
    assert Guardianship.objects.count() == 8
    assert Group.objects.get(name="Ma 5A").subject.code == "GRGRMAT01"
    assert Mentorship.objects.filter(mentor__given_name="Johan").count() == 4
    assert Person.objects.count() == 21


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_organiser(tmp_path):
    with pytest.raises(CommandError):
        call_command("ss12000_sample", str(tmp_path / "s"), "--organiser", "Nowhere")

    assert not Source.objects.exists()

"""The log search for one pupil shows that an import changed them: one event per pupil the
import changed, written in bulk with the batch's events, without values."""

from __future__ import annotations

import pytest
import time_machine

from elevstod.audit.models import AuditEvent
from elevstod.audit.selectors import LogQuery, LogScope, log_search
from elevstod.imports.files import FileExport
from elevstod.imports.models import ImportRun
from elevstod.imports.runs import run_execute
from elevstod.imports.services import run_create
from elevstod.organisation.models import Person

from . import ssdata

pytestmark = pytest.mark.django_db
CODE = "imports.pupil.synchronised"


def run_file(source, path):
    run = run_create(actor=None, source=source, kind=ImportRun.Kind.FILE)
    return run_execute(run=run, data=FileExport(path), full=True, actor=None)


def found_for(name):
    scope = LogScope(Person.objects.values("pk"), "test")
    rows = log_search(scope=scope, query=LogQuery(pupil=name))
    return [r["what"] for r in rows if r["what"] == CODE]


def test_the_log_search_for_a_pupil_shows_each_import_that_changed_them(source, tmp_path):
    export = ssdata.base_export()
    with time_machine.travel("2026-08-10 03:00"):
        first = run_file(source, ssdata.write(tmp_path / "one", export))
    export["persons"][0]["familyName"] = "Nyberg"

    with time_machine.travel("2026-08-11 03:00"):
        run_file(source, ssdata.write(tmp_path / "two", export))

    assert found_for("Elev1 Nyberg") == [CODE, CODE]
    assert found_for("Elev2 Ek") == [CODE]  # unchanged the second time
    event = AuditEvent.objects.filter(code=CODE).order_by("id").first()
    assert event.data == {"run": first.pk}  # no personal values


def test_a_pupil_whose_placement_ends_is_traced_and_guardians_are_not(source, tmp_path):
    source.truncation_share = 0.25
    source.save()
    export = ssdata.base_export()
    with time_machine.travel("2026-08-10 03:00"):
        run_file(source, ssdata.write(tmp_path / "one", export))
    export["persons"][0]["enrolments"] = []

    with time_machine.travel("2026-08-11 03:00"):
        run_file(source, ssdata.write(tmp_path / "two", export))

    assert found_for("Elev1 Ek") == [CODE, CODE]
    assert found_for("Förälder2 Ek") == []

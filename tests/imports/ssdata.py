"""A small SS 12000 export built in code: one organiser's two school units, pupils with
enrolments and guardians, staff with duties, a class, a teaching group, a mentor group and an
activity. Every record validates against the reference schemas (test_fixtures_validate)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

from tests.factories import civic_number_for

NS = uuid.UUID("6f1c1f43-6a4e-4d0e-9d7a-2f0e5d1c3b00")
META = {"created": "2026-08-01T08:00:00+02:00", "modified": "2026-08-01T08:00:00+02:00"}
KINDS = ("organisations", "persons", "duties", "groups", "activities")


def uid(name: str) -> str:
    return str(uuid.uuid5(NS, name))


def ref(name: str) -> dict[str, str]:
    return {"id": uid(name)}


def unit(name: str, code: str) -> dict[str, Any]:
    return {"id": uid(name), "schoolUnitCode": code, "displayName": name, "meta": META}


def person(
    name: str,
    serial: int,
    *,
    enrolled_at: str | None = None,
    year: int = 5,
    marking: str = "Ingen",
    guardians: tuple[str, ...] = (),
    born: dt.date = dt.date(2015, 3, 1),
) -> dict[str, Any]:
    given, family = name.split(" ", 1)
    record: dict[str, Any] = {
        "id": uid(name),
        "givenName": given,
        "familyName": family,
        "securityMarking": marking,
        "eduPersonPrincipalNames": [f"{given.lower()}.{serial}@ekby.example"],
        "civicNo": {"value": civic_number_for(born, serial)},
        "emails": [{"value": f"{given.lower()}.{serial}@ekby.example", "type": "Skola elev"}],
        "meta": META,
    }
    if enrolled_at:
        record["enrolments"] = [
            {"enroledAt": ref(enrolled_at), "schoolYear": year, "schoolType": "GR"}
        ]
    if guardians:
        record["responsibles"] = [
            {"person": ref(g), "relationType": "Vårdnadshavare"} for g in guardians
        ]
    return record


def duty(name: str, person_name: str, at: str, role: str) -> dict[str, Any]:
    return {
        "id": uid(name),
        "person": ref(person_name),
        "dutyAt": ref(at),
        "dutyRole": role,
        "meta": META,
    }


def group(name: str, at: str, kind: str, members: list[str]) -> dict[str, Any]:
    return {
        "id": uid(name),
        "displayName": name,
        "groupType": kind,
        "schoolType": "GR",
        "organisation": ref(at),
        "groupMemberships": [{"id": uid(f"{name}/{m}"), "person": ref(m)} for m in members],
        "meta": META,
    }


def activity(name: str, at: str, groups: list[str], duties: list[str]) -> dict[str, Any]:
    return {
        "id": uid(name),
        "displayName": name,
        "activityType": "Undervisning",
        "groups": [ref(g) for g in groups],
        "teachers": [{"duty": ref(d)} for d in duties],
        "organisation": ref(at),
        "parentActivity": ref(f"{name}/parent"),
        "meta": META,
    }


PUPILS = [f"Elev{n} Ek" for n in range(1, 9)]


def base_export() -> dict[str, list[dict[str, Any]]]:
    pupils = [
        person(name, 100 + n, enrolled_at="Ekskolan", guardians=(f"Förälder{n + 1} Ek",))
        for n, name in enumerate(PUPILS)
    ]
    pupils[1]["securityMarking"] = "Skyddad folkbokföring"
    guardians = [
        person(f"Förälder{n + 1} Ek", 500 + n, born=dt.date(1985, 5, 5)) for n in range(len(PUPILS))
    ]
    staff = [
        person("Rut Rektorsson", 900, born=dt.date(1970, 1, 1)),
        person("Lars Lärarsson", 901, born=dt.date(1980, 2, 2)),
        person("Kim Kurator", 902, born=dt.date(1982, 3, 3)),
    ]
    return {
        "organisations": [unit("Ekskolan", "12345678"), unit("Aspskolan", "87654321")],
        # the guardians come after their wards: the import must not depend on the order
        "persons": pupils + staff + guardians,
        "duties": [
            duty("d-rektor", "Rut Rektorsson", "Ekskolan", "Rektor"),
            duty("d-larare", "Lars Lärarsson", "Ekskolan", "Lärare"),
            duty("d-kurator", "Kim Kurator", "Ekskolan", "Kurator"),
        ],
        "groups": [
            group("5A", "Ekskolan", "Klass", PUPILS[:4]),
            group("Ma 5A", "Ekskolan", "Undervisning", PUPILS[:4]),
            group("Mentor Lars", "Ekskolan", "Mentor", ["Lars Lärarsson", *PUPILS[:2]]),
            group("Schema 5A", "Ekskolan", "Schema", PUPILS[:4]),
        ],
        "activities": [activity("Matematik 5A", "Ekskolan", ["Ma 5A"], ["d-larare"])],
    }


def write(path: Path, export: dict[str, list[dict[str, Any]]], shape: str = "data") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for kind, records in export.items():
        content: Any = {"data": records} if shape == "data" else {kind: records}
        (path / f"{kind}.json").write_text(json.dumps(content, ensure_ascii=False))
    return path


def changed(export: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return copy.deepcopy(export)

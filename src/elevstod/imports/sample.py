"""A small sample SS 12000 export for the demo: one fictitious school unit with its principal,
teachers, a counsellor, pupils with their guardians, a class, a teaching group, a mentor group
and a mathematics activity. Names are invented; the personal identity numbers have a valid
check digit, like the demo's, and belong to nobody known. ``manage.py ss12000_sample`` writes it.

The records are in the schemas' shape (``{"persons": [...]}``, one file per entity kind, or one
zip) and use the parts of the full standard the import reads: guardians (``responsibles``), the
unit's ``organisationType``, the activity's ``syllabus`` and the mentor's ``assignmentRole``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

from elevstod.organisation.civic import luhn_digit

NAMESPACE = uuid.UUID("0d7f5d1e-3b8a-4c62-9a51-5e2b7c9d4f10")
KINDS = ("organisations", "persons", "duties", "groups", "activities")
META = {"created": "2026-08-01T08:00:00+02:00", "modified": "2026-08-01T08:00:00+02:00"}
UNIT = "Sjöängens skola"
UNIT_CODE = "99000001"
DOMAIN = "sjoangen.example.com"
PUPILS = [
    ("Ella", "Lindkvist"), ("Noah", "Åkesson"), ("Maja", "Forsgren"), ("Liam", "Hedlund"),
    ("Alice", "Nyberg"), ("Hugo", "Sandell"), ("Wilma", "Ekdahl"), ("Elias", "Rydén"),
]  # fmt: skip
STAFF = [
    ("Karin Vikström", "Rektor"),
    ("Johan Berglöf", "Lärare"),
    ("Amira Haddad", "Lärare"),
    ("Petra Almgren", "Kurator"),
    ("Sven Holmér", "Skoladministratör"),
]
MATHS = {"subjectCode": "GRGRMAT01", "subjectName": "Matematik"}


def uid(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, name))


def ref(name: str) -> dict[str, str]:
    return {"id": uid(name)}


def civic_number(born: dt.date, serial: int) -> str:
    nine = f"{born:%y%m%d}{serial:03d}"
    return f"{born:%Y}{nine[2:]}{luhn_digit(nine)}"


def _person(given: str, family: str, born: dt.date, serial: int) -> dict[str, Any]:
    login = f"{given.lower()}.{serial}@{DOMAIN}"
    return {
        "id": uid(f"{given} {family}"),
        "givenName": given,
        "familyName": family,
        "securityMarking": "Ingen",
        "eduPersonPrincipalNames": [login],
        "civicNo": {"value": civic_number(born, serial)},
        "emails": [{"value": login, "type": "Skola personal"}],
        "meta": META,
    }


def _persons() -> list[dict[str, Any]]:
    records = []
    for n, (given, family) in enumerate(PUPILS):
        pupil = _person(given, family, dt.date(2015 + n % 2, 2 + n, 10 + n), 600 + n)
        pupil["emails"] = [{"value": f"{given.lower()}.{600 + n}@{DOMAIN}", "type": "Skola elev"}]
        pupil["enrolments"] = [
            {"enroledAt": ref(UNIT), "schoolYear": 5 - n % 2, "schoolType": "GR"}
        ]
        pupil["responsibles"] = [
            {"person": ref(f"Förälder {family}"), "relationType": "Vårdnadshavare"}
        ]
        records.append(pupil)
    for n, (_given, family) in enumerate(PUPILS):
        guardian = _person("Förälder", family, dt.date(1984, 1 + n, 5 + n), 700 + n)
        guardian["givenName"] = ["Anna", "Erik", "Sara", "Omar", "Lena", "Mats", "Nora", "Pål"][n]
        guardian["emails"] = [{"value": f"forald.{700 + n}@example.se", "type": "Privat"}]
        records.append(guardian)
    for n, (name, _role) in enumerate(STAFF):
        given, family = name.split(" ", 1)
        records.append(_person(given, family, dt.date(1975 + n, 3 + n, 12 + n), 800 + n))
    return records


def _duties() -> list[dict[str, Any]]:
    duties = []
    for name, role in STAFF:
        duty: dict[str, Any] = {
            "id": uid(f"duty {name}"),
            "person": ref(name),
            "dutyAt": ref(UNIT),
            "dutyRole": role,
            "meta": META,
        }
        if name == "Johan Berglöf":
            duty["assignmentRole"] = [
                {"group": ref("Mentor Johan"), "assignmentRoleType": "Mentor"}
            ]
        duties.append(duty)
    return duties


def _group(name: str, kind: str, members: list[str]) -> dict[str, Any]:
    return {
        "id": uid(name),
        "displayName": name,
        "groupType": kind,
        "schoolType": "GR",
        "organisation": ref(UNIT),
        "groupMemberships": [{"id": uid(f"{name}/{m}"), "person": ref(m)} for m in members],
        "meta": META,
    }


def sample_export() -> dict[str, list[dict[str, Any]]]:
    """The sample, per entity kind (``KINDS``)."""
    pupils = [f"{given} {family}" for given, family in PUPILS]
    fifth = [p for n, p in enumerate(pupils) if n % 2 == 0]
    return {
        "organisations": [
            {
                "id": uid(UNIT),
                "displayName": UNIT,
                "schoolUnitCode": UNIT_CODE,
                "organisationType": "Skolenhet",
                "meta": META,
            }
        ],
        "persons": _persons(),
        "duties": _duties(),
        "groups": [
            _group("4A", "Klass", [p for p in pupils if p not in fifth]),
            _group("5A", "Klass", fifth),
            _group("Ma 5A", "Undervisning", fifth),
            _group("Mentor Johan", "Mentor", pupils[:4]),
        ],
        "activities": [
            {
                "id": uid("Matematik 5A"),
                "displayName": "Matematik 5A",
                "activityType": "Undervisning",
                "groups": [ref("Ma 5A")],
                "teachers": [{"duty": ref("duty Amira Haddad")}],
                "organisation": ref(UNIT),
                "parentActivity": ref("Matematik 5A/parent"),
                "syllabus": MATHS,
                "meta": META,
            }
        ],
    }


def sample_write(path: Path) -> Path:
    """Write the sample to ``path``: a zip when it ends in ``.zip``, else a folder of files."""
    files = {
        f"{kind}.json": json.dumps({kind: records}, ensure_ascii=False, indent=1)
        for kind, records in sample_export().items()
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.items():
                archive.writestr(name, content)
        return path
    path.mkdir(exist_ok=True)
    for name, content in files.items():
        (path / name).write_text(content, encoding="utf-8")
    return path

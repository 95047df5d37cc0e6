"""No log line holds a pupil's name or personal identity number (docs/deployment.md, "Logs").

The demo is loaded, a principal and a guardian walk the site by following its links (the pupil
pages, the support records, the unit's overviews, a search for a pupil by name), and everything
logged at INFO and above, formatted as production formats it (JSON lines), is scanned for every
demo person's name and personal identity number."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

from django.core.management import call_command

import pytest

from elevstod.accounts.models import User
from elevstod.core.logs import JsonFormatter
from elevstod.organisation.models import Person

PUPILS = 40
MAX_PAGES = 90
_LINK = re.compile(r'href="(/[^"#?]*)(?:\?[^"#]*)?"')
_SKIP = ("/static/", "/i18n/", "/konto/logga-ut/", "/konto/saml/")
_SUPPORT_RECORD = re.compile(
    r"^/(anpassningar|atgardsprogram|utredningar|anmalningar|beslut|overklaganden)/\d+/$"
)


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """What production's handlers would write: every record at INFO and up, as JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def _priority(path: str) -> int:
    """Support records first, then pupils, then the rest (groups are many and alike)."""
    if _SUPPORT_RECORD.match(path):
        return 0
    return 1 if path.startswith("/elever/") else 2


def _walk(client, start: list[str]) -> list[str]:
    """GET the start pages, then the same-site pages they link to, support records first."""
    seen: list[str] = []
    queue = list(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or path.startswith(_SKIP):
            continue
        seen.append(path)
        response = client.get(path)
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(m.group(1) for m in _LINK.finditer(response.content.decode()))
            queue.sort(key=_priority)  # stable: start pages keep their order
    return seen


def _identities() -> set[str]:
    found: set[str] = set()
    for given, family, civic in Person.objects.values_list(
        "given_name", "family_name", "civic_number"
    ):
        found.add(f"{given} {family}")
        if len(family) >= 4:
            found.add(family)
        if civic:
            digits = re.sub(r"\D", "", civic)
            found |= {civic, digits, f"{digits[2:8]}-{digits[8:]}", digits[2:]}
    return found


@pytest.mark.django_db
def test_walking_the_pupil_pages_logs_no_name_and_no_personal_identity_number(client, captured):
    # given the demo, and a principal who sees every pupil of the unit (protected one included)
    call_command("seed_demo", "--pupils", str(PUPILS), stdout=io.StringIO())
    principal = User.objects.get(username="rektor")
    pupil = Person.objects.filter(placements__isnull=False).order_by("pk").first()
    assert pupil is not None
    client.force_login(principal)
    # when the principal walks the site and searches for a pupil by name
    walked = _walk(
        client, ["/", f"/elever/?q={pupil.family_name}", "/elever/x/", "/elever/?page=z"]
    )
    client.force_login(User.objects.get(username="vardnadshavare"))
    walked += _walk(client, ["/"])
    # then the walk reached the pupils' pages and their support
    assert sum(p.startswith("/elever/") for p in walked) >= 10
    reached = {p.split("/")[1] for p in walked if _SUPPORT_RECORD.match(p)}
    assert {"anpassningar", "atgardsprogram", "utredningar", "beslut"} <= reached
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    requests = [line for line in lines if line["logger"] == "elevstod.request"]
    assert len(requests) >= len(walked)
    assert {line["user_id"] for line in requests} >= {principal.pk}
    assert all(line["request_id"] and line["duration_ms"] >= 0 for line in requests)
    # and not one line names a person or gives a personal identity number
    text = captured.getvalue()
    leaked = sorted(identity for identity in _identities() if identity in text)
    assert leaked == []


def test_an_exception_is_logged_by_its_type_and_frames_never_its_message():
    # given an error whose message repeats a value, as a database error does
    try:
        raise ValueError("Key (civic_number)=(20150312-1234) already exists")
    except ValueError:
        record = logging.getLogger("elevstod.test").makeRecord(
            "elevstod.test", logging.ERROR, __file__, 1, "Internal Server Error: %s",
            ("/elever/1/",), exc_info=__import__("sys").exc_info(),
        )  # fmt: skip
    # when it is formatted as production formats it
    line = json.loads(JsonFormatter().format(record))
    # then
    assert line["message"] == "Internal Server Error: /elever/1/"
    assert line["exception"] == "ValueError"
    assert any("test_an_exception_is_logged" in frame for frame in line["frames"])
    assert "20150312" not in json.dumps(line)

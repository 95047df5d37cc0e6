"""Every code the logs can hold has a label in words, declared by the app that owns it."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from django.utils import translation

import pytest

from elevstod.audit.labels import event_label, purpose_label, reasons_label, registry
from elevstod.organisation.access import Reason

SOURCE = Path(__file__).resolve().parents[2] / "src" / "elevstod"
DOTTED = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
APP_CODE = re.compile(
    r"^(accounts|api|audit|conversations|documents|imports|organisation|overviews|support)(\.[a-z_]+)+$"
)
REASON = re.compile(r"^[A-Z][A-Z_]{2,}$")
# Where codes are declared rather than used.
DECLARING = {"audit_labels.py", "labels.py", "messages.py"}


def _trees() -> Iterator[ast.AST]:
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" not in path.parts and path.name not in DECLARING:
            yield ast.parse(path.read_text(), filename=str(path))


def _codes_anywhere() -> set[str]:
    """Every string in the source shaped like a log code of an app (``support.x.y``)."""
    return {s for tree in _trees() for s in _strings(tree) if APP_CODE.match(s)}


def _strings(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _collect() -> tuple[set[str], set[str], set[str]]:
    """Purposes (``purpose=`` of any call), event codes (``code=`` of any call and the first
    argument of the services' ``_audit`` helpers) and reasons (``reasons=`` or ``reason=`` of any
    call, the log scope's reason, and what the ``*_reason`` functions return), as written in the
    source."""
    purposes: set[str] = set()
    events: set[str] = set()
    reasons: set[str] = set()
    for tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                keywords = {k.arg: k.value for k in node.keywords}
                purposes |= _strings(keywords.get("purpose"))
                events |= _strings(keywords.get("code"))
                reasons |= _strings(keywords.get("reasons")) | _strings(keywords.get("reason"))
                if _name(node) == "_audit" and node.args:
                    events |= _strings(node.args[0])
                if _name(node) == "LogScope":
                    reasons |= set().union(*(_strings(a) for a in node.args))
            if isinstance(node, ast.FunctionDef) and node.name.endswith("reason"):
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return):
                        reasons |= _strings(ret.value)
    return (
        {p for p in purposes if DOTTED.match(p)},
        {e for e in events if DOTTED.match(e)},
        {r for r in reasons if REASON.match(r)} | {str(r) for r in Reason},
    )


def test_every_purpose_event_code_and_reason_in_the_code_base_has_a_label():
    purposes, events, reasons = _collect()
    # the scan finds what it should, so that an empty scan cannot pass
    assert {"support.adaptation.page", "audit.register_extract"} <= purposes
    assert {"support.adaptation.ended", "support.appeal.ruled", "accounts.step_up.failed"} <= events
    assert {"PRINCIPAL_OF_PROGRAMME_UNIT", "DATA_PROTECTION_OFFICER", "TEACHER"} <= reasons
    labels = registry()
    assert sorted(purposes - labels.purposes.keys()) == []
    assert sorted(events - labels.events.keys()) == []
    assert sorted(reasons - labels.reasons.keys()) == []
    # codes passed on by helpers (``_pupil_grant(actor, pk, "support.decision.page", …)``)
    assert sorted(_codes_anywhere() - labels.purposes.keys() - labels.events.keys()) == []


def test_no_label_is_left_behind_for_a_code_nobody_uses():
    used = _codes_anywhere()
    reasons = _collect()[2]
    labels = registry()
    assert sorted(labels.purposes.keys() - used) == []
    assert sorted(labels.events.keys() - used) == []
    assert sorted(labels.reasons.keys() - reasons) == []


def test_labels_are_words_in_swedish():
    with translation.override("sv"):
        assert purpose_label("support.adaptation.page") == "Läste elevens extra anpassningar"
        assert event_label("support.adaptation.changed") == "Ändrade en extra anpassning"
        assert (
            reasons_label("PRINCIPAL,TEACHER") == "rektor på elevens skolenhet, undervisar eleven"
        )


@pytest.mark.parametrize(
    ("label", "code"),
    [(purpose_label, "legacy.pupil.viewed"), (event_label, "legacy.thing.done")],
)
def test_an_unknown_legacy_code_is_shown_as_it_is(label, code):
    assert label(code) == code


def test_an_unknown_legacy_reason_is_shown_as_it_is_next_to_known_ones():
    with translation.override("sv"):
        assert reasons_label("OLD_RULE,MENTOR") == "OLD_RULE, elevens mentor"
    assert reasons_label("") == ""

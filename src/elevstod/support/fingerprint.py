"""Which version of a decision a party received: a fingerprint of the decision record.

A decision is written once and never changed (the database refuses it), so its fingerprint is
stable; recording it with the party's receipt shows which text the party confirmed, also if a
document rendered from it (a PDF) changes its layout later."""

from __future__ import annotations

import hashlib
import json

from .models import Decision

FIELDS = (
    "pk",
    "kind",
    "pupil_id",
    "unit_id",
    "decided_on",
    "decided_by_id",
    "delegation_id",
    "reasons",
    "appealable",
    "law",
    "appeal_instructions",
    "content",
)


def decision_fingerprint(decision: Decision) -> str:
    """SHA-256 of the decision's recorded fields, as canonical JSON (64 hex digits)."""
    record = {field: getattr(decision, field) for field in FIELDS}
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

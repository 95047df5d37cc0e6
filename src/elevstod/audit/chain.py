"""Tamper evidence: every audit and access-log row carries the hash of the row before it.

The hash of a row is SHA-256 over the previous row's hash and the row's own content in a fixed
form. Rows are chained in id order; writers take a lock first (PostgreSQL: a transaction-level
advisory lock per table; SQLite: writes are serialised by the database), so ids and the chain
agree. ``chain_verify`` recomputes the chain and reports the first row that does not match:
a changed row, a removed row or a row inserted out of turn."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

GENESIS = "0" * 64
FIELDS: dict[str, tuple[str, ...]] = {
    "audit_auditevent": (
        "occurred_at",
        "code",
        "actor_id",
        "actor_label",
        "pupil_id",
        "unit_id",
        "object_type",
        "object_id",
        "data",
    ),
    "audit_accesslogentry": (
        "occurred_at",
        "actor_id",
        "actor_label",
        "pupil_id",
        "purpose",
        "reasons",
        "granted",
        "path",
    ),
}
_LOCK_KEYS = {"audit_auditevent": 7_301_001, "audit_accesslogentry": 7_301_002}


def _canonical(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def row_hash(prev_hash: str, table: str, values: dict[str, Any]) -> str:
    content = {name: _canonical(values[name]) for name in FIELDS[table]}
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{prev_hash}|{payload}".encode()).hexdigest()


def link(row: models.Model) -> None:
    """Set ``prev_hash`` and ``hash`` on an unsaved row. Call inside the transaction that saves
    it, right before saving."""
    table = row._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[table]])
    last = type(row)._default_manager.order_by("-id").values_list("hash", flat=True).first()
    prev = last or GENESIS
    row.prev_hash = prev  # type: ignore[attr-defined]
    row.hash = row_hash(prev, table, {f: getattr(row, f) for f in FIELDS[table]})  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ChainReport:
    table: str
    rows: int
    first_broken_id: int | None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None


def chain_verify(model: type[models.Model], *, batch: int = 2000) -> ChainReport:
    """Walk the table in id order and recompute every link."""
    table = model._meta.db_table
    prev, count = GENESIS, 0
    for row in _rows(model, table, batch):
        count += 1
        if row["prev_hash"] != prev:
            return ChainReport(table, count, row["id"], "the link to the previous row is broken")
        if row_hash(prev, table, row) != row["hash"]:
            return ChainReport(table, count, row["id"], "the row's content was changed")
        prev = row["hash"]
    return ChainReport(table, count, None)


def _rows(model: type[models.Model], table: str, batch: int) -> Iterator[dict[str, Any]]:
    last_id = 0
    fields = ("id", "prev_hash", "hash", *FIELDS[table])
    while True:
        chunk = list(
            model._default_manager.filter(id__gt=last_id).order_by("id").values(*fields)[:batch]
        )
        if not chunk:
            return
        yield from chunk
        last_id = chunk[-1]["id"]

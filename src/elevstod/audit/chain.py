"""Tamper evidence: every audit and access-log row carries a keyed hash over the row before it.

The hash of a row is an HMAC-SHA256, keyed with ``ELEVSTOD_AUDIT_KEY`` (from the environment,
never in the database), over the previous row's hash and the row's own content in a fixed
form; someone who can write to the database but does not hold the key cannot recompute it.
Rows written before the key was introduced carry ``hash_version`` 0 (a plain SHA-256, the
same form without the key); they still verify, but only as a prefix: a row without the key
after a keyed row is refused, and so is one at or after the first keyed row a signed
checkpoint knows of (``checkpoints.py``).

Rows are chained in id order; writers take a lock first (PostgreSQL: a transaction-level
advisory lock per table; SQLite: writes are serialised by the database), so ids and the chain
agree. ``chain_verify`` recomputes the chain, compares it with the latest signed checkpoint of
the chain's head (which catches rows removed from the end, and a chain rewritten wholesale),
and reports the first row that does not match."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, models, transaction

from .checkpoints import Checkpoint, audit_key, checkpoint_latest

GENESIS = "0" * 64
UNKEYED, KEYED = 0, 1  # hash_version: plain SHA-256 (before keys), HMAC-SHA256 with the key
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


def row_hash(prev_hash: str, table: str, values: dict[str, Any], version: int = KEYED) -> str:
    content = {name: _canonical(values[name]) for name in FIELDS[table]}
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    message = f"{prev_hash}|{payload}".encode()
    if version == UNKEYED:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def link(row: models.Model) -> None:
    """Set ``prev_hash``, ``hash`` and ``hash_version`` on an unsaved row. Call inside the
    transaction that saves it, right before saving."""
    table = row._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[table]])
    last = type(row)._default_manager.order_by("-id").values_list("hash", flat=True).first()
    prev = last or GENESIS
    values = {f: getattr(row, f) for f in FIELDS[table]}
    row.prev_hash = prev  # type: ignore[attr-defined]
    row.hash_version = KEYED  # type: ignore[attr-defined]
    row.hash = row_hash(prev, table, values, KEYED)  # type: ignore[attr-defined]


def link_many(rows: Sequence[models.Model]) -> None:
    """``link`` for several unsaved rows of one table, chained in their order (one lock, one
    read of the head); save them in that order in the same transaction."""
    if not rows:
        return
    link(rows[0])
    table = rows[0]._meta.db_table
    for before, row in itertools.pairwise(rows):
        prev = before.hash  # type: ignore[attr-defined]
        values = {f: getattr(row, f) for f in FIELDS[table]}
        row.prev_hash = prev  # type: ignore[attr-defined]
        row.hash_version = KEYED  # type: ignore[attr-defined]
        row.hash = row_hash(prev, table, values, KEYED)  # type: ignore[attr-defined]


_TRIES = 3  # then wait for the lock: at a busy moment, that is cheaper than trying again


def insert_chained(rows: Sequence[models.Model]) -> None:
    """Link unsaved rows of one table to the head of their chain and insert them, in order.

    Inside a transaction, and on SQLite, under the table's lock (``link_many``). On PostgreSQL
    outside any transaction, without waiting for it: the head is read, the rows are linked to
    it and inserted in one statement that runs only if it gets the lock at once
    (``pg_try_advisory_xact_lock``, held to its end), so a writer holding the lock keeps the head
    it read. Every row's previous hash is unique (a constraint), so a row linked to a head that
    another writer has extended meanwhile is refused; then the rows are linked to the new head.
    Two statements where the lock costs five (begin, lock, head, insert, commit), and page views
    on several servers do not wait for each other."""
    if not rows:
        return
    if (
        connection.vendor != "postgresql"
        or connection.in_atomic_block
        or not connection.get_autocommit()
    ):
        with transaction.atomic():
            link_many(rows)
            type(rows[0])._default_manager.bulk_create(rows)
        return
    for _ in range(_TRIES):
        _link_to(rows, _head(type(rows[0])))
        if _insert_if_unlocked(rows):
            return
    with transaction.atomic():  # a busy moment: wait for the lock like the other writers
        link_many(rows)
        type(rows[0])._default_manager.bulk_create(rows)


def _head(model: type[models.Model]) -> str:
    last = model._default_manager.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS


def _link_to(rows: Sequence[models.Model], prev: str) -> None:
    table = rows[0]._meta.db_table
    for row in rows:
        values = {f: getattr(row, f) for f in FIELDS[table]}
        row.prev_hash = prev  # type: ignore[attr-defined]
        row.hash_version = KEYED  # type: ignore[attr-defined]
        row.hash = prev = row_hash(prev, table, values, KEYED)  # type: ignore[attr-defined]


def _insert_if_unlocked(rows: Sequence[models.Model]) -> bool:
    """Insert the rows in one statement if the table's lock is free; ``False`` if it was not,
    or if the head had moved on (the unique previous hash refused the first row)."""
    meta = rows[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    # Cast to the column's type without its length: a cast to varchar(n) would cut a value.
    cast = ", ".join(f"%s::{str(f.db_type(connection)).split('(')[0]}" for f in fields)
    plain = ", ".join("%s" for _ in fields)
    values = ", ".join(f"({cast if n == 0 else plain})" for n in range(len(rows)))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = (  # the names are the model's own, quoted; every value is a parameter
        f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "  # noqa: S608
        f"SELECT * FROM (VALUES {values}) AS v WHERE pg_try_advisory_xact_lock(%s) "
        f"RETURNING {connection.ops.quote_name(meta.pk.column)}"
    )
    params = [f.get_db_prep_save(getattr(r, f.attname), connection) for r in rows for f in fields]
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, _LOCK_KEYS[meta.db_table]])
            ids = [found[0] for found in cursor.fetchall()]
    except IntegrityError:
        return False
    for row, pk in zip(rows, ids, strict=False):
        row.pk = pk
        row._state.adding, row._state.db = False, connection.alias
    return bool(ids)


@dataclass(frozen=True)
class ChainReport:
    table: str
    rows: int
    first_broken_id: int | None
    reason: str = ""
    checkpoint: Checkpoint | None = None
    head: Checkpoint | None = None  # the verified head, when intact

    @property
    def intact(self) -> bool:
        return self.first_broken_id is None and not self.reason


@dataclass
class _Walk:
    table: str
    checkpoint: Checkpoint | None
    prev: str = GENESIS
    count: int = 0
    last_id: int = 0
    keyed_from: int | None = None
    seen_checkpoint_row: bool = False

    def step(self, row: dict[str, Any]) -> str:
        """Check one row; an empty answer when it is sound, else why not."""
        self.count += 1
        if row["prev_hash"] != self.prev:
            return "the link to the previous row is broken"
        if row["hash_version"] == UNKEYED and self._must_be_keyed(row["id"]):
            return "a row without the key where the chain is keyed (the chain was rewritten)"
        if row["hash_version"] not in (UNKEYED, KEYED):
            return "a row of an unknown hash version"
        if not hmac.compare_digest(
            row_hash(self.prev, self.table, row, row["hash_version"]), row["hash"]
        ):
            return "the row's content was changed (or its hash made without the key)"
        if row["hash_version"] == KEYED and self.keyed_from is None:
            self.keyed_from = row["id"]
        self.prev, self.last_id = row["hash"], row["id"]
        return self._against_checkpoint(row)

    def _must_be_keyed(self, row_id: int) -> bool:
        if self.keyed_from is not None:
            return True
        cp = self.checkpoint
        return cp is not None and cp.keyed_from is not None and row_id >= cp.keyed_from

    def _against_checkpoint(self, row: dict[str, Any]) -> str:
        cp = self.checkpoint
        if cp is None or row["id"] != cp.last_id:
            return ""
        self.seen_checkpoint_row = True
        if row["hash"] != cp.last_hash or self.count != cp.rows:
            return "the log differs from its signed checkpoint (rows were rewritten or removed)"
        return ""

    def end(self) -> str:
        cp = self.checkpoint
        if cp is None or cp.rows == 0 or self.seen_checkpoint_row:
            return ""
        return (
            f"rows were removed: the signed checkpoint of {cp.at} counted {cp.rows} rows up to "
            f"id {cp.last_id}, the log now has {self.count}"
        )


def chain_verify(model: type[models.Model], *, batch: int = 2000) -> ChainReport:
    """Walk the table in id order, recompute every link and compare with the checkpoint."""
    table = model._meta.db_table
    checkpoint, forged = checkpoint_latest(table)
    walk = _Walk(table, checkpoint)
    if forged:
        return ChainReport(table, 0, None, forged, checkpoint)
    for row in _rows(model, table, batch):
        reason = walk.step(row)
        if reason:
            return ChainReport(table, walk.count, row["id"], reason, checkpoint)
    reason = walk.end()
    if reason:
        broken = checkpoint.last_id if checkpoint else None
        return ChainReport(table, walk.count, broken, reason, checkpoint)
    head = Checkpoint.of(table, walk.count, walk.last_id, walk.prev, walk.keyed_from)
    return ChainReport(table, walk.count, None, "", checkpoint, head)


def _rows(model: type[models.Model], table: str, batch: int) -> Iterator[dict[str, Any]]:
    last_id = 0
    fields = ("id", "prev_hash", "hash", "hash_version", *FIELDS[table])
    while True:
        chunk = list(
            model._default_manager.filter(id__gt=last_id).order_by("id").values(*fields)[:batch]
        )
        if not chunk:
            return
        yield from chunk
        last_id = chunk[-1]["id"]

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
import json
from collections.abc import Callable, Iterator, Sequence
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
    link_many([row])


def link_many(rows: Sequence[models.Model]) -> None:
    """``link`` for several unsaved rows of one table, chained in their order (one lock, one
    read of the head); save them in that order in the same transaction."""
    if not rows:
        return
    fields = FIELDS[rows[0]._meta.db_table]
    contents = [{f: getattr(row, f) for f in fields} for row in rows]
    for row, (prev, digest) in zip(rows, chain_links(type(rows[0]), contents), strict=True):
        row.prev_hash = prev  # type: ignore[attr-defined]
        row.hash_version = KEYED  # type: ignore[attr-defined]
        row.hash = digest  # type: ignore[attr-defined]


def chain_links(
    model: type[models.Model], contents: Sequence[dict[str, Any]], *, head: str | None = None
) -> list[tuple[str, str]]:
    """The ``(prev_hash, hash)`` of new rows of ``model``'s table with these contents (each
    row's ``FIELDS``), chained in their order after the chain's head: the table's lock
    taken, its head read (write the rows in that order, keyed, ``KEYED``, in the same
    transaction); or after ``head`` as given (``append_chained``)."""
    table = model._meta.db_table
    if head is None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[table]])
        head = _head(model)
    prev = head
    links = []
    for values in contents:
        digest = row_hash(prev, table, values, KEYED)
        links.append((prev, digest))
        prev = digest
    return links


def _head(model: type[models.Model]) -> str:
    last = model._default_manager.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS


_TRIES = 3  # then wait for the lock: at a busy moment, that is cheaper than trying again
Write = Callable[[list[tuple[str, str]], int | None], bool]


def append_chained(
    model: type[models.Model], contents: Sequence[dict[str, Any]], write: Write
) -> None:
    """Append rows with these contents at the head of ``model``'s chain, in order:
    ``write(links, lock)`` inserts them with their links, and, given the table's lock key,
    only if that lock is free at once, saying whether it wrote.

    Inside a transaction, and on SQLite, under the table's lock (``chain_links``). On
    PostgreSQL outside any transaction, without waiting for it: the head is read, the rows are
    linked to it and inserted in one statement that runs only if it gets the lock at once
    (``pg_try_advisory_xact_lock``, held to its end), so a writer holding the lock keeps the
    head it read. Every row's previous hash is unique (a constraint), so a row linked to a
    head that another writer has extended meanwhile is refused; then the rows are linked to
    the new head. Two statements where the lock costs five (begin, lock, head, insert,
    commit), and page views on several servers do not wait for each other."""
    if not contents:
        return
    if (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and connection.get_autocommit()
    ):
        for _ in range(_TRIES):
            try:
                if write(
                    chain_links(model, contents, head=_head(model)),
                    _LOCK_KEYS[model._meta.db_table],
                ):
                    return
            except IntegrityError:
                continue
    with transaction.atomic():  # a busy moment, or a transaction: wait for the lock
        write(chain_links(model, contents), None)


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

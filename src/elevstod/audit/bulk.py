"""Appending many rows to a hash-chained log at once, for bulk loaders.

``ChainWriter`` makes the same links as ``chain.link`` (the same lock, the same keyed hash over
the previous row's hash and the row's content), but computes them in memory from the last
row's hash and writes the rows with ``bulk_create`` in batches, giving ids in chain order so
that the id order and the chain agree. Use it inside one transaction; ``close`` writes what is
left and moves the id sequence past the rows written."""

from __future__ import annotations

from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from .chain import _LOCK_KEYS, FIELDS, GENESIS, KEYED, row_hash


class ChainWriter:
    def __init__(self, model: type[models.Model], batch: int = 5000) -> None:
        if not connection.in_atomic_block:
            raise RuntimeError("a chain writer must run inside a transaction")
        self.model, self.batch = model, batch
        self.table = model._meta.db_table
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEYS[self.table]])
        last = model._default_manager.order_by("-id").values_list("id", "hash").first()
        self.next_id: int = last[0] + 1 if last else 1
        self.prev: str = last[1] if last else GENESIS
        self.pending: list[models.Model] = []
        self.count = 0

    def add(self, **values: Any) -> None:
        row = self.model(id=self.next_id, **values)
        content = {f: getattr(row, f) for f in FIELDS[self.table]}
        row.prev_hash = self.prev  # type: ignore[attr-defined]
        row.hash_version = KEYED  # type: ignore[attr-defined]
        self.prev = row_hash(self.prev, self.table, content, KEYED)
        row.hash = self.prev  # type: ignore[attr-defined]
        self.pending.append(row)
        self.next_id += 1
        self.count += 1
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        self.model._default_manager.bulk_create(self.pending, batch_size=self.batch)
        self.pending = []

    def close(self) -> None:
        self.flush()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)

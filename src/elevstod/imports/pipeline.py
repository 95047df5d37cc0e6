"""Reading the next batch while the database writes this one.

A run is two kinds of work one after the other: reading a batch (fetching the page, parsing
the JSON, checking each record, its fingerprint) in Python, and writing it, mostly waiting for
the database. ``prepared`` reads the batches in a thread of its own, at most ``AHEAD`` batches
ahead (memory stays bounded), while the caller writes; psycopg lets the reading thread run
while the caller waits for the database. The reading thread never touches the database: what
it makes is plain values (``Prepared``); the caller applies each batch, in order, in its own
transaction, and reports the refused records in the order they came, as before.

The reading thread uses the caller's language, so a reason is worded as it would be in the
caller's thread; an error of the source (``SourceError``) is raised in the caller's thread at
the batch where it happened.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

AHEAD = 2
_END = object()


@dataclass
class Prepared:
    """A batch as read: the records by their id, the refused ones (id, why) in order, the
    fingerprints, and what the kind reads of each record (``extra``, by id)."""

    known: dict[str, Any] = field(default_factory=dict)
    refused: list[tuple[str, Promise | str]] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    size: int = 0  # records in the batch


@dataclass
class _Failed:
    error: BaseException


def prepared(
    chunks: Iterator[list[Any]], prepare: Callable[[list[Any]], Prepared], ahead: int = AHEAD
) -> Iterator[Prepared]:
    """``prepare(chunk)`` of each chunk, read in a thread at most ``ahead`` chunks ahead."""
    out: queue.Queue[Any] = queue.Queue(maxsize=ahead)
    stop = threading.Event()
    language = translation.get_language()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        with translation.override(language):
            try:
                for chunk in chunks:
                    if not put(prepare(chunk)):
                        return
            except BaseException as error:  # raised in the caller's thread
                put(_Failed(error))
                return
            put(_END)

    reader = threading.Thread(target=read, name="import-reader", daemon=True)
    reader.start()
    try:
        while (item := out.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        reader.join()

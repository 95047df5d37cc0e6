"""Signed checkpoints of the audit chains' heads, kept outside the database.

A checkpoint says, for one table: how many rows the chain had, the id and hash of its last
row, and the id of its first keyed row; it is signed with an HMAC under ``ELEVSTOD_AUDIT_KEY``.
Checkpoints are appended as JSON lines to ``ELEVSTOD_AUDIT_CHECKPOINT_FILE`` and, when
``ELEVSTOD_AUDIT_CHECKPOINT_SYSLOG`` names a syslog address, sent there too (a copy on another
machine survives someone who can change this one). Someone who can change the database but
does not hold the key can neither forge a checkpoint nor make the log agree with one after
removing or rewriting rows. ``manage.py verify_audit_chain`` writes one after each successful
verification; run it regularly (docs/operations.md)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import logging.handlers
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

PREFIX = "elevstod-audit-checkpoint "


def audit_key() -> bytes:
    """The secret of the log's hashes and checkpoints, from the environment (never stored in
    the database)."""
    key = str(getattr(settings, "ELEVSTOD_AUDIT_KEY", ""))
    if not key:
        raise ImproperlyConfigured("ELEVSTOD_AUDIT_KEY must be set to sign the audit log")
    return key.encode()


@dataclass(frozen=True)
class Checkpoint:
    table: str
    rows: int
    last_id: int
    last_hash: str
    keyed_from: int | None
    at: str

    @classmethod
    def of(
        cls, table: str, rows: int, last_id: int, last_hash: str, keyed_from: int | None
    ) -> Checkpoint:
        at = timezone.now().isoformat(timespec="seconds")
        return cls(table, rows, last_id, last_hash, keyed_from, at)

    def signature(self) -> str:
        body = json.dumps(asdict(self), sort_keys=True)
        return hmac.new(audit_key(), body.encode(), hashlib.sha256).hexdigest()

    def line(self) -> str:
        return json.dumps({**asdict(self), "signature": self.signature()}, sort_keys=True)


def _parse(line: str) -> tuple[Checkpoint | None, bool]:
    """(the checkpoint, whether its signature is good); (None, False) for what is no checkpoint."""
    try:
        data = json.loads(line.removeprefix(PREFIX))
        signature = str(data.pop("signature"))
        checkpoint = Checkpoint(**data)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None, False
    return checkpoint, hmac.compare_digest(signature, checkpoint.signature())


def checkpoint_latest(table: str) -> tuple[Checkpoint | None, str]:
    """The latest checkpoint of ``table`` in the file, and a complaint when a line of the file
    does not carry a good signature (forged, or signed with another key)."""
    path = settings.ELEVSTOD_AUDIT_CHECKPOINT_FILE
    if not path or not Path(path).exists():
        return None, ""
    latest: Checkpoint | None = None
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            checkpoint, good = _parse(line)
            if not good:
                return latest, f"line {number} of the checkpoint file is not a signed checkpoint"
            if checkpoint is not None and checkpoint.table == table:
                latest = checkpoint
    return latest, ""


def checkpoint_write(checkpoint: Checkpoint) -> list[str]:
    """Append the checkpoint to the file and send it to syslog, as configured; returns where
    it went (empty: no place is configured)."""
    line, places = checkpoint.line(), []
    path = settings.ELEVSTOD_AUDIT_CHECKPOINT_FILE
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as out:
            out.write(line + "\n")
            out.flush()
            os.fsync(out.fileno())
        places.append(str(path))
    address = settings.ELEVSTOD_AUDIT_CHECKPOINT_SYSLOG
    if address:
        _syslog(address, PREFIX + line)
        places.append(f"syslog {address}")
    return places


def _syslog(address: str, message: str) -> None:
    host, _sep, port = address.rpartition(":")
    target: Any = (host, int(port)) if host and port.isdigit() else address
    handler = logging.handlers.SysLogHandler(address=target)
    try:
        record = logging.LogRecord("elevstod.audit", logging.INFO, "", 0, message, None, None)
        handler.emit(record)
    finally:
        handler.close()

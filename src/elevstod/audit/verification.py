"""Verifying both audit chains, then signing their heads (the one entry point for the command
and the data protection officer's page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .chain import ChainReport, chain_verify
from .checkpoints import checkpoint_write
from .models import AccessLogEntry, AuditEvent


@dataclass(frozen=True)
class Verification:
    reports: list[ChainReport]
    checkpointed: list[str] = field(default_factory=list)
    checkpoint_error: str = ""

    @property
    def intact(self) -> bool:
        return all(r.intact for r in self.reports)


def chains_verify(*, checkpoint: bool = True) -> Verification:
    """Verify both chains; when both are intact (and ``checkpoint``), write signed checkpoints
    of their heads, so that later removals from the end are found."""
    reports = [chain_verify(AuditEvent), chain_verify(AccessLogEntry)]
    places: list[str] = []
    if not (checkpoint and all(r.intact for r in reports)):
        return Verification(reports)
    try:
        for report in reports:
            if report.head is not None:
                places = checkpoint_write(report.head)
    except OSError as error:  # e.g. the file is not writable by this process
        return Verification(reports, checkpoint_error=f"{type(error).__name__}: {error}")
    return Verification(reports, sorted(set(places)))

"""Append-only logs: what was changed (AuditEvent) and who read what about a pupil (AccessLogEntry).

Rows refer to people by id and a snapshot label, without foreign keys, so that nothing in the
rest of the database can cascade into them. The database itself refuses UPDATE and DELETE on
both tables (triggers, see migration 0002), on SQLite and PostgreSQL alike, and each row carries
a keyed hash over the row before it (``chain.py``), so an altered or removed row breaks the
chain, and signed checkpoints outside the database (``checkpoints.py``) catch rows removed
from the end.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import DISPOSABLE_KINDS, validate_disposable_kind


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    code = models.CharField(
        _("event"), max_length=100, db_index=True
    )  # e.g. organisation.person.created
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=200, blank=True)
    pupil_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    unit_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    hash_version = models.PositiveSmallIntegerField(default=0)  # chain.py: 0 unkeyed, 1 keyed

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.code}"


class AccessLogEntry(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=200, blank=True)
    pupil_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    purpose = models.CharField(max_length=100)  # what was read, e.g. organisation.pupil.page
    reasons = models.CharField(max_length=200, blank=True)  # the access rules that allowed it
    granted = models.BooleanField()
    path = models.CharField(max_length=300, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    hash_version = models.PositiveSmallIntegerField(default=0)  # chain.py: 0 unkeyed, 1 keyed

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            # The chain cannot fork: writers that do not wait for the lock rely on it
            # (``chain.append_chained``). Rows from before the chain have no link.
            models.UniqueConstraint(
                fields=["prev_hash"],
                condition=~models.Q(prev_hash=""),
                name="access_log_one_row_per_link",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.purpose} {self.pupil_id}"


class RetentionRule(models.Model):
    """How long a kind of record is kept after the pupil has left the organiser's schools
    (the organiser's records-management plan). No years: kept for good (bevaras)."""

    organiser = models.ForeignKey(
        "organisation.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    # One of the kinds the owning apps declare (``registry.DISPOSABLE_KINDS``), not a fixed list.
    kind = models.CharField(max_length=30, validators=[validate_disposable_kind])
    keep_years = models.PositiveSmallIntegerField(
        _("years kept after the pupil left"), null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organiser", "kind"], name="one_rule_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.keep_years}"


class DisposalRun(models.Model):
    """A disposal: first a dry run listing what would be removed, then the data protection
    officer's confirmation, which removes exactly those records and keeps only this trace."""

    class State(models.TextChoices):
        DRY_RUN = "DRY_RUN", _("dry run")
        CONFIRMED = "CONFIRMED", _("carried out")

    organiser = models.ForeignKey(
        "organisation.Organiser", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=30, validators=[validate_disposable_kind])
    cutoff = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRY_RUN)
    candidate_ids = models.JSONField(default=list)
    pupils = models.PositiveIntegerField(default=0)
    created_by_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_by_id = models.BigIntegerField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    removed = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"disposal {self.pk} {self.state}"

    @property
    def kind_label(self) -> Any:
        """What the declaring app calls the kind of records (the kind itself if undeclared)."""
        declared = DISPOSABLE_KINDS.get(self.kind)
        return declared.label if declared is not None and declared.label else self.kind

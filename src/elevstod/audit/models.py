"""Append-only logs: what was changed (AuditEvent) and who read what about a pupil (AccessLogEntry).

Rows refer to people by id and a snapshot label, without foreign keys, so that nothing in the
rest of the database can cascade into them. The database itself refuses UPDATE and DELETE on
both tables (triggers, see migration 0002), on SQLite and PostgreSQL alike, and each row carries
the hash of the row before it (``chain.py``), so an altered or removed row breaks the chain.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.purpose} {self.pupil_id}"

"""The in-app inbox. Each row is one notification for one user, written by
``notification_send`` in the same transaction as the change it is about."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    code = models.CharField(
        max_length=100
    )  # the audit-style event code, e.g. support.adaptation.created
    params = models.JSONField(default=dict)  # what the message text needs, rendered at display
    url = models.CharField(max_length=300)
    pupil_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.code} to {self.recipient_id}"

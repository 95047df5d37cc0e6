"""The in-app inbox, the outbox of e-mail/SMS deliveries, preferences and sent reminders.

Each ``Notification`` is one notification for one user, written by ``notification_send`` in the
same transaction as the change it is about. Each ``Delivery`` is one message to send on one
channel (one notification, or a daily digest of several); the worker claims it with a
compare-and-set UPDATE (see ``delivery.py``). ``ReminderSent`` makes reminders idempotent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    # Waiting for the recipient's next daily digest (instead of one message per event).
    digest_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["recipient"],
                condition=Q(digest_pending=True),
                name="notification_digest_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} to {self.recipient_id}"


class Channel(models.TextChoices):
    EMAIL = "EMAIL", _("e-mail")
    SMS = "SMS", _("SMS")


class NotificationPreference(models.Model):
    """A user's choices. Without a row: e-mail on, SMS off, one message per event, all events."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by text message (SMS)"), default=False)
    digest = models.BooleanField(
        _("one summary a day instead of one message per event"), default=False
    )
    # Categories (see messages.CATEGORIES) not sent by e-mail/SMS; the inbox always gets them.
    muted = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class Delivery(models.Model):
    """One message on one channel. PENDING → SENDING (claimed, with a token and a lease) → SENT;
    a failed attempt goes back to PENDING with a later ``next_attempt_at``, or to FAILED after
    the last attempt."""

    class State(models.TextChoices):
        PENDING = "PENDING"
        SENDING = "SENDING"
        SENT = "SENT"
        FAILED = "FAILED"

    class Kind(models.TextChoices):
        SINGLE = "SINGLE"
        DIGEST = "DIGEST"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(max_length=5, choices=Channel.choices)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.SINGLE)
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    digest_date = models.DateField(null=True, blank=True)
    digest_count = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=7, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claim_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "digest_date"],
                condition=Q(kind="DIGEST"),
                name="one_digest_per_user_channel_day",
            ),
            models.CheckConstraint(
                condition=Q(kind="DIGEST", digest_date__isnull=False)
                | Q(kind="SINGLE", notification__isnull=False),
                name="delivery_has_its_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} to {self.recipient_id}: {self.state}"


class ReminderSent(models.Model):
    """A reminder sent once per (object, date, kind, stage), however often the job runs."""

    class Stage(models.TextChoices):
        BEFORE = "BEFORE"
        ON_THE_DAY = "ON_THE_DAY"

    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    due_date = models.DateField()
    stage = models.CharField(max_length=10, choices=Stage.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "due_date", "stage"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.due_date} {self.stage}"

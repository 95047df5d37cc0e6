"""The API's own rows: request counts per caller and minute, for the rate limit shared by every
process of the app (in the database, not in a process's memory), and the system integrations'
clients and their tokens."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from elevstod.organisation.models import Organiser, SchoolUnit


class RequestWindow(models.Model):
    """How many requests one caller made in one window (a minute, by its start). The caller is
    a personal access token by its id, or an integration client by its id negated."""

    token_id = models.BigIntegerField()
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["token_id", "window_start"], name="one_window_per_token"
            )
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.token_id} at {self.window_start:%H:%M}: {self.count}"


class IntegrationClient(models.Model):
    """A system of an organiser's (a reporting tool) that reads statistics with the OAuth2
    client-credentials grant: made by the organiser's administrator, limited to the scopes and
    units granted, its secret kept only as a digest (``api/integrations.py``)."""

    class Scope(models.TextChoices):
        UNIT_STATISTICS = "statistics:units", _("Statistics of each granted school unit")
        ORGANISER_STATISTICS = "statistics:organiser", _("The organiser's statistics")

    organiser = models.ForeignKey(
        Organiser, on_delete=models.PROTECT, related_name="integration_clients"
    )
    name = models.CharField(_("name"), max_length=100)
    client_id = models.CharField(max_length=40, unique=True)
    secret_digest = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    units = models.ManyToManyField(SchoolUnit, related_name="+")
    created_by_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"


class IntegrationToken(models.Model):
    """A short-lived bearer token issued to a client, kept as a digest."""

    client = models.ForeignKey(IntegrationClient, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"token of {self.client_id} until {self.expires_at:%H:%M}"

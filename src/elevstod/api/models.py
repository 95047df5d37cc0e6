"""The API's own rows: request counts per token and minute, for the rate limit shared by every
process of the app (in the database, not in a process's memory)."""

from __future__ import annotations

from django.db import models


class RequestWindow(models.Model):
    """How many requests one token made in one window (a minute, by its start)."""

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

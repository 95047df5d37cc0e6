"""One row per form a user has sent: a second post of the same form writes nothing again."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Submission(models.Model):
    """The token of a rendered form, claimed by the service that wrote what the form asked for.

    The unique constraint makes the claim: of two posts of the same form (a double click on a
    slow phone) only one inserts the row; the other finds it and answers with its result."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    kind = models.CharField(max_length=100)
    result_id = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="support_submission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.token}"

"""SS 12000 sources, runs and what each run has seen.

A ``Source`` is one school information system of an organiser (an SS 12000 API, or a file export).
An ``ImportRun`` is one synchronisation: counts per entity kind, the records it refused and why.
A ``SourceRecord`` remembers, per source, each SS 12000 record it brought in (and each derived
row: placements, memberships, teaching, mentorships): the domain object it became, a digest of
its content (a record that has not changed is skipped) and the last run that saw it (a full run
ends what it no longer sees).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from elevstod.core.models import TimeStampedModel
from elevstod.organisation.models import Organiser


class Source(TimeStampedModel):
    name = models.SlugField(_("name"), max_length=50, unique=True)
    organiser = models.ForeignKey(Organiser, on_delete=models.PROTECT, related_name="sources")
    base_url = models.URLField(_("API address"), blank=True)
    token_url = models.URLField(_("token address (OAuth2 client credentials)"), blank=True)
    client_id = models.CharField(_("client id"), max_length=200, blank=True)
    # The secret itself is never stored: this names the environment variable holding it (the
    # OAuth2 client secret when a token address is set, else the bearer token itself).
    secret_env = models.CharField(_("environment variable with the secret"), max_length=100)
    # SS 12000 dutyRole -> Duty.Role; empty means the default table (imports.mapping.ROLES).
    role_mapping = models.JSONField(_("role mapping"), default=dict, blank=True)
    # A run that would end more than this share of a unit's pupils stops and asks first.
    truncation_share = models.FloatField(_("largest share of a unit's pupils to end"), default=0.1)
    modified_after = models.DateTimeField(null=True, blank=True)  # the incremental watermark

    class Meta:
        ordering = ["name"]
        verbose_name = _("SS 12000 source")

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    class Kind(models.TextChoices):
        FULL = "FULL", _("full")
        INCREMENTAL = "INCREMENTAL", _("incremental")
        FILE = "FILE", _("file")

    class Status(models.TextChoices):
        QUEUED = "QUEUED", _("queued")
        RUNNING = "RUNNING", _("running")
        SUCCEEDED = "SUCCEEDED", _("succeeded")
        FAILED = "FAILED", _("failed")
        AWAITING_CONFIRMATION = "AWAITING_CONFIRMATION", _("awaiting confirmation")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="runs")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    started_by_id = models.IntegerField(null=True, blank=True)
    confirmed = models.BooleanField(default=False)  # ends past the truncation guard allowed
    counts = models.JSONField(default=dict)  # {"persons": {"created": 3, ...}, ...}
    errors = models.JSONField(default=list)  # [{"entity", "id", "reason"}], in Swedish
    errors_total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)  # why the run failed or stopped
    progress_kind = models.CharField(max_length=20, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("import run")

    def __str__(self) -> str:
        return f"{self.source_id}:{self.pk} {self.status}"


class SourceRecord(models.Model):
    # no index of its own: ``source_record_unique`` and the index by parent start with it
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="records", db_index=False
    )
    kind = models.CharField(max_length=20)
    external_id = models.CharField(max_length=200)
    parent = models.CharField(max_length=64, blank=True)  # the record it came with
    object_id = models.BigIntegerField(null=True)
    digest = models.CharField(max_length=32, blank=True)
    modified = models.DateTimeField(null=True)  # meta.modified as the source said
    seen_run_id = models.BigIntegerField()
    changed_run_id = models.BigIntegerField()
    ended = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "external_id"], name="source_record_unique"
            )
        ]
        indexes = [
            models.Index(fields=["source", "kind", "parent"]),
            models.Index(fields=["kind", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.external_id}"

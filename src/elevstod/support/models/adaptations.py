"""Extra adaptations (extra anpassningar, Skollagen 3 kap. 5 §): given promptly by teachers inside
ordinary teaching; no formal decision; documented, followed up, evaluated, changed often.

Every change is kept as an ``AdaptationVersion`` (who, when, what changed); an adaptation is
never deleted by the workflow: ending it keeps it in the pupil's history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from elevstod.core.limits import TEXT_LIMIT
from elevstod.core.models import TimeStampedModel
from elevstod.organisation.models import Organiser, Person, SchoolUnit, Subject


class Effect(models.TextChoices):
    WORKS = "WORKS", _("works well")
    PARTLY = "PARTLY", _("works partly")
    NO_EFFECT = "NO_EFFECT", _("no visible effect")
    TOO_EARLY = "TOO_EARLY", _("too early to tell")


class NextStep(models.TextChoices):
    CONTINUE = "CONTINUE", _("continue as it is")
    CHANGE = "CHANGE", _("change the adaptation")
    END = "END", _("end the adaptation")
    REPORT = "REPORT", _("report to the principal: adaptations are not enough")


class AdaptationTemplate(TimeStampedModel):
    """A common adaptation in the library of an organiser (unit empty) or of one school unit."""

    organiser = models.ForeignKey(Organiser, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        SchoolUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("adaptation"), max_length=200)
    description = models.TextField(_("how"), blank=True, validators=TEXT_LIMIT)
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ExtraAdaptation(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "ACTIVE", _("active")
        ENDED = "ENDED", _("ended")

    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="adaptations")
    unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="adaptations")
    title = models.CharField(_("what is adapted"), max_length=200)
    description = models.TextField(_("how"), blank=True, validators=TEXT_LIMIT)
    need = models.TextField(_("why: the observed need"), validators=TEXT_LIMIT)
    all_subjects = models.BooleanField(_("across all subjects"), default=False)
    subjects = models.ManyToManyField(
        Subject, blank=True, related_name="+", verbose_name=_("subjects")
    )
    start_date = models.DateField(_("from"))
    responsible = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="responsible_adaptations",
        verbose_name=_("responsible"),
    )
    next_follow_up = models.DateField(_("next follow-up"), null=True, blank=True)
    visible_to_family = models.BooleanField(_("show to pupil and guardian"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    end_date = models.DateField(_("ended"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    template = models.ForeignKey(
        AdaptationTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="adaptation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="ACTIVE", end_date__isnull=True)
                | Q(status="ENDED", end_date__isnull=False),
                name="adaptation_end_date_iff_ended",
            ),
        ]
        indexes = [
            models.Index(fields=["pupil", "status"]),
            models.Index(fields=["unit", "status", "next_follow_up"]),
            # The reminders' scan, at every unit: next follow-ups of active adaptations.
            models.Index(
                fields=["next_follow_up"],
                condition=Q(status="ACTIVE"),
                name="adaptation_follow_up_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class AdaptationVersion(models.Model):
    """One change of an adaptation: the fields that changed, old and new, and a full snapshot."""

    adaptation = models.ForeignKey(
        ExtraAdaptation, on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changes = models.JSONField(default=dict)  # {field: [old, new]}
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["adaptation", "version"], name="adaptation_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.adaptation_id} v{self.version}"


class AdaptationFollowUp(TimeStampedModel):
    adaptation = models.ForeignKey(
        ExtraAdaptation, on_delete=models.PROTECT, related_name="follow_ups"
    )
    date = models.DateField(_("date"))
    observation = models.TextField(_("what was seen"), validators=TEXT_LIMIT)
    effect = models.CharField(_("effect"), max_length=12, choices=Effect.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]


class AdaptationEvaluation(TimeStampedModel):
    adaptation = models.ForeignKey(
        ExtraAdaptation, on_delete=models.PROTECT, related_name="evaluations"
    )
    date = models.DateField(_("date"))
    outcome = models.TextField(_("outcome"), validators=TEXT_LIMIT)
    effect = models.CharField(_("effect"), max_length=12, choices=Effect.choices)
    next_step = models.CharField(_("next step"), max_length=10, choices=NextStep.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]

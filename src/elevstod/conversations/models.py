"""The development talk (utvecklingssamtal) and the written individual development plan
(skriftlig individuell utvecklingsplan, SIUP) with its section "the school's efforts"
(skolans insatser).

A talk is held once a term per pupil (``DevelopmentTalk``, unique per pupil and term); the
mentor may offer times (``TalkSlot``) that a guardian books, one per pupil and term. The plan
(``DevelopmentPlan``) is drafted by the mentor, the pupil's teachers write per subject
(``SubjectNote``), and fixing it writes a ``PlanVersion``: a record the database refuses to
change. A change after fixing is a new draft, fixed again as the next version."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elevstod.core.limits import TEXT_LIMIT
from elevstod.core.models import TimeStampedModel
from elevstod.organisation.models import Group, Person, SchoolUnit, Subject


class ConversationSettings(TimeStampedModel):
    """A unit's choices for its talks: whether it writes the plan in years other than 1-5."""

    unit = models.OneToOneField(
        SchoolUnit, on_delete=models.PROTECT, related_name="conversation_settings"
    )
    plan_in_other_years = models.BooleanField(
        _("write the development plan in other years than 1-5"), default=False
    )


class PreparationQuestion(TimeStampedModel):
    """A question of the unit's preparation template, answered by the pupil and guardians."""

    unit = models.ForeignKey(
        SchoolUnit, on_delete=models.PROTECT, related_name="preparation_questions"
    )
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class DevelopmentTalk(TimeStampedModel):
    """The pupil's development talk of a term: when and where, who takes part, its record."""

    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="development_talks")
    unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="+")
    mentor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    term = models.CharField(_("term"), max_length=8)
    starts_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), default=30)
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    participants = models.ManyToManyField(
        Person, blank=True, related_name="+", verbose_name=_("who takes part")
    )
    other_participants = models.CharField(_("others taking part"), max_length=300, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    record = models.TextField(_("what we talked about"), blank=True, validators=TEXT_LIMIT)
    internal_note = models.TextField(
        _("internal note (staff only)"), blank=True, validators=TEXT_LIMIT
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-term", "-starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "term"], name="talk_once_per_term"),
        ]


class TalkSlot(TimeStampedModel):
    """A time the mentor offers for the talks of a group. A guardian books it for one pupil:
    first come; a time taken is gone; one time per pupil and term."""

    mentor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    term = models.CharField(_("term"), max_length=8)
    starts_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), default=30)
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    pupil = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="talk_slots"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "term"],
                condition=Q(pupil__isnull=False),
                name="slot_one_per_pupil_and_term",
            ),
            models.UniqueConstraint(fields=["mentor", "starts_at"], name="slot_mentor_time_once"),
        ]

    @property
    def has_begun(self) -> bool:
        """A time that has begun is kept: it can no longer be withdrawn."""
        return bool(self.starts_at <= timezone.now())


class PreparationAnswer(TimeStampedModel):
    """The pupil's or a guardian's answer to a preparation question before the talk."""

    talk = models.ForeignKey(DevelopmentTalk, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(PreparationQuestion, on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("answer"), blank=True, validators=TEXT_LIMIT)

    class Meta:
        ordering = ["question__position", "question_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["talk", "question", "respondent"], name="answer_once_per_respondent"
            ),
        ]


class DevelopmentPlan(TimeStampedModel):
    """The written individual development plan of a pupil for a term."""

    class State(models.TextChoices):
        DRAFT = "DRAFT", _("draft")
        FIXED = "FIXED", _("fixed for the term")

    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="development_plans")
    unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="+")
    term = models.CharField(_("term"), max_length=8)
    school_year = models.PositiveSmallIntegerField(_("school year"))
    talk = models.ForeignKey(
        DevelopmentTalk, on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)  # the version being drafted or fixed
    pupil_will = models.TextField(_("what the pupil will do"), blank=True, validators=TEXT_LIMIT)
    guardians_will = models.TextField(
        _("what the guardians will do"), blank=True, validators=TEXT_LIMIT
    )
    school_efforts = models.TextField(_("the school's efforts"), blank=True, validators=TEXT_LIMIT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-term"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "term"], name="plan_once_per_term"),
        ]

    @property
    def is_fixed(self) -> bool:
        return self.state == self.State.FIXED


class SubjectNote(TimeStampedModel):
    """A subject's part of the plan, in plain words: the pupil's strengths and what to develop."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.PROTECT, related_name="subjects")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    strengths = models.TextField(_("strengths"), blank=True, validators=TEXT_LIMIT)
    development = models.TextField(_("to develop next"), blank=True, validators=TEXT_LIMIT)
    written_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["subject__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "subject"], name="plan_subject_once"),
        ]


class AdaptationSnapshot(TimeStampedModel):
    """A dated picture, taken by the mentor, of the extra adaptations that apply on the day it
    is taken (``taken_on``; it belongs to the plan, not to a talk, so it is dated by that day).
    ``items``: id, title, description, subjects and whether it is shown to pupil and guardian."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.PROTECT, related_name="snapshots")
    taken_on = models.DateField(_("date"))
    taken_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(default=list)

    class Meta:
        ordering = ["-taken_on", "-id"]


class PlanVersion(models.Model):
    """A fixed version of a plan: what it said, who fixed it and when. Never changed (the
    database refuses UPDATE and DELETE)."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField(default=dict)
    fixed_at = models.DateTimeField(auto_now_add=True)
    fixed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"

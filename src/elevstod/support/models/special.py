"""Special support (särskilt stöd, Skollagen 3 kap. 7-12 §§): referrals, investigations, action
programmes with measures, follow-ups and the one evaluation, decisions, notification of the
parties and appeals. States and transitions are declared in ``support/workflow.py``."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from elevstod.core.limits import TEXT_LIMIT
from elevstod.core.models import TimeStampedModel
from elevstod.organisation.models import Organiser, Person, SchoolUnit

from .. import workflow as wf
from .adaptations import ExtraAdaptation


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(m.value, m.value) for m in enum]


class SupportSettings(TimeStampedModel):
    """Per organiser: the appeal instructions printed on decisions, and reminder lead time."""

    organiser = models.OneToOneField(Organiser, on_delete=models.PROTECT, related_name="+")
    appeal_instructions = models.TextField(_("how to appeal"), blank=True, validators=TEXT_LIMIT)
    reminder_days = models.PositiveSmallIntegerField(_("reminder days before a date"), default=5)

    def __str__(self) -> str:
        return f"settings of {self.organiser_id}"


class DelegationGrant(TimeStampedModel):
    """One line of a unit's delegation order: the principal lets ``delegate`` take ``kind``."""

    unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=_choices(wf.DecisionKind))
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["unit", "delegate", "kind"]

    def __str__(self) -> str:
        return f"{self.delegate_id} {self.kind} at {self.unit_id}"


class Referral(TimeStampedModel):
    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reporter = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    tried = models.TextField(_("what has been tried"), validators=TEXT_LIMIT)
    why = models.TextField(_("why it is not enough"), validators=TEXT_LIMIT)
    adaptations = models.ManyToManyField(ExtraAdaptation, blank=True, related_name="+")
    state = models.CharField(max_length=20, choices=_choices(wf.ReferralState))
    handled_at = models.DateTimeField(null=True, blank=True)
    investigation = models.ForeignKey(
        "Investigation", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"referral {self.pk}"

    @property
    def waiting_days(self) -> int:
        from elevstod.core.timeutil import today

        return (today() - self.created_at.date()).days


class Investigation(TimeStampedModel):
    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="investigations")
    unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=30, choices=_choices(wf.InvestigationState))
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reused_by"
    )
    planned_decision_date = models.DateField(_("planned decision date"), null=True, blank=True)
    investigators = models.ManyToManyField(Person, blank=True, related_name="+")
    contributors = models.ManyToManyField(Person, blank=True, related_name="+")
    mapping_individual = models.TextField(
        _("mapping: individual level"), blank=True, validators=TEXT_LIMIT
    )
    mapping_group = models.TextField(_("mapping: group level"), blank=True, validators=TEXT_LIMIT)
    mapping_school = models.TextField(_("mapping: school level"), blank=True, validators=TEXT_LIMIT)
    assessment = models.TextField(_("pedagogical assessment"), blank=True, validators=TEXT_LIMIT)
    health_consulted = models.BooleanField(_("pupil health team consulted"), null=True)
    health_not_consulted_reason = models.TextField(
        _("why consulting the pupil health team was clearly unnecessary"),
        blank=True,
        validators=TEXT_LIMIT,
    )
    pupil_views = models.TextField(_("the pupil's views"), blank=True, validators=TEXT_LIMIT)
    guardian_views = models.TextField(_("the guardians' views"), blank=True, validators=TEXT_LIMIT)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    concluded_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    # Not stored: set by ``investigation_start`` to say which defaults it took.
    defaults_taken: tuple[str, ...] = ()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The reminders' scan: planned decision dates of investigations in progress.
            models.Index(
                fields=["planned_decision_date"],
                condition=Q(state="IN_PROGRESS"),
                name="investigation_decision_due",
            )
        ]

    def __str__(self) -> str:
        return f"investigation {self.pk}"


class ActionProgramme(TimeStampedModel):
    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="programmes")
    unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="+")
    investigation = models.ForeignKey(
        Investigation, on_delete=models.PROTECT, related_name="programmes"
    )
    # The programme this one renews. A foreign key, not one to one: a discarded renewal copy
    # keeps its link, and the programme may be renewed again.
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewals"
    )
    state = models.CharField(max_length=20, choices=_choices(wf.ProgrammeState))
    needs = models.TextField(
        _("the pupil's needs of special support"), blank=True, validators=TEXT_LIMIT
    )
    follow_up_plan = models.TextField(
        _("when the measures are followed up"), blank=True, validators=TEXT_LIMIT
    )
    evaluation_date = models.DateField(_("evaluation date"), null=True, blank=True)
    follow_up_responsible = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible for follow-up"),
    )
    evaluation_responsible = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible for evaluation"),
    )
    pupil_participated = models.BooleanField(_("the pupil took part"), default=False)
    guardians_participated = models.BooleanField(_("the guardians took part"), default=False)
    participation_views = models.TextField(
        _("the pupil's and guardians' views"), blank=True, validators=TEXT_LIMIT
    )
    planned_decision_date = models.DateField(_("planned decision date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The reminders' scan: the planned decision dates of programmes not yet decided,
            # the evaluation dates of decided ones.
            models.Index(
                fields=["planned_decision_date"],
                condition=Q(state__in=["DRAFT", "SUBMITTED"]),
                name="programme_decision_due",
            ),
            models.Index(
                fields=["evaluation_date"],
                condition=Q(state="DECIDED"),
                name="programme_evaluation_due",
            ),
        ]

    def __str__(self) -> str:
        return f"programme {self.pk}"

    @property
    def is_renewal_copy(self) -> bool:
        """A new programme drafted as a copy of one that stays in force until it is decided."""
        return self.previous_id is not None


class Measure(models.Model):
    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.PROTECT, related_name="measures"
    )
    position = models.PositiveSmallIntegerField(default=0)
    what = models.TextField(_("measure"), validators=TEXT_LIMIT)
    how = models.TextField(_("how"), blank=True, validators=TEXT_LIMIT)
    how_much = models.CharField(_("how much"), max_length=200, blank=True)
    responsible = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible")
    )
    support_form = models.CharField(
        _("form of support"),
        max_length=24,
        choices=_choices(wf.SupportForm),
        default=wf.SupportForm.ORDINARY,
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.what[:50]


class ProgrammeFollowUp(TimeStampedModel):
    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.PROTECT, related_name="follow_ups"
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("follow-up"), validators=TEXT_LIMIT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"follow-up {self.pk}"


class ProgrammeEvaluation(TimeStampedModel):
    # One to one: the database itself refuses a second evaluation of a programme.
    programme = models.OneToOneField(
        ActionProgramme, on_delete=models.PROTECT, related_name="evaluation"
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("evaluation"), validators=TEXT_LIMIT)
    need_remains = models.BooleanField(_("the need of special support remains"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"evaluation of {self.programme_id}"


class Decision(models.Model):
    """A formal decision. Immutable: the database refuses UPDATE and DELETE (migration)."""

    kind = models.CharField(max_length=20, choices=_choices(wf.DecisionKind))
    pupil = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="decisions")
    unit = models.ForeignKey(SchoolUnit, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        ActionProgramme, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    investigation = models.ForeignKey(
        Investigation, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    appeal = models.ForeignKey(
        "Appeal", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("date of decision"))
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decided_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    delegation = models.ForeignKey(
        DelegationGrant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reasons = models.TextField(_("reasons"), validators=TEXT_LIMIT)
    appealable = models.BooleanField()
    law = models.CharField(max_length=100)
    appeal_instructions = models.TextField(blank=True, validators=TEXT_LIMIT)
    content = models.JSONField(default=dict)  # what was decided, e.g. the programme's text

    class Meta:
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(appealable=False) | ~Q(appeal_instructions=""),
                name="appealable_decision_has_appeal_instructions",
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="decision_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.decided_on}"


class PartyNotification(models.Model):
    """When and how a party (guardian, or the pupil from 16) was notified of a decision."""

    class Method(models.TextChoices):
        IN_PERSON = "IN_PERSON", _("handed over in person")
        LETTER = "LETTER", _("by letter")
        DIGITAL = "DIGITAL", _("digitally")
        EMAIL = "EMAIL", _("by e-mail")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="notifications")
    party = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    notified_on = models.DateField(_("notified on"))
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    # Which version of the decision the party received: its fingerprint (``support.fingerprint``)
    # when the party confirmed receipt online; blank for a notification recorded by staff.
    document_version = models.CharField(max_length=64, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "party"], name="party_notified_once")
        ]

    def __str__(self) -> str:
        return f"{self.party_id} notified {self.notified_on}"


class Appeal(TimeStampedModel):
    class Ruling(models.TextChoices):
        UPHELD = "UPHELD", _("the appeal was rejected: the decision stands")
        CHANGED = "CHANGED", _("the appeal was granted: the decision was changed")
        REFERRED_BACK = "REFERRED_BACK", _("the case was referred back to the school")
        DISMISSED = "DISMISSED", _("the Board dismissed the appeal")

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    appellant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("received on"))
    in_time = models.BooleanField()
    state = models.CharField(max_length=20, choices=_choices(wf.AppealState))
    reconsideration = models.TextField(blank=True, validators=TEXT_LIMIT)
    forwarded_on = models.DateField(null=True, blank=True)
    ruling = models.CharField(max_length=20, choices=Ruling.choices, blank=True)
    ruling_on = models.DateField(null=True, blank=True)
    ruling_text = models.TextField(blank=True, validators=TEXT_LIMIT)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    # An appeal the party wrote in the family view (lodged online): what they want changed and
    # why, in their own words. A paper appeal registered by the school leaves these blank.
    lodged_online = models.BooleanField(default=False)
    change_requested = models.TextField(
        _("what you want changed"), blank=True, default="", validators=TEXT_LIMIT
    )
    grounds = models.TextField(_("why"), blank=True, default="", validators=TEXT_LIMIT)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"appeal {self.pk}"


class AppealAttachment(models.Model):
    """A file a party attached to an online appeal (a PDF or an image), kept in the database:
    never under static or media, served back only through the access-checked views."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"attachment {self.pk} of appeal {self.appeal_id}"

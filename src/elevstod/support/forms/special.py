"""Forms of special support: they parse input; the services hold the rules."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from elevstod.core.limits import TEXT_MAX, TITLE_MAX
from elevstod.core.timeutil import today
from elevstod.organisation.models import Person

from .. import workflow as wf
from ..labels import LABELS
from ..models import Appeal, DelegationGrant, PartyNotification
from .common import (
    DateInput,
    OnceForm,
    PersonChoiceField,
    ServiceForm,
    StaffChoiceField,
    StaffMultipleChoiceField,
    free_text,
    staff_choices,
)

INVESTIGATION_FORM_ID = "investigation-form"
FORM_CHOICES = [(form.value, LABELS[wf.SupportForm][form]) for form in wf.SupportForm]


def _parties(field: forms.Field, parties: list[Person]) -> None:
    """The parties to a decision; the only one is chosen already (a pupil with one guardian)."""
    choice = cast("forms.ModelChoiceField[Person]", field)
    choice.queryset = Person.objects.filter(pk__in=[p.pk for p in parties]).order_by(
        "family_name", "given_name"
    )
    if len(parties) == 1:
        choice = cast("forms.ModelChoiceField[Person]", field)
        choice.initial = parties[0].pk
        choice.empty_label = None


class ReferralForm(OnceForm):
    tried = free_text(
        _("What else has been tried"),
        rows=3,
        required=False,
        help_text=_("Not needed for the extra adaptations you tick below."),
    )
    why = free_text(_("Why it is not enough"), rows=3, required=True)
    adaptations = forms.MultipleChoiceField(
        label=_("Extra adaptations that have been tried"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, adaptations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["adaptations"]).choices = [
            (str(a.pk), a.title) for a in adaptations
        ]


class InvestigationStartForm(OnceForm):
    investigators = StaffMultipleChoiceField(
        label=_("Who investigates"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("If you name no one, you investigate yourself."),
    )
    planned_decision_date = forms.DateField(
        label=_("Planned decision date"),
        required=False,
        widget=DateInput(),
        help_text=_("If left empty: four weeks from today."),
    )
    based_on = forms.ChoiceField(label=_("Start from an existing investigation"), required=False)

    def __init__(self, *args: Any, staff: list[Person], existing: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        staff_choices(self.fields["investigators"], staff)
        cast(forms.ChoiceField, self.fields["based_on"]).choices = [("", _("No, a new one"))] + [
            (str(i.pk), f"{i.unit.name}, {i.created_at:%Y-%m-%d}") for i in existing
        ]


class InvestigationForm(ServiceForm):
    mapping_individual = free_text(_("Mapping: individual level"), rows=4)
    mapping_group = free_text(_("Mapping: group level"), rows=3)
    mapping_school = free_text(_("Mapping: school level"), rows=3)
    assessment = free_text(_("Pedagogical assessment"), rows=4)
    health_consulted = forms.TypedChoiceField(
        label=_("Was the pupil health team consulted?"),
        required=False,
        choices=[("", _("not yet recorded")), ("yes", _("yes")), ("no", _("no"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    health_not_consulted_reason = free_text(_("If not: why it was clearly unnecessary"), rows=2)
    pupil_views = free_text(_("The pupil's views"), rows=2)
    guardian_views = free_text(_("The guardians' views"), rows=2)
    planned_decision_date = forms.DateField(
        label=_("Planned decision date"), required=False, widget=DateInput()
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class InviteForm(ServiceForm):
    contributors = StaffMultipleChoiceField(
        label=_("Invite to contribute"), queryset=Person.objects.none()
    )

    def __init__(self, *args: Any, staff: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_choices(self.fields["contributors"], staff)
        # sent with the investigation's own form, so that inviting keeps its typed text
        self.fields["contributors"].widget.attrs["form"] = INVESTIGATION_FORM_ID


class DecisionForm(OnceForm):
    reasons = free_text(_("Reasons for the decision"), rows=4, required=True)
    decided_on = forms.DateField(label=_("Date of decision"), widget=DateInput(), initial=today)


def _support_form_choice(kind: wf.DecisionKind) -> tuple[str, str]:
    rule = wf.DECISIONS[kind]
    text = (
        _("%(decision)s (%(law)s): can be appealed")
        if rule.appealable
        else _("%(decision)s (%(law)s): cannot be appealed")
    )
    return kind.value, str(text % {"decision": LABELS[wf.DecisionKind][kind], "law": rule.law})


class SupportFormDecisionForm(DecisionForm):
    """A decision on a form of support, taken beside the programme (the principal only)."""

    field_order = ["kind", "reasons", "decided_on"]

    kind = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            _support_form_choice(kind) for kind in wf.SUPPORT_FORM_DECISIONS
        ]


class ProgrammeForm(OnceForm):
    needs = free_text(_("The pupil's needs of special support"), rows=4)
    follow_up_plan = free_text(_("When the measures are followed up"), rows=2)
    follow_up_responsible = StaffChoiceField(
        label=_("Responsible for follow-up"), queryset=Person.objects.none(), required=False
    )
    evaluation_date = forms.DateField(
        label=_("Evaluation date"), required=False, widget=DateInput()
    )
    evaluation_responsible = StaffChoiceField(
        label=_("Responsible for evaluation"), queryset=Person.objects.none(), required=False
    )
    pupil_participated = forms.BooleanField(label=_("The pupil took part"), required=False)
    guardians_participated = forms.BooleanField(label=_("The guardians took part"), required=False)
    participation_views = free_text(_("The pupil's and guardians' views"), rows=2)
    planned_decision_date = forms.DateField(
        label=_("Planned decision date"), required=False, widget=DateInput()
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, staff: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_choices(self.fields["follow_up_responsible"], staff)
        staff_choices(self.fields["evaluation_responsible"], staff)


class MeasureForm(ServiceForm):
    what = free_text(_("Measure"), rows=2)
    how = forms.CharField(label=_("How"), required=False, max_length=TEXT_MAX)
    how_much = forms.CharField(label=_("How much"), required=False, max_length=TITLE_MAX)
    responsible = StaffChoiceField(
        label=_("Responsible"), queryset=Person.objects.none(), required=False
    )
    support_form = forms.ChoiceField(
        label=_("Form of support"), choices=FORM_CHOICES, initial=wf.SupportForm.ORDINARY
    )

    def __init__(self, *args: Any, staff: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_choices(self.fields["responsible"], staff)


MeasureFormSet = forms.formset_factory(MeasureForm, extra=1, max_num=20)


class ProgrammeFollowUpForm(OnceForm):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=today)
    text = forms.CharField(
        label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX
    )


class ProgrammeEvaluationForm(OnceForm):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=today)
    text = free_text(_("Evaluation of each need and measure"), rows=4, required=True)
    need_remains = forms.BooleanField(
        label=_("The need of special support remains"), required=False
    )


class PartyNotificationForm(OnceForm):
    party = PersonChoiceField(label=_("Party"), queryset=Person.objects.none())
    notified_on = forms.DateField(label=_("Notified on"), widget=DateInput(), initial=today)
    method = forms.ChoiceField(label=_("How"), choices=PartyNotification.Method.choices)

    def __init__(self, *args: Any, parties: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _parties(self.fields["party"], parties)


class AppealForm(OnceForm):
    appellant = PersonChoiceField(label=_("From whom"), queryset=Person.objects.none())
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), initial=today)

    def __init__(self, *args: Any, parties: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _parties(self.fields["appellant"], parties)


class ForwardForm(ServiceForm):
    forwarded_on = forms.DateField(label=_("Forwarded on"), widget=DateInput(), initial=today)


class ReconsiderForm(ServiceForm):
    text = free_text(_("How the decision was changed"), rows=3, required=True)


class RulingForm(ServiceForm):
    ruling = forms.ChoiceField(
        label=_("The Board's ruling"), choices=Appeal.Ruling.choices, widget=forms.RadioSelect
    )
    ruling_on = forms.DateField(label=_("Date of ruling"), widget=DateInput(), initial=today)
    text = free_text(_("Summary"), rows=2)


class DelegationForm(OnceForm):
    delegate = StaffChoiceField(label=_("Staff member"), queryset=Person.objects.none())
    kind = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (wf.DecisionKind.PROGRAMME, _("decide action programmes")),
            (wf.DecisionKind.NO_PROGRAMME, _("decide not to draw up an action programme")),
            (wf.DecisionKind.CLOSE_PROGRAMME, _("decide to close an action programme")),
        ],
    )
    valid_from = forms.DateField(label=_("From"), widget=DateInput(), initial=today)
    valid_until = forms.DateField(label=_("Until (optional)"), required=False, widget=DateInput())

    def __init__(self, *args: Any, staff: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_choices(self.fields["delegate"], staff)


class RevokeForm(forms.Form):
    """Which delegation in force to revoke (its id, from the revoke button)."""

    grant = forms.ModelChoiceField(
        queryset=DelegationGrant.objects.none(), widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, grants: QuerySet[DelegationGrant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[DelegationGrant]", self.fields["grant"]).queryset = grants

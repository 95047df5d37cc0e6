"""Forms of extra adaptations and the library: they parse what the user typed; the rules are in
the services (``services/adaptations.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.core.limits import TEXT_MAX, TITLE_MAX
from elevstod.organisation.models import Person, SchoolUnit

from ..errors import FieldError
from ..models import AdaptationTemplate, Effect, NextStep
from ..rules import DEFAULT_FOLLOW_UP_INTERVAL
from ..selectors.adaptations import responsible_candidates, subjects_taught_at
from ..services.adaptations import NEED_REQUIRED, TITLE_REQUIRED, AdaptationInput
from .common import DateInput, OnceForm, ServiceForm, StaffChoiceField, staff_choices


class AdaptationForm(OnceForm):
    field_aliases = {"responsible_id": "responsible"}

    title = forms.CharField(
        label=_("What is adapted"),
        max_length=TITLE_MAX,
        error_messages={"required": TITLE_REQUIRED},
    )
    description = forms.CharField(
        label=_("How"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX,
    )
    need = forms.CharField(
        label=_("Why: the observed need"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": NEED_REQUIRED},
        max_length=TEXT_MAX,
    )
    all_subjects = forms.BooleanField(label=_("Across all subjects"), required=False)
    subjects = forms.MultipleChoiceField(
        label=_("Subjects"), required=False, widget=forms.CheckboxSelectMultiple
    )
    start_date = forms.DateField(label=_("From"), widget=DateInput())
    responsible = StaffChoiceField(label=_("Responsible"), queryset=Person.objects.none())
    next_follow_up = forms.DateField(label=_("Next follow-up"), required=False, widget=DateInput())
    visible_to_family = forms.BooleanField(label=_("Show to pupil and guardian"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, unit: SchoolUnit, pupil: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        subjects = subjects_taught_at(unit)
        cast(forms.ChoiceField, self.fields["subjects"]).choices = [
            (str(s.pk), s.name) for s in subjects
        ]
        staff_choices(self.fields["responsible"], responsible_candidates(pupil))

    @staticmethod
    def initial_for_new(
        *, actor: User, template: AdaptationTemplate | None, today: dt.date
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "start_date": today,
            "next_follow_up": today + DEFAULT_FOLLOW_UP_INTERVAL,
            "responsible": getattr(actor, "person_id", None),
            "all_subjects": True,
        }
        if template is not None:
            initial.update(title=template.title, description=template.description)
            if template.subject_id:
                initial.update(all_subjects=False, subjects=[str(template.subject_id)])
        return initial

    def values_with_template(
        self, template: AdaptationTemplate, previous: AdaptationTemplate | None
    ) -> dict[str, Any]:
        """What the (bound, unsaved) form holds after choosing ``template`` from the library: the
        entry's title and description where the user has typed nothing of their own (empty, or
        the previous entry's text), its subject added; everything else as typed."""
        values = {name: self[name].value() for name in self.fields}
        for name in ("title", "description"):
            typed = (values.get(name) or "").strip()
            if not typed or (previous is not None and typed == getattr(previous, name)):
                values[name] = getattr(template, name)
        if template.subject_id:
            chosen = [str(v) for v in values.get("subjects") or []]
            values.update(all_subjects=False, subjects=[*chosen, str(template.subject_id)])
        return values

    def to_input(self) -> AdaptationInput:
        data = self.cleaned_data
        return AdaptationInput(
            title=data["title"],
            description=data["description"],
            need=data["need"],
            all_subjects=data["all_subjects"],
            subject_ids=[int(s) for s in data["subjects"]],
            start_date=data["start_date"],
            responsible_id=data["responsible"].pk,
            next_follow_up=data["next_follow_up"],
            visible_to_family=data["visible_to_family"],
        )


class FollowUpForm(OnceForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    observation = forms.CharField(
        label=_("What did you see?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX
    )
    effect = forms.ChoiceField(label=_("Effect"), choices=Effect.choices, widget=forms.RadioSelect)
    next_follow_up = forms.DateField(label=_("Next follow-up"), required=False, widget=DateInput())


class EvaluationForm(OnceForm):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX
    )
    effect = forms.ChoiceField(label=_("Effect"), choices=Effect.choices, widget=forms.RadioSelect)
    next_step = forms.ChoiceField(
        label=_("Next step"), choices=NextStep.choices, widget=forms.RadioSelect
    )
    next_follow_up = forms.DateField(
        label=_("Next follow-up (if it goes on)"), required=False, widget=DateInput()
    )


class EndForm(ServiceForm):
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)


class LibraryEntryForm(OnceForm):
    title = forms.CharField(
        label=_("What is adapted"),
        max_length=TITLE_MAX,
        error_messages={"required": TITLE_REQUIRED},
    )
    description = forms.CharField(
        label=_("How"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX,
    )
    subject = forms.ChoiceField(label=_("Subject (optional)"), required=False)

    def __init__(self, *args: Any, unit: SchoolUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subjects = {s.pk: s for s in subjects_taught_at(unit)}
        cast(forms.ChoiceField, self.fields["subject"]).choices = [("", _("Any subject"))] + [
            (str(pk), s.name) for pk, s in self.subjects.items()
        ]

    def subject_obj(self) -> Any:
        value = self.cleaned_data.get("subject")
        return self.subjects.get(int(value)) if value else None


__all__ = [
    "AdaptationForm",
    "EndForm",
    "EvaluationForm",
    "FieldError",
    "FollowUpForm",
    "LibraryEntryForm",
    "OnceForm",
]

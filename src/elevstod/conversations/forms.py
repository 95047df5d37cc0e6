"""Forms of the talk and plan pages: they parse what was typed; the rules are in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elevstod.core.limits import TEXT_MAX, TOO_LONG
from elevstod.organisation.models import Person
from elevstod.support.forms.common import DateInput, ServiceForm, free_text

from .models import PreparationQuestion, TalkSlot
from .times import slot_label


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class TalkForm(ServiceForm):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Time"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=5, max_value=180, initial=30
    )
    place = forms.CharField(
        label=_("Place or link"),
        max_length=300,
        required=False,
        help_text=_("A room, or the link of a video call."),
    )
    participants = forms.MultipleChoiceField(
        label=_("Who takes part"), widget=forms.CheckboxSelectMultiple, required=False
    )
    other_participants = forms.CharField(
        label=_("Others taking part"), max_length=300, required=False
    )
    field_aliases = {"starts_at": "day"}

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(p.pk), p.full_name) for p in people]

    def starts_at(self) -> dt.datetime:
        day: dt.date = self.cleaned_data["day"]
        time: dt.time = self.cleaned_data["time"]
        return timezone.make_aware(dt.datetime.combine(day, time))


class RecordForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput(), required=False)
    record = free_text(_("What we talked about (the pupil and guardians read it)"), rows=6)
    internal_note = free_text(_("Internal note (staff only)"), rows=3)


class OfferForm(ServiceForm):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    first = forms.TimeField(label=_("First time"), widget=TimeInput())
    count = forms.IntegerField(label=_("Number of times"), min_value=1, max_value=40, initial=6)
    minutes = forms.IntegerField(
        label=_("Minutes per talk"), min_value=5, max_value=120, initial=20
    )
    place = forms.CharField(label=_("Place or link"), max_length=300, required=False)


class BookForm(ServiceForm):
    slot = forms.TypedChoiceField(
        label=_("Choose a time"), coerce=int, widget=forms.RadioSelect, empty_value=None
    )

    def __init__(self, *args: Any, slots: list[TalkSlot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["slot"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(str(s.pk), slot_label(s)) for s in slots]


class PreparationForm(ServiceForm):
    """One text per question of the unit's template."""

    def __init__(self, *args: Any, questions: list[PreparationQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            field = forms.CharField(
                label=q.text,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=TEXT_MAX,
            )
            field.widget.attrs.pop("maxlength", None)
            field.error_messages["max_length"] = TOO_LONG
            self.fields[f"q{q.pk}"] = field
        self.questions = questions

    def answers(self) -> dict[int, str]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}", "") for q in self.questions}


class PlanForm(ServiceForm):
    pupil_will = free_text(_("What the pupil will do"), rows=4)
    guardians_will = free_text(_("What the guardians will do"), rows=4)
    school_efforts = free_text(_("The school's efforts"), rows=6)


class SubjectForm(ServiceForm):
    strengths = free_text(_("Strengths, in plain words"), rows=4)
    development = free_text(_("To develop next"), rows=4)


class QuestionsForm(ServiceForm):
    questions = free_text(_("Questions, one a line"), rows=8)
    plan_in_other_years = forms.BooleanField(
        label=_("Write the development plan in years 6-9 too (in years 1-5 it is required)"),
        required=False,
    )

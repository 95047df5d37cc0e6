"""What every support form shares. Forms parse what the user typed; the rules are in the
services. A ``FieldError`` from a service is shown next to its field, and what the user typed
is kept."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from elevstod.core.errors import DomainError
from elevstod.core.limits import TEXT_MAX, TOO_LONG
from elevstod.organisation.models import Person
from elevstod.organisation.selectors import staff_for_pickers, staff_label


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ServiceForm(forms.Form):
    """A form that can show a service's refusal where it belongs."""

    field_aliases: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = TOO_LONG
            if isinstance(field.widget, forms.Textarea):
                # the browser would cut a pasted text silently; the form says what is too long
                field.widget.attrs.pop("maxlength", None)

    def add_domain_error(self, error: DomainError) -> None:
        field = getattr(error, "field", None)
        field = self.field_aliases.get(field, field) if field else None
        self.add_error(field if field in self.fields else None, str(error.message))


class TokenInput(forms.HiddenInput):
    """The once-token without an id: a page may hold several such forms (one per party on a
    decision), and an id would repeat; nothing points at a hidden field."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("id", None)
        return context


class OnceForm(ServiceForm):
    """A form that creates something. Each rendered form carries a fresh token, which the
    service claims (``services/submissions.py``): the same form sent twice writes once."""

    token = forms.CharField(widget=TokenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["token"].initial = secrets.token_urlsafe(24)


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("Choose a person"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A picker of one staff member, shown with role and unit (``staff_label``)."""

    def label_from_instance(self, obj: Any) -> str:
        return staff_label(obj)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A picker of several staff members, shown with role and unit (``staff_label``)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return staff_label(obj)


def staff_choices(field: forms.Field, people: Iterable[Person]) -> None:
    """Offer ``people`` in a staff picker, each labelled from one query for all of them."""
    cast("forms.ModelChoiceField[Person]", field).queryset = staff_for_pickers(people)


def free_text(
    label: Any, *, rows: int, required: bool = False, help_text: Any = ""
) -> forms.CharField:
    """A free-text field of a support form: a text area, bounded like every free text."""
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=TEXT_MAX,
    )

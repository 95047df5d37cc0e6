"""The unit's library of common adaptations: a page, and one POST view per step (add an entry,
remove one), which the principal of the unit takes (``steps.unit_steps``)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import AccessDenied
from elevstod.organisation.access import access_unit
from elevstod.organisation.models import SchoolUnit

from ..forms.adaptations import LibraryEntryForm
from ..selectors import adaptations as selectors
from ..services import library as library_services
from ..steps import EDIT_LIBRARY, unit_steps
from .common import POST, form_step


class LibraryRemoveForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


@login_required
@require_GET
def library(request: SignedInRequest, pk: int) -> HttpResponse:
    return _library_page(request, access_unit(actor=request.user, pk=pk))


def _library_page(
    request: SignedInRequest, unit: SchoolUnit, form: LibraryEntryForm | None = None
) -> HttpResponse:
    """The library; a refused entry shows its form with what was typed."""
    return render(
        request,
        "support/library.html",
        {
            "unit": unit,
            "entries": list(selectors.library_for(unit=unit)),
            "form": form or LibraryEntryForm(unit=unit),
            "may_edit": EDIT_LIBRARY in unit_steps(request.user, unit),
        },
    )


def _editable_unit(request: SignedInRequest, pk: int) -> SchoolUnit:
    unit = access_unit(actor=request.user, pk=pk)
    if EDIT_LIBRARY not in unit_steps(request.user, unit):
        raise AccessDenied()
    return unit


@login_required
@POST
def library_add(request: SignedInRequest, pk: int) -> HttpResponse:
    unit = _editable_unit(request, pk)
    form = LibraryEntryForm(request.POST, unit=unit)
    return form_step(
        request,
        form,
        lambda d: library_services.template_create(
            actor=request.user,
            unit=unit,
            title=d["title"],
            description=d["description"],
            subject=form.subject_obj(),
            token=d["token"],
        ),
        _("The library was updated."),
        back=redirect("support:library", unit.pk),
        page=lambda f: _library_page(request, unit, cast(LibraryEntryForm, f)),
    )


@login_required
@POST
def library_remove(request: SignedInRequest, pk: int) -> HttpResponse:
    unit = _editable_unit(request, pk)
    form = LibraryRemoveForm(request.POST)
    if not form.is_valid():
        return _library_page(request, unit)
    entry = selectors.library_entry_get(unit=unit, pk=form.cleaned_data["entry"])
    if entry is None:
        raise AccessDenied()
    library_services.template_remove(actor=request.user, entry=entry)
    return redirect("support:library", unit.pk)

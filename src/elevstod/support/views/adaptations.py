"""Pages of extra adaptations. Views parse input and call one service; rules live in services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.params import choice_param, optional_id
from elevstod.core.timeutil import today
from elevstod.organisation.access import Grant, Right, access_group, access_pupil, access_unit

from ..access import support_unit_for
from ..errors import StaleVersion
from ..forms.adaptations import (
    AdaptationForm,
    EndForm,
    EvaluationForm,
    FollowUpForm,
)
from ..links import adaptation_links, efforts_links
from ..selectors import adaptations as selectors
from ..services import adaptations as services
from .common import GET_POST


@login_required
@GET_POST
def adaptation_new(request: SignedInRequest, pupil_pk: int) -> HttpResponse:
    grant = access_pupil(
        actor=request.user,
        pk=pupil_pk,
        purpose="support.adaptation.new",
        right=Right.VIEW_PUPIL,
        path=request.path,
    )
    pupil = grant.pupil
    try:
        unit = support_unit_for(pupil)
    except DomainError as error:
        return _not_enabled(request, grant, error)
    if not grant.has(Right.VIEW_SUPPORT):
        raise AccessDenied()
    library = list(selectors.library_for(unit=unit))
    template = selectors.library_entry_get(unit=unit, pk=optional_id(request.GET, "mall") or 0)
    if request.method == "POST":
        template, form, saved = _adaptation_new_post(request, pupil=pupil, unit=unit)
        if saved is not None:
            messages.success(request, _("The extra adaptation was saved."))
            return redirect("support:adaptation_detail", saved.pk)
    else:
        initial = AdaptationForm.initial_for_new(
            actor=request.user, template=template, today=today()
        )
        form = AdaptationForm(initial=initial, unit=unit, pupil=pupil)
    return render(
        request,
        "support/adaptation_form.html",
        {
            "form": form,
            "pupil": pupil,
            "unit": unit,
            "library": library,
            "template": template,
            "creating": True,
        },
    )


def _not_enabled(request: SignedInRequest, grant: Grant, error: DomainError) -> HttpResponse:
    """Without the module: why, and where the unit writes the adaptations instead."""
    context = {"pupil": grant.pupil, "error": error, "links": efforts_links(request.user, grant)}
    return render(request, "support/not_enabled.html", context)


def _adaptation_new_post(
    request: SignedInRequest, *, pupil: Any, unit: Any
) -> tuple[Any, AdaptationForm, Any]:
    """Choose a library entry (fill it in, keep what was typed, save nothing) or save:
    the entry the form started from, the form to show again, and the saved adaptation."""
    template = selectors.library_entry_get(unit=unit, pk=optional_id(request.POST, "mall") or 0)
    form = AdaptationForm(request.POST, unit=unit, pupil=pupil)
    picked = selectors.library_entry_get(unit=unit, pk=optional_id(request.POST, "pick") or 0)
    if picked is not None:
        initial = form.values_with_template(picked, previous=template)
        return picked, AdaptationForm(initial=initial, unit=unit, pupil=pupil), None
    if not form.is_valid():
        return template, form, None
    try:
        adaptation = services.adaptation_create(
            actor=request.user,
            pupil=pupil,
            data=form.to_input(),
            template=template,
            token=form.cleaned_data["token"],
        )
    except DomainError as error:
        form.add_domain_error(error)
        return template, form, None
    return template, form, adaptation


@login_required
@require_http_methods(["GET"])
def adaptation_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    adaptation = selectors.access_adaptation(
        actor=request.user, pk=pk, purpose="support.adaptation.page", path=request.path
    )
    detail = selectors.adaptation_detail(adaptation=adaptation)
    return render(
        request,
        "support/adaptation_detail.html",
        {
            "detail": detail,
            "a": adaptation,
            "pupil": adaptation.pupil,
            "due": selectors.due_state(adaptation),
            "related": adaptation_links(adaptation),
            "follow_up_form": FollowUpForm(
                initial={"date": today(), "next_follow_up": adaptation.next_follow_up}
            ),
        },
    )


@login_required
@GET_POST
def adaptation_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    adaptation = selectors.access_adaptation(
        actor=request.user, pk=pk, purpose="support.adaptation.edit", path=request.path
    )
    if not adaptation.is_active:
        messages.error(request, _("The adaptation has ended and can no longer be changed."))
        return redirect("support:adaptation_detail", pk)
    kwargs: dict[str, Any] = {"unit": adaptation.unit, "pupil": adaptation.pupil}
    if request.method == "POST":
        form = AdaptationForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.adaptation_change(
                    actor=request.user,
                    adaptation_id=pk,
                    expected_version=form.cleaned_data["version"] or 0,
                    data=form.to_input(),
                )
            except DomainError as error:
                form.add_domain_error(error)
                if isinstance(error, StaleVersion):
                    adaptation.refresh_from_db()
            else:
                messages.success(request, _("The change was saved."))
                return redirect("support:adaptation_detail", pk)
    else:
        form = AdaptationForm(initial=_initial_from(adaptation), **kwargs)
    return render(
        request,
        "support/adaptation_form.html",
        {
            "form": form,
            "pupil": adaptation.pupil,
            "unit": adaptation.unit,
            "a": adaptation,
            "creating": False,
        },
    )


def _initial_from(adaptation: Any) -> dict[str, Any]:
    return {
        "title": adaptation.title,
        "description": adaptation.description,
        "need": adaptation.need,
        "all_subjects": adaptation.all_subjects,
        "subjects": [str(s.pk) for s in adaptation.subjects.all()],
        "start_date": adaptation.start_date,
        "responsible": adaptation.responsible_id,
        "next_follow_up": adaptation.next_follow_up,
        "visible_to_family": adaptation.visible_to_family,
        "version": adaptation.version,
    }


@login_required
@GET_POST
def adaptation_follow_up(request: SignedInRequest, pk: int) -> HttpResponse:
    adaptation = selectors.access_adaptation(
        actor=request.user, pk=pk, purpose="support.adaptation.follow_up", path=request.path
    )
    form = FollowUpForm(
        request.POST or None, initial={"date": today(), "next_follow_up": adaptation.next_follow_up}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.adaptation_follow_up(actor=request.user, adaptation_id=pk, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The follow-up was saved."))
            return redirect("support:adaptation_detail", pk)
    return render(
        request,
        "support/record_form.html",
        {"form": form, "a": adaptation, "pupil": adaptation.pupil, "kind": "follow_up"},
    )


@login_required
@GET_POST
def adaptation_evaluate(request: SignedInRequest, pk: int) -> HttpResponse:
    adaptation = selectors.access_adaptation(
        actor=request.user, pk=pk, purpose="support.adaptation.evaluate", path=request.path
    )
    form = EvaluationForm(request.POST or None, initial={"date": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.adaptation_evaluate(actor=request.user, adaptation_id=pk, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The evaluation was saved."))
            if form.cleaned_data["next_step"] == "CHANGE":
                return redirect("support:adaptation_edit", pk)
            return redirect("support:adaptation_detail", pk)
    return render(
        request,
        "support/record_form.html",
        {"form": form, "a": adaptation, "pupil": adaptation.pupil, "kind": "evaluation"},
    )


@login_required
@GET_POST
def adaptation_end(request: SignedInRequest, pk: int) -> HttpResponse:
    adaptation = selectors.access_adaptation(
        actor=request.user, pk=pk, purpose="support.adaptation.end", path=request.path
    )
    form = EndForm(
        request.POST or None, initial={"end_date": today(), "version": adaptation.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.adaptation_end(
                actor=request.user,
                adaptation_id=pk,
                expected_version=form.cleaned_data["version"],
                end_date=form.cleaned_data["end_date"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, _("The adaptation was ended. It stays in the pupil's history.")
            )
            return redirect("support:adaptation_detail", pk)
    return render(
        request,
        "support/record_form.html",
        {"form": form, "a": adaptation, "pupil": adaptation.pupil, "kind": "end"},
    )


def _overview(request: SignedInRequest, *, unit: Any, group: Any = None) -> HttpResponse:
    subject_id = optional_id(request.GET, "amne")
    due = choice_param(request.GET, "uppfoljning", {selectors.Due.OVERDUE, selectors.Due.SOON})
    group_id = group.pk if group is not None else optional_id(request.GET, "grupp")
    # The group filter is a name typed in, not a list of every group of the unit: the page
    # stays the same size however many groups a unit has.
    group_name = "" if group else " ".join(request.GET.get("gruppnamn", "").split())[:100]
    named = None
    if group is None and (group_name or group_id is not None):
        named = selectors.overview_group(unit=unit, name=group_name, pk=group_id)
        if group_name:
            group_id = named.pk if named else None
    page = selectors.adaptation_overview_page(
        actor=request.user,
        unit=unit,
        chosen=selectors.OverviewFilter(group_id=group_id, subject_id=subject_id, due=due),
        number=request.GET.get("sida"),
        per_page=settings.ELEVSTOD_PAGE_SIZE,
        path=request.path,
    )
    return render(
        request,
        "support/overview.html",
        {
            "unit": unit,
            "group": group,
            "page": page,
            "subjects": selectors.subjects_taught_at(unit),
            "group_name": named.name if named else group_name,
            "group_not_found": bool(group_name) and named is None,
            "subject_id": subject_id,
            "due": due,
            "group_id": group_id,
        },
    )


@login_required
@require_http_methods(["GET"])
def unit_overview(request: SignedInRequest, pk: int) -> HttpResponse:
    unit = access_unit(actor=request.user, pk=pk)
    if not unit.support_module_enabled:
        return render(request, "support/not_enabled.html", {"unit": unit})
    return _overview(request, unit=unit)


@login_required
@require_http_methods(["GET"])
def group_overview(request: SignedInRequest, pk: int) -> HttpResponse:
    group = access_group(actor=request.user, pk=pk)
    if not group.unit.support_module_enabled:
        return render(request, "support/not_enabled.html", {"unit": group.unit})
    return _overview(request, unit=group.unit, group=group)

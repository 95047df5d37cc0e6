"""The start page: what a user sees first depends on their roles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from elevstod.audit.selectors import log_scope
from elevstod.conversations.access import overview_units
from elevstod.organisation import selectors
from elevstod.organisation.access import Reason, scope_for, units_visible_to


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    family = list(selectors.family_pupils(actor=request.user))
    context = {
        "scope": scope,
        "units": list(units_visible_to(request.user)) if scope.is_staff else [],
        "talk_units": overview_units(request.user) if scope.is_staff else frozenset(),
        "groups": list(selectors.teacher_groups(actor=request.user)) if scope.is_staff else [],
        "mentees": list(selectors.mentees(actor=request.user)) if scope.is_staff else [],
        "family": family,
        "family_ids": {p.pk for p in family},
        "organiser_units": selectors.organiser_overview(actor=request.user),
    }
    log = log_scope(request.user)
    context["may_search_log"] = log is not None
    context["is_data_protection_officer"] = (
        log is not None and log.reason == Reason.DATA_PROTECTION_OFFICER
    )
    return render(request, "home/start.html", context)

"""The start page: what a user sees first depends on their roles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from elevstod.accounts.stepup import step_up_url, step_up_valid
from elevstod.audit.selectors import log_scope
from elevstod.conversations.access import overview_units
from elevstod.core.timeutil import today
from elevstod.organisation import selectors
from elevstod.organisation.access import Reason, scope_for
from elevstod.organisation.standing import staff_units
from elevstod.overviews import marks, statistics, todo


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    family = list(selectors.family_pupils(actor=request.user))
    context = {
        "scope": scope,
        "units": staff_units(request.user),
        "talk_units": overview_units(request.user) if scope.is_staff else frozenset(),
        "groups": list(selectors.teacher_groups(actor=request.user)) if scope.is_staff else [],
        "mentees": list(selectors.mentees(actor=request.user)) if scope.is_staff else [],
        "family": family,
        "family_ids": {p.pk for p in family},
        "organiser_units": selectors.organiser_overview(actor=request.user),
    }
    context["todo"] = todo.principal_todo(actor=request.user)
    # Whose follow-ups are due is the pupils' support: shown after the step-up only.
    context["support_unlocked"] = scope.is_staff and step_up_valid(request)
    context["step_up_url"] = step_up_url(request.get_full_path())
    context["today"] = today()
    if context["support_unlocked"]:
        context["follow_ups_due"] = marks.follow_ups_due_this_week(actor=request.user)
    context["statistics_units"] = statistics.statistics_units(actor=request.user)
    context["organiser_statistics"] = statistics.organisers_with_statistics(actor=request.user)
    log = log_scope(request.user)
    context["may_search_log"] = log is not None
    context["is_data_protection_officer"] = (
        log is not None and log.reason == Reason.DATA_PROTECTION_OFFICER
    )
    return render(request, "home/start.html", context)

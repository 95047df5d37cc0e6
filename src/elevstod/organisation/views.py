"""Pages about pupils, groups and school units. Every object comes through ``access``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from elevstod.accounts.models import User
from elevstod.accounts.stepup import step_up_url, step_up_valid
from elevstod.audit.services import access_log_record
from elevstod.conversations.access import talk_reasons
from elevstod.core.actors import AnyUser
from elevstod.core.params import int_param
from elevstod.core.timeutil import today
from elevstod.core.unions import Branches, Rows, compiled_union_rows
from elevstod.overviews.marks import support_marks
from elevstod.support.selectors import family as family_selectors
from elevstod.support.selectors.summary import support_summary_branches, support_summary_from
from elevstod.support.steps import pupil_steps

from . import selectors
from .access import (
    Grant,
    Reason,
    Right,
    access_group,
    access_pupil,
    access_unit,
    may_see_unit_pupil_lists,
    scope_for,
)
from .civic import civic_number_display
from .models import Person, school_year_label
from .pupil_page import pupil_page, pupil_page_branches, pupil_page_from


@login_required
@require_GET
def pupil_search(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).is_staff:
        return render(request, "404.html", status=404)
    term = request.GET.get("q", "")[:100]
    results = list(selectors.pupil_search(actor=request.user, term=term)) if term.strip() else []
    if term.strip():
        access_log_record(
            actor=request.user,
            pupil_id=None,
            purpose="organisation.pupil.search",
            reasons=(),
            granted=True,
            path=f"{request.path}?q={term}",
        )
    # A history restore asks for the whole page; only live searches get the fragment.
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "organisation/_search_results.html" if partial else "organisation/search.html"
    return render(request, template, {"term": term, "results": results})


@login_required
@require_GET
def pupil_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = access_pupil(
        actor=request.user,
        pk=pk,
        purpose="organisation.pupil.page",
        right=Right.VIEW_PUPIL,
        path=request.path,
    )
    # The pupil's support is part of the support area: shown only after the step-up.
    may_see_support = grant.has(Right.VIEW_SUPPORT)
    show_support = may_see_support and step_up_valid(request)
    rows = _pupil_page_rows(request.user, grant, show_support)
    page = pupil_page_from(grant, rows)
    context: dict[str, Any] = {
        "page": page,
        "pupil": grant.pupil,
        "civic_number": civic_number_display(grant.pupil.civic_number),
        "show_contacts": grant.has(Right.VIEW_GUARDIAN_CONTACTS),
        "may_see_support": may_see_support,
        "show_support": show_support,
        "step_up_url": step_up_url(request.get_full_path()),
        "is_principal": Reason.PRINCIPAL in grant.reasons,
        "sees_talks": bool(talk_reasons(request.user, grant)),
    }
    if show_support:
        context["adaptations"], context["special"] = support_summary_from(rows)
        context["pupil_steps"] = pupil_steps(request.user, grant, page.placements)
    return render(request, "organisation/pupil.html", context)


def _pupil_page_rows(actor: AnyUser, grant: Grant, show_support: bool) -> Rows:
    """The school data and the support section in one query (``core.unions``), compiled once
    per shape: the grant's reasons and rights, the support section, today. The branches are
    built for stand-ins of the pupil and the actor with the ids as parameters only."""
    pupil = grant.pupil

    def branches(**ids: Any) -> Branches:
        stand_in = Person(pk=ids["pupil"], security_marking=pupil.security_marking)
        g = Grant(stand_in, grant.reasons, grant.support_module)
        built = pupil_page_branches(g)
        if show_support:
            reader = User(pk=ids["actor"], person_id=ids["person"])
            built |= support_summary_branches(reader, g)
        return built

    key = ("pupil page", grant.reasons, grant.rights, show_support, today())
    ids = {"pupil": pupil.pk, "actor": actor.pk, "person": getattr(actor, "person_id", None)}
    return compiled_union_rows(key, branches, **ids)


@login_required
@require_GET
def family_pupil(request: HttpRequest, pk: int) -> HttpResponse:
    grant = access_pupil(
        actor=request.user,
        pk=pk,
        purpose="organisation.pupil.family_page",
        right=Right.FAMILY_VIEW,
        path=request.path,
    )
    page = pupil_page(grant=grant)
    return render(
        request,
        "organisation/family_pupil.html",
        {
            "page": page,
            "pupil": grant.pupil,
            "support": family_selectors.family_support(grant=grant),
            "decisions": family_selectors.family_decisions(
                actor=request.user, grant=grant, path=request.path
            ),
            "sees_talks": bool(talk_reasons(request.user, grant)),
        },
    )


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = access_group(actor=request.user, pk=pk)
    members = list(selectors.group_members(actor=request.user, group=group))
    # Which pupils have support is part of the support area: marked only after the step-up.
    show_marks = group.unit.support_module_enabled and step_up_valid(request)
    return render(
        request,
        "organisation/group.html",
        {
            "group": group,
            "members": members,
            "marks": support_marks(actor=request.user, pupils=members) if show_marks else {},
            "show_marks": show_marks,
            "step_up_url": step_up_url(request.get_full_path()),
            "teachers": list(selectors.group_teachers(group=group)),
            "year_label": school_year_label(group.school_year),
        },
    )


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access_unit(actor=request.user, pk=pk)
    year = int_param(request.GET, "arskurs", default=-1, minimum=-1, maximum=10)
    school_year = year if year >= 0 else None
    pupils_page = None
    year_counts = []
    if may_see_unit_pupil_lists(request.user, unit):
        pupils = selectors.unit_pupils(actor=request.user, unit=unit, school_year=school_year)
        paginator = Paginator(pupils, settings.ELEVSTOD_PAGE_SIZE)
        pupils_page = paginator.get_page(request.GET.get("sida"))
        year_counts = [
            {"label": school_year_label(row["school_year"]), **row}
            for row in selectors.unit_year_counts(unit=unit)
        ]
    return render(
        request,
        "organisation/unit.html",
        {
            "unit": unit,
            # Paged: a large unit has hundreds of groups, and the page must not grow with them.
            "groups_page": Paginator(
                selectors.unit_groups(unit=unit).order_by("school_year", "name", "pk"),
                settings.ELEVSTOD_PAGE_SIZE,
            ).get_page(request.GET.get("gruppsida")),
            "staff": list(selectors.unit_staff(unit=unit)),
            "pupils_page": pupils_page,
            "year_counts": year_counts,
            "school_year": school_year,
        },
    )

"""The PDF documents. Each view lets in exactly those who may read the page the document comes
from, by calling that page's own access function (which logs the read, under the document's
purpose, or the refusal); a refused user gets the same 404 as for the page. The PDF is sent
with ``Cache-Control: no-store``: it must not stay in a shared cache or the browser's."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from elevstod.accounts.stepup import step_up_redirect, step_up_valid
from elevstod.conversations import selectors as plan_selectors
from elevstod.organisation.access import Right, access_pupil
from elevstod.organisation.models import Placement
from elevstod.support.access import access_party_decision
from elevstod.support.models import Decision
from elevstod.support.selectors import special

from . import contents
from .render import DocumentsUnavailable, render_pdf


def pdf_response(
    request: HttpRequest, template: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    try:
        pdf = render_pdf(template, context)
    except DocumentsUnavailable:
        return render(request, "documents/unavailable.html", status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def programme_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    programme = special.access_programme(
        actor=request.user, pk=pk, path=request.path, purpose="documents.programme.pdf"
    )
    sheet = contents.programme_sheet(actor=request.user, programme=programme)
    return pdf_response(
        request,
        "documents/programme.html",
        {"sheet": sheet, "pupil": sheet.pupil},
        f"atgardsprogram-{pk}.pdf",
    )


@login_required
@require_GET
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    decision = special.access_decision(
        actor=request.user, pk=pk, path=request.path, purpose="documents.decision.pdf"
    )
    return decision_document(request, decision)


def decision_document(
    request: HttpRequest, decision: Decision, party_id: int | None = None
) -> HttpResponse:
    """The PDF of a decision the reader has been let in to; with ``party_id``, the copy of that
    party, who reads only their own notification."""
    sheet = contents.decision_sheet(actor=request.user, decision=decision, party_id=party_id)
    return pdf_response(
        request,
        "documents/decision.html",
        {"sheet": sheet, "pupil": contents.pupil_lines(decision.pupil, decision.unit)},
        f"beslut-{decision.pk}.pdf",
    )


@login_required
@require_GET
def party_decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision for one of its parties (a guardian, or the pupil from 16), linked from the
    family view; like the family's page of the decision, after the party's own step-up."""
    decision = access_party_decision(
        actor=request.user, pk=pk, path=request.path, purpose="documents.decision.party_pdf"
    )
    if not step_up_valid(request):
        return step_up_redirect(request)
    # access_party_decision let in a party, who has a person; 0 would read no party at all.
    return decision_document(request, decision, party_id=getattr(request.user, "person_id", 0) or 0)


@login_required
@require_GET
def investigation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    investigation = special.access_investigation(
        actor=request.user, pk=pk, path=request.path, purpose="documents.investigation.pdf"
    )
    sheet = contents.investigation_sheet(investigation=investigation)
    return pdf_response(
        request,
        "documents/investigation.html",
        {"sheet": sheet, "pupil": sheet.pupil},
        f"utredning-{pk}.pdf",
    )


@login_required
@require_GET
def history_pdf(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    """The pupil's support history, for those who see the support section of the pupil page."""
    grant = access_pupil(
        actor=request.user,
        pk=pupil_pk,
        purpose="documents.history.pdf",
        right=Right.VIEW_SUPPORT,
        path=request.path,
    )
    placement = (
        Placement.objects.active()
        .filter(pupil=grant.pupil)
        .select_related("unit")
        .order_by("-unit__support_module_enabled", "-start_date")
        .first()
    )
    assert placement is not None  # VIEW_SUPPORT needs a current placement
    sheet = contents.history_sheet(actor=request.user, grant=grant, unit=placement.unit)
    return pdf_response(
        request,
        "documents/history.html",
        {"sheet": sheet, "pupil": sheet.pupil},
        f"stodhistorik-{pupil_pk}.pdf",
    )


@login_required
@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The written development plan as the copy handed to the family: the family the last
    fixed version, staff the plan as it stands; for every reader, of the snapshot only the
    adaptations marked visible to pupil and guardian, since a printed copy leaves the school
    (staff see the others on the page, after the step-up). Internal notes are never part of a
    plan."""
    plan, grant = plan_selectors.access_plan(
        actor=request.user, pk=pk, path=request.path, purpose="documents.plan.pdf"
    )
    page = plan_selectors.plan_page(plan=plan, grant=grant, all_items=False)
    pupil = contents.pupil_lines(grant.pupil, plan.unit)
    return pdf_response(
        request,
        "documents/plan.html",
        {"page": page, "grant": grant, "pupil": pupil},
        f"utvecklingsplan-{pk}.pdf",
    )

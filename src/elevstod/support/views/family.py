"""The family view of decisions (guardians with custody; the pupil from 16): read a decision,
confirm receipt of it after a fresh step-up, appeal it online and follow the appeal. Every read
goes through the party rule (``access.party_decisions``) and is logged; a refused user gets the
404 of a missing page. Outside the ``support`` namespace, whose step-up is for staff only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from elevstod.accounts.http import SignedInRequest
from elevstod.accounts.stepup import step_up_fresh, step_up_redirect, step_up_valid
from elevstod.core.errors import DomainError

from ..forms.family import AcknowledgeForm, AppealLodgeForm
from ..models import AppealAttachment
from ..selectors import family as sel
from ..services import parties
from ..services.appeals import another_appeal_refused, appeal_already_lodged, appeal_lodge
from .common import GET_POST


@login_required
@require_GET
def decision(request: SignedInRequest, pk: int) -> HttpResponse:
    view = sel.party_decision(actor=request.user, pk=pk, path=request.path)
    if not step_up_valid(request):
        return step_up_redirect(request)
    lodged = appeal_already_lodged(view.appeals)
    return render(
        request,
        "support/family/decision.html",
        {"v": view, "d": view.decision, "lodged": lodged},
    )


@login_required
@GET_POST
def decision_acknowledge(request: SignedInRequest, pk: int) -> HttpResponse:
    """ "Jag har tagit del av beslutet": only after the party verified their own second factor
    (or the school login with it) within the last minutes."""
    view = sel.party_decision(actor=request.user, pk=pk, path=request.path)
    if view.notification is not None:
        return redirect("family:decision", pk)
    if not step_up_fresh(request):
        return step_up_redirect(request)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            parties.decision_acknowledge(
                actor=request.user, decision_id=pk, token=form.cleaned_data["token"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Thank you. Your receipt of the decision is recorded."))
            return redirect("family:decision", pk)
    return render(
        request, "support/family/acknowledge.html", {"v": view, "d": view.decision, "form": form}
    )


@login_required
@GET_POST
def appeal_new(request: SignedInRequest, pk: int) -> HttpResponse:
    view = sel.party_decision(actor=request.user, pk=pk, path=request.path)
    if not view.decision.appealable:
        return redirect("family:decision", pk)
    if not step_up_valid(request):
        return step_up_redirect(request)
    posted = request.method == "POST"
    earlier = appeal_already_lodged(view.appeals)
    if earlier is not None and not posted:  # a post is the service's to refuse (or a repeat)
        messages.info(request, another_appeal_refused(earlier))
        return redirect("family:appeal", earlier.pk)
    form = AppealLodgeForm(request.POST if posted else None, request.FILES if posted else None)
    if form.is_valid():
        d = form.cleaned_data
        try:
            appeal = appeal_lodge(
                actor=request.user,
                decision_id=pk,
                change_requested=d["change_requested"],
                grounds=d["grounds"],
                attachments=d["attachments"],
                token=d["token"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Your appeal was sent to the school."))
            return redirect("family:appeal", appeal.pk)
    return render(
        request, "support/family/appeal_new.html", {"v": view, "d": view.decision, "form": form}
    )


@login_required
@require_GET
def appeal(request: SignedInRequest, pk: int) -> HttpResponse:
    view, found = sel.party_appeal(actor=request.user, pk=pk, path=request.path)
    if not step_up_valid(request):
        return step_up_redirect(request)
    return render(
        request, "support/family/appeal.html", {"v": view, "d": view.decision, "a": found}
    )


@login_required
@require_GET
def appeal_attachment(request: SignedInRequest, pk: int) -> HttpResponse:
    attachment = sel.party_attachment(actor=request.user, pk=pk, path=request.path)
    if not step_up_valid(request):
        return step_up_redirect(request)
    return attachment_response(attachment)


def attachment_response(attachment: AppealAttachment) -> HttpResponse:
    """The file as a download of the type its content showed, never rendered by the browser as
    a page of the app."""
    response = HttpResponse(bytes(attachment.data), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response

"""Steps of an action programme that have a page of their own: renewing it (after a
confirmation), discarding an undecided renewal copy, and a decision on a form of support."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from elevstod.accounts.http import SignedInRequest

from ..forms.special import SupportFormDecisionForm
from ..models import ActionProgramme, Decision
from ..selectors import special as sel
from ..services import programmes, support_forms
from ..steps import SUPPORT_FORM_DECISION, steps_for
from .common import GET_POST, run


def _refuse(request: SignedInRequest, programme: ActionProgramme) -> HttpResponse:
    messages.error(request, _("This step is not possible for you on this programme now."))
    return redirect("support:programme_detail", programme.pk)


def _allowed(request: SignedInRequest, programme: ActionProgramme, step: str) -> bool:
    return step in steps_for(request.user, programme)


@login_required
@GET_POST
def programme_renew(request: SignedInRequest, pk: int) -> HttpResponse:
    """Ask first; on confirmation make the copy and open it."""
    programme = sel.access_programme(actor=request.user, pk=pk, path=request.path)
    if not _allowed(request, programme, "renew"):
        return _refuse(request, programme)
    if request.method == "POST":
        made: list[ActionProgramme] = []
        if run(
            request,
            None,
            lambda: made.append(programmes.programme_renew(actor=request.user, programme_id=pk)),
            _("A new programme was drafted as a copy. It needs its own decision."),
        ):
            return redirect("support:programme_detail", made[0].pk)
        return redirect("support:programme_detail", pk)
    return render(
        request,
        "support/special/programme_confirm.html",
        {"p": programme, "pupil": programme.pupil, "step": "renew"},
    )


@login_required
@GET_POST
def programme_discard(request: SignedInRequest, pk: int) -> HttpResponse:
    """Ask first; on confirmation discard the copy and go back to the programme in force."""
    programme = sel.access_programme(actor=request.user, pk=pk, path=request.path)
    if not _allowed(request, programme, "discard"):
        return _refuse(request, programme)
    if request.method == "POST":
        kept: list[ActionProgramme] = []
        version = int(request.POST.get("version", "0") or 0)
        if run(
            request,
            None,
            lambda: kept.append(
                programmes.programme_discard(
                    actor=request.user, programme_id=pk, expected_version=version
                )
            ),
            _("The draft was discarded. The earlier programme stays in force."),
        ):
            return redirect("support:programme_detail", kept[0].pk)
        return redirect("support:programme_detail", pk)
    return render(
        request,
        "support/special/programme_confirm.html",
        {"p": programme, "pupil": programme.pupil, "step": "discard"},
    )


@login_required
@GET_POST
def programme_support_form_decision(request: SignedInRequest, pk: int) -> HttpResponse:
    """The principal's decision on a special teaching group, individual tuition or an adjusted
    study plan (or not to place the pupil in a special teaching group)."""
    programme = sel.access_programme(actor=request.user, pk=pk, path=request.path)
    if not _allowed(request, programme, SUPPORT_FORM_DECISION):
        return _refuse(request, programme)
    form = SupportFormDecisionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        d = form.cleaned_data
        made: list[Decision] = []
        if run(
            request,
            form,
            lambda: made.append(
                support_forms.programme_support_form_decide(
                    actor=request.user,
                    programme_id=pk,
                    kind=d["kind"],
                    reasons=d["reasons"],
                    decided_on=d["decided_on"],
                    token=d["token"],
                )
            ),
            _("The decision was recorded."),
        ):
            return redirect("support:decision_detail", made[0].pk)
    return render(
        request,
        "support/special/support_form_decision.html",
        {"p": programme, "pupil": programme.pupil, "form": form},
    )

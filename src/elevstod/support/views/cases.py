"""Pages of referrals and investigations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.params import int_param, optional_id
from elevstod.organisation.access import Right, access_pupil

from ..access import may_start_investigation
from ..forms.special import (
    DecisionForm,
    InvestigationForm,
    InvestigationStartForm,
    InviteForm,
    ReferralForm,
)
from ..models import ExtraAdaptation, Investigation
from ..selectors import special as sel
from ..services import investigations
from ..steps import steps_for
from .common import GET_POST, run, staff_of

# --- referral --------------------------------------------------------------------------------


@login_required
@GET_POST
def referral_new(request: SignedInRequest, pupil_pk: int) -> HttpResponse:
    grant = access_pupil(
        actor=request.user,
        pk=pupil_pk,
        purpose="support.referral.new",
        right=Right.VIEW_SUPPORT,
        path=request.path,
    )
    pupil = grant.pupil
    adaptations = list(ExtraAdaptation.objects.filter(pupil=pupil, status="ACTIVE"))
    form = ReferralForm(
        request.POST or None,
        adaptations=adaptations,
        initial={"adaptations": [str(a.pk) for a in adaptations]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result: dict[str, Any] = {}

        def call() -> None:
            result["r"] = investigations.referral_submit(
                actor=request.user,
                pupil=pupil,
                tried=data["tried"],
                why=data["why"],
                adaptation_ids=[int(i) for i in data["adaptations"]],
                token=data["token"],
            )

        if run(request, form, call, _("The report was sent to the principal.")):
            return redirect("support:referral_detail", result["r"].pk)
    return render(request, "support/special/referral_form.html", {"form": form, "pupil": pupil})


@login_required
@require_http_methods(["GET"])
def referral_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    referral = sel.access_referral(actor=request.user, pk=pk, path=request.path)
    return render(
        request,
        "support/special/referral.html",
        {
            "referral": referral,
            "pupil": referral.pupil,
            "waiting": sel.waiting_days(referral),
            "steps": steps_for(request.user, referral),
            "adaptations": list(referral.adaptations.all()),
        },
    )


# --- investigation ---------------------------------------------------------------------------


@login_required
@GET_POST
def investigation_new(request: SignedInRequest, pupil_pk: int) -> HttpResponse:
    grant = access_pupil(
        actor=request.user,
        pk=pupil_pk,
        purpose="support.investigation.new",
        right=Right.VIEW_SUPPORT,
        path=request.path,
    )
    pupil = grant.pupil
    if not may_start_investigation(grant):
        raise AccessDenied()
    existing = sel.reusable_investigations(pupil)
    referral_pk = optional_id(request.GET, "anmalan") or optional_id(request.POST, "anmalan")
    referral = (
        sel.access_referral(actor=request.user, pk=referral_pk, path=request.path)
        if referral_pk
        else None
    )
    form = InvestigationStartForm(request.POST or None, staff=staff_of(pupil), existing=existing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        based_on = next((i for i in existing if str(i.pk) == data["based_on"]), None)
        result: dict[str, Any] = {}

        def call() -> None:
            result["i"] = investigations.investigation_start(
                actor=request.user,
                pupil=pupil,
                investigator_ids=[p.pk for p in data["investigators"]],
                planned_decision_date=data["planned_decision_date"],
                referral=referral,
                based_on=based_on,
                token=data["token"],
            )

        if run(request, form, call, _("The investigation was started.")):
            for note in result["i"].defaults_taken:
                messages.info(request, note)
            return redirect("support:investigation_detail", result["i"].pk)
    return render(
        request,
        "support/special/investigation_new.html",
        {"form": form, "pupil": pupil, "referral": referral, "existing": existing},
    )


@login_required
@GET_POST
def investigation_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    inv = sel.access_investigation(actor=request.user, pk=pk, path=request.path)
    staff = staff_of(inv.pupil)
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST" and "invite" in request.POST:
        action = "invite"  # the invite button sends the typed text along, to keep it
    form = InvestigationForm(
        request.POST if action in ("save", "invite") else None, initial=_investigation_initial(inv)
    )
    invite = InviteForm(request.POST if action == "invite" else None, staff=staff)
    decide = DecisionForm(request.POST if action == "no_programme" else None)
    invited = action == "invite" and _invite(request, inv, invite)
    if invited:
        invite = InviteForm(staff=staff)
    done = _investigation_action(request, inv, action, form, decide)
    if done is not None:
        return done
    return render(
        request,
        "support/special/investigation.html",
        {
            "inv": inv,
            "pupil": inv.pupil,
            "form": form,
            "invite": invite,
            "invited": invited,
            "decide": decide,
            "steps": steps_for(request.user, inv),
            "investigators": list(inv.investigators.all()),
            "contributors": list(inv.contributors.all()),
            "programmes": list(inv.programmes.all()),
            "decisions": list(inv.decisions.all()),
        },
    )


def _invite(request: SignedInRequest, inv: Investigation, invite: InviteForm) -> bool:
    """Invite contributors; the page is shown again with the typed, unsaved text kept."""
    if not invite.is_valid():
        return False
    try:
        investigations.investigation_invite(
            actor=request.user,
            investigation_id=inv.pk,
            person_ids=[p.pk for p in invite.cleaned_data["contributors"]],
        )
    except DomainError as error:
        invite.add_domain_error(error)
        return False
    return True


def _investigation_initial(inv: Investigation) -> dict[str, Any]:
    fields = InvestigationForm.base_fields
    initial = {f: getattr(inv, f) for f in fields if hasattr(inv, f)}
    consulted = inv.health_consulted
    initial["health_consulted"] = "" if consulted is None else ("yes" if consulted else "no")
    return initial


def _conclude_with_programme(
    request: SignedInRequest, inv: Investigation, version: int
) -> HttpResponse | None:
    result: dict[str, Any] = {}
    if run(
        request,
        None,
        lambda: result.setdefault(
            "p",
            investigations.investigation_conclude_with_programme(
                actor=request.user, investigation_id=inv.pk, expected_version=version
            ),
        ),
        _("An action programme is being drawn up."),
    ):
        return redirect("support:programme_detail", result["p"].pk)
    return None


def _investigation_action(
    request: SignedInRequest,
    inv: Investigation,
    action: str | None,
    form: InvestigationForm,
    decide: DecisionForm,
) -> HttpResponse | None:
    back = redirect("support:investigation_detail", inv.pk)
    user, version = request.user, int_param(request.POST, "version", default=0)
    if action == "programme":
        return _conclude_with_programme(request, inv, version) or back
    bound = {"save": form, "no_programme": decide}.get(action or "")
    if bound is None or not bound.is_valid():
        return None
    d = bound.cleaned_data
    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "save": (
            lambda: investigations.investigation_update(
                actor=user,
                investigation_id=inv.pk,
                expected_version=d["version"],
                data=investigations.InvestigationInput(
                    **{k: v for k, v in d.items() if k != "version"}
                ),
            ),
            _("The investigation was saved."),
        ),
        "no_programme": (
            lambda: investigations.investigation_conclude_without_programme(
                actor=user,
                investigation_id=inv.pk,
                expected_version=version,
                reasons=d["reasons"],
                decided_on=d["decided_on"],
                token=d["token"],
            ),
            _("The decision not to draw up an action programme was recorded."),
        ),
    }
    call, text = calls[action or ""]
    return back if run(request, bound, call, text) else None

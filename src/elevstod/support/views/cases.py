"""Pages of referrals and investigations."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.params import int_param, optional_id
from elevstod.organisation.access import Right, access_pupil
from elevstod.organisation.models import Person

from ..forms.special import (
    DecisionForm,
    InvestigationForm,
    InvestigationStartForm,
    InviteForm,
    ReferralForm,
)
from ..models import ExtraAdaptation, Investigation, Referral
from ..selectors import special as sel
from ..services import investigations
from ..steps import REPORT_TO_PRINCIPAL, START_NEW_INVESTIGATION, pupil_steps, steps_for
from .common import GET_POST, POST, form_step, run, staff_of

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
    if REPORT_TO_PRINCIPAL not in pupil_steps(request.user, grant):
        raise AccessDenied()
    adaptations = list(ExtraAdaptation.objects.filter(pupil=pupil, status="ACTIVE"))
    form = ReferralForm(
        request.POST or None,
        adaptations=adaptations,
        initial={"adaptations": [str(a.pk) for a in adaptations]},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        referral = run(
            request,
            form,
            lambda: investigations.referral_submit(
                actor=request.user,
                pupil=pupil,
                tried=d["tried"],
                why=d["why"],
                adaptation_ids=[int(i) for i in d["adaptations"]],
                token=d["token"],
            ),
            _("The report was sent to the principal."),
        )
        if referral is not None:
            return redirect("support:referral_detail", referral.pk)
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
    if START_NEW_INVESTIGATION not in pupil_steps(request.user, grant):
        raise AccessDenied()
    existing = sel.reusable_investigations(pupil)
    referral = _referral_posted(request)
    form = InvestigationStartForm(request.POST or None, staff=staff_of(pupil), existing=existing)
    if request.method == "POST" and form.is_valid():
        started = _start(request, form, pupil=pupil, referral=referral, existing=existing)
        if started is not None:
            return redirect("support:investigation_detail", started.pk)
    return render(
        request,
        "support/special/investigation_new.html",
        {"form": form, "pupil": pupil, "referral": referral, "existing": existing},
    )


def _referral_posted(request: SignedInRequest) -> Referral | None:
    """The referral the investigation starts from, if any (the user must see it)."""
    pk = optional_id(request.GET, "anmalan") or optional_id(request.POST, "anmalan")
    return sel.access_referral(actor=request.user, pk=pk, path=request.path) if pk else None


def _start(
    request: SignedInRequest,
    form: InvestigationStartForm,
    *,
    pupil: Person,
    referral: Referral | None,
    existing: list[Investigation],
) -> Investigation | None:
    d = form.cleaned_data
    based_on = next((i for i in existing if str(i.pk) == d["based_on"]), None)
    started = run(
        request,
        form,
        lambda: investigations.investigation_start(
            actor=request.user,
            pupil=pupil,
            investigator_ids=[p.pk for p in d["investigators"]],
            planned_decision_date=d["planned_decision_date"],
            referral=referral,
            based_on=based_on,
            token=d["token"],
        ),
        _("The investigation was started."),
    )
    for note in started.defaults_taken if started is not None else ():
        messages.info(request, note)
    return started


@login_required
@require_GET
def investigation_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    inv = sel.access_investigation(actor=request.user, pk=pk, path=request.path)
    return _investigation_page(request, inv)


def _investigation_page(
    request: SignedInRequest,
    inv: Investigation,
    *,
    form: InvestigationForm | None = None,
    invite: InviteForm | None = None,
    decide: DecisionForm | None = None,
    invited: bool = False,
) -> HttpResponse:
    """The investigation page; a refused step shows its bound form with what was typed."""
    return render(
        request,
        "support/special/investigation.html",
        {
            "inv": inv,
            "pupil": inv.pupil,
            "form": form or InvestigationForm(initial=_investigation_initial(inv)),
            "invite": invite or InviteForm(staff=staff_of(inv.pupil)),
            "invited": invited,
            "decide": decide or DecisionForm(),
            "steps": steps_for(request.user, inv),
            "investigators": list(inv.investigators.all()),
            "contributors": list(inv.contributors.all()),
            "programmes": list(inv.programmes.all()),
            "decisions": list(inv.decisions.all()),
        },
    )


def _investigation_initial(inv: Investigation) -> dict[str, Any]:
    fields = InvestigationForm.base_fields
    initial = {f: getattr(inv, f) for f in fields if hasattr(inv, f)}
    consulted = inv.health_consulted
    initial["health_consulted"] = "" if consulted is None else ("yes" if consulted else "no")
    return initial


# --- the steps of an investigation, one POST view each ----------------------------------------

PAGE = "support:investigation_detail"


@login_required
@POST
def investigation_save(request: SignedInRequest, pk: int) -> HttpResponse:
    inv = sel.access_investigation(actor=request.user, pk=pk, path=request.path)
    return form_step(
        request,
        InvestigationForm(request.POST, initial=_investigation_initial(inv)),
        lambda d: investigations.investigation_update(
            actor=request.user,
            investigation_id=pk,
            expected_version=d["version"],
            data=investigations.InvestigationInput(
                **{k: v for k, v in d.items() if k != "version"}
            ),
        ),
        _("The investigation was saved."),
        back=redirect(PAGE, pk),
        page=lambda form: _investigation_page(request, inv, form=cast(InvestigationForm, form)),
    )


@login_required
@POST
def investigation_invite(request: SignedInRequest, pk: int) -> HttpResponse:
    """Invite contributors; the page comes back with the typed, unsaved investigation text."""
    inv = sel.access_investigation(actor=request.user, pk=pk, path=request.path)
    staff = staff_of(inv.pupil)
    invite = InviteForm(request.POST, staff=staff)
    typed = InvestigationForm(request.POST, initial=_investigation_initial(inv))
    invited = invite.is_valid() and _invited(request, inv, invite)
    return _investigation_page(
        request, inv, form=typed, invite=None if invited else invite, invited=invited
    )


def _invited(request: SignedInRequest, inv: Investigation, invite: InviteForm) -> bool:
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


@login_required
@POST
def investigation_conclude_with_programme(request: SignedInRequest, pk: int) -> HttpResponse:
    sel.access_investigation(actor=request.user, pk=pk, path=request.path)
    version = int_param(request.POST, "version", default=0)
    programme = run(
        request,
        None,
        lambda: investigations.investigation_conclude_with_programme(
            actor=request.user, investigation_id=pk, expected_version=version
        ),
        _("An action programme is being drawn up."),
    )
    if programme is not None:
        return redirect("support:programme_detail", programme.pk)
    return redirect(PAGE, pk)


@login_required
@POST
def investigation_conclude_without_programme(request: SignedInRequest, pk: int) -> HttpResponse:
    inv = sel.access_investigation(actor=request.user, pk=pk, path=request.path)
    version = int_param(request.POST, "version", default=0)
    return form_step(
        request,
        DecisionForm(request.POST),
        lambda d: investigations.investigation_conclude_without_programme(
            actor=request.user,
            investigation_id=pk,
            expected_version=version,
            reasons=d["reasons"],
            decided_on=d["decided_on"],
            token=d["token"],
        ),
        _("The decision not to draw up an action programme was recorded."),
        back=redirect(PAGE, pk),
        page=lambda form: _investigation_page(request, inv, decide=cast(DecisionForm, form)),
    )

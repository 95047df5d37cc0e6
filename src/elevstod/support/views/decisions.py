"""Pages of decisions, appeals, the delegation order and the unit's special support."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import AccessDenied
from elevstod.core.timeutil import today
from elevstod.organisation.access import access_unit
from elevstod.organisation.models import Duty, Person, SchoolUnit

from .. import workflow as wf
from ..access import parties_of
from ..authority import active_delegations
from ..forms.common import ServiceForm
from ..forms.special import (
    AppealForm,
    DecisionForm,
    DelegationForm,
    ForwardForm,
    PartyNotificationForm,
    ReconsiderForm,
    RevokeForm,
    RulingForm,
)
from ..models import Appeal, Decision, DelegationGrant, PartyNotification
from ..selectors import special as sel
from ..selectors import unit_special
from ..services import appeals, delegation
from ..services.decisions import decision_notify_party
from ..steps import EDIT_DELEGATION_ORDER, steps_for, unit_steps
from .common import POST, form_step, plain_step, run
from .family import attachment_response

# --- decisions ---------------------------------------------------------------------------------


@login_required
@require_GET
def decision_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    decision = sel.access_decision(actor=request.user, pk=pk, path=request.path)
    return _decision_page(request, decision)


def _decision_page(
    request: SignedInRequest,
    decision: Decision,
    *,
    notify: PartyNotificationForm | None = None,
    appeal: AppealForm | None = None,
) -> HttpResponse:
    """The decision page; a refused step shows its bound form with what was typed."""
    parties = parties_of(decision.pupil, on=decision.decided_on)
    notifications = list(decision.notifications.select_related("party"))
    unnotified = [p for p in parties if p.pk not in {n.party_id for n in notifications}]
    return render(
        request,
        "support/special/decision.html",
        {
            "d": decision,
            "pupil": decision.pupil,
            "notify": notify or PartyNotificationForm(parties=unnotified),
            "appeal": appeal or AppealForm(parties=parties),
            "notifications": [(n, wf.appeal_last_day(n.notified_on)) for n in notifications],
            "unnotified": unnotified,
            "appeals": list(decision.appeals.select_related("appellant")),
            "steps": steps_for(request.user, decision),
            "rule": wf.DECISIONS[wf.DecisionKind(decision.kind)],
            "methods": PartyNotification.Method,
        },
    )


@login_required
@POST
def decision_notify(request: SignedInRequest, pk: int) -> HttpResponse:
    decision = sel.access_decision(actor=request.user, pk=pk, path=request.path)
    # every party, notified or not: a second post of the same form finds its party notified,
    # and the service answers it
    parties = parties_of(decision.pupil, on=decision.decided_on)
    return form_step(
        request,
        PartyNotificationForm(request.POST, parties=parties),
        lambda d: decision_notify_party(
            actor=request.user,
            decision=decision,
            party=d["party"],
            notified_on=d["notified_on"],
            method=d["method"],
            token=d["token"],
        ),
        _("The notification of the party was recorded."),
        back=redirect("support:decision_detail", pk),
        page=lambda form: _decision_page(
            request, decision, notify=cast(PartyNotificationForm, form)
        ),
    )


@login_required
@POST
def decision_appeal(request: SignedInRequest, pk: int) -> HttpResponse:
    decision = sel.access_decision(actor=request.user, pk=pk, path=request.path)
    form = AppealForm(request.POST, parties=parties_of(decision.pupil, on=decision.decided_on))
    if form.is_valid():
        d = form.cleaned_data
        appeal = run(
            request,
            form,
            lambda: appeals.appeal_register(
                actor=request.user,
                decision_id=pk,
                appellant_id=d["appellant"].pk,
                received_on=d["received_on"],
                token=d["token"],
            ),
            _("The appeal was registered."),
        )
        if appeal is not None:
            return redirect("support:appeal_detail", appeal.pk)
    return _decision_page(request, decision, appeal=form)


# --- appeals -----------------------------------------------------------------------------------

# The forms of the appeal page, each posted to its own step view.
APPEAL_FORMS: dict[str, type[ServiceForm]] = {
    "dismiss": DecisionForm,
    "reconsider": ReconsiderForm,
    "forward": ForwardForm,
    "ruling": RulingForm,
}


@login_required
@require_GET
def appeal_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    appeal = sel.access_appeal(actor=request.user, pk=pk, path=request.path)
    return _appeal_page(request, appeal)


def _appeal_page(request: SignedInRequest, appeal: Appeal, **bound: ServiceForm) -> HttpResponse:
    return render(
        request,
        "support/special/appeal.html",
        {
            "a": appeal,
            "pupil": appeal.decision.pupil,
            "forms": {step: bound.get(step) or form() for step, form in APPEAL_FORMS.items()},
            "steps": steps_for(request.user, appeal),
            "deadline": appeals.appeal_deadline_for(appeal.decision, appeal.appellant_id),
            "attachments": list(appeal.attachments.defer("data")),
        },
    )


def _appeal_step(
    request: SignedInRequest, pk: int, step: str, call: Callable[[dict[str, Any]], object]
) -> HttpResponse:
    appeal = sel.access_appeal(actor=request.user, pk=pk, path=request.path)
    return form_step(
        request,
        APPEAL_FORMS[step](request.POST),
        call,
        _("Saved."),
        back=redirect("support:appeal_detail", pk),
        page=lambda form: _appeal_page(request, appeal, **{step: form}),
    )


@login_required
@POST
def appeal_dismiss(request: SignedInRequest, pk: int) -> HttpResponse:
    return _appeal_step(
        request,
        pk,
        "dismiss",
        lambda d: appeals.appeal_dismiss_late(
            actor=request.user, appeal_id=pk, reasons=d["reasons"], decided_on=d["decided_on"]
        ),
    )


@login_required
@POST
def appeal_reconsider(request: SignedInRequest, pk: int) -> HttpResponse:
    return _appeal_step(
        request,
        pk,
        "reconsider",
        lambda d: appeals.appeal_reconsider(actor=request.user, appeal_id=pk, text=d["text"]),
    )


@login_required
@POST
def appeal_forward(request: SignedInRequest, pk: int) -> HttpResponse:
    return _appeal_step(
        request,
        pk,
        "forward",
        lambda d: appeals.appeal_forward(
            actor=request.user, appeal_id=pk, forwarded_on=d["forwarded_on"]
        ),
    )


@login_required
@POST
def appeal_ruling(request: SignedInRequest, pk: int) -> HttpResponse:
    return _appeal_step(
        request,
        pk,
        "ruling",
        lambda d: appeals.appeal_record_ruling(
            actor=request.user,
            appeal_id=pk,
            ruling=d["ruling"],
            ruling_on=d["ruling_on"],
            text=d["text"],
        ),
    )


@login_required
@require_http_methods(["GET"])
def appeal_attachment(request: SignedInRequest, pk: int) -> HttpResponse:
    """A file a party attached to an online appeal, for those who may see the appeal."""
    attachment = sel.appeal_attachment(actor=request.user, pk=pk, path=request.path)
    return attachment_response(attachment)


# --- the unit: delegation order and the principal's overview ---------------------------------


@login_required
@require_GET
def delegation_order(request: SignedInRequest, pk: int) -> HttpResponse:
    unit = access_unit(actor=request.user, pk=pk)
    return _delegation_page(request, unit)


def _delegation_page(
    request: SignedInRequest, unit: SchoolUnit, form: DelegationForm | None = None
) -> HttpResponse:
    return render(
        request,
        "support/special/delegation_order.html",
        {
            "unit": unit,
            "form": form or DelegationForm(staff=_unit_staff(unit)),
            "steps": unit_steps(request.user, unit),
            "grants": list(active_delegations(unit).select_related("delegate")),
            "non_delegable": sorted(set(wf.NON_DELEGABLE_FORMS.values())),
        },
    )


def _unit_staff(unit: SchoolUnit) -> list[Person]:
    return list(
        Person.objects.filter(duties__in=Duty.objects.active().filter(unit=unit))
        .distinct()
        .order_by("family_name", "given_name")
    )


def _editable_unit(request: SignedInRequest, pk: int) -> SchoolUnit:
    """The unit whose delegation order the user edits: only its principal may."""
    unit = access_unit(actor=request.user, pk=pk)
    if EDIT_DELEGATION_ORDER not in unit_steps(request.user, unit):
        raise AccessDenied()
    return unit


@login_required
@POST
def delegation_add(request: SignedInRequest, pk: int) -> HttpResponse:
    unit = _editable_unit(request, pk)
    return form_step(
        request,
        DelegationForm(request.POST, staff=_unit_staff(unit)),
        lambda d: delegation.delegation_grant(
            actor=request.user,
            unit=unit,
            delegate=d["delegate"],
            kind=d["kind"],
            valid_from=d["valid_from"],
            valid_until=d["valid_until"],
            token=d["token"],
        ),
        _("The delegation was added."),
        back=redirect("support:delegation_order", pk),
        page=lambda form: _delegation_page(request, unit, cast(DelegationForm, form)),
    )


@login_required
@POST
def delegation_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    unit = _editable_unit(request, pk)
    # any of the unit's delegations: one revoked already (a double click) is the service's to say
    form = RevokeForm(request.POST, grants=DelegationGrant.objects.filter(unit=unit))
    if not form.is_valid():
        raise AccessDenied()  # no such delegation at this unit: the same 404
    grant = form.cleaned_data["grant"]
    return plain_step(
        request,
        lambda: delegation.delegation_revoke(actor=request.user, grant=grant),
        _("The delegation was revoked."),
        to="support:delegation_order",
        pk=pk,
    )


@login_required
@require_http_methods(["GET"])
def unit_special_support(request: SignedInRequest, pk: int) -> HttpResponse:
    unit = access_unit(actor=request.user, pk=pk)
    data = unit_special.unit_special_support(actor=request.user, unit=unit, path=request.path)
    return render(
        request,
        "support/special/unit.html",
        {
            "unit": unit,
            "data": data,
            "today": today(),
        },
    )

"""Pages of decisions, appeals, the delegation order and the unit's special support."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import AccessDenied
from elevstod.core.params import int_param
from elevstod.core.timeutil import today
from elevstod.organisation.access import access_unit
from elevstod.organisation.models import Duty, Person

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
    RulingForm,
)
from ..models import PartyNotification
from ..selectors import special as sel
from ..services import appeals, delegation
from ..services.decisions import decision_notify_party
from ..steps import EDIT_DELEGATION_ORDER, steps_for, unit_steps
from .common import GET_POST, run
from .family import attachment_response

# --- decisions and appeals -------------------------------------------------------------------


@login_required
@GET_POST
def decision_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    decision = sel.access_decision(actor=request.user, pk=pk, path=request.path)
    parties = parties_of(decision.pupil, on=decision.decided_on)
    notifications = list(decision.notifications.select_related("party"))
    unnotified = [p for p in parties if p.pk not in {n.party_id for n in notifications}]
    action = request.POST.get("action") if request.method == "POST" else None
    # a second post of the same form finds its party notified; the service answers it
    notify = PartyNotificationForm(
        request.POST if action == "notify" else None,
        parties=parties if action == "notify" else unnotified,
    )
    appeal = AppealForm(request.POST if action == "appeal" else None, parties=parties)
    back = redirect("support:decision_detail", pk)
    if action == "notify" and notify.is_valid():
        d = notify.cleaned_data
        if run(
            request,
            notify,
            lambda: decision_notify_party(
                actor=request.user,
                decision=decision,
                party=d["party"],
                notified_on=d["notified_on"],
                method=d["method"],
                token=d["token"],
            ),
            _("The notification of the party was recorded."),
        ):
            return back
    if action == "appeal" and appeal.is_valid():
        d = appeal.cleaned_data
        result: dict[str, Any] = {}

        def call() -> None:
            result["a"] = appeals.appeal_register(
                actor=request.user,
                decision_id=pk,
                appellant_id=d["appellant"].pk,
                received_on=d["received_on"],
                token=d["token"],
            )

        if run(request, appeal, call, _("The appeal was registered.")):
            return redirect("support:appeal_detail", result["a"].pk)
    return render(
        request,
        "support/special/decision.html",
        {
            "d": decision,
            "pupil": decision.pupil,
            "notify": notify,
            "appeal": appeal,
            "notifications": [(n, wf.appeal_last_day(n.notified_on)) for n in notifications],
            "unnotified": unnotified,
            "appeals": list(decision.appeals.select_related("appellant")),
            "steps": steps_for(request.user, decision),
            "rule": wf.DECISIONS[wf.DecisionKind(decision.kind)],
            "methods": PartyNotification.Method,
        },
    )


@login_required
@GET_POST
def appeal_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    appeal = sel.access_appeal(actor=request.user, pk=pk, path=request.path)
    action = request.POST.get("action") if request.method == "POST" else None
    forms: dict[str, ServiceForm] = {
        "dismiss": DecisionForm(request.POST if action == "dismiss" else None),
        "reconsider": ReconsiderForm(request.POST if action == "reconsider" else None),
        "forward": ForwardForm(request.POST if action == "forward" else None),
        "ruling": RulingForm(request.POST if action == "ruling" else None),
    }
    form = forms.get(action or "")
    if form is not None and form.is_valid():
        d, user = form.cleaned_data, request.user
        calls: dict[str, Callable[[], Any]] = {
            "dismiss": lambda: appeals.appeal_dismiss_late(
                actor=user, appeal_id=pk, reasons=d["reasons"], decided_on=d["decided_on"]
            ),
            "reconsider": lambda: appeals.appeal_reconsider(
                actor=user, appeal_id=pk, text=d["text"]
            ),
            "forward": lambda: appeals.appeal_forward(
                actor=user, appeal_id=pk, forwarded_on=d["forwarded_on"]
            ),
            "ruling": lambda: appeals.appeal_record_ruling(
                actor=user,
                appeal_id=pk,
                ruling=d["ruling"],
                ruling_on=d["ruling_on"],
                text=d["text"],
            ),
        }
        if run(request, form, calls[action or ""], _("Saved.")):
            return redirect("support:appeal_detail", pk)
    return render(
        request,
        "support/special/appeal.html",
        {
            "a": appeal,
            "pupil": appeal.decision.pupil,
            "forms": forms,
            "steps": steps_for(request.user, appeal),
            "deadline": appeals.appeal_deadline_for(appeal.decision, appeal.appellant_id),
            "attachments": list(appeal.attachments.defer("data")),
        },
    )


@login_required
@require_http_methods(["GET"])
def appeal_attachment(request: SignedInRequest, pk: int) -> HttpResponse:
    """A file a party attached to an online appeal, for those who may see the appeal."""
    attachment = sel.appeal_attachment(actor=request.user, pk=pk, path=request.path)
    return attachment_response(attachment)


# --- the unit: delegation order and the principal's overview ---------------------------------


@login_required
@GET_POST
def delegation_order(request: SignedInRequest, pk: int) -> HttpResponse:
    unit = access_unit(actor=request.user, pk=pk)
    staff = list(
        Person.objects.filter(duties__in=Duty.objects.active().filter(unit=unit))
        .distinct()
        .order_by("family_name", "given_name")
    )
    form = DelegationForm(
        request.POST if request.POST.get("action") == "grant" else None, staff=staff
    )
    if request.method == "POST":
        if EDIT_DELEGATION_ORDER not in unit_steps(request.user, unit):
            raise AccessDenied()
        if request.POST.get("action") == "revoke":
            grant_pk = int_param(request.POST, "grant", default=0)
            grant = active_delegations(unit).filter(pk=grant_pk).first()
            if grant is None:
                raise AccessDenied()
            run(
                request,
                None,
                lambda: delegation.delegation_revoke(actor=request.user, grant=grant),
                _("The delegation was revoked."),
            )
            return redirect("support:delegation_order", pk)
        if form.is_valid():
            d = form.cleaned_data
            if run(
                request,
                form,
                lambda: delegation.delegation_grant(
                    actor=request.user,
                    unit=unit,
                    delegate=d["delegate"],
                    kind=d["kind"],
                    valid_from=d["valid_from"],
                    valid_until=d["valid_until"],
                    token=d["token"],
                ),
                _("The delegation was added."),
            ):
                return redirect("support:delegation_order", pk)
    return render(
        request,
        "support/special/delegation_order.html",
        {
            "unit": unit,
            "form": form,
            "steps": unit_steps(request.user, unit),
            "grants": list(active_delegations(unit).select_related("delegate")),
            "non_delegable": sorted(set(wf.NON_DELEGABLE_FORMS.values())),
        },
    )


@login_required
@require_http_methods(["GET"])
def unit_special_support(request: SignedInRequest, pk: int) -> HttpResponse:
    unit = access_unit(actor=request.user, pk=pk)
    data = sel.unit_special_support(actor=request.user, unit=unit)
    return render(
        request,
        "support/special/unit.html",
        {
            "unit": unit,
            "data": data,
            "today": today(),
        },
    )

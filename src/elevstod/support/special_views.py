"""Pages of special support. Each view reaches its object through ``special_selectors`` (which
checks access and logs the read), parses a form and calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.timeutil import today
from elevstod.organisation.access import Right, access_pupil, access_unit, staff_with_access_to
from elevstod.organisation.models import Duty, Person

from . import special_selectors as sel
from . import workflow as wf
from .authority import active_delegations, is_principal, may_see_investigation
from .forms import ServiceForm
from .models import ExtraAdaptation, Investigation, PartyNotification
from .services import appeals, delegation, investigations, programmes
from .services.decisions import decision_notify_party, parties_of
from .special_forms import (
    AppealForm,
    DecisionForm,
    DelegationForm,
    ForwardForm,
    InvestigationForm,
    InvestigationStartForm,
    InviteForm,
    MeasureFormSet,
    PartyNotificationForm,
    ProgrammeEvaluationForm,
    ProgrammeFollowUpForm,
    ProgrammeForm,
    ReconsiderForm,
    ReferralForm,
    RulingForm,
)

GET_POST = require_http_methods(["GET", "POST"])


def _run(
    request: HttpRequest, form: ServiceForm | None, call: Callable[[], Any], success: str
) -> bool:
    """Call a service; on refusal show why (next to the field when there is one)."""
    try:
        call()
    except DomainError as error:
        if form is not None:
            form.add_domain_error(error)
        else:
            messages.error(request, str(error.message))
        return False
    messages.success(request, success)
    return True


def _staff(pupil: Person) -> list[Person]:
    return list(staff_with_access_to(pupil).order_by("family_name", "given_name"))


# --- referral --------------------------------------------------------------------------------


@login_required
@GET_POST
def referral_new(request: HttpRequest, pupil_pk: int) -> HttpResponse:
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
            )

        if _run(request, form, call, _("The report was sent to the principal.")):
            return redirect("support:referral_detail", result["r"].pk)
    return render(request, "support/special/referral_form.html", {"form": form, "pupil": pupil})


@login_required
@require_http_methods(["GET"])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = sel.access_referral(actor=request.user, pk=pk, path=request.path)
    return render(
        request,
        "support/special/referral.html",
        {
            "referral": referral,
            "pupil": referral.pupil,
            "waiting": sel.waiting_days(referral),
            "may_start": is_principal(request.user, referral.unit)
            and referral.state == wf.ReferralState.OPEN,
            "adaptations": list(referral.adaptations.all()),
        },
    )


# --- investigation ---------------------------------------------------------------------------


@login_required
@GET_POST
def investigation_new(request: HttpRequest, pupil_pk: int) -> HttpResponse:
    grant = access_pupil(
        actor=request.user,
        pk=pupil_pk,
        purpose="support.investigation.new",
        right=Right.VIEW_SUPPORT,
        path=request.path,
    )
    pupil = grant.pupil
    existing = investigations.reusable_investigations(pupil)
    referral_pk = request.GET.get("anmalan") or request.POST.get("anmalan")
    referral = (
        sel.access_referral(actor=request.user, pk=int(referral_pk), path=request.path)
        if referral_pk and referral_pk.isdigit()
        else None
    )
    form = InvestigationStartForm(request.POST or None, staff=_staff(pupil), existing=existing)
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
            )

        if _run(request, form, call, _("The investigation was started.")):
            return redirect("support:investigation_detail", result["i"].pk)
    return render(
        request,
        "support/special/investigation_new.html",
        {"form": form, "pupil": pupil, "referral": referral, "existing": existing},
    )


@login_required
@GET_POST
def investigation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inv = sel.access_investigation(actor=request.user, pk=pk, path=request.path)
    staff = _staff(inv.pupil)
    action = request.POST.get("action") if request.method == "POST" else None
    form = InvestigationForm(
        request.POST if action == "save" else None, initial=_investigation_initial(inv)
    )
    invite = InviteForm(request.POST if action == "invite" else None, staff=staff)
    decide = DecisionForm(request.POST if action == "no_programme" else None)
    done = _investigation_action(request, inv, action, form, invite, decide)
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
            "decide": decide,
            "editable": inv.state == wf.InvestigationState.IN_PROGRESS,
            "is_principal": is_principal(request.user, inv.unit),
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


def _investigation_action(
    request: HttpRequest,
    inv: Investigation,
    action: str | None,
    form: InvestigationForm,
    invite: InviteForm,
    decide: DecisionForm,
) -> HttpResponse | None:
    back = redirect("support:investigation_detail", inv.pk)
    user, version = request.user, int(request.POST.get("version", "0") or 0)
    if action == "programme":
        result: dict[str, Any] = {}
        if _run(
            request,
            None,
            lambda: result.setdefault(
                "p",
                investigations.investigation_conclude_with_programme(
                    actor=user, investigation_id=inv.pk, expected_version=version
                ),
            ),
            _("An action programme is being drawn up."),
        ):
            return redirect("support:programme_detail", result["p"].pk)
        return back
    bound = {"save": form, "invite": invite, "no_programme": decide}.get(action or "")
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
        "invite": (
            lambda: investigations.investigation_invite(
                actor=user,
                investigation_id=inv.pk,
                person_ids=[p.pk for p in d.get("contributors", [])],
            ),
            _("The contributors were invited."),
        ),
        "no_programme": (
            lambda: investigations.investigation_conclude_without_programme(
                actor=user,
                investigation_id=inv.pk,
                expected_version=version,
                reasons=d["reasons"],
                decided_on=d["decided_on"],
            ),
            _("The decision not to draw up an action programme was recorded."),
        ),
    }
    call, text = calls[action or ""]
    return back if _run(request, bound, call, text) else None


# --- programme -------------------------------------------------------------------------------


@login_required
@GET_POST
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = sel.access_programme(actor=request.user, pk=pk, path=request.path)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "decide": DecisionForm(request.POST if action == "decide" else None),
        "close": DecisionForm(request.POST if action == "close" else None, prefix="close"),
        "follow_up": ProgrammeFollowUpForm(request.POST if action == "follow_up" else None),
        "evaluate": ProgrammeEvaluationForm(request.POST if action == "evaluate" else None),
    }
    done = _programme_action(request, programme, action, forms)
    if done is not None:
        return done
    state = programme.state
    return render(
        request,
        "support/special/programme.html",
        {
            "p": programme,
            "pupil": programme.pupil,
            "forms": forms,
            "measures": list(programme.measures.select_related("responsible")),
            "decisions": list(sel.decisions_of(programme)),
            "follow_ups": list(programme.follow_ups.select_related("created_by__person")),
            "evaluation": getattr(programme, "evaluation", None)
            if state
            in (wf.ProgrammeState.EVALUATED, wf.ProgrammeState.REPLACED, wf.ProgrammeState.CLOSED)
            else None,
            "allowed": {t.name for t in wf.allowed_from(wf.Entity.PROGRAMME, state)},
            "may_see_investigation": may_see_investigation(request.user, programme.investigation),
        },
    )


def _programme_action(
    request: HttpRequest, programme: Any, action: str | None, forms: dict[str, ServiceForm]
) -> HttpResponse | None:
    back = redirect("support:programme_detail", programme.pk)
    version = int(request.POST.get("version", "0") or 0)
    user, pk = request.user, programme.pk
    simple: dict[str, tuple[Callable[[], Any], str]] = {
        "submit": (
            lambda: programmes.programme_submit(
                actor=user, programme_id=pk, expected_version=version
            ),
            _("The programme was submitted for decision."),
        ),
        "return": (
            lambda: programmes.programme_return_to_draft(
                actor=user, programme_id=pk, expected_version=version
            ),
            _("The programme was returned for more work."),
        ),
    }
    if action in simple:
        call, text = simple[action]
        _run(request, None, call, text)
        return back
    if action == "renew":
        result: dict[str, Any] = {}
        if _run(
            request,
            None,
            lambda: result.setdefault("p", programmes.programme_renew(actor=user, programme_id=pk)),
            _("A new programme was drafted as a copy. It needs its own decision."),
        ):
            return redirect("support:programme_detail", result["p"].pk)
        return back
    form = forms.get(action or "")
    if form is None or not form.is_valid():
        return None
    data = form.cleaned_data
    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "decide": (
            lambda: programmes.programme_decide(
                actor=user,
                programme_id=pk,
                expected_version=version,
                reasons=data["reasons"],
                decided_on=data["decided_on"],
            ),
            _("The action programme was decided."),
        ),
        "close": (
            lambda: programmes.programme_close(
                actor=user, programme_id=pk, reasons=data["reasons"], decided_on=data["decided_on"]
            ),
            _("The action programme was closed."),
        ),
        "follow_up": (
            lambda: programmes.programme_follow_up(
                actor=user, programme_id=pk, date=data["date"], text=data["text"]
            ),
            _("The follow-up was saved."),
        ),
        "evaluate": (
            lambda: programmes.programme_evaluate(
                actor=user,
                programme_id=pk,
                date=data["date"],
                text=data["text"],
                need_remains=data["need_remains"],
            ),
            _("The evaluation was saved."),
        ),
    }
    call, text = calls[action or ""]
    return back if _run(request, form, call, text) else None


@login_required
@GET_POST
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = sel.access_programme(actor=request.user, pk=pk, path=request.path)
    if programme.state not in (wf.ProgrammeState.DRAFT, wf.ProgrammeState.SUBMITTED):
        messages.error(
            request,
            _(
                "The programme is decided and locked. A change needs a new "
                "programme and a new decision."
            ),
        )
        return redirect("support:programme_detail", pk)
    staff = _staff(programme.pupil)
    post = request.POST if request.method == "POST" else None
    form = ProgrammeForm(post, staff=staff, initial=_programme_initial(programme))
    measures = MeasureFormSet(
        post,
        prefix="measures",
        form_kwargs={"staff": staff},
        initial=[_measure_initial(m) for m in programme.measures.all()],
    )
    data = None
    if post is not None and form.is_valid() and measures.is_valid():
        data = _programme_input(form, measures)
    if data is not None and _run(
        request,
        form,
        lambda: programmes.programme_update(
            actor=request.user,
            programme_id=pk,
            expected_version=form.cleaned_data["version"],
            data=data,
        ),
        _("The programme was saved."),
    ):
        return redirect("support:programme_detail", pk)
    return render(
        request,
        "support/special/programme_form.html",
        {"p": programme, "pupil": programme.pupil, "form": form, "measures": measures},
    )


def _programme_initial(p: Any) -> dict[str, Any]:
    fields = (
        "needs",
        "follow_up_plan",
        "evaluation_date",
        "pupil_participated",
        "guardians_participated",
        "participation_views",
        "planned_decision_date",
        "version",
    )
    initial = {f: getattr(p, f) for f in fields}
    initial["follow_up_responsible"] = p.follow_up_responsible_id
    initial["evaluation_responsible"] = p.evaluation_responsible_id
    return initial


def _measure_initial(m: Any) -> dict[str, Any]:
    return {
        "what": m.what,
        "how": m.how,
        "how_much": m.how_much,
        "responsible": m.responsible_id,
        "support_form": m.support_form,
    }


def _programme_input(form: ProgrammeForm, measures: Any) -> programmes.ProgrammeInput | None:
    """The typed input, or None when a measure lacks its responsible person (shown in the form)."""
    d = form.cleaned_data
    items = []
    for mf in measures.forms:
        m = mf.cleaned_data
        if not m or not (m.get("what") or "").strip():
            continue
        if m.get("responsible") is None:
            mf.add_error("responsible", _("Choose who is responsible."))
            return None
        items.append(
            programmes.MeasureInput(
                what=m["what"],
                how=m["how"],
                how_much=m["how_much"],
                responsible_id=m["responsible"].pk,
                support_form=m["support_form"],
            )
        )
    follow_up, evaluation = d["follow_up_responsible"], d["evaluation_responsible"]
    return programmes.ProgrammeInput(
        needs=d["needs"],
        follow_up_plan=d["follow_up_plan"],
        evaluation_date=d["evaluation_date"],
        follow_up_responsible_id=follow_up.pk if follow_up else None,
        evaluation_responsible_id=evaluation.pk if evaluation else None,
        pupil_participated=d["pupil_participated"],
        guardians_participated=d["guardians_participated"],
        participation_views=d["participation_views"],
        planned_decision_date=d["planned_decision_date"],
        measures=items,
    )


# --- decisions and appeals -------------------------------------------------------------------


@login_required
@GET_POST
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = sel.access_decision(actor=request.user, pk=pk, path=request.path)
    parties = parties_of(decision.pupil, on=decision.decided_on)
    action = request.POST.get("action") if request.method == "POST" else None
    notify = PartyNotificationForm(request.POST if action == "notify" else None, parties=parties)
    appeal = AppealForm(request.POST if action == "appeal" else None, parties=parties)
    back = redirect("support:decision_detail", pk)
    if action == "notify" and notify.is_valid():
        d = notify.cleaned_data
        if _run(
            request,
            notify,
            lambda: decision_notify_party(
                actor=request.user,
                decision=decision,
                party=d["party"],
                notified_on=d["notified_on"],
                method=d["method"],
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
            )

        if _run(request, appeal, call, _("The appeal was registered.")):
            return redirect("support:appeal_detail", result["a"].pk)
    notifications = list(decision.notifications.select_related("party"))
    return render(
        request,
        "support/special/decision.html",
        {
            "d": decision,
            "pupil": decision.pupil,
            "notify": notify,
            "appeal": appeal,
            "notifications": [(n, wf.appeal_deadline(n.notified_on)) for n in notifications],
            "unnotified": [p for p in parties if p.pk not in {n.party_id for n in notifications}],
            "appeals": list(decision.appeals.select_related("appellant")),
            "is_principal": is_principal(request.user, decision.unit),
            "rule": wf.DECISIONS[wf.DecisionKind(decision.kind)],
            "methods": PartyNotification.Method,
        },
    )


@login_required
@GET_POST
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
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
        if _run(request, form, calls[action or ""], _("Saved.")):
            return redirect("support:appeal_detail", pk)
    return render(
        request,
        "support/special/appeal.html",
        {
            "a": appeal,
            "pupil": appeal.decision.pupil,
            "forms": forms,
            "allowed": {t.name for t in wf.allowed_from(wf.Entity.APPEAL, appeal.state)},
            "is_principal": is_principal(request.user, appeal.decision.unit),
            "deadline": appeals.appeal_deadline_for(appeal.decision, appeal.appellant_id),
        },
    )


# --- the unit: delegation order and the principal's overview ---------------------------------


@login_required
@GET_POST
def delegation_order(request: HttpRequest, pk: int) -> HttpResponse:
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
        if not is_principal(request.user, unit):
            raise AccessDenied()
        if request.POST.get("action") == "revoke":
            grant = active_delegations(unit).filter(pk=request.POST.get("grant") or 0).first()
            if grant is None:
                raise AccessDenied()
            _run(
                request,
                None,
                lambda: delegation.delegation_revoke(actor=request.user, grant=grant),
                _("The delegation was revoked."),
            )
            return redirect("support:delegation_order", pk)
        if form.is_valid():
            d = form.cleaned_data
            if _run(
                request,
                form,
                lambda: delegation.delegation_grant(
                    actor=request.user,
                    unit=unit,
                    delegate=d["delegate"],
                    kind=d["kind"],
                    valid_from=d["valid_from"],
                    valid_until=d["valid_until"],
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
            "may_edit": is_principal(request.user, unit),
            "grants": list(active_delegations(unit).select_related("delegate")),
            "non_delegable": sorted(set(wf.NON_DELEGABLE_FORMS.values())),
        },
    )


@login_required
@require_http_methods(["GET"])
def unit_special_support(request: HttpRequest, pk: int) -> HttpResponse:
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

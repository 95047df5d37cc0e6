"""The steps of an action programme, one POST view each: submit, return to draft, decide,
follow up, evaluate, close. Renewing it and discarding an undecided renewal copy are asked
first on a confirmation page; a decision on a form of support has a page of its own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from elevstod.accounts.http import SignedInRequest
from elevstod.accounts.models import User
from elevstod.core.params import int_param

from ..forms.special import SupportFormDecisionForm
from ..models import ActionProgramme
from ..selectors import special as sel
from ..services import programmes, support_forms
from ..steps import SUPPORT_FORM_DECISION, steps_for
from .common import GET_POST, POST, form_step, plain_step, run
from .programmes import programme_form, programme_page

PAGE = "support:programme_detail"


def _posted(request: SignedInRequest, pk: int) -> tuple[ActionProgramme, int]:
    """The programme a step is posted to, and the version the user saw."""
    programme = sel.access_programme(actor=request.user, pk=pk, path=request.path)
    return programme, int_param(request.POST, "version", default=0)


def _form_step(
    request: SignedInRequest,
    programme: ActionProgramme,
    step: str,
    call: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    return form_step(
        request,
        programme_form(step, request.POST),
        call,
        success,
        back=redirect(PAGE, programme.pk),
        page=lambda form: programme_page(request, programme, **{step: form}),
    )


@login_required
@POST
def programme_submit(request: SignedInRequest, pk: int) -> HttpResponse:
    _programme, version = _posted(request, pk)
    return plain_step(
        request,
        lambda: programmes.programme_submit(
            actor=request.user, programme_id=pk, expected_version=version
        ),
        _("The programme was submitted for decision."),
        to=PAGE,
        pk=pk,
    )


@login_required
@POST
def programme_return(request: SignedInRequest, pk: int) -> HttpResponse:
    _programme, version = _posted(request, pk)
    return plain_step(
        request,
        lambda: programmes.programme_return_to_draft(
            actor=request.user, programme_id=pk, expected_version=version
        ),
        _("The programme was returned for more work."),
        to=PAGE,
        pk=pk,
    )


@login_required
@POST
def programme_decide(request: SignedInRequest, pk: int) -> HttpResponse:
    programme, version = _posted(request, pk)
    return _form_step(
        request,
        programme,
        "decide",
        lambda d: programmes.programme_decide(
            actor=request.user,
            programme_id=pk,
            expected_version=version,
            reasons=d["reasons"],
            decided_on=d["decided_on"],
            token=d["token"],
        ),
        _("The action programme was decided."),
    )


@login_required
@POST
def programme_close(request: SignedInRequest, pk: int) -> HttpResponse:
    programme, _version = _posted(request, pk)
    return _form_step(
        request,
        programme,
        "close",
        lambda d: programmes.programme_close(
            actor=request.user,
            programme_id=pk,
            reasons=d["reasons"],
            decided_on=d["decided_on"],
            token=d["token"],
        ),
        _("The action programme was closed."),
    )


@login_required
@POST
def programme_follow_up(request: SignedInRequest, pk: int) -> HttpResponse:
    programme, _version = _posted(request, pk)
    return _form_step(
        request,
        programme,
        "follow_up",
        lambda d: programmes.programme_follow_up(
            actor=request.user, programme_id=pk, date=d["date"], text=d["text"], token=d["token"]
        ),
        _("The follow-up was saved."),
    )


@login_required
@POST
def programme_evaluate(request: SignedInRequest, pk: int) -> HttpResponse:
    programme, _version = _posted(request, pk)
    return _form_step(
        request,
        programme,
        "evaluate",
        lambda d: programmes.programme_evaluate(
            actor=request.user,
            programme_id=pk,
            date=d["date"],
            text=d["text"],
            need_remains=d["need_remains"],
            token=d["token"],
        ),
        _("The evaluation was saved."),
    )


# --- steps asked first on a confirmation page --------------------------------------------------


@dataclass(frozen=True)
class Confirmed:
    """A step the user confirms first: on confirmation ``call`` returns the programme to
    open next."""

    step: str
    call: Callable[[User, int, int], ActionProgramme]
    done: str  # what the user is told, translated when told


RENEW = Confirmed(
    "renew",
    lambda user, pk, _version: programmes.programme_renew(actor=user, programme_id=pk),
    gettext_noop("A new programme was drafted as a copy. It needs its own decision."),
)
DISCARD = Confirmed(
    "discard",
    lambda user, pk, version: programmes.programme_discard(
        actor=user, programme_id=pk, expected_version=version
    ),
    gettext_noop("The draft was discarded. The earlier programme stays in force."),
)


def _refuse(request: SignedInRequest, programme: ActionProgramme) -> HttpResponse:
    messages.error(request, _("This step is not possible for you on this programme now."))
    return redirect(PAGE, programme.pk)


def confirmed_step(confirmed: Confirmed) -> Callable[..., HttpResponse]:
    """The view of a confirmed step: the question on GET, the step on POST."""

    @login_required
    @GET_POST
    def view(request: SignedInRequest, pk: int) -> HttpResponse:
        programme = sel.access_programme(actor=request.user, pk=pk, path=request.path)
        if confirmed.step not in steps_for(request.user, programme):
            return _refuse(request, programme)
        if request.method == "GET":
            context = {"p": programme, "pupil": programme.pupil, "step": confirmed.step}
            return render(request, "support/special/programme_confirm.html", context)
        version = int_param(request.POST, "version", default=0)
        made = run(
            request, None, lambda: confirmed.call(request.user, pk, version), _(confirmed.done)
        )
        return redirect(PAGE, made.pk if made is not None else pk)

    view.__name__ = f"programme_{confirmed.step}"
    return view


programme_renew = confirmed_step(RENEW)
programme_discard = confirmed_step(DISCARD)


@login_required
@GET_POST
def programme_support_form_decision(request: SignedInRequest, pk: int) -> HttpResponse:
    """The principal's decision on a special teaching group, individual tuition or an adjusted
    study plan (or not to place the pupil in a special teaching group)."""
    programme = sel.access_programme(actor=request.user, pk=pk, path=request.path)
    if SUPPORT_FORM_DECISION not in steps_for(request.user, programme):
        return _refuse(request, programme)
    form = SupportFormDecisionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        d = form.cleaned_data
        decision = run(
            request,
            form,
            lambda: support_forms.programme_support_form_decide(
                actor=request.user,
                programme_id=pk,
                kind=d["kind"],
                reasons=d["reasons"],
                decided_on=d["decided_on"],
                token=d["token"],
            ),
            _("The decision was recorded."),
        )
        if decision is not None:
            return redirect("support:decision_detail", decision.pk)
    return render(
        request,
        "support/special/support_form_decision.html",
        {"p": programme, "pupil": programme.pupil, "form": form},
    )

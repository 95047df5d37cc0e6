"""Pages of action programmes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from elevstod.accounts.http import SignedInRequest

from .. import workflow as wf
from ..forms.common import ServiceForm
from ..forms.special import (
    DecisionForm,
    MeasureFormSet,
    ProgrammeEvaluationForm,
    ProgrammeFollowUpForm,
    ProgrammeForm,
)
from ..models import ActionProgramme
from ..selectors import special as sel
from ..selectors.programme_page import programme_lists
from ..services import programmes
from ..steps import known_from, programme_questions, steps_for
from .common import GET_POST, run, staff_of

# --- programme -------------------------------------------------------------------------------

P = wf.ProgrammeState
# The states in which the programme has its one evaluation.
EVALUATED = (P.EVALUATED, P.BEING_RENEWED, P.REPLACED, P.CLOSED)


# The forms of the programme page, each posted to its own step view (``programme_steps``).
FORMS: dict[str, tuple[type[ServiceForm], str | None]] = {
    "decide": (DecisionForm, None),
    "close": (DecisionForm, "close"),
    "follow_up": (ProgrammeFollowUpForm, "fu"),
    "evaluate": (ProgrammeEvaluationForm, "ev"),
}


def programme_form(step: str, data: QueryDict | None = None) -> ServiceForm:
    form_class, prefix = FORMS[step]
    return form_class(data, prefix=prefix)


@login_required
@require_GET
def programme_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    programme = sel.access_programme(actor=request.user, pk=pk, path=request.path)
    return programme_page(request, programme)


def programme_page(
    request: SignedInRequest, programme: ActionProgramme, **bound: ServiceForm
) -> HttpResponse:
    """The programme page; a step that was refused shows its bound form with what was typed."""
    state = programme.state
    forms = {step: bound.get(step) or programme_form(step) for step in FORMS}
    # What the steps would ask of the database, asked in the lists' query instead.
    lists = programme_lists(programme, programme_questions(request.user, programme))
    known = known_from(lists.answers, lists.measures)
    return render(
        request,
        "support/special/programme.html",
        {
            "p": programme,
            "pupil": programme.pupil,
            "forms": forms,
            "measures": lists.measures,
            "decisions": lists.decisions,
            "follow_ups": lists.follow_ups,
            "evaluation": getattr(programme, "evaluation", None) if state in EVALUATED else None,
            "steps": steps_for(request.user, programme, known),
            "undecided": state in wf.UNDECIDED,
            "archived": state in wf.FINAL_STATES[wf.Entity.PROGRAMME],
            "renewal": sel.renewal_of(programme),
        },
    )


@login_required
@GET_POST
def programme_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    programme = sel.access_programme(actor=request.user, pk=pk, path=request.path)
    if "edit" not in steps_for(request.user, programme):
        messages.error(
            request,
            _(
                "The programme is decided and locked. A change needs a new "
                "programme and a new decision."
            ),
        )
        return redirect("support:programme_detail", pk)
    staff = staff_of(programme.pupil)
    post: QueryDict | None = request.POST if request.method == "POST" else None
    adding = post is not None and "add_measure" in post
    if adding:  # one more empty measure; nothing is saved, everything typed stays
        post = _with_one_more_measure(request.POST)
    form = ProgrammeForm(post, staff=staff, initial=_programme_initial(programme))
    measures = MeasureFormSet(
        post,
        prefix="measures",
        form_kwargs={"staff": staff},
        initial=[_measure_initial(m) for m in programme.measures.all()],
    )
    data = None
    if post is not None and not adding and form.is_valid() and measures.is_valid():
        data = _programme_input(form, measures)
    if data is not None and _saved(request, form, pk, data):
        return redirect("support:programme_detail", pk)
    return render(
        request,
        "support/special/programme_form.html",
        {"p": programme, "pupil": programme.pupil, "form": form, "measures": measures},
    )


def _saved(
    request: SignedInRequest, form: ProgrammeForm, pk: int, data: programmes.ProgrammeInput
) -> bool:
    saved = run(
        request,
        form,
        lambda: programmes.programme_update(
            actor=request.user,
            programme_id=pk,
            expected_version=form.cleaned_data["version"],
            data=data,
            token=form.cleaned_data["token"],
        ),
        _("The programme was saved."),
    )
    return saved is not None


def _with_one_more_measure(data: QueryDict) -> QueryDict:
    """The posted programme with an empty measure added at the end (within the formset's max)."""
    data = data.copy()
    raw = data.get("measures-TOTAL_FORMS") or ""
    total = int(raw) if raw.isdigit() else 0
    if total < (MeasureFormSet.max_num or 0):
        data["measures-TOTAL_FORMS"] = str(total + 1)
        data[f"measures-{total}-support_form"] = wf.SupportForm.ORDINARY.value
    return data


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

"""Pages of the written development plan: start, read, draft, a subject's part, the snapshot
of the adaptations that apply, fixing it, and the way from an adaptation to its plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from elevstod.accounts.http import SignedInRequest
from elevstod.accounts.stepup import step_up_url, step_up_valid
from elevstod.core.errors import AccessDenied
from elevstod.core.params import int_param
from elevstod.core.timeutil import today
from elevstod.organisation.models import Subject
from elevstod.support.selectors.adaptations import access_adaptation

from .. import selectors
from ..access import access_talks, require_mentor
from ..forms import PlanForm, SubjectForm
from ..models import DevelopmentPlan
from ..services import plans
from ..steps import plan_steps
from ..terms import current_term, term_of
from .common import GET_POST, run


@login_required
@GET_POST
def plan_start(request: SignedInRequest, pk: int) -> HttpResponse:
    grant = access_talks(
        actor=request.user, pk=pk, purpose="conversations.plan.start", path=request.path
    )
    require_mentor(grant)
    if request.method == "POST":
        made: list[int] = []
        if run(
            request,
            None,
            lambda: made.append(plans.plan_start(actor=request.user, pupil=grant.pupil).pk),
            _("The development plan of the term is started."),
        ):
            return redirect("conversations:plan_edit", made[0])
        return redirect("conversations:pupil_talks", grant.pupil.pk)
    return render(
        request,
        "conversations/plan_start.html",
        {"pupil": grant.pupil, "term": current_term()},
    )


@login_required
@require_GET
def plan_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    plan, grant = selectors.access_plan(
        actor=request.user, pk=pk, purpose="conversations.plan.page", path=request.path
    )
    # The adaptations not shown to the family are support content: staff see them after the
    # step-up, like the support pages.
    full = grant.is_staff and step_up_valid(request)
    page = selectors.plan_page(plan=plan, grant=grant, all_items=full)
    return render(
        request,
        "conversations/plan.html",
        {
            "pupil": grant.pupil,
            "grant": grant,
            "plan": plan,
            "page": page,
            "full": full,
            "step_up_url": step_up_url(request.get_full_path()),
            "writable": plans.subjects_writable(request.user, plan) if grant.is_staff else set(),
            "steps": plan_steps(actor=request.user, plan=plan, grant=grant),
            "family_adaptations": selectors.family_adaptations(actor=request.user, grant=grant),
        },
    )


@login_required
@GET_POST
def plan_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    plan, grant = selectors.access_plan(
        actor=request.user, pk=pk, purpose="conversations.plan.edit", path=request.path
    )
    require_mentor(grant)
    if not plan_steps(actor=request.user, plan=plan, grant=grant).may_write:
        messages.info(request, str(plans.HISTORY))
        return redirect("conversations:plan_detail", plan.pk)
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            data = plans.PlanInput(**form.cleaned_data)
            if run(
                request,
                form,
                lambda: plans.plan_update(actor=request.user, plan_id=plan.pk, data=data),
                _("The plan is saved as a draft."),
            ):
                return redirect("conversations:plan_detail", plan.pk)
    else:
        form = PlanForm(
            initial={
                "pupil_will": plan.pupil_will,
                "guardians_will": plan.guardians_will,
                "school_efforts": plan.school_efforts,
            }
        )
    return render(
        request,
        "conversations/plan_form.html",
        {"pupil": grant.pupil, "plan": plan, "form": form},
    )


def _writable_subject(
    request: SignedInRequest, plan: DevelopmentPlan, is_staff: bool
) -> tuple[Subject, list[Subject]]:
    """The subject asked for (``?amne=``) among those the user writes in the plan, and those."""
    writable = plans.subjects_writable(request.user, plan) if is_staff else set()
    if not writable:
        raise AccessDenied()
    subjects = list(Subject.objects.filter(pk__in=writable).order_by("name"))
    subject_id = int_param(request.GET, "amne", default=subjects[0].pk)
    subject = next((s for s in subjects if s.pk == subject_id), None)
    if subject is None:
        raise AccessDenied()
    return subject, subjects


@login_required
@GET_POST
def plan_subject(request: SignedInRequest, pk: int) -> HttpResponse:
    plan, grant = selectors.access_plan(
        actor=request.user, pk=pk, purpose="conversations.plan.subject", path=request.path
    )
    subject, subjects = _writable_subject(request, plan, grant.is_staff)
    note = plan.subjects.filter(subject=subject).first()
    if request.method == "POST":
        form = SubjectForm(request.POST)
        if form.is_valid() and run(
            request,
            form,
            lambda: plans.subject_note_save(
                actor=request.user, plan_id=plan.pk, subject_id=subject.pk, **form.cleaned_data
            ),
            _("The subject's part of the plan is saved."),
        ):
            return redirect("conversations:plan_detail", plan.pk)
    else:
        form = SubjectForm(
            initial={
                "strengths": note.strengths if note else "",
                "development": note.development if note else "",
            }
        )
    return render(
        request,
        "conversations/subject_form.html",
        {
            "pupil": grant.pupil,
            "plan": plan,
            "form": form,
            "subject": subject,
            "subjects": subjects,
        },
    )


@login_required
@GET_POST
def plan_snapshot(request: SignedInRequest, pk: int) -> HttpResponse:
    plan, grant = selectors.access_plan(
        actor=request.user, pk=pk, purpose="conversations.plan.snapshot", path=request.path
    )
    require_mentor(grant)
    steps = plan_steps(actor=request.user, plan=plan, grant=grant)
    if not steps.may_snapshot:
        # nothing to picture here: say why before asking for the second factor
        why = plans.FIXED if plan.is_fixed else plans.NO_MODULE
        messages.info(request, str(plans.HISTORY if steps.is_history else why))
        return redirect("conversations:plan_detail", plan.pk)
    if not step_up_valid(request):
        return redirect(step_up_url(request.get_full_path()))
    if request.method == "POST":
        run(
            request,
            None,
            lambda: plans.plan_snapshot(actor=request.user, plan_id=plan.pk),
            _("The picture of the extra adaptations of today is part of the plan."),
        )
        return redirect("conversations:plan_detail", plan.pk)
    return render(request, "conversations/plan_snapshot.html", {"pupil": grant.pupil, "plan": plan})


@login_required
@GET_POST
def plan_fix(request: SignedInRequest, pk: int) -> HttpResponse:
    plan, grant = selectors.access_plan(
        actor=request.user, pk=pk, purpose="conversations.plan.fix", path=request.path
    )
    require_mentor(grant)
    if plan.is_fixed:
        messages.info(request, _("The plan is already fixed for the term."))
        return redirect("conversations:plan_detail", plan.pk)
    if request.method == "POST":
        run(
            request,
            None,
            lambda: plans.plan_fix(actor=request.user, plan_id=plan.pk),
            _("The plan is fixed for the term. The pupil and guardians can read it."),
        )
        return redirect("conversations:plan_detail", plan.pk)
    return render(request, "conversations/plan_fix.html", {"pupil": grant.pupil, "plan": plan})


@login_required
@require_GET
def adaptation_plan(request: SignedInRequest, pk: int) -> HttpResponse:
    """From an extra adaptation to the development plan of the term it appears in: the latest
    plan whose snapshot holds it, else the plan of the term it applies in."""
    adaptation = access_adaptation(
        actor=request.user, pk=pk, purpose="conversations.adaptation.plan", path=request.path
    )
    grant = access_talks(
        actor=request.user,
        pk=adaptation.pupil_id,
        purpose="conversations.adaptation.plan",
        path=request.path,
    )
    day = adaptation.end_date or today()
    plan = selectors.plan_of_adaptation(adaptation_id=adaptation.pk, grant=grant, term=term_of(day))
    if plan is None:
        messages.info(request, _("No development plan of that term yet."))
        return redirect("conversations:pupil_talks", grant.pupil.pk)
    return redirect("conversations:plan_detail", plan.pk)

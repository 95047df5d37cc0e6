"""Pages of the development talk: the pupil's talks, planning, booking, preparation, record,
the times offered to a group and the unit's overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from elevstod.accounts.http import SignedInRequest
from elevstod.core.errors import AccessDenied
from elevstod.core.timeutil import today
from elevstod.organisation.access import access_group

from .. import selectors
from ..access import access_overview, access_talks, mentor_of, require_mentor
from ..forms import BookForm, OfferForm, PreparationForm, QuestionsForm, RecordForm, TalkForm
from ..services import booking, talks
from ..services.booking import group_mentees
from ..services.common import acting_person
from ..terms import current_term
from .common import GET_POST, run


@login_required
@require_GET
def pupil_talks(request: SignedInRequest, pk: int) -> HttpResponse:
    grant = access_talks(
        actor=request.user, pk=pk, purpose="conversations.pupil.page", path=request.path
    )
    return render(
        request,
        "conversations/pupil.html",
        {
            "pupil": grant.pupil,
            "grant": grant,
            "page": selectors.pupil_talks(grant=grant),
            "mentor": mentor_of(grant.pupil),
        },
    )


@login_required
@GET_POST
def talk_plan(request: SignedInRequest, pk: int) -> HttpResponse:
    grant = access_talks(
        actor=request.user, pk=pk, purpose="conversations.talk.plan", path=request.path
    )
    require_mentor(grant)
    mentor = acting_person(request.user)
    people = [grant.pupil, *talks.guardians_of(grant.pupil), mentor]
    existing = selectors.pupil_talks(grant=grant).talk
    if request.method == "POST":
        form = TalkForm(request.POST, people=people)
        if form.is_valid():
            data = talks.TalkInput(
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                place=form.cleaned_data["place"],
                participant_ids=[int(i) for i in form.cleaned_data["participants"]],
                other_participants=form.cleaned_data["other_participants"],
            )
            if run(
                request,
                form,
                lambda: talks.talk_plan(actor=request.user, pupil=grant.pupil, data=data),
                _("The talk is planned. The pupil and guardians can see it."),
            ):
                return redirect("conversations:pupil_talks", grant.pupil.pk)
    else:
        initial: dict[str, object] = {"participants": [str(p.pk) for p in people]}
        if existing is not None and existing.starts_at is not None:
            local = timezone.localtime(existing.starts_at)
            initial |= {
                "day": local.date(),
                "time": local.time(),
                "duration_minutes": existing.duration_minutes,
                "place": existing.place,
                "participants": [str(p.pk) for p in existing.participants.all()],
                "other_participants": existing.other_participants,
            }
        form = TalkForm(initial=initial, people=people)
    return render(request, "conversations/talk_form.html", {"pupil": grant.pupil, "form": form})


@login_required
@GET_POST
def talk_book(request: SignedInRequest, pk: int) -> HttpResponse:
    grant = access_talks(
        actor=request.user, pk=pk, purpose="conversations.talk.book", path=request.path
    )
    if not grant.is_guardian:
        raise AccessDenied()
    slots = selectors.slots_for_pupil(grant.pupil)
    free = [s for s in slots if s.pupil_id is None or s.pupil_id == grant.pupil.pk]
    booked = next((s for s in slots if s.pupil_id == grant.pupil.pk), None)
    form = BookForm(request.POST or None, slots=free)
    if request.method == "POST" and form.is_valid():
        slot_id = form.cleaned_data["slot"]
        if run(
            request,
            form,
            lambda: booking.slot_book(actor=request.user, pupil=grant.pupil, slot_id=slot_id),
            _("The time is booked. The mentor has been told."),
        ):
            return redirect("conversations:pupil_talks", grant.pupil.pk)
    return render(
        request,
        "conversations/book.html",
        {"pupil": grant.pupil, "form": form, "booked": booked, "free": free},
    )


@login_required
@GET_POST
def talk_cancel(request: SignedInRequest, pk: int) -> HttpResponse:
    grant = access_talks(
        actor=request.user, pk=pk, purpose="conversations.talk.cancel", path=request.path
    )
    if not grant.is_guardian:
        raise AccessDenied()
    if request.method == "POST" and run(
        request,
        None,
        lambda: booking.slot_cancel(actor=request.user, pupil=grant.pupil),
        _("The booked time is cancelled. The mentor has been told."),
    ):
        return redirect("conversations:pupil_talks", grant.pupil.pk)
    return render(request, "conversations/cancel.html", {"pupil": grant.pupil})


@login_required
@require_GET
def talk_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    talk, grant = selectors.access_talk(
        actor=request.user, pk=pk, purpose="conversations.talk.page", path=request.path
    )
    page = selectors.talk_page(talk=talk, grant=grant, actor=request.user)
    return render(
        request,
        "conversations/talk.html",
        {"pupil": grant.pupil, "grant": grant, "talk": talk, "page": page},
    )


@login_required
@GET_POST
def talk_prepare(request: SignedInRequest, pk: int) -> HttpResponse:
    talk, grant = selectors.access_talk(
        actor=request.user, pk=pk, purpose="conversations.talk.prepare", path=request.path
    )
    if not grant.is_family:
        raise AccessDenied()
    page = selectors.talk_page(talk=talk, grant=grant, actor=request.user)
    initial = {f"q{qid}": text for qid, text in page.my_answers.items()}
    form = PreparationForm(request.POST or None, initial=initial, questions=page.questions)
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        if run(
            request,
            form,
            lambda: talks.preparation_answer(actor=request.user, talk_id=talk.pk, answers=answers),
            _("Your answers are saved. The mentor can read them before the talk."),
        ):
            return redirect("conversations:talk_detail", talk.pk)
    return render(
        request,
        "conversations/prepare.html",
        {"pupil": grant.pupil, "grant": grant, "talk": talk, "form": form},
    )


@login_required
@GET_POST
def talk_record(request: SignedInRequest, pk: int) -> HttpResponse:
    talk, grant = selectors.access_talk(
        actor=request.user, pk=pk, purpose="conversations.talk.record", path=request.path
    )
    require_mentor(grant)
    if request.method == "POST":
        form = RecordForm(request.POST)
        if form.is_valid():
            data = talks.RecordInput(
                held_on=form.cleaned_data["held_on"],
                record=form.cleaned_data["record"],
                internal_note=form.cleaned_data["internal_note"],
            )
            version = form.cleaned_data["version"]
            if run(
                request,
                form,
                lambda: talks.talk_record(
                    actor=request.user, talk_id=talk.pk, expected_version=version, data=data
                ),
                _("The record of the talk is saved."),
            ):
                return redirect("conversations:talk_detail", talk.pk)
    else:
        form = RecordForm(
            initial={
                "version": talk.version,
                "held_on": talk.held_on or today(),
                "record": talk.record,
                "internal_note": talk.internal_note,
            }
        )
    return render(
        request, "conversations/record.html", {"pupil": grant.pupil, "talk": talk, "form": form}
    )


@login_required
@GET_POST
def group_times(request: SignedInRequest, pk: int) -> HttpResponse:
    group = access_group(actor=request.user, pk=pk)
    mentor = request.user.person
    if mentor is None or not group_mentees(mentor, group):
        raise AccessDenied()
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run(
            request,
            form,
            lambda: booking.slots_offer(
                actor=request.user,
                group=group,
                day=data["day"],
                first=data["first"],
                count=data["count"],
                minutes=data["minutes"],
                place=data["place"],
            ),
            _("The times are offered. The guardians can book them now."),
        ):
            return redirect("conversations:group_times", group.pk)
    return render(
        request,
        "conversations/group_times.html",
        {
            "group": group,
            "form": form,
            "slots": selectors.group_schedule(actor=request.user, group=group, path=request.path),
        },
    )


@login_required
@GET_POST
def slot_withdraw(request: SignedInRequest, pk: int) -> HttpResponse:
    """Asks first, then withdraws one offered time (releasing its booking)."""
    slot = selectors.own_slot(actor=request.user, pk=pk)
    if request.method == "POST" and run(
        request,
        None,
        lambda: booking.slot_withdraw(actor=request.user, slot_id=slot.pk),
        _("The time is withdrawn.")
        if slot.pupil is None
        else _("The time is withdrawn. The family has been told to book another."),
    ):
        return redirect("conversations:group_times", slot.group_id)
    return render(request, "conversations/slot_withdraw.html", {"slot": slot})


@login_required
@require_GET
def unit_overview(request: SignedInRequest, pk: int) -> HttpResponse:
    unit, everyone = access_overview(actor=request.user, pk=pk)
    rows = selectors.unit_overview(
        actor=request.user, unit=unit, everyone=everyone, path=request.path
    )
    return render(
        request,
        "conversations/overview.html",
        {
            "unit": unit,
            "rows": rows,
            "term": current_term(),
            "everyone": everyone,
            "groups": selectors.mentor_groups(actor=request.user),
            "held": sum(1 for r in rows if r.talk and r.talk.held_on),
            "fixed": sum(1 for r in rows if r.plan and r.plan.is_fixed),
        },
    )


@login_required
@GET_POST
def unit_questions(request: SignedInRequest, pk: int) -> HttpResponse:
    """The principal keeps the unit's preparation questions (the template of every talk)."""
    unit, everyone = access_overview(actor=request.user, pk=pk)
    if not everyone:
        raise AccessDenied()
    current = selectors.unit_questions(unit=unit)
    initial = {
        "questions": "\n".join(current),
        "plan_in_other_years": selectors.plan_in_other_years(unit.pk),
    }
    form = QuestionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        texts = form.cleaned_data["questions"].splitlines()
        other_years = form.cleaned_data["plan_in_other_years"]

        if run(
            request,
            form,
            lambda: talks.conversation_settings_set(
                actor=request.user, unit=unit, questions=texts, plan_in_other_years=other_years
            ),
            _("The unit's choices for the talks are saved."),
        ):
            return redirect("conversations:unit_overview", unit.pk)
    return render(request, "conversations/questions.html", {"unit": unit, "form": form})

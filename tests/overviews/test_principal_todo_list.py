"""The principal's to-do list on the start page: each kind counted from hand-built records,
linked to its list, in a bounded number of queries; nobody but the unit's principal gets it."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine

from elevstod.audit.models import AccessLogEntry
from elevstod.core.timeutil import today
from elevstod.organisation.models import Guardianship, Placement
from elevstod.overviews import todo
from elevstod.support.models import ActionProgramme, PartyNotification
from elevstod.support.services import appeals, investigations, programmes
from elevstod.support.services.decisions import decision_notify_party
from elevstod.support.services.support_forms import programme_support_form_decide
from tests.builders import decided_programme, draft_programme, page, started_investigation
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _counts(cast) -> dict[str, int]:
    (unit_todo,) = todo.principal_todo(actor=cast.principal)
    assert unit_todo.unit == cast.unit_a1
    return {item.kind: item.count for item in unit_todo.items}


def _refer(cast, pupil=None):
    return investigations.referral_submit(
        actor=cast.principal, pupil=pupil or cast.pupil, tried="Extra tid", why="Räcker inte"
    )


def test_an_empty_unit_has_every_kind_at_zero(cast):
    assert _counts(cast) == dict.fromkeys(todo.Kind, 0)


def test_it_counts_waiting_referrals_and_flags_those_over_the_limit(cast, settings):
    settings.ELEVSTOD_REFERRAL_WAIT_LIMIT_DAYS = 10
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start - dt.timedelta(days=12)):
        _refer(cast)
    with time_machine.travel(start - dt.timedelta(days=3)):
        _refer(cast, cast.other_pupil)

    (unit_todo,) = todo.principal_todo(actor=cast.principal)
    referrals = unit_todo.items[0]

    assert referrals.kind == todo.Kind.REFERRALS
    assert (referrals.count, referrals.flagged, referrals.oldest_days) == (2, 1, 12)


def test_a_handled_referral_no_longer_waits(cast):
    referral = _refer(cast)
    investigations.investigation_start(
        actor=cast.principal,
        pupil=cast.pupil,
        investigator_ids=[],
        planned_decision_date=None,
        referral=referral,
    )
    assert _counts(cast)[todo.Kind.REFERRALS] == 0


def test_it_counts_investigations_past_their_planned_decision_date(cast):
    started_investigation(cast)  # planned in two weeks: not late
    late = investigations.investigation_start(
        actor=cast.principal,
        pupil=cast.other_pupil,
        investigator_ids=[],
        planned_decision_date=today() + dt.timedelta(days=1),
    )
    assert late.planned_decision_date is not None
    with time_machine.travel(today() + dt.timedelta(days=3)):
        counts = _counts(cast)
    assert counts[todo.Kind.INVESTIGATIONS_LATE] == 1


def test_it_counts_submitted_programmes_and_due_evaluations(cast):
    draft = draft_programme(cast)
    programmes.programme_submit(
        actor=cast.teacher, programme_id=draft.pk, expected_version=draft.version
    )
    counts = _counts(cast)
    assert counts[todo.Kind.PROGRAMMES_SUBMITTED] == 1
    assert counts[todo.Kind.EVALUATIONS_DUE] == 0


def test_an_evaluation_within_two_weeks_or_overdue_is_due(cast):
    decided_programme(cast)  # evaluation date in 90 days
    with time_machine.travel(today() + dt.timedelta(days=80)):
        assert _counts(cast)[todo.Kind.EVALUATIONS_DUE] == 1
    with time_machine.travel(today() + dt.timedelta(days=120)):
        assert _counts(cast)[todo.Kind.EVALUATIONS_DUE] == 1
    assert _counts(cast)[todo.Kind.EVALUATIONS_DUE] == 0


def test_a_decision_counts_until_every_guardian_is_notified(cast):
    decision = decided_programme(cast).decisions.get()
    assert _counts(cast)[todo.Kind.PARTIES_NOT_NOTIFIED] == 1

    decision_notify_party(
        actor=cast.principal,
        decision=decision,
        party=cast.guardian.person,
        notified_on=today(),
        method=PartyNotification.Method.IN_PERSON,
    )
    assert _counts(cast)[todo.Kind.PARTIES_NOT_NOTIFIED] == 0


def test_two_decisions_of_one_pupil_are_told_apart_in_the_list(cast):
    _two_decisions_of_one_pupil(cast)
    notes = sorted(
        e.note for e in todo.todo_entries(unit=cast.unit_a1, kind=todo.Kind.PARTIES_NOT_NOTIFIED)
    )
    day = today().isoformat()
    assert notes == [
        f"Beslut om placering i särskild undervisningsgrupp, beslutsdatum {day}",
        f"Beslut om åtgärdsprogram, beslutsdatum {day}",
    ]


def test_a_parent_without_custody_is_no_party_left_to_notify(cast):
    decision = decided_programme(cast).decisions.get()
    Guardianship.objects.create(pupil=cast.pupil, guardian=PersonFactory(), custody=False)
    decision_notify_party(
        actor=cast.principal,
        decision=decision,
        party=cast.guardian.person,
        notified_on=today(),
        method=PartyNotification.Method.IN_PERSON,
    )
    assert _counts(cast)[todo.Kind.PARTIES_NOT_NOTIFIED] == 0


def test_an_appeal_waits_for_the_school_until_it_is_handled(cast):
    decision = decided_programme(cast).decisions.get()
    appeal = appeals.appeal_register(
        actor=cast.principal,
        decision_id=decision.pk,
        appellant_id=cast.guardian.person.pk,
        received_on=today(),
    )
    assert _counts(cast)[todo.Kind.APPEALS] == 1
    appeals.appeal_forward(
        actor=cast.principal,
        appeal_id=appeal.pk,
        forwarded_on=today(),
    )
    assert _counts(cast)[todo.Kind.APPEALS] == 0


def test_a_pupil_who_left_with_a_running_programme_is_listed_to_close(cast):
    decided_programme(cast)
    assert _counts(cast)[todo.Kind.PUPILS_LEFT] == 0
    Placement.objects.filter(pupil=cast.pupil).update(end_date=today() - dt.timedelta(days=1))
    assert _counts(cast)[todo.Kind.PUPILS_LEFT] == 1


@pytest.mark.parametrize("name", ["teacher", "mentor", "health", "admin", "analyst", "guardian"])
def test_only_the_principal_gets_a_to_do_list(cast, name):
    _refer(cast)
    assert todo.principal_todo(actor=cast.user(name)) == []


def _every_kind_waiting(cast) -> None:
    """Something of every kind on the principal's list, several pupils deep."""
    for pupil in (cast.pupil, cast.other_pupil, cast.protected_pupil):
        _refer(cast, pupil)
    draft = draft_programme(cast)
    programmes.programme_submit(
        actor=cast.teacher, programme_id=draft.pk, expected_version=draft.version
    )
    decided = decided_programme(cast)
    ActionProgramme.objects.filter(pk=decided.pk).update(evaluation_date=today())
    decision = decided.decisions.get()
    appeals.appeal_register(
        actor=cast.principal,
        decision_id=decision.pk,
        appellant_id=cast.guardian.person.pk,
        received_on=today(),
    )
    late = started_investigation(cast)
    late.planned_decision_date = today() - dt.timedelta(days=1)
    late.save(update_fields=["planned_decision_date"])
    Placement.objects.filter(pupil=cast.pupil).update(end_date=today() - dt.timedelta(days=1))


def test_the_to_do_list_takes_three_queries_whatever_the_data(cast):
    def queries() -> int:
        user = type(cast.principal).objects.get(pk=cast.principal.pk)  # no cached scope
        with CaptureQueriesContext(connection) as ctx:
            todo.principal_todo(actor=user)
        return len(ctx.captured_queries)

    few = queries()
    _every_kind_waiting(cast)
    # the duties, the units, and the counts of every kind in one
    assert queries() == few == 3


# What the principal's start page runs, the to-do list with it: the session, the user (with
# the check of the second factor), the standing (duties, mentorships, taught groups and family
# in one), the units, the counts of the to-do list, the unread count.
START_PAGE_AS_PRINCIPAL = 6


def test_the_principals_start_page_runs_the_same_queries_with_an_empty_and_a_full_list(
    client, cast
):
    client.force_login(cast.principal)
    start = reverse("home:start")

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            body = page(client, start)
        return len(ctx.captured_queries), body

    empty, _ = queries()
    _every_kind_waiting(cast)
    full, body = queries()
    assert empty == full == START_PAGE_AS_PRINCIPAL
    assert all(item.count for item in todo.principal_todo(actor=cast.principal)[0].items)
    url = reverse("overviews:todo_list", args=[cast.unit_a1.pk, todo.Kind.APPEALS])
    assert url in body


def test_the_start_page_shows_the_counts_and_links_each_to_its_list(client, cast):
    _refer(cast)
    client.force_login(cast.principal)
    body = page(client, reverse("home:start"))
    url = reverse("overviews:todo_list", args=[cast.unit_a1.pk, todo.Kind.REFERRALS])
    assert url in body
    assert "Ekskolan" in body

    listing = page(client, url)
    assert cast.pupil.full_name in listing


@pytest.mark.parametrize("name", ["teacher", "health", "other_unit_principal", "analyst"])
def test_a_list_of_the_to_do_list_is_refused_to_others(client, cast, name):
    _refer(cast)
    client.force_login(cast.user(name))
    url = reverse("overviews:todo_list", args=[cast.unit_a1.pk, todo.Kind.REFERRALS])
    response = client.get(url)
    assert response.status_code == 404
    assert cast.pupil.full_name not in response.content.decode()
    refused = AccessLogEntry.objects.get(purpose="overviews.todo.list")
    assert (refused.actor_id, refused.granted, refused.path) == (cast.user(name).pk, False, url)


def test_an_unknown_kind_of_list_is_not_found(client, cast):
    client.force_login(cast.principal)
    url = reverse("overviews:todo_list", args=[cast.unit_a1.pk, "nonsense"])
    assert client.get(url).status_code == 404


def test_each_count_is_the_number_of_lines_of_its_list(cast):
    _two_decisions_of_one_pupil(cast)
    _refer(cast, cast.other_pupil)
    Placement.objects.filter(pupil=cast.pupil).update(end_date=today() - dt.timedelta(days=1))
    counts = _counts(cast)
    assert counts[todo.Kind.PARTIES_NOT_NOTIFIED] == 2
    assert counts[todo.Kind.PUPILS_LEFT] == 1
    for kind in todo.Kind:
        assert counts[kind] == len(todo.todo_entries(unit=cast.unit_a1, kind=kind)), kind


def _two_decisions_of_one_pupil(cast) -> None:
    """A decided programme and a decision on a special teaching group for the same pupil,
    neither party notified yet."""
    programme = decided_programme(cast)
    programme_support_form_decide(
        actor=cast.principal,
        programme_id=programme.pk,
        kind="SPECIAL_GROUP",
        reasons="Eleven behöver undervisas i mindre grupp under en period.",
        decided_on=today(),
    )

"""Reminders N days before a date and again on the day, once, and never for done work."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.management import call_command

import pytest

from elevstod.core.timeutil import today
from elevstod.notifications.models import Notification, ReminderSent
from elevstod.notifications.reminders import send_reminders
from elevstod.support.models import ExtraAdaptation, SupportSettings
from elevstod.support.services import adaptations, investigations
from tests.builders import decided_programme, draft_programme, new_adaptation

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def clock(time_machine):
    """A frozen clock at 08:00 (Stockholm) on a given day; it starts today."""

    def go_to(day: dt.date) -> None:
        time_machine.move_to(dt.datetime.combine(day, dt.time(8), tzinfo=STOCKHOLM), tick=False)

    go_to(today())
    return go_to


def reminders(user, code="reminder.adaptation.follow_up"):
    return list(Notification.objects.filter(recipient=user, code=code).order_by("pk"))


def run_every_day(clock, first: dt.date, last: dt.date) -> None:
    day = first
    while day <= last:
        clock(day)
        send_reminders(day=day)
        send_reminders(day=day)  # cron may run it twice a day: no harm
        day += dt.timedelta(days=1)


def test_the_responsible_is_reminded_five_days_before_and_on_the_day_once_each(mail_school, clock):
    s = mail_school
    due = today() + dt.timedelta(days=10)
    new_adaptation(s, next_follow_up=due)
    # when the job runs every day until two days after the date
    run_every_day(clock, today(), due + dt.timedelta(days=2))
    # then: the responsible (the teacher) got two reminders: 5 days before, and on the day
    got = reminders(s.teacher)
    assert [n.created_at.date() for n in got] == [due - dt.timedelta(days=5), due]
    assert got[0].params["date"] == due.isoformat()
    assert ReminderSent.objects.count() == 2


def test_the_organisers_own_number_of_days_is_used(mail_school, clock):
    s = mail_school
    SupportSettings.objects.create(organiser=s.unit.organiser, reminder_days=2)
    due = today() + dt.timedelta(days=10)
    new_adaptation(s, next_follow_up=due)
    run_every_day(clock, today(), due)
    assert [n.created_at.date() for n in reminders(s.teacher)] == [due - dt.timedelta(days=2), due]


def test_no_reminder_on_the_day_once_the_adaptation_was_followed_up(mail_school, clock):
    s = mail_school
    due = today() + dt.timedelta(days=10)
    adaptation = new_adaptation(s, next_follow_up=due)
    run_every_day(clock, today(), due - dt.timedelta(days=3))
    adaptations.adaptation_follow_up(
        actor=s.teacher,
        adaptation_id=adaptation.pk,
        date=today(),
        observation="Fungerar.",
        effect="WORKS",
        next_follow_up=due,
    )
    run_every_day(clock, today(), due + dt.timedelta(days=1))
    assert len(reminders(s.teacher)) == 1  # only the one before the follow-up


def test_no_reminder_for_an_ended_adaptation(mail_school, clock):
    s = mail_school
    due = today() + dt.timedelta(days=3)
    adaptation = new_adaptation(s, next_follow_up=due)
    adaptations.adaptation_end(
        actor=s.teacher, adaptation_id=adaptation.pk, expected_version=1, end_date=today()
    )
    run_every_day(clock, today(), due)
    assert reminders(s.teacher) == []


def test_the_principal_and_investigators_are_reminded_of_the_investigation_decision_date(
    mail_school, clock
):
    s = mail_school
    due = today() + dt.timedelta(days=5)
    investigations.investigation_start(
        actor=s.principal,
        pupil=s.pupil,
        investigator_ids=[s.health.person.pk],
        planned_decision_date=due,
    )
    call_command("send_reminders", stdout=None)
    code = "reminder.investigation.decision"
    assert len(reminders(s.principal, code)) == 1
    assert len(reminders(s.health, code)) == 1
    assert reminders(s.teacher, code) == []


def test_no_reminder_for_a_concluded_investigation(mail_school, clock):
    s = mail_school
    programme = draft_programme(s)  # concludes the investigation (planned decision in 14 days)
    clock(today() + dt.timedelta(days=14))
    send_reminders(day=today())
    assert reminders(s.health, "reminder.investigation.decision") == []
    # but the programme's own planned decision date is not set: nothing for it either
    assert programme.planned_decision_date is None


def test_the_evaluation_responsible_is_reminded_until_the_programme_is_evaluated(
    mail_school, clock
):
    s = mail_school
    programme = decided_programme(s)  # evaluation in 90 days, the principal responsible for it
    code = "reminder.programme.evaluation"
    clock(programme.evaluation_date - dt.timedelta(days=5))
    send_reminders(day=today())
    assert len(reminders(s.principal, code)) == 1
    from elevstod.support.services import programmes

    programmes.programme_evaluate(
        actor=s.principal, programme_id=programme.pk, date=today(), text="Bra.", need_remains=False
    )
    clock(programme.evaluation_date)
    send_reminders(day=today())
    assert len(reminders(s.principal, code)) == 1


def test_the_principal_sees_what_is_overdue_in_the_inbox(mail_school, clock, client):
    s = mail_school
    due = today() + dt.timedelta(days=2)
    new_adaptation(s, next_follow_up=due)
    clock(due + dt.timedelta(days=1))
    client.force_login(s.principal)
    page = client.get("/inkorg/").content.decode()
    overdue = page.split('id="overdue-heading"')[1].split("</section>")[0]
    assert "/anpassningar/" in overdue
    assert s.pupil.full_name in overdue
    client.force_login(s.mentor)
    assert 'id="overdue-heading"' not in client.get("/inkorg/").content.decode()


def test_the_inbox_overdue_list_runs_the_same_queries_for_many_adaptations(
    mail_school, clock, client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    s = mail_school
    start = today()
    due = start + dt.timedelta(days=2)

    def inbox_queries(adaptation_count: int) -> int:
        clock(start)
        while ExtraAdaptation.objects.count() < adaptation_count:
            new_adaptation(s, next_follow_up=due)
        clock(due + dt.timedelta(days=1))
        client.force_login(s.principal)
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/inkorg/").content.decode()
        overdue = page.split('id="overdue-heading"')[1].split("</section>")[0]
        assert overdue.count("/anpassningar/") == adaptation_count
        return len(captured)

    assert inbox_queries(2) == inbox_queries(7)


def test_a_run_sends_many_reminders_in_as_many_queries_as_a_few(mail_school, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from elevstod.notifications.models import Delivery

    s = mail_school
    due = today() + dt.timedelta(days=1)

    def run_with(adaptation_count: int) -> int:
        while ExtraAdaptation.objects.count() < adaptation_count:
            new_adaptation(s, next_follow_up=due)
        with CaptureQueriesContext(connection) as captured:
            send_reminders(day=today())
        return len(captured)

    # the second run sends 9 and passes over the 2 it sent before: the same queries
    assert run_with(2) == run_with(11)
    got = reminders(s.teacher)
    assert len(got) == 11
    assert len({n.url for n in got}) == 11
    assert Delivery.objects.filter(notification__in=got).count() == 11  # one e-mail each


def test_a_reminder_another_run_marked_meanwhile_is_not_sent_again(mail_school, clock, monkeypatch):
    from django.urls import reverse

    s = mail_school
    due = today() + dt.timedelta(days=1)
    first = new_adaptation(s, next_follow_up=due)
    second = new_adaptation(s, next_follow_up=due)
    # given: another run marked the first one sent after this run had read what was sent
    ReminderSent.objects.create(
        kind="reminder.adaptation.follow_up",
        object_id=first.pk,
        due_date=due,
        stage=ReminderSent.Stage.BEFORE,
    )
    monkeypatch.setattr(ReminderSent.objects, "filter", lambda **kw: ReminderSent.objects.none())
    # when this run writes its batch
    sent = send_reminders(day=today())
    # then it sends only the second
    assert sent == 1
    assert [n.url for n in reminders(s.teacher)] == [
        reverse("support:adaptation_detail", args=[second.pk])
    ]

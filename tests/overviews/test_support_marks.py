"""Teachers and mentors: the group page marks the pupils with active extra adaptations or an
action programme in force (a linked badge, only for pupils whose support the viewer sees, only
after the step-up), and the start page lists the follow-ups due this week of their own pupils."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from elevstod.core.timeutil import today
from elevstod.overviews import marks
from tests.builders import decided_programme, group_url, page

from .conftest import adapt, pupils_at

pytestmark = pytest.mark.django_db


def test_the_group_page_marks_pupils_with_adaptations_and_programmes(client, cast):
    adapt(cast.principal, [cast.pupil])
    decided_programme(cast)
    client.force_login(cast.teacher)

    body = page(client, group_url(cast.maths_5a))

    assert f"{reverse('organisation:pupil_detail', args=[cast.pupil.pk])}#pupil-support" in body
    assert f"{reverse('organisation:pupil_detail', args=[cast.pupil.pk])}#pupil-special" in body


def test_a_pupil_without_support_gets_no_mark(client, cast):
    client.force_login(cast.teacher)
    body = page(client, group_url(cast.maths_5a))
    assert "support-mark" not in body


def test_marks_only_for_pupils_whose_support_the_viewer_sees(cast):
    adapt(cast.principal, [cast.pupil, cast.protected_pupil])
    pupils = [cast.pupil, cast.protected_pupil]

    assert set(marks.support_marks(actor=cast.teacher, pupils=pupils)) == {cast.pupil.pk}
    assert set(marks.support_marks(actor=cast.mentor, pupils=pupils)) == {
        cast.pupil.pk,
        cast.protected_pupil.pk,
    }
    assert marks.support_marks(actor=cast.admin, pupils=pupils) == {}


@pytest.mark.real_step_up
def test_without_the_step_up_the_group_page_shows_no_marks(client, cast):
    adapt(cast.principal, [cast.pupil])
    client.force_login(cast.teacher)
    body = page(client, group_url(cast.maths_5a))
    assert "support-mark" not in body
    assert reverse("accounts:step_up") in body


def test_the_marks_take_one_query_however_many_pupils(cast):
    few = pupils_at(cast.unit_a1, 2)
    many = pupils_at(cast.unit_a1, 12)
    adapt(cast.principal, few + many)

    def queries(pupils) -> int:
        with CaptureQueriesContext(connection) as ctx:
            marks.support_marks(actor=cast.principal, pupils=pupils)
        return len(ctx.captured_queries)

    assert queries(few) == queries(many) <= 2


def _due(days: int) -> dict:
    return {"next_follow_up": today() + dt.timedelta(days=days)}


def test_the_start_page_lists_this_weeks_follow_ups_of_the_teachers_pupils(client, cast):
    sunday = today() + dt.timedelta(days=6 - today().weekday())
    adapt(cast.principal, [cast.pupil], title="Bildstöd", next_follow_up=sunday)
    adapt(cast.principal, [cast.pupil], title="Hörselkåpor", **_due(30))
    adapt(cast.principal, [cast.other_pupil], title="Inläst läromedel", next_follow_up=sunday)
    client.force_login(cast.teacher)

    body = page(client, reverse("home:start"))

    assert "Bildstöd" in body
    assert "Hörselkåpor" not in body  # not this week
    assert "Inläst läromedel" not in body  # not the teacher's pupil


def test_an_overdue_follow_up_stays_on_the_list(cast):
    adapt(cast.principal, [cast.pupil], start_date=today() - dt.timedelta(days=30), **_due(-3))
    due = marks.follow_ups_due_this_week(actor=cast.mentor)
    assert [a.pupil for a in due] == [cast.pupil]


@pytest.mark.real_step_up
def test_without_the_step_up_the_start_page_asks_for_it_instead(client, cast):
    adapt(cast.principal, [cast.pupil], title="Bildstöd", next_follow_up=today())
    client.force_login(cast.teacher)
    body = page(client, reverse("home:start"))
    assert "Bildstöd" not in body
    assert reverse("accounts:step_up") in body

"""The unit's overview of the term's talks and plans, for the principal and the mentor: which
talks are held, which plans fixed and which missing, also in the years 6-9 where the unit
writes plans; and the overview and a group's schedule log whom they showed."""

from __future__ import annotations

import re

from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.conversations.models import ConversationSettings
from elevstod.conversations.services import booking
from elevstod.organisation.models import Placement

pytestmark = pytest.mark.django_db


def _row(page: str, name: str) -> str:
    """The words of the overview's row of the pupil ``name``."""
    row = next(r for r in page.split("<tr>") if name in r)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.split("</tr>")[0])).strip()


def _overview(as_user, cast, who: str = "principal") -> str:
    url = reverse("conversations:unit_overview", args=[cast.unit_a1.pk])
    return as_user(who).get(url).content.decode()


@pytest.mark.parametrize(("other_years", "status"), [(True, "saknas"), (False, "krävs inte")])
def test_a_missing_plan_in_year_7_is_missing_where_the_unit_writes_plans_then(
    as_user, cast, other_years, status
):
    Placement.objects.filter(pupil=cast.pupil).update(school_year=7)
    ConversationSettings.objects.create(unit=cast.unit_a1, plan_in_other_years=other_years)
    row = _row(_overview(as_user, cast), "Alva Andersson")
    assert row.endswith(status)


def test_the_overview_logs_the_pupils_it_shows_with_the_readers_reason(as_user, cast, class_5a):
    _overview(as_user, cast, "principal")
    _overview(as_user, cast, "mentor")
    logged = {
        (e.actor_id, e.pupil_id, e.reasons)
        for e in AccessLogEntry.objects.filter(purpose="conversations.overview.page")
    }
    assert (cast.principal.pk, cast.other_pupil.pk, "PRINCIPAL") in logged
    assert (cast.mentor.pk, class_5a.classmate.pk, "MENTOR") in logged
    # the mentor sees only the mentees: the pupil of class 5B is neither shown nor logged
    assert (cast.mentor.pk, cast.other_pupil.pk, "MENTOR") not in logged


def test_the_groups_schedule_logs_the_pupils_booked(as_user, cast, class_5a):
    booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[0].pk)
    page = as_user("mentor").get(reverse("conversations:group_times", args=[cast.class_5a.pk]))
    assert "Alva Andersson" in page.content.decode()
    logged = AccessLogEntry.objects.filter(purpose="conversations.group_times.page")
    assert [(e.actor_id, e.pupil_id, e.reasons) for e in logged] == [
        (cast.mentor.pk, cast.pupil.pk, "MENTOR")
    ]

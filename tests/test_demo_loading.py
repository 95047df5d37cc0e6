"""Loading the demo: the same data for the same seed, dates that follow today, the command's
answers (`seed_demo`, `--if-empty`) and the default size."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

import pytest
import time_machine

from elevstod.accounts.models import User
from elevstod.audit.models import AuditEvent
from elevstod.home.demo import DEMO_PASSWORD, demo_load
from elevstod.organisation.demo_names import LOGINS
from elevstod.organisation.models import (
    Duty,
    Group,
    GroupMembership,
    Person,
    Placement,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _snapshot(seed):
    with transaction.atomic():
        demo_load(pupils=30, seed=seed)
        snapshot = (
            list(
                Person.objects.order_by("pk").values_list(
                    "given_name", "family_name", "civic_number"
                )
            ),
            list(Group.objects.order_by("pk").values_list("name", "unit__name")),
            list(
                GroupMembership.objects.order_by("pk").values_list(
                    "group__name", "pupil__civic_number"
                )
            ),
            list(User.objects.order_by("username").values_list("username", "person__civic_number")),
        )
        transaction.set_rollback(True)
    return snapshot


@pytest.mark.django_db
def test_the_demo_is_the_same_for_the_same_seed_and_differs_for_another():
    first = _snapshot(2026)
    assert not Person.objects.exists()
    assert _snapshot(2026) == first
    assert _snapshot(7) != first


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "term_start"),
    [
        (dt.datetime(2027, 3, 1, 12), dt.date(2026, 8, 15)),
        (dt.datetime(2027, 8, 20, 12), dt.date(2027, 8, 15)),
    ],
)
def test_the_demo_dates_follow_today(now, term_start):
    """Pupils start on the term start of their first year at the unit (some moved in later)."""
    first_year = {"Ekbackens skola": 0, "Lindåsskolan": 7, "Björkängsskolan": 0}
    with time_machine.travel(now.replace(tzinfo=STOCKHOLM), tick=False):
        demo_load(pupils=40)
        placements = Placement.objects.select_related("pupil", "unit")
        for p in placements:
            years_at_unit = p.school_year - first_year[p.unit.name]
            first_term = term_start.replace(year=term_start.year - years_at_unit)
            assert first_term <= p.start_date <= now.date()
            assert p.pupil.civic_number.startswith(str(term_start.year - 6 - p.school_year))
        assert placements.filter(start_date=term_start).exists()
        assert set(Group.objects.values_list("start_date", flat=True)) == {term_start}
        assert Duty.objects.filter(start_date__gt=term_start).count() == 0


@pytest.mark.django_db
def test_the_demo_needs_room_for_its_demo_families():
    with pytest.raises(ValueError, match="at least 4"):
        demo_load(pupils=3)


@pytest.mark.django_db
def test_seed_demo_prints_the_logins_and_the_password():
    out = StringIO()
    call_command("seed_demo", "--pupils", "20", stdout=out)
    text = out.getvalue()
    assert all(username in text for username in LOGINS)
    assert DEMO_PASSWORD in text
    assert Placement.objects.count() == 20


@pytest.mark.django_db
def test_seed_demo_if_empty_does_nothing_when_data_exists():
    call_command("seed_demo", "--pupils", "20", "--if-empty", stdout=StringIO())
    counts = (Person.objects.count(), AuditEvent.objects.count(), User.objects.count())
    out = StringIO()
    call_command("seed_demo", "--pupils", "20", "--if-empty", stdout=out)
    assert "ingen ny demodata" in out.getvalue()
    assert "rektor" in out.getvalue()  # the logins are printed again
    assert (Person.objects.count(), AuditEvent.objects.count(), User.objects.count()) == counts


@pytest.mark.django_db
def test_seed_demo_refuses_a_database_with_data_without_if_empty():
    call_command("seed_demo", "--pupils", "20", stdout=StringIO())
    with pytest.raises(CommandError, match="redan en huvudman"):
        call_command("seed_demo", "--pupils", "20", stdout=StringIO())


@pytest.mark.django_db
def test_the_default_demo_has_300_pupils_from_f_to_9():
    # its load time is measured in `make bench`, not here
    result = demo_load()
    assert result.pupils == 300
    assert Placement.objects.active().count() == 300
    assert Placement.objects.filter(school_year=0).exists()
    assert Placement.objects.filter(school_year=9).exists()


def test_a_year_with_more_than_26_classes_gets_letters_after_z():
    from elevstod.organisation.demo_names import class_letters

    labels = [class_letters(i) for i in range(26 * 27 + 1)]
    assert labels[:3] == ["A", "B", "C"]
    assert labels[25:28] == ["Z", "AA", "AB"]
    assert labels[51:53] == ["AZ", "BA"]
    assert labels[-2:] == ["ZZ", "AAA"]
    assert len(set(labels)) == len(labels)  # every class of a year has its own name

"""The staff pickers (investigators, contributors, responsible persons, delegates) show each
person with role and unit, so that two people of the same name, or a name alone, are not
guessed at: "Sara Specialpedagog, specialpedagog, Ekskolan"."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.organisation import services as org
from elevstod.organisation.models import Duty
from elevstod.organisation.selectors import staff_for_pickers, staff_label
from elevstod.support.services import investigations


def test_a_staff_member_is_labelled_with_role_and_unit(school):
    [health] = staff_for_pickers([school.health.person])
    [teacher] = staff_for_pickers([school.teacher.person])

    assert staff_label(health) == "Sara Specialpedagog, specialpedagog, Ekskolan"
    assert staff_label(teacher) == "Tove Lärare, lärare, Ekskolan"


def test_a_person_with_duties_at_two_units_is_labelled_with_both(school):
    org.duty_assign(
        actor=None,
        person=school.health.person,
        role=Duty.Role.PUPIL_HEALTH,
        unit=school.plain_unit,
        start_date=school.unit.created_at.date(),
        title="Kurator",
    )

    [health] = staff_for_pickers([school.health.person])

    assert staff_label(health) == (
        "Sara Specialpedagog, kurator, Aspskolan; specialpedagog, Ekskolan"
    )


def test_the_labels_of_a_whole_picker_take_two_queries(school, django_assert_num_queries):
    people = [school.health.person, school.teacher.person, school.principal.person]

    with django_assert_num_queries(2):
        labels = [staff_label(p) for p in staff_for_pickers(people)]

    assert labels == [
        "Tove Lärare, lärare, Ekskolan",
        "Rut Rektor, rektor, Ekskolan",
        "Sara Specialpedagog, specialpedagog, Ekskolan",
    ]


@pytest.mark.parametrize(
    ("page", "picker"),
    [
        ("investigation_new", "investigators"),
        ("adaptation_new", "responsible"),
    ],
)
def test_the_pickers_of_new_records_show_role_and_unit(client, school, page, picker):
    client.force_login(school.principal)

    html = client.get(reverse(f"support:{page}", args=[school.pupil.pk])).content.decode()

    assert "Sara Specialpedagog, specialpedagog, Ekskolan" in html
    assert "Rut Rektor, rektor, Ekskolan" in html
    assert f'name="{picker}"' in html


def test_the_contributor_and_measure_pickers_show_role_and_unit(client, school):
    inv = investigations.investigation_start(
        actor=school.principal, pupil=school.pupil, investigator_ids=[], planned_decision_date=None
    )
    client.force_login(school.principal)

    invite = client.get(reverse("support:investigation_detail", args=[inv.pk])).content.decode()
    delegation = client.get(reverse("support:delegation_order", args=[school.unit.pk]))

    assert "Tove Lärare, lärare, Ekskolan" in invite
    assert "Tove Lärare, lärare, Ekskolan" in delegation.content.decode()

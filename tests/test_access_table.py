"""The reasons of every user of the standing cast for every pupil of the cast, as a table: one
by one (``pupil_grant``), as lists (``pupils_visible_to``) and inverted (``staff_with_access_to``,
whom to notify)."""

from __future__ import annotations

import pytest

from elevstod.organisation.access import (
    STAFF_REASONS,
    Reason,
)
from elevstod.organisation.staff_access import staff_with_access_to

from .authorization import reasons, visible
from .conftest import PUPILS, USERS

# --- the whole cast as a table -------------------------------------------------------------

T, M, P, H = Reason.TEACHER, Reason.MENTOR, Reason.PRINCIPAL, Reason.PUPIL_HEALTH
A, G, S = Reason.ADMINISTRATOR, Reason.GUARDIAN, Reason.SELF

# user -> {pupil: reasons}; every pair not listed has no reason at all.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "teacher": {"pupil": {T}},
    "mentor": {"pupil": {M}, "protected_pupil": {M}},
    "colleague": {"other_pupil": {T}},
    "principal": {"pupil": {P}, "other_pupil": {P}, "protected_pupil": {P}},
    "health": {"pupil": {H}, "other_pupil": {H}, "protected_pupil": {H}},
    "admin": {"pupil": {A}, "other_pupil": {A}},
    "other_unit_teacher": {"far_pupil": {T}},
    "other_unit_principal": {"far_pupil": {P}},
    "foreign_principal": {"foreign_pupil": {P}},
    "analyst": {},
    "guardian": {"pupil": {G}},
    "other_guardian": {"other_pupil": {G}},
    "pupil_user": {"pupil": {S}},
    "former_teacher": {},
    "nobody": {},
}


def test_the_table_names_every_user_of_the_cast():
    assert set(EXPECTED) == set(USERS)


@pytest.mark.parametrize("user", USERS)
def test_reasons_of_each_user_for_each_pupil(cast, user):
    actual = {name: reasons(cast, user, name) for name in PUPILS}
    expected = {name: EXPECTED[user].get(name, set()) for name in PUPILS}
    assert actual == expected


@pytest.mark.parametrize("user", USERS)
def test_lists_agree_with_the_reasons_of_each_user(cast, user):
    staff = {name for name, why in EXPECTED[user].items() if why - {G, S}}
    anyone = set(EXPECTED[user])
    assert visible(cast, user) == staff
    assert visible(cast, user, staff_only=False) == anyone


@pytest.mark.parametrize("pupil", PUPILS)
def test_staff_with_access_agrees_with_the_reasons_for_each_pupil(cast, pupil):
    """``staff_with_access_to`` (whom to notify) is the inverse of ``pupil_grant``."""
    for allowed in (STAFF_REASONS, STAFF_REASONS | {A}):
        expected = {
            cast.user(user).person_id
            for user in USERS
            if EXPECTED[user].get(pupil, set()) & allowed
        }
        actual = set(
            staff_with_access_to(cast.pupil_named(pupil), reasons=frozenset(allowed)).values_list(
                "pk", flat=True
            )
        )
        assert actual == expected

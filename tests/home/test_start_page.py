"""The start page, per role: what each member of the cast is shown first."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.builders import family_url, group_url, page, pupil_url


def test_teacher_start_page_lists_the_groups_they_teach(as_user, cast):
    body = page(as_user("teacher"), reverse("home:start"))
    assert group_url(cast.maths_5a) in body
    assert "Ma 5A" in body
    assert group_url(cast.class_5b) not in body


def test_mentor_start_page_lists_their_mentees(as_user, cast):
    body = page(as_user("mentor"), reverse("home:start"))
    assert cast.pupil.full_name in body
    assert cast.protected_pupil.full_name in body
    assert cast.other_pupil.full_name not in body


def test_analyst_start_page_shows_counts_and_no_pupil_names(as_user, cast):
    body = page(as_user("analyst"), reverse("home:start"))
    cell = r"<td[^>]*>"
    rows = dict(re.findall(rf"{cell}(\w+skolan)</td>{cell}\d{{8}}</td>{cell}(\d+)</td>", body))
    # Ekskolan has three pupils; the one with protected identity is never counted
    assert rows == {"Ekskolan": "2", "Aspskolan": "1"}
    for person in (
        cast.pupil,
        cast.other_pupil,
        cast.far_pupil,
        cast.foreign_pupil,
        cast.protected_pupil,
        cast.former_pupil,
    ):
        assert person.family_name not in body
    assert "/elever/" not in body


def test_guardian_start_page_lists_their_children(as_user, cast):
    body = page(as_user("guardian"), reverse("home:start"))
    assert cast.pupil.full_name in body
    assert family_url(cast.pupil) in body
    assert cast.other_pupil.full_name not in body
    assert pupil_url(cast.pupil) not in body


def test_user_without_role_is_told_so(as_user):
    body = page(as_user("nobody"), reverse("home:start"))
    assert "Ditt konto har ännu ingen roll" in body


def test_administrator_start_page_links_school_data_and_integrations(as_user):
    body = page(as_user("admin"), reverse("home:start"))
    assert reverse("imports:sources") in body
    assert reverse("integrations:clients") in body


def test_teacher_start_page_has_no_administration_links(as_user):
    body = page(as_user("teacher"), reverse("home:start"))
    assert reverse("imports:sources") not in body

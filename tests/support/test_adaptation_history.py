"""An adaptation's history says what changed: the old and the new value of each changed field,
and the first version as what was written (not as "ended")."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from elevstod.core.timeutil import today
from elevstod.support.services import adaptations as services
from tests.builders import adaptation_input, new_adaptation

pytestmark = pytest.mark.django_db


def _row(field: str, before: str, after: str) -> str:
    """One changed field of the history, as the page (a card on phones) shows it."""
    return (
        f'<th scope="row">{field}</th>'
        f'<td data-label="Före">{before}</td><td data-label="Efter">{after}</td>'
    )


def _history(client, user, adaptation) -> str:
    client.force_login(user)
    body = client.get(reverse("support:adaptation_detail", args=[adaptation.pk])).content.decode()
    return body[body.index('aria-labelledby="history"') :]


def _versions(history: str) -> list[str]:
    """The history's entries, newest first, with the markup's whitespace squeezed."""
    return [re.sub(r">\s+<", "><", item) for item in history.split("<li>")[1:]]


def _change(school, adaptation, version, **overrides):
    return services.adaptation_change(
        actor=school.teacher,
        adaptation_id=adaptation.pk,
        expected_version=version,
        data=adaptation_input(school.teacher.person, **overrides),
    )


def test_the_history_shows_the_old_and_the_new_text_of_a_changed_field(client, school):
    adaptation = new_adaptation(school, title="Förlängd skrivtid")
    _change(school, adaptation, 1, title="Längre skrivtid på prov")
    changed, written = _versions(_history(client, school.mentor, adaptation))
    old = '<td data-label="Före">Förlängd skrivtid</td>'
    new = '<td data-label="Efter">Längre skrivtid på prov</td>'
    assert f'<th scope="row">Vad anpassas</th>{old}{new}' in changed
    assert "Hinner inte läsa färdigt." not in changed  # an unchanged field is not listed
    assert "Förlängd skrivtid" in written


def test_the_history_names_the_responsible_person_and_the_subjects(client, school):
    adaptation = new_adaptation(school)
    _change(
        school,
        adaptation,
        1,
        responsible_id=school.mentor.person.pk,
        all_subjects=False,
        subject_ids=[school.maths.pk],
    )
    changed = _versions(_history(client, school.mentor, adaptation))[0]
    assert _row("Ansvarig", "Tove Lärare", "Mats Mentor") in changed
    assert _row("Ämnen", "–", "Matematik") in changed
    assert str(school.mentor.person.pk) not in re.findall(r"<td[^>]*>(.*?)</td>", changed)


def test_the_first_version_is_what_was_written_not_ended(client, school):
    adaptation = new_adaptation(school)
    [written] = _versions(_history(client, school.mentor, adaptation))
    assert "skriven" in written
    assert "avslutad" not in written.lower()
    assert "status" not in written.lower()
    assert "Förlängd skrivtid" in written
    assert "Hinner inte läsa färdigt." in written


def test_ending_the_adaptation_is_shown_as_ended_in_its_own_version(client, school):
    adaptation = new_adaptation(school, start_date=today() - dt.timedelta(days=10))
    services.adaptation_end(
        actor=school.teacher, adaptation_id=adaptation.pk, expected_version=1, end_date=today()
    )
    ended, written = _versions(_history(client, school.mentor, adaptation))
    assert _row("Status", "pågående", "avslutad") in ended
    assert f'<td data-label="Före">–</td><td data-label="Efter">{today():%Y-%m-%d}</td>' in ended
    assert "avslutad" not in written.lower()


def test_the_history_runs_the_same_number_of_queries_however_long_it_is(client, school):
    adaptation = new_adaptation(school)
    client.force_login(school.mentor)
    url = reverse("support:adaptation_detail", args=[adaptation.pk])
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for version in range(1, 5):
        _change(school, adaptation, version, title=f"Version {version + 1}")
    with CaptureQueriesContext(connection) as long:
        client.get(url)
    assert len(long) == len(short)

"""The administrator's page of the sync: the organiser's administrators see their sources, the
runs with counts and refused records, the progress of a running sync and where a person's data
came from; "sync now" queues one run however often it is pressed; everyone else gets a 404."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.imports.models import ImportRun, SourceRecord
from elevstod.imports.services import run_create, source_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(cast):
    source = source_create(
        actor=None,
        name="ekby",
        organiser=cast.unit_a1.organiser,
        secret_env="EKBY_SS12000_TOKEN",
        base_url="https://sis.example/ss12000",
    )
    done = run_create(actor=None, source=source, kind=ImportRun.Kind.FULL)
    done.status = ImportRun.Status.SUCCEEDED
    done.counts = {"persons": {"created": 3}}
    done.errors = [{"entity": "persons", "id": "abc", "reason": "Ogiltigt personnummer."}]
    done.errors_total = 1
    done.save()
    SourceRecord.objects.create(
        source=source,
        kind="persons",
        external_id="e0c1",
        object_id=cast.pupil.pk,
        seen_run_id=done.pk,
        changed_run_id=done.pk,
    )
    SourceRecord.objects.create(
        source=source,
        kind="persons",
        external_id="e0c2",
        object_id=cast.protected_pupil.pk,
        seen_run_id=done.pk,
        changed_run_id=done.pk,
    )
    return source


def test_the_administrator_sees_the_sources_and_the_runs(client, cast, setup):
    client.force_login(cast.admin)

    page = client.get(reverse("imports:sources")).content.decode()

    assert "ekby" in page
    assert "personer: skapade 3" in page
    assert "Ogiltigt personnummer." in page


@pytest.mark.parametrize("page", ["home:start", "accounts:security"])
def test_the_administrator_is_linked_to_the_page_with_the_other_administration(
    client, cast, setup, page
):
    client.force_login(cast.admin)

    body = client.get(reverse(page)).content.decode()

    assert f'href="{reverse("imports:sources")}"' in body
    assert reverse("integrations:clients") in body


@pytest.mark.parametrize("page", ["home:start", "accounts:security"])
@pytest.mark.parametrize("role", ["principal", "teacher", "foreign_principal", "health"])
def test_others_are_not_linked_to_the_page(client, cast, setup, page, role):
    client.force_login(getattr(cast, role))

    body = client.get(reverse(page)).content.decode()

    assert reverse("imports:sources") not in body


@pytest.mark.parametrize("role", ["principal", "teacher", "foreign_principal", "health"])
def test_others_get_a_404(client, cast, setup, role):
    client.force_login(getattr(cast, role))

    for name in ("imports:sources", "imports:progress", "imports:people"):
        assert client.get(reverse(name)).status_code == 404
    answer = client.post(reverse("imports:sync_now"), {"source": setup.pk})
    assert answer.status_code == 404
    assert not ImportRun.objects.filter(status=ImportRun.Status.QUEUED).exists()


def test_sync_now_queues_one_run_however_often_it_is_pressed(
    client, cast, setup, django_capture_on_commit_callbacks
):
    client.force_login(cast.admin)

    with django_capture_on_commit_callbacks() as queued:
        first = client.post(reverse("imports:sync_now"), {"source": setup.pk})
        client.post(reverse("imports:sync_now"), {"source": setup.pk})

    assert first.status_code == 302
    assert ImportRun.objects.filter(status=ImportRun.Status.QUEUED).count() == 1
    assert len(queued) == 1


def test_the_progress_of_a_running_sync_is_polled(client, cast, setup):
    run = run_create(actor=None, source=setup, kind=ImportRun.Kind.INCREMENTAL)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, progress_kind="persons", progress_done=1500
    )
    client.force_login(cast.admin)

    part = client.get(reverse("imports:progress"), HTTP_HX_REQUEST="true").content.decode()

    assert "personer 1500" in part
    assert 'hx-trigger="every 2s"' in part
    assert "<progress" in part


def test_the_people_lookup_shows_the_origin_and_logs_the_read(
    client, cast, setup, django_assert_max_num_queries
):
    client.force_login(cast.admin)

    with django_assert_max_num_queries(20):
        page = client.get(reverse("imports:people"), {"q": cast.pupil.family_name})

    text = page.content.decode()
    assert "e0c1" in text
    assert AccessLogEntry.objects.filter(
        purpose="imports.people.lookup", pupil_id=cast.pupil.pk
    ).exists()


def test_the_people_lookup_runs_the_same_queries_however_many_it_shows(
    client, cast, setup, django_assert_max_num_queries
):
    client.force_login(cast.admin)

    with django_assert_max_num_queries(20):
        page = client.get(reverse("imports:people"), {"q": "an"})

    shown = AccessLogEntry.objects.filter(purpose="imports.people.lookup").count()
    assert shown >= 3
    assert page.content.decode().count("<tr>") == shown + 1  # the header row


def test_the_people_lookup_finds_a_person_no_source_brought(client, cast, setup):
    client.force_login(cast.admin)

    page = client.get(reverse("imports:people"), {"q": cast.other_pupil.family_name})

    text = page.content.decode()
    assert cast.other_pupil.full_name in text
    assert "inte från någon källa" in text
    assert AccessLogEntry.objects.filter(
        purpose="imports.people.lookup", pupil_id=cast.other_pupil.pk
    ).exists()


def test_the_people_lookup_finds_the_staff_and_guardians_of_the_organiser(client, cast, setup):
    client.force_login(cast.admin)

    staff = client.get(reverse("imports:people"), {"q": "Specht"}).content.decode()
    guardian = cast.pupil.guardianships.first().guardian
    family = client.get(reverse("imports:people"), {"q": guardian.family_name}).content.decode()

    assert "Sara Specht" in staff
    assert guardian.full_name in family


def test_the_people_lookup_never_shows_a_person_of_another_organiser(client, cast, setup):
    client.force_login(cast.admin)

    page = client.get(reverse("imports:people"), {"q": cast.foreign_pupil.family_name})

    assert cast.foreign_pupil.full_name not in page.content.decode()
    assert not AccessLogEntry.objects.filter(pupil_id=cast.foreign_pupil.pk).exists()


def test_the_people_lookup_never_shows_a_protected_pupil_not_from_a_source(client, cast, setup):
    SourceRecord.objects.filter(object_id=cast.protected_pupil.pk).delete()
    client.force_login(cast.admin)

    page = client.get(reverse("imports:people"), {"q": cast.protected_pupil.family_name})

    assert cast.protected_pupil.full_name not in page.content.decode()
    assert not AccessLogEntry.objects.filter(pupil_id=cast.protected_pupil.pk).exists()


def test_the_people_lookup_never_shows_a_protected_pupil(client, cast, setup):
    client.force_login(cast.admin)

    page = client.get(reverse("imports:people"), {"q": cast.protected_pupil.family_name})

    assert "e0c2" not in page.content.decode()
    assert cast.protected_pupil.given_name not in page.content.decode()


@pytest.mark.real_step_up
def test_the_page_needs_a_second_factor_first(client, cast, setup):
    client.force_login(cast.admin)  # a password-only session

    answer = client.get(reverse("imports:sources"))

    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:step_up"))

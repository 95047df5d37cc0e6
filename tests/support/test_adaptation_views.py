"""Extra adaptations through HTTP: the pages teachers use, allowed and refused side by side."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.urls import reverse

import pytest

from elevstod.audit.models import AccessLogEntry
from elevstod.core.timeutil import today
from elevstod.notifications.models import Notification
from elevstod.support.models import AdaptationTemplate, ExtraAdaptation
from elevstod.support.services import adaptations as services
from elevstod.support.services import library
from tests.builders import adaptation_input, new_adaptation


def _form(school, **overrides):
    data = {
        "title": "Förlängd skrivtid",
        "need": "Hinner inte läsa färdigt.",
        "description": "",
        "all_subjects": "on",
        "start_date": today().isoformat(),
        "next_follow_up": (today() + dt.timedelta(weeks=4)).isoformat(),
        "responsible": str(school.teacher.person.pk),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_teacher_creates_an_adaptation_through_the_form(client, school):
    client.force_login(school.teacher)
    url = reverse("support:adaptation_new", args=[school.pupil.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(school))
    adaptation = ExtraAdaptation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("support:adaptation_detail", args=[adaptation.pk])


def test_colleague_without_the_pupil_gets_404_on_the_form_and_cannot_post(client, school):
    client.force_login(school.colleague)
    url = reverse("support:adaptation_new", args=[school.pupil.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _form(school)).status_code == 404
    assert not ExtraAdaptation.objects.exists()


def test_administrator_cannot_open_the_support_form(client, school):
    client.force_login(school.admin)
    assert client.get(reverse("support:adaptation_new", args=[school.pupil.pk])).status_code == 404


def test_bad_input_keeps_what_the_teacher_typed_and_says_why(client, school):
    client.force_login(school.teacher)
    url = reverse("support:adaptation_new", args=[school.pupil.pk])
    response = client.post(url, _form(school, need="", title="Mitt viktiga textförslag"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mitt viktiga textförslag" in body
    assert "Skriv det behov som setts: varför eleven behöver anpassningen." in body
    assert not ExtraAdaptation.objects.exists()


def test_a_garbled_date_is_a_form_error_not_a_500(client, school):
    client.force_login(school.teacher)
    url = reverse("support:adaptation_new", args=[school.pupil.pk])
    response = client.post(url, _form(school, start_date="2026-13-45"))
    assert response.status_code == 200
    assert not ExtraAdaptation.objects.exists()


def test_library_entry_prefills_the_form_so_three_steps_suffice(client, school):
    entry = AdaptationTemplate.objects.create(
        organiser=school.unit.organiser,
        unit=None,
        title="Bildstöd vid instruktioner",
        description="Instruktioner med bilder.",
    )
    client.force_login(school.teacher)
    # step 1: the pupil page links to the form; step 2: pick the library entry
    pupil_page = client.get(reverse("organisation:pupil_detail", args=[school.pupil.pk]))
    new_url = reverse("support:adaptation_new", args=[school.pupil.pk])
    assert new_url in pupil_page.content.decode()
    form_page = client.get(new_url, {"mall": entry.pk})
    assert "Bildstöd vid instruktioner" in form_page.content.decode()
    # step 3: save with the prefilled values (the form's initial data) and a need
    form = form_page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False, "")}
    data["need"] = "Tappar tråden vid muntliga instruktioner."
    data["mall"] = entry.pk
    assert client.post(new_url, data).status_code == 302
    assert ExtraAdaptation.objects.get().template == entry


def test_detail_page_reads_are_logged_with_the_reason(client, school):
    adaptation = new_adaptation(school)
    client.force_login(school.mentor)
    assert client.get(reverse("support:adaptation_detail", args=[adaptation.pk])).status_code == 200
    entry = AccessLogEntry.objects.filter(purpose="support.adaptation.page").latest("id")
    assert entry.granted is True
    assert entry.reasons == "MENTOR"


def test_detail_page_is_404_for_a_colleague_and_the_refusal_is_logged(client, school):
    adaptation = new_adaptation(school)
    client.force_login(school.colleague)
    assert client.get(reverse("support:adaptation_detail", args=[adaptation.pk])).status_code == 404
    entry = AccessLogEntry.objects.filter(purpose="support.adaptation.page").latest("id")
    assert entry.granted is False


def test_stale_edit_tells_the_user_and_keeps_their_text(client, school):
    adaptation = new_adaptation(school)
    services.adaptation_change(
        actor=school.mentor,
        adaptation_id=adaptation.pk,
        expected_version=1,
        data=adaptation_input(school.teacher.person, title="Mentorns"),
    )
    client.force_login(school.teacher)
    url = reverse("support:adaptation_edit", args=[adaptation.pk])
    response = client.post(url, _form(school, title="Lärarens text", version="1"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Någon annan ändrade anpassningen" in body
    assert "Lärarens text" in body
    adaptation.refresh_from_db()
    assert adaptation.title == "Mentorns"


def test_follow_up_and_evaluation_through_the_pages(client, school):
    adaptation = new_adaptation(school, start_date=today() - dt.timedelta(days=10))
    client.force_login(school.teacher)
    follow_up = client.post(
        reverse("support:adaptation_follow_up", args=[adaptation.pk]),
        {
            "date": today().isoformat(),
            "observation": "Bättre.",
            "effect": "PARTLY",
            "next_follow_up": (today() + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert follow_up.status_code == 302
    evaluation = client.post(
        reverse("support:adaptation_evaluate", args=[adaptation.pk]),
        {
            "date": today().isoformat(),
            "outcome": "Behovet finns inte längre.",
            "effect": "WORKS",
            "next_step": "END",
        },
    )
    assert evaluation.status_code == 302
    adaptation.refresh_from_db()
    assert adaptation.status == ExtraAdaptation.Status.ENDED
    detail = client.get(reverse("support:adaptation_detail", args=[adaptation.pk]))
    assert "Bättre." in detail.content.decode()


def test_pupil_page_lists_active_and_ended_adaptations(client, school):
    active = new_adaptation(school, title="Pågående anpassning")
    ended = new_adaptation(school, title="Gammal anpassning")
    services.adaptation_end(
        actor=school.teacher, adaptation_id=ended.pk, expected_version=1, end_date=today()
    )
    client.force_login(school.teacher)
    body = client.get(reverse("organisation:pupil_detail", args=[school.pupil.pk])).content.decode()
    assert active.title in body
    assert ended.title in body
    assert "1 avslutad anpassning" in body


def test_pupil_at_a_unit_without_the_module_says_so(client, school):
    client.force_login(school.plain_principal)
    body = client.get(
        reverse("organisation:pupil_detail", args=[school.plain_pupil.pk])
    ).content.decode()
    assert "inte aktiverad" in body
    response = client.get(reverse("support:adaptation_new", args=[school.plain_pupil.pk]))
    assert response.status_code == 200
    assert "inte aktiverad" in response.content.decode()


def test_unit_overview_shows_due_follow_ups_and_filters(client, school):
    overdue = new_adaptation(
        school,
        title="Försenad",
        start_date=today() - dt.timedelta(days=60),
        next_follow_up=today() - dt.timedelta(days=30),
    )
    later = new_adaptation(school, title="Senare", next_follow_up=today() + dt.timedelta(days=60))
    client.force_login(school.principal)
    url = reverse("support:unit_overview", args=[school.unit.pk])
    body = client.get(url).content.decode()
    assert overdue.title in body
    assert later.title in body
    body = client.get(url, {"uppfoljning": "overdue"}).content.decode()
    assert overdue.title in body
    assert later.title not in body


def test_unit_overview_hides_pupils_the_user_may_not_see(client, school):
    services.adaptation_create(
        actor=school.mentor,
        pupil=school.protected,
        data=adaptation_input(school.mentor.person, title="Skyddad"),
    )
    client.force_login(school.teacher)
    body = client.get(reverse("support:unit_overview", args=[school.unit.pk])).content.decode()
    assert "Skyddad" not in body
    client.force_login(school.admin)
    body = client.get(reverse("support:unit_overview", args=[school.unit.pk])).content.decode()
    assert "Skyddad" not in body


def test_group_overview_lists_the_groups_adaptations(client, school):
    new_adaptation(school, title="I matten")
    client.force_login(school.teacher)
    body = client.get(
        reverse("support:group_overview", args=[school.maths_group.pk])
    ).content.decode()
    assert "I matten" in body


@pytest.mark.parametrize("pupils", [1, 12])
def test_overview_runs_a_bounded_number_of_queries(
    client, school, pupils, django_assert_max_num_queries
):
    for i in range(pupils):
        new_adaptation(school, title=f"Anpassning {i}")
    client.force_login(school.principal)
    # The session, the user, their duties, the unread count, the unit, the page with its count
    # and the grants on its pupils, the unit's subjects for the filter and the subjects of the
    # page's rows (none to read here: every row is for all subjects), and the access log's
    # rows in one insert (the test's savepoint, the chain's head, the insert, the release; on
    # PostgreSQL also the chain's lock): 12 at most, everything counted.
    with django_assert_max_num_queries(11 + (connection.vendor == "postgresql")):
        client.get(reverse("support:unit_overview", args=[school.unit.pk]))


def test_only_the_principal_adds_to_the_units_library(client, school):
    url = reverse("support:library_add", args=[school.unit.pk])
    client.force_login(school.teacher)
    assert client.get(reverse("support:library", args=[school.unit.pk])).status_code == 200
    assert client.post(url, {"title": "Lärarens"}).status_code == 404
    client.force_login(school.principal)
    assert client.post(url, {"title": "Rektors", "description": ""}).status_code == 302
    assert list(AdaptationTemplate.objects.values_list("title", flat=True)) == ["Rektors"]


def test_only_the_principal_removes_an_entry_and_it_is_kept_inactive(client, school):
    entry = library.template_create(
        actor=school.principal, unit=school.unit, title="Rektors", description="", subject=None
    )
    url = reverse("support:library_remove", args=[school.unit.pk])
    client.force_login(school.teacher)
    assert client.post(url, {"entry": entry.pk}).status_code == 404
    entry.refresh_from_db()
    assert entry.is_active
    client.force_login(school.principal)
    assert client.post(url, {"entry": entry.pk}).status_code == 302
    entry.refresh_from_db()
    assert not entry.is_active
    page = client.get(reverse("support:library", args=[school.unit.pk])).content.decode()
    assert "Rektors" not in page


def test_the_library_page_takes_no_post(client, school):
    client.force_login(school.principal)
    url = reverse("support:library", args=[school.unit.pk])
    assert client.post(url, {"title": "Rektors"}).status_code == 405
    assert not AdaptationTemplate.objects.exists()


def test_inbox_shows_the_notification_and_marks_it_read(client, school):
    new_adaptation(school)
    client.force_login(school.mentor)
    start = client.get(reverse("home:start")).content.decode()
    assert 'class="badge">1' in start
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "skrev en ny extra anpassning" in inbox
    client.post(reverse("notifications:mark_read"))
    assert not Notification.objects.filter(recipient=school.mentor, read_at__isnull=True).exists()


def _groups(unit, count):
    from elevstod.organisation.models import Group

    Group.objects.bulk_create(
        Group(unit=unit, name=f"Grupp {i:04d}", kind=Group.Kind.TEACHING, start_date=today())
        for i in range(count)
    )


def test_overview_page_does_not_grow_with_the_number_of_groups(client, school):
    """A municipality's unit can have thousands of groups: the group filter is a name typed
    in, so the page is the same size with 3 groups more or 300."""
    new_adaptation(school, title="I matten")
    client.force_login(school.principal)
    url = reverse("support:unit_overview", args=[school.unit.pk])
    _groups(school.unit, 3)
    few = len(client.get(url).content)
    _groups(school.unit, 300)
    many = client.get(url).content.decode()
    assert len(many.encode()) == few
    assert "Grupp 0299" not in many


def test_overview_filters_by_the_group_name_typed_in(client, school):
    new_adaptation(school, title="I matten")
    client.force_login(school.principal)
    url = reverse("support:unit_overview", args=[school.unit.pk])
    name = school.maths_group.name
    body = client.get(url, {"gruppnamn": f"  {name.upper()} "}).content.decode()
    assert "I matten" in body
    assert f'value="{name}"' in body
    _groups(school.unit, 1)
    other = client.get(url, {"gruppnamn": "Grupp 0000"}).content.decode()
    assert "I matten" not in other


def test_overview_says_when_no_group_has_the_name_typed_in(client, school):
    new_adaptation(school, title="I matten")
    client.force_login(school.principal)
    url = reverse("support:unit_overview", args=[school.unit.pk])
    body = client.get(url, {"gruppnamn": "9Ö"}).content.decode()
    assert "Ingen aktuell grupp på skolenheten heter ”9Ö”" in body
    assert "I matten" in body
    assert 'value="9Ö"' in body

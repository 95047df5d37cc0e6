"""The law's access log on the adaptation overviews: every pupil shown is logged with the
reader's basis, only the page's pupils, and nothing for a reader who sees none."""

from __future__ import annotations

from django.urls import reverse

from elevstod.audit.models import AccessLogEntry
from elevstod.core import compiled
from tests.builders import new_adaptation

PURPOSE = "support.adaptation_overview.page"


def _logged(user):
    rows = AccessLogEntry.objects.filter(actor_id=user.pk, purpose=PURPOSE)
    return sorted(rows.values_list("pupil_id", "reasons", "granted"))


def _overview(cast):
    return reverse("support:unit_overview", args=[cast.unit_a1.pk])


def test_adaptation_overview_logs_each_pupil_shown_with_the_readers_basis(client, cast):
    new_adaptation(cast, pupil=cast.pupil)
    new_adaptation(cast, pupil=cast.other_pupil, actor=cast.principal)
    client.force_login(cast.principal)
    assert client.get(_overview(cast)).status_code == 200
    assert _logged(cast.principal) == sorted(
        [(cast.pupil.pk, "PRINCIPAL", True), (cast.other_pupil.pk, "PRINCIPAL", True)]
    )
    client.force_login(cast.teacher)
    assert client.get(_overview(cast)).status_code == 200
    assert _logged(cast.teacher) == [(cast.pupil.pk, "TEACHER", True)]


def test_group_overview_logs_each_pupil_shown(client, cast):
    new_adaptation(cast, pupil=cast.pupil)
    client.force_login(cast.teacher)
    url = reverse("support:group_overview", args=[cast.maths_5a.pk])
    assert client.get(url).status_code == 200
    assert _logged(cast.teacher) == [(cast.pupil.pk, "TEACHER", True)]


def test_adaptation_overview_does_not_log_a_pupil_on_another_page(client, cast, settings):
    settings.ELEVSTOD_PAGE_SIZE = 1
    new_adaptation(cast, pupil=cast.pupil, title="Först")
    new_adaptation(cast, pupil=cast.other_pupil, actor=cast.principal, title="Sedan")
    client.force_login(cast.principal)
    body = client.get(_overview(cast)).content.decode()
    shown = cast.pupil if "Först" in body else cast.other_pupil
    assert _logged(cast.principal) == [(shown.pk, "PRINCIPAL", True)]


def test_a_reader_without_access_sees_no_rows_and_no_pupil_is_logged(client, cast):
    new_adaptation(cast, pupil=cast.pupil, title="Förlängd skrivtid")
    client.force_login(cast.other_unit_teacher)
    assert client.get(_overview(cast)).status_code == 404
    client.force_login(cast.admin)
    body = client.get(_overview(cast)).content.decode()
    assert "Förlängd skrivtid" not in body
    assert _logged(cast.other_unit_teacher) == _logged(cast.admin) == []


def test_a_protected_pupil_is_logged_only_for_the_readers_who_see_them(client, cast):
    new_adaptation(cast, pupil=cast.protected_pupil, actor=cast.mentor, title="Skyddad")
    client.force_login(cast.teacher)
    assert "Skyddad" not in client.get(_overview(cast)).content.decode()
    assert _logged(cast.teacher) == []
    client.force_login(cast.principal)
    assert "Skyddad" in client.get(_overview(cast)).content.decode()
    assert _logged(cast.principal) == [(cast.protected_pupil.pk, "PRINCIPAL", True)]


def test_the_access_log_search_shows_the_overviews_rows_for_a_pupil(client, cast):
    new_adaptation(cast, pupil=cast.pupil)
    client.force_login(cast.principal)
    client.get(_overview(cast))
    page = client.get(reverse("audit:log"), {"pupil": cast.pupil.family_name})
    assert "Läste en översikt över extra anpassningar" in page.content.decode()


def test_the_overview_reads_its_page_through_a_statement_compiled_once(
    client, cast, fixed_csrf_mask
):
    new_adaptation(cast, pupil=cast.pupil)
    client.force_login(cast.principal)
    first = client.get(_overview(cast)).content.decode()
    kept = [
        s for shape, s in compiled._statements.items() if shape[0][1][0] == "adaptation overview"
    ]
    assert kept
    assert not any(isinstance(s, str) for s in kept)  # not a builder run as it is
    assert client.get(_overview(cast)).content.decode() == first
    assert len(_logged(cast.principal)) == 2  # each read logged

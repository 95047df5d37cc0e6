"""The unit's special-support page: its lists ask the rules of ``support.access`` that the
single reads ask, so each member of the cast finds on it exactly the referrals,
investigations and programmes they may open; the pupils who left with a running programme only
the principal of the unit; and the read of each pupil shown is logged."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.urls import reverse

from elevstod.audit.models import AccessLogEntry
from elevstod.core import compiled
from elevstod.core.timeutil import today
from elevstod.organisation import services as org
from elevstod.organisation.access import Reason
from elevstod.organisation.models import Placement
from elevstod.support import workflow as wf
from elevstod.support.models import ActionProgramme, Investigation, Referral
from elevstod.support.services import investigations
from tests.builders import decided_programme

# The staff of the unit, who all reach its page (the authorization matrix pins who does not).
UNIT_STAFF = ("principal", "teacher", "mentor", "health", "colleague", "admin")
PURPOSE = "support.unit_special_support.page"


def _cases(school) -> None:
    """A referral the mentor filed on the pupil, one the mentor filed on the protected pupil,
    one the teacher filed on the classmate; the classmate's investigation with the teacher
    invited; the pupil's decided programme (its investigation concluded)."""
    for pupil, reporter in (
        (school.pupil, school.mentor),
        (school.protected, school.mentor),
        (school.classmate, school.teacher),
    ):
        investigations.referral_submit(actor=reporter, pupil=pupil, tried="Extra tid.", why="Nej.")
    inv = investigations.investigation_start(
        actor=school.principal,
        pupil=school.classmate,
        investigator_ids=[school.health.person.pk],
        planned_decision_date=today() + dt.timedelta(days=14),
    )
    investigations.investigation_invite(
        actor=school.principal, investigation_id=inv.pk, person_ids=[school.teacher.person.pk]
    )
    decided_programme(school)


def _unit_page(client, school) -> str:
    page = client.get(reverse("support:unit_special_support", args=[school.unit.pk]))
    assert page.status_code == 200
    return page.content.decode()


def _page_and_single_reads(client, school, role) -> tuple[dict[str, bool], dict[str, bool]]:
    """For each object of the unit the page may list: whether the page links it, and whether
    its own page opens to ``role``."""
    client.force_login(getattr(school, role))
    body = _unit_page(client, school)
    objects = [
        *(("referral_detail", r.pk) for r in Referral.objects.filter(state="OPEN")),
        *(
            ("investigation_detail", i.pk)
            for i in Investigation.objects.filter(state=wf.InvestigationState.IN_PROGRESS)
        ),
        *(("programme_detail", p.pk) for p in ActionProgramme.objects.all()),
    ]
    listed, opens = {}, {}
    for name, pk in objects:
        url = reverse(f"support:{name}", args=[pk])
        listed[url] = url in body
        opens[url] = client.get(url).status_code == 200
    return listed, opens


def test_the_unit_page_lists_exactly_what_each_of_the_cast_may_open(client, school):
    _cases(school)
    seen = {}
    for role in UNIT_STAFF:
        listed, opens = _page_and_single_reads(client, school, role)
        assert listed == opens, role
        seen[role] = sum(listed.values())
    # the comparison is not over empty lists: the heads see all five, the others their own
    assert seen == {
        "principal": 5,
        "health": 5,
        "teacher": 3,  # their referral, the investigation they were invited to, the programme
        "mentor": 3,  # their two referrals, the programme of their mentee
        "colleague": 0,
        "admin": 0,
    }


def test_a_teacher_does_not_find_on_the_unit_page_a_referral_they_may_not_read(client, school):
    referral = investigations.referral_submit(
        actor=school.mentor, pupil=school.pupil, tried="x", why="y"
    )
    url = reverse("support:referral_detail", args=[referral.pk])
    client.force_login(school.teacher)
    assert client.get(url).status_code == 404
    body = _unit_page(client, school)
    assert school.pupil.full_name not in body
    assert school.mentor.person.full_name not in body
    client.force_login(school.principal)
    body = _unit_page(client, school)
    assert url in body
    assert school.mentor.person.full_name in body


def _departed_programme(school) -> ActionProgramme:
    programme = decided_programme(school)
    placement = Placement.objects.get(pupil=school.pupil, unit=school.unit)
    with transaction.atomic():
        org.placement_end(actor=None, placement=placement, end_date=today() - dt.timedelta(days=1))
    return programme


def test_only_the_principal_finds_the_pupils_who_left_with_a_running_programme(client, school):
    programme = _departed_programme(school)
    url = reverse("support:programme_detail", args=[programme.pk])
    for role in UNIT_STAFF:
        client.force_login(getattr(school, role))
        body = _unit_page(client, school)
        shown = school.pupil.full_name in body
        assert shown == (role == "principal"), role
        assert (url in body) == (client.get(url).status_code == 200), role


def _logged(user) -> dict[int, set[str]]:
    entries = AccessLogEntry.objects.filter(purpose=PURPOSE, actor_id=user.pk, granted=True)
    return {e.pupil_id: set(e.reasons.split(",")) for e in entries}


def test_the_unit_page_logs_each_pupil_it_shows_with_the_basis_of_the_read(client, school):
    _cases(school)
    for role in ("principal", "teacher", "colleague"):
        client.force_login(getattr(school, role))
        _unit_page(client, school)
    everyone = {school.pupil.pk, school.protected.pk, school.classmate.pk}
    assert _logged(school.principal) == {pk: {Reason.PRINCIPAL} for pk in everyone}
    assert _logged(school.teacher) == {
        school.classmate.pk: {Reason.REPORTER, Reason.INVESTIGATOR},
        school.pupil.pk: {Reason.TEACHER},
    }
    assert _logged(school.colleague) == {}


def test_the_unit_page_logs_the_departed_pupil_as_read_by_the_principal_of_the_unit(client, school):
    _departed_programme(school)
    client.force_login(school.principal)
    _unit_page(client, school)
    assert _logged(school.principal) == {school.pupil.pk: {Reason.PRINCIPAL_OF_PROGRAMME_UNIT}}


def test_the_unit_page_takes_a_bounded_number_of_queries(
    client, school, django_assert_max_num_queries
):
    _cases(school)
    client.force_login(school.principal)
    _unit_page(client, school)  # the session's first request
    # The session, the user, their duties, the unit, the unit's rows of the four lists with
    # the grants on their pupils (one union), the log's last hash and its rows in one insert
    # inside the test transaction's savepoint, the unread count; on PostgreSQL the log's lock.
    with django_assert_max_num_queries(10 + (connection.vendor == "postgresql")):
        _unit_page(client, school)


def test_the_unit_page_reads_its_rows_through_a_statement_compiled_once(
    client, school, fixed_csrf_mask
):
    _cases(school)
    client.force_login(school.principal)
    first = _unit_page(client, school)
    kept = [
        s for shape, s in compiled._statements.items() if shape[0][1][0] == "unit special support"
    ]
    assert kept
    assert not any(isinstance(s, str) for s in kept)  # not a builder run as it is
    assert _unit_page(client, school) == first

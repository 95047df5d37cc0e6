"""Extra adaptations (Skollagen 3 kap. 5 §): the services and their rules."""

from __future__ import annotations

import datetime as dt

import pytest

from elevstod.audit.models import AuditEvent
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.models import Notification
from elevstod.support.errors import FieldError, StaleVersion
from elevstod.support.models import (
    AdaptationVersion,
    Effect,
    ExtraAdaptation,
    NextStep,
    Referral,
)
from elevstod.support.services import adaptations as services
from tests.builders import adaptation_input, new_adaptation


def test_teacher_of_the_pupil_creates_an_adaptation_with_its_first_version(school):
    adaptation = new_adaptation(school)
    assert adaptation.status == ExtraAdaptation.Status.ACTIVE
    assert adaptation.unit == school.unit
    version = AdaptationVersion.objects.get(adaptation=adaptation)
    assert version.version == 1
    assert version.changed_by == school.teacher
    assert AuditEvent.objects.filter(
        code="support.adaptation.created", object_id=str(adaptation.pk)
    ).exists()


@pytest.mark.parametrize("who", ["mentor", "principal", "health"])
def test_mentor_principal_and_pupil_health_may_create_adaptations(school, who):
    actor = getattr(school, who)
    assert new_adaptation(school, actor=actor).pk


@pytest.mark.parametrize("who", ["colleague", "admin", "plain_principal", "guardian"])
def test_staff_without_the_pupil_and_families_may_not_create_adaptations(school, who):
    actor = getattr(school, who)
    with pytest.raises(DomainError):
        services.adaptation_create(
            actor=actor, pupil=school.pupil, data=adaptation_input(school.teacher.person)
        )
    assert not ExtraAdaptation.objects.exists()


def test_teacher_may_not_create_an_adaptation_for_a_protected_pupil_they_do_not_mentor(school):
    with pytest.raises(DomainError):
        new_adaptation(school, pupil=school.protected)
    assert new_adaptation(school, actor=school.mentor, pupil=school.protected).pk


def test_no_adaptation_at_a_unit_without_the_support_module(school):
    with pytest.raises(DomainError) as refused:
        new_adaptation(school, actor=school.plain_principal, pupil=school.plain_pupil)
    assert "Stödinsatser" in str(refused.value.message) or "support module" in str(
        refused.value.message
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"need": ""}, "need"),
        ({"start_date": today() - dt.timedelta(days=400)}, "start_date"),
        ({"next_follow_up": today() - dt.timedelta(days=1)}, "next_follow_up"),
        ({"all_subjects": False, "subject_ids": []}, "subjects"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(school, overrides, field):
    with pytest.raises(FieldError) as refused:
        new_adaptation(school, **overrides)
    assert refused.value.field == field
    assert not ExtraAdaptation.objects.exists()


def test_a_subject_the_unit_does_not_teach_is_refused(school):
    with pytest.raises(FieldError) as refused:
        new_adaptation(school, all_subjects=False, subject_ids=[school.music.pk])
    assert refused.value.field == "subjects"
    assert new_adaptation(school, all_subjects=False, subject_ids=[school.maths.pk]).pk


def test_responsible_must_be_someone_who_works_with_the_pupil(school):
    with pytest.raises(FieldError) as refused:
        services.adaptation_create(
            actor=school.teacher,
            pupil=school.pupil,
            data=adaptation_input(school.colleague.person),
        )
    assert refused.value.field == "responsible"


def test_a_change_is_kept_as_a_new_version_with_what_changed(school):
    adaptation = new_adaptation(school)
    services.adaptation_change(
        actor=school.mentor,
        adaptation_id=adaptation.pk,
        expected_version=1,
        data=adaptation_input(school.teacher.person, title="Förlängd skrivtid och eget rum"),
    )
    versions = list(AdaptationVersion.objects.filter(adaptation=adaptation).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].changes == {"title": ["Förlängd skrivtid", "Förlängd skrivtid och eget rum"]}
    assert versions[1].changed_by == school.mentor


def test_a_stale_edit_is_refused_and_does_not_overwrite(school):
    adaptation = new_adaptation(school)
    first = adaptation_input(school.teacher.person, title="Först")
    second = adaptation_input(school.teacher.person, title="Sen")
    services.adaptation_change(
        actor=school.teacher, adaptation_id=adaptation.pk, expected_version=1, data=first
    )
    with pytest.raises(StaleVersion):
        services.adaptation_change(
            actor=school.mentor, adaptation_id=adaptation.pk, expected_version=1, data=second
        )
    adaptation.refresh_from_db()
    assert adaptation.title == "Först"
    assert adaptation.version == 2


def test_follow_ups_any_number_of_times_and_the_next_date_moves(school):
    adaptation = new_adaptation(school, start_date=today() - dt.timedelta(days=30))
    for days_ago in (20, 10, 0):
        services.adaptation_follow_up(
            actor=school.teacher,
            adaptation_id=adaptation.pk,
            date=today() - dt.timedelta(days=days_ago),
            observation="Bättre fokus.",
            effect=Effect.PARTLY,
            next_follow_up=today() + dt.timedelta(days=14),
        )
    adaptation.refresh_from_db()
    assert adaptation.follow_ups.count() == 3
    assert adaptation.next_follow_up == today() + dt.timedelta(days=14)


def test_a_follow_up_in_the_future_or_before_the_start_is_refused(school):
    adaptation = new_adaptation(school)
    for date in (today() + dt.timedelta(days=1), today() - dt.timedelta(days=3)):
        with pytest.raises(FieldError):
            services.adaptation_follow_up(
                actor=school.teacher,
                adaptation_id=adaptation.pk,
                date=date,
                observation="x",
                effect=Effect.WORKS,
                next_follow_up=None,
            )
    assert adaptation.follow_ups.count() == 0


def test_evaluation_with_end_ends_the_adaptation_and_keeps_it(school):
    adaptation = new_adaptation(school)
    services.adaptation_evaluate(
        actor=school.teacher,
        adaptation_id=adaptation.pk,
        date=today(),
        outcome="Klart.",
        effect=Effect.WORKS,
        next_step=NextStep.END,
    )
    adaptation.refresh_from_db()
    assert adaptation.status == ExtraAdaptation.Status.ENDED
    assert adaptation.end_date == today()
    assert ExtraAdaptation.objects.filter(pk=adaptation.pk).exists()
    with pytest.raises(DomainError):
        services.adaptation_follow_up(
            actor=school.teacher,
            adaptation_id=adaptation.pk,
            date=today(),
            observation="x",
            effect=Effect.WORKS,
            next_follow_up=None,
        )


def test_evaluation_that_continues_needs_a_next_follow_up(school):
    adaptation = new_adaptation(school)
    with pytest.raises(FieldError) as refused:
        services.adaptation_evaluate(
            actor=school.teacher,
            adaptation_id=adaptation.pk,
            date=today(),
            outcome="Går bra.",
            effect=Effect.WORKS,
            next_step=NextStep.CONTINUE,
        )
    assert refused.value.field == "next_follow_up"
    services.adaptation_evaluate(
        actor=school.teacher,
        adaptation_id=adaptation.pk,
        date=today(),
        outcome="Går bra.",
        effect=Effect.WORKS,
        next_step=NextStep.CONTINUE,
        next_follow_up=today() + dt.timedelta(days=30),
    )
    adaptation.refresh_from_db()
    assert adaptation.is_active
    assert adaptation.evaluations.get().next_step == NextStep.CONTINUE


def test_evaluation_can_record_that_adaptations_are_not_enough(school):
    adaptation = new_adaptation(school)
    services.adaptation_evaluate(
        actor=school.teacher,
        adaptation_id=adaptation.pk,
        date=today(),
        outcome="Anpassningarna räcker inte.",
        effect=Effect.NO_EFFECT,
        next_step=NextStep.REPORT,
        next_follow_up=today() + dt.timedelta(days=14),
    )
    assert adaptation.evaluations.get().next_step == NextStep.REPORT
    # and it starts a referral to the principal, listing the adaptations tried
    referral = Referral.objects.get(pupil=school.pupil)
    assert referral.why == "Anpassningarna räcker inte."
    assert list(referral.adaptations.all()) == [adaptation]
    assert Notification.objects.filter(
        recipient=school.principal, code="support.referral.submitted"
    ).exists()


def test_ending_is_refused_on_a_stale_version(school):
    adaptation = new_adaptation(school)
    with pytest.raises(StaleVersion):
        services.adaptation_end(
            actor=school.teacher, adaptation_id=adaptation.pk, expected_version=7, end_date=today()
        )
    services.adaptation_end(
        actor=school.teacher, adaptation_id=adaptation.pk, expected_version=1, end_date=today()
    )
    adaptation.refresh_from_db()
    assert adaptation.status == ExtraAdaptation.Status.ENDED


def test_creating_notifies_the_pupils_teachers_and_mentors_but_not_the_author(school):
    new_adaptation(school, actor=school.teacher)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {school.mentor.username}


def test_a_change_by_the_mentor_notifies_the_teacher(school):
    adaptation = new_adaptation(school, actor=school.teacher)
    Notification.objects.all().delete()
    services.adaptation_change(
        actor=school.mentor,
        adaptation_id=adaptation.pk,
        expected_version=1,
        data=adaptation_input(school.teacher.person, title="Ny titel"),
    )
    assert list(Notification.objects.values_list("recipient__username", "code")) == [
        (school.teacher.username, "support.adaptation.changed")
    ]


def test_a_protected_pupils_adaptation_does_not_notify_teachers_who_may_not_see_them(school):
    services.adaptation_create(
        actor=school.principal, pupil=school.protected, data=adaptation_input(school.mentor.person)
    )
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {school.mentor.username}


def test_a_failed_write_leaves_no_audit_event_and_no_notification(school):
    with pytest.raises(FieldError):
        new_adaptation(school, need="")
    assert not AuditEvent.objects.filter(code__startswith="support.").exists()
    assert not Notification.objects.exists()

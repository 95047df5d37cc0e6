"""Reporting to the principal that a pupil may need special support (3 kap. 7 §): who may
report, and that the principal hears of it."""

from __future__ import annotations

import pytest

from elevstod.core.errors import DomainError
from elevstod.notifications.models import Notification
from elevstod.support import workflow as wf
from elevstod.support.models import Referral
from elevstod.support.services import investigations


def test_teacher_reports_to_the_principal_who_is_notified(school):
    referral = investigations.referral_submit(
        actor=school.teacher,
        pupil=school.pupil,
        tried="Förlängd skrivtid.",
        why="Ingen effekt efter sex veckor.",
    )
    assert referral.state == wf.ReferralState.OPEN
    assert Notification.objects.filter(
        recipient=school.principal, code="support.referral.submitted"
    ).exists()


def test_colleague_without_the_pupil_cannot_report(school):
    with pytest.raises(DomainError):
        investigations.referral_submit(
            actor=school.colleague, pupil=school.pupil, tried="x", why="y"
        )
    assert not Referral.objects.exists()

"""The small school of the support tests, with e-mail addresses for the staff, and a clean
SMS outbox for every test."""

from __future__ import annotations

import pytest

from elevstod.accounts.models import User
from elevstod.notifications import sms
from tests.support.conftest import School, school  # noqa: F401


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def mail_school(school: School) -> School:  # noqa: F811
    for user in User.objects.all():
        user.email = f"{user.username}@skola.example"
        user.save(update_fields=["email"])
    return school

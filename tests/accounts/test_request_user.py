"""The user every request reads (``accounts.backends``, ``accounts.sessions``): the same user,
person and second-factor check as the ORM's ``select_related`` query gave, one query each for
the session and the user, and an expired session or an inactive user is nobody."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from elevstod.accounts.backends import UserBackend
from elevstod.accounts.sessions import SessionStore
from elevstod.accounts.verification import DEVICE_OK, expect_device
from elevstod.core.request_cache import _store
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_cache():
    token = _store.set({})
    yield
    _store.reset(token)


def test_the_user_comes_with_their_person_as_select_related_made_them(request_cache):
    user = UserFactory()
    for _ in range(2):  # the first read compiles the statement, the second reuses it
        with CaptureQueriesContext(connection) as queries:
            read = UserBackend().get_user(user.pk)
        assert len(queries) == 1
        assert read is not None
        assert read.pk == user.pk
        assert read._state.db == "default"
        assert not read._state.adding
        assert read.username == user.username
        assert read.person.pk == user.person.pk
        assert read.person.full_name == user.person.full_name
        assert read.person.user is read
        assert read.password == user.password
        assert read.date_joined == user.date_joined
        assert not hasattr(read, DEVICE_OK)
    with CaptureQueriesContext(connection) as queries:
        read.person.user  # noqa: B018 - cached both ways, as the ORM does
    assert len(queries) == 0


def test_a_user_without_a_person_and_an_inactive_user(request_cache):
    alone = UserFactory(person=None)
    read = UserBackend().get_user(alone.pk)
    assert read is not None
    assert read.person is None
    assert UserBackend().get_user(UserFactory(inactive=True).pk) is None
    assert UserBackend().get_user(10**9) is None


def test_the_session_device_is_checked_in_the_same_query(request_cache):
    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    expect_device(device.persistent_id)
    assert getattr(UserBackend().get_user(user.pk), DEVICE_OK) is True
    device.confirmed = False
    device.save()
    with CaptureQueriesContext(connection) as queries:
        read = UserBackend().get_user(user.pk)
    assert len(queries) == 1
    assert getattr(read, DEVICE_OK) is False
    other = TOTPDevice.objects.create(user=UserFactory(), name="app", confirmed=True)
    expect_device(other.persistent_id)
    assert getattr(UserBackend().get_user(user.pk), DEVICE_OK) is False


def test_a_session_is_read_as_the_database_backend_reads_it():
    session = DjangoSessionStore()
    session["who"] = "alice"
    session.save()
    assert SessionStore(session.session_key)["who"] == "alice"
    missing = SessionStore("x" * 32)
    assert missing.get("who") is None
    assert missing.session_key is None
    session.set_expiry(timezone.now() - dt.timedelta(seconds=1))
    session.save()
    assert SessionStore(session.session_key).get("who") is None

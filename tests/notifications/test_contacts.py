"""Where an SMS goes: the phone the user confirmed for login, else the registry's mobile number,
and never a number that is not a mobile phone."""

from __future__ import annotations

import pytest

from elevstod.notifications.contacts import mobile_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _user_with_registry_mobile(number: str):
    return UserFactory(person__mobile=number)


def test_a_registry_mobile_number_is_written_as_the_gateway_expects_it():
    assert mobile_of(_user_with_registry_mobile("070-174 06 05")) == "+46701740605"


def test_a_registry_landline_gets_no_sms():
    assert mobile_of(_user_with_registry_mobile("08-123 456 78")) == ""


def test_a_registry_typing_error_gets_no_sms():
    assert mobile_of(_user_with_registry_mobile("070-ABC")) == ""

"""A mobile number for login codes has one normal form (E.164): one number, one person."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

import pytest

from elevstod.accounts.models import SMSDevice
from elevstod.accounts.phone import mobile_normalise
from elevstod.core.errors import DomainError

SMS = reverse("accounts:sms_enrol")


@pytest.mark.parametrize(
    "typed",
    [
        "070-123 45 67",
        "070 123 45 67",
        "070-1234567",
        "070 - 123 45 67",
        "(070) 123 45 67",
        "070.123.45.67",
        " 0701234567 ",
        "+46701234567",
        "+46 70-123 45 67",
        "+46 (0)70-123 45 67",
        "0046 70 123 45 67",
    ],
)
def test_a_swedish_mobile_number_typed_in_any_common_way_becomes_e164(typed):
    assert mobile_normalise(typed) == "+46701234567"


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("072-345 67 89", "+46723456789"),
        ("073-345 67 89", "+46733456789"),
        ("076-345 67 89", "+46763456789"),
        ("079-345 67 89", "+46793456789"),
    ],
)
def test_every_swedish_mobile_series_is_accepted(typed, e164):
    assert mobile_normalise(typed) == e164


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("+49 151 12345678", "+4915112345678"),  # a German mobile
        ("+358 40 123 4567", "+358401234567"),  # a Finnish mobile
        ("0047 412 34 567", "+4741234567"),  # a Norwegian mobile, typed with 00
    ],
)
def test_a_foreign_mobile_number_with_its_country_code_is_accepted(typed, e164):
    assert mobile_normalise(typed) == e164


@pytest.mark.parametrize(
    "typed",
    [
        "08-123 456 78",  # a Stockholm landline
        "031-123 45 67",  # a Gothenburg landline
        "0771-123 456",  # a shared-cost number
        "020-123 456",  # a freephone number
        "+49 30 1234567",  # a Berlin landline
        "+46 70 123 45 678",  # one digit too many
        "070-123 45 6",  # one digit too few
        "070-123 45 6x",
        "070-ABC DEFG",  # letters are not read as digits
        "070-123 45 67 ext. 5",
        "+999 123 456 789",  # no such country
        "12345",
        "+",
        "",
    ],
)
def test_a_landline_or_anything_else_than_a_mobile_number_is_refused(typed):
    with pytest.raises(DomainError) as refused:
        mobile_normalise(typed)

    assert refused.value.code == "bad_number"
    with translation.override("en"):
        assert str(refused.value.message) == "Enter a mobile number, e.g. 070-123 45 67."
    with translation.override("sv"):
        assert str(refused.value.message) == "Ange ett mobilnummer, t.ex. 070-123 45 67."


@pytest.mark.django_db
def test_a_teacher_typing_a_landline_is_told_to_enter_a_mobile_number(client, school):
    client.force_login(school.teacher)

    answer = client.post(SMS, {"step": "number", "number": "08-123 456 78"})

    assert answer.status_code == 400
    assert "Ange ett mobilnummer, t.ex. 070-123 45 67." in answer.content.decode()
    assert not SMSDevice.objects.filter(user=school.teacher).exists()

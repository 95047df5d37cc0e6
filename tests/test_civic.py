"""Swedish personal identity numbers (personnummer, samordningsnummer): normalised to 12 digits.

19121212-1212 is Skatteverket's well-known test number (Tolvan Tolvansson).
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation

import pytest

from elevstod.core.errors import DomainError
from elevstod.organisation.civic import (
    civic_number_birth_date,
    civic_number_display,
    civic_number_normalize,
    luhn_digit,
)

TODAY = dt.date(2025, 8, 1)


def refusal(raw: str) -> str:
    """The message (in English) of the DomainError that refuses ``raw``."""
    with pytest.raises(DomainError) as error:
        civic_number_normalize(raw, today=TODAY)
    with translation.override("en"):
        return str(error.value.message)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("191212121212", "191212121212"),
        ("19121212-1212", "191212121212"),
        (" 19121212 - 1212 ", "191212121212"),
        ("19121212+1212", "191212121212"),  # with the century given, "+" changes nothing
        ("201503121236", "201503121236"),
    ],
)
def test_twelve_digits_are_kept_as_they_are(raw, expected):
    assert civic_number_normalize(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1212121212", "201212121212"),  # 12 <= 25: this century
        ("121212-1212", "201212121212"),
        ("811218-9876", "198112189876"),  # 81 > 25: the century before
        ("250801-1232", "202508011232"),  # born today
        ("250731-1237", "202507311237"),  # born yesterday
        ("250802-1231", "192508021231"),  # tomorrow: a hundred years ago, less a day
        ("251212-1233", "192512121233"),
        ("250862-1238", "192508621238"),  # samordningsnummer for tomorrow's date
    ],
)
def test_ten_digits_get_the_century_of_the_most_recent_birth_date(raw, expected):
    assert civic_number_normalize(raw, today=TODAY) == expected


def test_a_plus_sign_marks_a_person_a_hundred_years_old_or_more():
    assert civic_number_normalize("121212+1212", today=TODAY) == "191212121212"
    assert civic_number_normalize("121212-1212", today=TODAY) == "201212121212"


def test_the_century_follows_the_day_it_is_normalised():
    assert civic_number_normalize("121212-1212", today=dt.date(2012, 12, 11)) == "191212121212"
    assert civic_number_normalize("121212-1212", today=dt.date(2012, 12, 12)) == "201212121212"


@pytest.mark.parametrize("raw", ["19121212-1213", "121212-1210", "198112189870"])
def test_a_wrong_check_digit_is_refused(raw):
    assert refusal(raw) == "The personal identity number has a wrong check digit."


@pytest.mark.parametrize(
    "raw",
    [
        "19990230-1234",  # 30 February
        "19991302-1235",  # month 13
        "19990100-1231",  # day 0
        "19990290-1231",  # samordningsnummer for 30 February
    ],
)
def test_an_impossible_date_is_refused(raw):
    # the check digits are right: only the date is wrong
    assert luhn_digit(raw[2:8] + raw[9:12]) == int(raw[-1])
    assert refusal(raw) == "The personal identity number has an impossible date."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19121272-1219", "191212721219"),  # day 12 + 60
        ("121272-1219", "201212721219"),
    ],
)
def test_a_samordningsnummer_is_accepted_with_its_day_plus_sixty(raw, expected):
    assert civic_number_normalize(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    "raw", ["", "abc", "12121212", "1912121212120", "19121212_1212", "1912-1212-1212"]
)
def test_anything_else_is_refused_with_the_expected_form(raw):
    assert refusal(raw) == "Write the personal identity number as YYYYMMDD-NNNN."


def test_luhn_digit_of_the_nine_digits():
    assert luhn_digit("121212121") == 2
    assert luhn_digit("811218987") == 6


def test_display_puts_the_hyphen_before_the_last_four_digits():
    assert civic_number_display("191212121212") == "19121212-1212"
    assert civic_number_display(None) == ""


def test_the_refusal_is_worded_in_swedish_by_default():
    with pytest.raises(DomainError) as error:
        civic_number_normalize("19121212-1213", today=TODAY)
    assert str(error.value) == "Personnumret har fel kontrollsiffra."


@pytest.mark.parametrize(
    ("digits", "born"),
    [
        ("191212121212", dt.date(1912, 12, 12)),
        ("201001720000", dt.date(2010, 1, 12)),  # samordningsnummer: the day + 60
        ("201302300000", None),  # no 30 February
        ("", None),
        (None, None),
    ],
)
def test_the_birth_date_is_read_from_the_number(digits, born):
    assert civic_number_birth_date(digits) == born

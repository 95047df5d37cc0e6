"""The last day of the appeal period under lagen (1930:173) om beräkning av lagstadgad tid: a
period ending on a Saturday, Sunday, public holiday, Midsummer Eve, Christmas Eve or New Year's
Eve runs to the next weekday. The expected days are written out from the law, not computed."""

from __future__ import annotations

import datetime as dt

import pytest

from elevstod.support import legal_time
from elevstod.support import workflow as wf

D = dt.date

# The days of lagen (1989:253) om allmänna helgdagar (Sundays aside) and the three eves of
# lagen (1930:173) 2 §, year by year: nyårsdagen, trettondedag jul, långfredagen, annandag påsk,
# första maj, Kristi himmelsfärdsdag, nationaldagen, midsommarafton, midsommardagen, alla helgons
# dag, julafton, juldagen, annandag jul, nyårsafton.
LAW = {
    2026: [D(2026, 1, 1), D(2026, 1, 6), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 1),
           D(2026, 5, 14), D(2026, 6, 6), D(2026, 6, 19), D(2026, 6, 20), D(2026, 10, 31),
           D(2026, 12, 24), D(2026, 12, 25), D(2026, 12, 26), D(2026, 12, 31)],
    2027: [D(2027, 1, 1), D(2027, 1, 6), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 1),
           D(2027, 5, 6), D(2027, 6, 6), D(2027, 6, 25), D(2027, 6, 26), D(2027, 11, 6),
           D(2027, 12, 24), D(2027, 12, 25), D(2027, 12, 26), D(2027, 12, 31)],
    2028: [D(2028, 1, 1), D(2028, 1, 6), D(2028, 4, 14), D(2028, 4, 17), D(2028, 5, 1),
           D(2028, 5, 25), D(2028, 6, 6), D(2028, 6, 23), D(2028, 6, 24), D(2028, 11, 4),
           D(2028, 12, 24), D(2028, 12, 25), D(2028, 12, 26), D(2028, 12, 31)],
    2029: [D(2029, 1, 1), D(2029, 1, 6), D(2029, 3, 30), D(2029, 4, 2), D(2029, 5, 1),
           D(2029, 5, 10), D(2029, 6, 6), D(2029, 6, 22), D(2029, 6, 23), D(2029, 11, 3),
           D(2029, 12, 24), D(2029, 12, 25), D(2029, 12, 26), D(2029, 12, 31)],
    2030: [D(2030, 1, 1), D(2030, 1, 6), D(2030, 4, 19), D(2030, 4, 22), D(2030, 5, 1),
           D(2030, 5, 30), D(2030, 6, 6), D(2030, 6, 21), D(2030, 6, 22), D(2030, 11, 2),
           D(2030, 12, 24), D(2030, 12, 25), D(2030, 12, 26), D(2030, 12, 31)],
}  # fmt: skip


@pytest.mark.parametrize("year", sorted(LAW))
def test_a_deadline_moves_on_exactly_the_weekends_holidays_and_eves_of_the_law(year):
    day = D(year, 1, 1)
    while day.year == year:
        expected = day.weekday() >= 5 or day in LAW[year]
        assert legal_time.moves_a_deadline(day) == expected, day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("notified", "last_day"),
    [
        (D(2027, 3, 5), D(2027, 3, 30)),  # långfredag, the weekend, annandag påsk
        (D(2028, 3, 24), D(2028, 4, 18)),  # långfredag 14 April .. annandag påsk
        (D(2030, 3, 29), D(2030, 4, 23)),  # långfredag 19 April .. annandag påsk
        (D(2029, 3, 12), D(2029, 4, 3)),  # annandag påsk, a Monday
        (D(2028, 5, 4), D(2028, 5, 26)),  # Kristi himmelsfärdsdag, a Thursday
        (D(2026, 5, 29), D(2026, 6, 22)),  # midsommarafton, then the weekend
        (D(2029, 6, 1), D(2029, 6, 25)),  # midsommarafton 22 June
        (D(2030, 5, 31), D(2030, 6, 24)),  # midsommarafton 21 June
        (D(2027, 12, 3), D(2027, 12, 27)),  # julafton on a Friday, juldagen on Saturday
        (D(2029, 12, 3), D(2029, 12, 27)),  # julafton, juldagen, annandag jul from Monday
        (D(2030, 12, 3), D(2030, 12, 27)),  # julafton, juldagen, annandag jul from Tuesday
        (D(2026, 12, 10), D(2027, 1, 4)),  # nyårsafton, nyårsdagen, the weekend: next year
        (D(2029, 12, 10), D(2030, 1, 2)),  # nyårsafton on a Monday, nyårsdagen
        (D(2030, 12, 10), D(2031, 1, 2)),  # nyårsafton on a Tuesday, nyårsdagen
        (D(2028, 5, 16), D(2028, 6, 7)),  # nationaldagen, a Tuesday
        (D(2029, 5, 16), D(2029, 6, 7)),  # nationaldagen, a Wednesday
        (D(2030, 5, 16), D(2030, 6, 7)),  # nationaldagen, a Thursday
        (D(2027, 12, 16), D(2028, 1, 7)),  # trettondedag jul, a Thursday
        (D(2029, 4, 10), D(2029, 5, 2)),  # första maj, a Tuesday
    ],
)
def test_an_appeal_period_ending_on_a_holiday_or_eve_in_2026_to_2030_runs_to_the_next_weekday(
    notified, last_day
):
    assert wf.appeal_last_day(notified) == last_day
    assert wf.appeal_in_time(notified_on=notified, received_on=last_day)
    assert not wf.appeal_in_time(notified_on=notified, received_on=last_day + dt.timedelta(days=1))


@pytest.mark.parametrize(
    "notified",
    [
        D(2030, 3, 28),  # skärtorsdagen 18 April
        D(2029, 4, 9),  # valborgsmässoafton 30 April
        D(2027, 12, 15),  # trettondagsafton 5 January
        D(2026, 12, 2),  # 23 December
        D(2027, 10, 15),  # allhelgonaafton 5 November
        D(2026, 10, 16),  # Gustav Adolfsdagen 6 November, a flag day
    ],
)
def test_an_eve_the_law_does_not_name_is_an_ordinary_last_day(notified):
    last_day = notified + dt.timedelta(weeks=3)
    assert last_day.weekday() < 5

    assert wf.appeal_last_day(notified) == last_day
    assert not wf.appeal_in_time(notified_on=notified, received_on=last_day + dt.timedelta(days=1))


def test_a_year_the_holiday_calendar_does_not_cover_is_refused_not_guessed():
    with pytest.raises(ValueError, match="2101"):
        legal_time.days_that_move_a_deadline(2101)

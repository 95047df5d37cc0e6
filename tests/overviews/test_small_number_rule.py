"""The small-number rule itself: no figure the organiser sees lets a count of 1 to 4 be read
off, directly or by subtracting the shown cells from a total."""

from __future__ import annotations

import itertools

import pytest

from elevstod.overviews.privacy import count_cell, figure_cell, total_cell


@pytest.mark.parametrize(("n", "text"), [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (37, "37")])
def test_a_count_under_five_is_shown_as_such(n, text):
    assert count_cell(n, protect=True).text == text


def test_the_units_own_leaders_see_exact_counts():
    assert count_cell(3, protect=False).text == "3"
    assert total_cell([3, 10], protect=False).text == "13"


def test_a_total_never_gives_a_hidden_cell_away_by_subtraction():
    for cells in itertools.product([0, 1, 2, 4, 5, 9], repeat=3):
        total = total_cell(list(cells), protect=True)
        shown = sum(c for c in cells if c == 0 or c >= 5)
        if any(0 < c < 5 for c in cells):
            # What the viewer can work out is only what the shown cells already say.
            assert total.lower_bound
            assert total.value in (None, shown)
        else:
            assert total.text == str(sum(cells))


def test_a_total_over_hidden_cells_only_is_not_shown():
    total = total_cell([2, 3], protect=True)
    assert total.value is None
    assert "5" not in total.text


def test_a_median_over_fewer_than_five_cases_is_not_shown():
    assert figure_cell(12.0, 4, protect=True).text == "–"
    assert figure_cell(12.0, 5, protect=True).text == "12"
    assert figure_cell(12.5, 1, protect=False).text == "12.5"

"""A page of a long list, read in one query: the page's rows with the list's length beside
them (``COUNT(*) OVER ()``), where Django's paginator counts in a query of its own; and the
links of the page's rows, reversed once for the page instead of once a row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.urls import reverse
from django.utils.functional import cached_property

TOTAL = "paging_total"


class _Counted(Paginator[Any]):
    """A paginator whose count is known already (read with the page's rows)."""

    def __init__(self, rows: Any, per_page: int, total: int) -> None:
        super().__init__(rows, per_page)
        self.total = total

    @cached_property
    def count(self) -> int:
        return self.total


def counted_page(rows: QuerySet[Any], number: Any, per_page: int) -> Page[Any]:
    """``Paginator(rows, per_page).get_page(number)`` (an ordered query of ``values()``) in one
    query. A number before the first page or past the last is Django's paginator's to answer,
    as before: it shows the last page."""
    return counted_page_read(
        lambda start, stop: list(page_rows(rows, start, stop)), lambda: rows, number, per_page
    )


def counted_page_read(
    read: Callable[[int, int], list[Any]],
    rows: Callable[[], QuerySet[Any]],
    number: Any,
    per_page: int,
) -> Page[Any]:
    """``counted_page`` for a caller that reads the rows of a page itself (``read(start,
    stop)``: ``page_rows`` of its query, e.g. through a statement compiled once); ``rows()``
    builds the query only for the paginator's answers."""
    try:
        wanted = _number(number)
    except (TypeError, ValueError):
        wanted = 1  # not a number: the first page, as ``get_page`` shows
    if wanted >= 1:
        start = (wanted - 1) * per_page
        found = read(start, start + per_page)
        if found or wanted == 1:
            total = found[0][TOTAL] if found else 0
            return Page(found, wanted, _Counted(None, per_page, total))
    return Paginator(rows(), per_page).get_page(number)


def page_rows(rows: QuerySet[Any], start: int, stop: int) -> QuerySet[Any]:
    """The rows ``start:stop`` of ``rows``, each with the list's length (``TOTAL``)."""
    page: QuerySet[Any] = rows.annotate(**{TOTAL: Window(Count("*"))})[start:stop]
    return page


def _number(number: Any) -> int:
    if isinstance(number, float) and not number.is_integer():
        raise ValueError(number)
    return int(number)


def id_url(viewname: str) -> Callable[[int], str]:
    """``reverse(viewname, args=[pk])`` for the rows of a page: the URL reversed once, each
    row's id put in its place (a URL whose one argument is an integer id)."""
    marker = 9_876_543_210
    head, tail = reverse(viewname, args=[marker]).split(str(marker))
    return lambda pk: f"{head}{pk}{tail}"

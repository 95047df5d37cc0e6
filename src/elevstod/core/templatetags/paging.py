"""Links between the pages of a list that keep the list's filters (``?grupp=…&sida=2``)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

PAGE_PARAMETER = "sida"


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], number: int, parameter: str | None = None) -> str:
    """The current query string with the page number set to ``number`` (in ``parameter``, for
    a page with two paged lists; ``sida`` by default)."""
    name = parameter or PAGE_PARAMETER
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return f"?{name}={number}"
    query[name] = str(number)
    return "?" + str(query.urlencode())

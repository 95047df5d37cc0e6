"""Links between the pages of a list that keep the list's filters (``?grupp=…&sida=2``)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

PAGE_PARAMETER = "sida"


@register.simple_tag(takes_context=True)
def page_query(context: dict[str, Any], number: int) -> str:
    """The current query string with the page number set to ``number``."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return f"?{PAGE_PARAMETER}={number}"
    query[PAGE_PARAMETER] = str(number)
    return "?" + str(query.urlencode())

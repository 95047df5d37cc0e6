from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def mark_for(marks: dict[int, Any], pk: int) -> Any:
    """The support mark of one pupil (None when the pupil has none, or it is not shown)."""
    return marks.get(pk)

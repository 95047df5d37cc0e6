from __future__ import annotations

from django import template

from elevstod.imports.labels import COUNTS, KINDS

register = template.Library()


@register.filter
def kind_label(key: str) -> str:
    return str(KINDS.get(key, key))


@register.filter
def count_label(key: str) -> str:
    return str(COUNTS.get(key, key))

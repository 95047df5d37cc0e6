"""Template filters of the talk and plan pages."""

from __future__ import annotations

from django import template

from ..terms import term_label

register = template.Library()


@register.filter(name="term")
def term_filter(code: str) -> str:
    """``2026-2HT`` as "Autumn 2026", in the reader's language."""
    return term_label(code)

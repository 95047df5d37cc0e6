"""Template filters of the talk and plan pages."""

from __future__ import annotations

from django import template

from ..models import DevelopmentTalk, TalkSlot
from ..terms import term_label
from ..times import slot_label, span_label

register = template.Library()


@register.filter(name="term")
def term_filter(code: str) -> str:
    """``2026-2HT`` as "Autumn 2026", in the reader's language."""
    return term_label(code)


@register.filter(name="slot")
def slot_filter(slot: TalkSlot) -> str:
    """An offered time as "måndag 14 december 14:40–15:00, Sal 12"."""
    return slot_label(slot)


@register.filter(name="span")
def span_filter(item: DevelopmentTalk | TalkSlot) -> str:
    """When a talk or an offered time is, in words, with the year and without the place."""
    return span_label(item.starts_at, item.duration_minutes)

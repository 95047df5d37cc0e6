from django import template

from ..labels import label

register = template.Library()


@register.filter(name="label")
def label_filter(value: str) -> str:
    return label(value)

from django import template

from ..history import field_label
from ..labels import label

register = template.Library()


@register.filter(name="label")
def label_filter(value: str, kind: str) -> str:
    """``{{ p.state|label:"programme" }}``: the kind is required, values of two kinds may
    be spelt alike."""
    return label(kind, value)


@register.filter(name="adaptation_field")
def adaptation_field(name: str) -> str:
    """The readable name of a field in an adaptation's change history."""
    return field_label(name)

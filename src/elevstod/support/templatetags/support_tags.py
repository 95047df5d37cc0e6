from django import template

from ..history import field_label
from ..labels import decision_in_a_sentence, label

register = template.Library()


@register.filter(name="label")
def label_filter(value: str, kind: str) -> str:
    """``{{ p.state|label:"programme" }}``: the kind is required, values of two kinds may
    be spelt alike."""
    return label(kind, value)


@register.filter(name="decision_in_a_sentence")
def decision_in_a_sentence_filter(kind: str) -> str:
    """``{{ d.kind|decision_in_a_sentence }}``: "the decision on an action programme"."""
    return decision_in_a_sentence(kind)


@register.filter(name="adaptation_field")
def adaptation_field(name: str) -> str:
    """The readable name of a field in an adaptation's change history."""
    return field_label(name)

from django import template
from django.core.exceptions import FieldDoesNotExist

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
    from ..models import ExtraAdaptation

    aliases = {"subject_ids": "subjects", "responsible_id": "responsible"}
    field_name = aliases.get(name, name)
    try:
        field = ExtraAdaptation._meta.get_field(field_name)
    except FieldDoesNotExist:  # an unknown key is shown as it is
        return name
    return str(getattr(field, "verbose_name", name))

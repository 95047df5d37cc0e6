"""An extra adaptation's history as people read it: for each version the fields that changed,
the old and the new value side by side; the first version shows what was written.

Versions store raw values (``AdaptationVersion.changes``: field, old, new); subjects and people
are stored by id and named here, with one query each for the whole history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.translation import gettext as _

from elevstod.organisation.models import Person, Subject

from .models import AdaptationVersion, ExtraAdaptation

ALIASES = {"subject_ids": "subjects", "responsible_id": "responsible"}
# Fields a new adaptation always starts with (active, no end date): not news in version 1.
NOT_WRITTEN = frozenset({"status", "end_date"})
EMPTY = "–"


def field_label(name: str) -> str:
    """The readable name of a field in the history; an unknown key is shown as it is."""
    try:
        field = ExtraAdaptation._meta.get_field(ALIASES.get(name, name))
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class VersionView:
    version: AdaptationVersion
    is_first: bool
    changes: list[FieldChange]


@dataclass(frozen=True)
class _Names:
    subjects: dict[int, str]
    people: dict[int, str]


def _names(versions: Sequence[AdaptationVersion]) -> _Names:
    subject_ids: set[int] = set()
    person_ids: set[int] = set()
    for v in versions:
        for value in v.changes.get("subject_ids") or ():
            subject_ids.update(value or ())
        person_ids.update(value for value in v.changes.get("responsible_id") or () if value)
    subjects = dict(Subject.objects.filter(pk__in=subject_ids).values_list("pk", "name"))
    people = {p.pk: p.full_name for p in Person.objects.filter(pk__in=person_ids)}
    return _Names(subjects, people)


def _shown(field: str, value: Any, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field == "subject_ids":
        return ", ".join(names.subjects.get(pk, str(pk)) for pk in value)
    if field == "responsible_id":
        return names.people.get(value, str(value))
    if field == "status":
        return str(dict(ExtraAdaptation.Status.choices).get(value, value))
    if field in {"start_date", "next_follow_up", "end_date"}:
        try:
            return formats.date_format(dt.date.fromisoformat(value), "Y-m-d")
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def _changes(v: AdaptationVersion, first: bool, names: _Names) -> list[FieldChange]:
    out = []
    for field, pair in v.changes.items():
        old, new = (*pair, None, None)[:2] if isinstance(pair, list) else (None, pair)
        if first and (field in NOT_WRITTEN or new in (None, "", [], False)):
            continue
        out.append(
            FieldChange(
                field, field_label(field), _shown(field, old, names), _shown(field, new, names)
            )
        )
    return out


def version_views(versions: Sequence[AdaptationVersion]) -> list[VersionView]:
    """The versions, newest first as given, each with its changes in words."""
    names = _names(versions)
    return [VersionView(v, v.version == 1, _changes(v, v.version == 1, names)) for v in versions]

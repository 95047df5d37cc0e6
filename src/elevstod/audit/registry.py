"""What the apps contribute to the audit app's records management: their sections of the register
extract and their kinds of disposable records. The owning app declares them (in a module its
``AppConfig.ready()`` imports); ``extract.py`` and ``disposal.py`` only iterate over them, so the
audit app never imports the models of the apps above it."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ExtractSection:
    """One section of a pupil's register extract (GDPR art. 15).

    ``rows(pupil)`` returns the section's content (JSON-ready: a list of rows, or a mapping for
    the pupil's own record); sections appear by ``order``. ``models`` are the models whose rows
    it holds, so a test can check that every model holding pupil data is in the extract."""

    name: str
    order: int
    rows: Callable[[Any], Any]
    models: tuple[type[models.Model], ...] = ()


@dataclass(frozen=True)
class DisposableKind:
    """A kind of record disposed of by the organiser's retention rule (``RetentionRule.kind``).

    ``candidates(organiser, cutoff)``: the records the rule lets go (their rows have a
    ``pupil_id``); ``remove(ids)``: deletes those records and what hangs on them, returning the
    count per part, as the trace of the disposal keeps it. ``models``: what ``remove`` deletes."""

    kind: str
    default_keep_years: int | None
    candidates: Callable[[Any, dt.date], models.QuerySet[Any]]
    remove: Callable[[list[int]], dict[str, int]]
    models: tuple[type[models.Model], ...] = ()
    label: Any = ""  # what the disposal page calls the records (a lazy text)


EXTRACT_SECTIONS: dict[str, ExtractSection] = {}
DISPOSABLE_KINDS: dict[str, DisposableKind] = {}


def register_extract_section(section: ExtractSection) -> None:
    if section.name in EXTRACT_SECTIONS:
        raise ValueError(f"extract section {section.name!r} is registered twice")
    EXTRACT_SECTIONS[section.name] = section


def validate_disposable_kind(value: str) -> None:
    """A retention rule or disposal run names a kind some app declared."""
    if value not in DISPOSABLE_KINDS:
        raise ValidationError(
            _("%(kind)s is no kind of disposable records."), params={"kind": value}, code="invalid"
        )


def disposable_kinds() -> list[DisposableKind]:
    """The declared kinds, in a stable order (the disposal page lists them)."""
    return [DISPOSABLE_KINDS[k] for k in sorted(DISPOSABLE_KINDS)]


def register_disposable_kind(kind: DisposableKind) -> None:
    if kind.kind in DISPOSABLE_KINDS:
        raise ValueError(f"disposable kind {kind.kind!r} is registered twice")
    DISPOSABLE_KINDS[kind.kind] = kind


def extract_sections() -> list[ExtractSection]:
    return sorted(EXTRACT_SECTIONS.values(), key=lambda section: section.order)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(v.pk if isinstance(v, models.Model) else v) for v in value]
    return value


def rows_of(qs: Iterable[models.Model]) -> list[dict[str, Any]]:
    """Rows as plain data for the extract: every field, the id and the time stamps."""
    out = []
    for obj in qs:
        row = {k: _plain(v) for k, v in model_to_dict(obj).items()}
        row["id"] = obj.pk
        for name in ("created_at", "occurred_at", "changed_at", "decided_at", "recorded_at"):
            if hasattr(obj, name):
                row[name] = _plain(getattr(obj, name))
        out.append(row)
    return out

"""What the codes in the logs mean, in words: access-log purposes (what was read), audit event
codes (what was changed) and access reasons (why it was allowed).

The app that owns a code declares its label: a module ``audit_labels.py`` in the app with up to
three dicts, ``PURPOSES``, ``EVENTS`` and ``REASONS`` (code: translated label). This module
collects them from the installed apps, so the audit app never imports the apps above it. A code
nobody declares (a legacy row, a code since renamed) is shown as it is.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

MODULE = "audit_labels"

# The audit app's own codes.
PURPOSES: dict[str, Promise] = {
    "audit.log.searched": _("Searched the log of who has seen what"),
    "audit.chain.verified": _("Checked that the log is intact"),
    "audit.register_extract": _("Read the pupil's register extract"),
}
EVENTS: dict[str, Promise] = {
    "audit.retention_rule.set": _("Set how long records are kept"),
    "audit.disposal.previewed": _("Made a dry run of a disposal"),
    "audit.disposal.performed": _("Carried out a disposal"),
}
REASONS: dict[str, Promise] = {}  # its one reason is the access layer's (organisation)


@dataclass(frozen=True)
class Registry:
    purposes: dict[str, Promise]
    events: dict[str, Promise]
    reasons: dict[str, Promise]


@functools.cache
def registry() -> Registry:
    """Every declared label, read once from the installed apps."""
    found = Registry(dict(PURPOSES), dict(EVENTS), dict(REASONS))
    for config in apps.get_app_configs():
        if config.name == __package__ or not module_has_submodule(config.module, MODULE):
            continue
        module = import_module(f"{config.name}.{MODULE}")
        found.purposes.update(getattr(module, "PURPOSES", {}))
        found.events.update(getattr(module, "EVENTS", {}))
        found.reasons.update(getattr(module, "REASONS", {}))
    return found


def purpose_label(code: str) -> str:
    return str(registry().purposes.get(code, code))


def event_label(code: str) -> str:
    return str(registry().events.get(code, code))


def reasons_label(reasons: str) -> str:
    """The reasons of an access-log row (comma-separated codes) in words."""
    known = registry().reasons
    return ", ".join(str(known.get(code, code)) for code in reasons.split(",") if code)

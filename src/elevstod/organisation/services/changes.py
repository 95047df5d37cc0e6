"""Changes brought by a synchronisation with the school's information system (SS 12000). The
audit events name the fields that changed, never their values."""

from __future__ import annotations


def changed(obj: object, changes: dict[str, object]) -> list[str]:
    """Set the values that differ on ``obj``; returns the names of those fields, sorted."""
    names = [name for name, value in changes.items() if getattr(obj, name) != value]
    for name in names:
        setattr(obj, name, changes[name])
    return sorted(names)

"""What others want to know about a synchronisation, declared by them (the owner declares):
an app above registers a function here from its ``registrations.py``; this app never imports it.

``placements_ended``: the placements a run ended (pupils who left a unit), after the run's
transactions are committed; the support app asks the principal to close a running programme.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

PlacementsEnded = Callable[[list[int]], object]

_placements_ended: list[PlacementsEnded] = []


def on_placements_ended(hook: PlacementsEnded) -> PlacementsEnded:
    if hook not in _placements_ended:
        _placements_ended.append(hook)
    return hook


def placements_ended(placement_ids: Iterable[int]) -> None:
    ids = sorted(set(placement_ids))
    for hook in list(_placements_ended):
        hook(ids)

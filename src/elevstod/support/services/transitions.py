"""Moving a workflow entity from one state to the next, only as ``workflow.py`` allows, with a
compare-and-set so that of two concurrent attempts exactly one succeeds."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.core.errors import DomainError

from .. import workflow as wf
from ..steps import may_take, refusal


class StepRefused(DomainError):
    def __init__(self, message: Any = None) -> None:
        super().__init__(
            message or _("This step is not possible now: the case has moved on. Reload the page."),
            code="transition_refused",
        )


def advance(
    obj: models.Model,
    entity: wf.Entity,
    name: str,
    *,
    actor: User,
    expected_version: int | None = None,
    **changes: Any,
) -> wf.Transition:
    """Claim the transition ``name`` for ``obj``: check the table (the state, and that
    ``actor`` is one of the actors it names), then update the row only if it is still in a
    source state (and at ``expected_version``, when given). Updates ``obj``."""
    state = getattr(obj, "state")  # noqa: B009
    try:
        t = wf.check(entity, name, state)
    except wf.TransitionRefused:
        raise StepRefused() from None
    if not may_take(actor, obj, t):
        raise refusal(actor, obj, t)
    target = wf.target_state(t, state)
    rows = type(obj)._default_manager.filter(pk=obj.pk, state__in=list(t.sources))
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    changes.setdefault("updated_at", timezone.now())
    updated = rows.update(state=target, version=F("version") + 1, **changes)
    if updated != 1:
        raise StepRefused()
    obj.refresh_from_db()
    return t


def require_actor(obj: models.Model, entity: wf.Entity, name: str, *, actor: User) -> wf.Transition:
    """Refuse (with ``steps.refusal``) unless ``actor`` is one of the actors the table names for
    ``name`` on ``obj``; the state is checked when the step is taken (``advance``). For the
    services that check their input first and must not tell an outsider what was wrong with it."""
    t = wf.transition(entity, name)
    if not may_take(actor, obj, t):
        raise refusal(actor, obj, t)
    return t


def require_new(obj: models.Model, entity: wf.Entity, name: str, *, actor: User) -> wf.Transition:
    """The transition that creates ``obj`` (not yet written), if the table has it as one and
    names ``actor`` among its actors: the creating counterpart of ``advance``."""
    try:
        t = wf.check(entity, name, None)
    except wf.TransitionRefused:
        raise StepRefused() from None
    if not may_take(actor, obj, t):
        raise refusal(actor, obj, t)
    return t

"""Access to a school unit's and a group's pages, and the units an analyst or a unit's staff
may list: from the acting user's scope (``scope``). Re-exported by ``access``."""

from __future__ import annotations

from django.db.models import QuerySet

from elevstod.core.actors import AnyUser
from elevstod.core.errors import AccessDenied

from .models import Group, SchoolUnit
from .scope import scope_for


def units_visible_to(user: AnyUser) -> QuerySet[SchoolUnit]:
    """Units whose pages the user may open: those where they hold a duty today."""
    scope = scope_for(user)
    return SchoolUnit.objects.filter(pk__in=scope.staff_units)


def access_unit(*, actor: AnyUser, pk: int) -> SchoolUnit:
    unit = units_visible_to(actor).filter(pk=pk).select_related("organiser").first()
    if unit is None:
        raise AccessDenied()
    return unit


def access_group(*, actor: AnyUser, pk: int) -> Group:
    group = (
        Group.objects.filter(pk=pk, unit__in=units_visible_to(actor))
        .select_related("unit", "subject")
        .first()
    )
    if group is None:
        raise AccessDenied()
    return group


def organisers_for_analyst(user: AnyUser) -> frozenset[int]:
    return scope_for(user).analyst_organisers


def may_see_unit_pupil_lists(user: AnyUser, unit: SchoolUnit) -> bool:
    scope = scope_for(user)
    return unit.pk in (scope.principal_units | scope.health_units | scope.admin_units)

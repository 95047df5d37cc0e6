"""On what authority a decision is taken (the principal's own, or a grant of the unit's
delegation order), and the refusals the services give when the table's actors refuse a step
(``steps.refusal``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from elevstod.core.actors import AnyUser
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.organisation.models import SchoolUnit

from . import workflow as wf
from .access import is_principal_of, may_see_investigation
from .models import DelegationGrant, Investigation

FORM_LABELS = {
    wf.SupportForm.SPECIAL_GROUP: _("special teaching group"),
    wf.SupportForm.INDIVIDUAL: _("individual tuition"),
    wf.SupportForm.DISTANCE: _("distance tuition"),
    wf.SupportForm.ADJUSTED_STUDY_PLAN: _("adjusted study plan"),
}


@dataclass(frozen=True)
class Basis:
    """On what authority the actor acts: their own (principal) or a delegation."""

    delegation: DelegationGrant | None = None


def active_delegations(unit: SchoolUnit) -> QuerySet[DelegationGrant]:
    day = today()
    return DelegationGrant.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        unit=unit,
        revoked_at__isnull=True,
        valid_from__lte=day,
    )


def delegation_for(
    actor: AnyUser, unit: SchoolUnit, kind: wf.DecisionKind
) -> DelegationGrant | None:
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return None
    return active_delegations(unit).filter(delegate_id=person_id, kind=kind).first()


def decider_basis(actor: AnyUser, unit: SchoolUnit, kind: wf.DecisionKind) -> Basis:
    """On what authority ``actor`` takes a decision of ``kind`` at ``unit``: the principal's own,
    else the delegation grant of the unit's delegation order that they decide under. Who may
    decide at all is the table's (``steps.may_take``, through ``transitions.advance``); this
    only names the basis the decision records."""
    if is_principal_of(actor, unit):
        return Basis()
    return Basis(delegation_for(actor, unit, kind))


def require_principal(actor: AnyUser, unit: SchoolUnit) -> None:
    """Refuse unless the actor is the principal of ``unit`` (``access.is_principal_of``)."""
    if not is_principal_of(actor, unit):
        raise not_the_principal(unit)


def not_the_principal(unit: SchoolUnit) -> DomainError:
    return DomainError(
        _("Only the principal of %(unit)s may do this.") % {"unit": unit.name}, code="forbidden"
    )


def require_investigator(actor: AnyUser, investigation: Investigation) -> None:
    if not may_see_investigation(actor, investigation):
        raise DomainError(_("You do not take part in this investigation."), code="forbidden")

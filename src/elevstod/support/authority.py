"""Who may take a transition of the workflow, for one pupil at one unit: the ``Actor`` kinds of
``workflow.py`` resolved against duties, the delegation order and the access layer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from elevstod.core.actors import AnyUser
from elevstod.core.errors import DomainError
from elevstod.core.timeutil import today
from elevstod.organisation.access import scope_for
from elevstod.organisation.models import SchoolUnit

from . import workflow as wf
from .access import may_see_investigation, require_support_staff
from .models import ActionProgramme, DelegationGrant, Investigation

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


def is_principal(actor: AnyUser, unit: SchoolUnit) -> bool:
    return unit.pk in scope_for(actor).principal_units


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


def decider_basis(
    actor: AnyUser, unit: SchoolUnit, kind: wf.DecisionKind, forms: Iterable[str] = ()
) -> Basis:
    """The principal decides on their own authority; anyone else only under the unit's
    delegation order, and never on the support forms that the law reserves to the principal."""
    if is_principal(actor, unit):
        return Basis()
    law = wf.non_delegable_law(set(forms))
    if law is not None:
        form = next(f for f in forms if f in wf.NON_DELEGABLE_FORMS)
        raise DomainError(
            _("A decision on %(form)s cannot be delegated (%(law)s): only the principal decides.")
            % {"form": FORM_LABELS[wf.SupportForm(form)], "law": law},
            code="non_delegable",
        )
    rule = wf.DECISIONS[kind]
    if not rule.delegable:
        raise DomainError(
            _("Only the principal takes this decision (%(law)s): it cannot be delegated.")
            % {"law": rule.law},
            code="non_delegable",
        )
    grant = delegation_for(actor, unit, kind)
    if grant is None:
        raise DomainError(
            _(
                "You have no delegation to take this decision. The principal decides, or gives "
                "you the right in the unit's delegation order."
            ),
            code="forbidden",
        )
    return Basis(grant)


def require_principal(actor: AnyUser, unit: SchoolUnit) -> None:
    if not is_principal(actor, unit):
        raise DomainError(
            _("Only the principal of %(unit)s may do this.") % {"unit": unit.name}, code="forbidden"
        )


def require_investigator(actor: AnyUser, investigation: Investigation) -> None:
    if not may_see_investigation(actor, investigation):
        raise DomainError(_("You do not take part in this investigation."), code="forbidden")


def is_responsible(actor: AnyUser, programme: ActionProgramme) -> bool:
    person_id = getattr(actor, "person_id", None)
    if person_id is None:
        return False
    if person_id in (programme.follow_up_responsible_id, programme.evaluation_responsible_id):
        return True
    return programme.measures.filter(responsible_id=person_id).exists()


def require_responsible_or_decider(actor: AnyUser, programme: ActionProgramme) -> None:
    require_support_staff(actor, programme.pupil)
    if is_responsible(actor, programme) or is_principal(actor, programme.unit):
        return
    if delegation_for(actor, programme.unit, wf.DecisionKind.PROGRAMME) is not None:
        return
    raise DomainError(
        _("Only the people responsible for the programme may do this."), code="forbidden"
    )

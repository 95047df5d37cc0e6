"""The unit's delegation order (delegationsordning), kept by the principal."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.audit.services import audit_record
from elevstod.core.errors import DomainError
from elevstod.organisation.models import Duty, Person, SchoolUnit

from .. import workflow as wf
from ..access import may_edit_delegation_order
from ..authority import not_the_principal
from ..errors import FieldError
from ..models import DelegationGrant
from .submissions import submission_claim, submission_done


def _require_editor(actor: User, unit: SchoolUnit) -> None:
    """Refuse unless the actor writes the unit's delegation order (``steps.unit_steps``)."""
    if not may_edit_delegation_order(actor, unit):
        raise not_the_principal(unit)


@transaction.atomic
def delegation_grant(
    *,
    actor: User,
    unit: SchoolUnit,
    delegate: Person,
    kind: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    token: str = "",
) -> DelegationGrant:
    earlier = submission_claim(actor=actor, token=token, model=DelegationGrant)
    if earlier is not None:
        return earlier
    _require_editor(actor, unit)
    if (
        kind not in wf.DecisionKind.__members__.values()
        or not wf.DECISIONS[wf.DecisionKind(kind)].delegable
    ):
        raise FieldError("kind", _("That decision cannot be delegated."))
    if not Duty.objects.active().filter(person=delegate, unit=unit).exists():
        raise FieldError("delegate", _("Only staff of the unit can be given a delegation."))
    if valid_until is not None and valid_until < valid_from:
        raise FieldError("valid_until", _("The end cannot be before the start."))
    grant = DelegationGrant.objects.create(
        unit=unit,
        delegate=delegate,
        kind=kind,
        valid_from=valid_from,
        valid_until=valid_until,
        granted_by=actor,
    )
    audit_record(
        code="support.delegation.granted",
        actor=actor,
        obj=grant,
        unit_id=unit.pk,
        data={"delegate_id": delegate.pk, "kind": kind},
    )
    submission_done(actor=actor, token=token, result=grant)
    return grant


@transaction.atomic
def delegation_revoke(*, actor: User, grant: DelegationGrant) -> DelegationGrant:
    _require_editor(actor, grant.unit)
    if grant.revoked_at is not None:
        raise DomainError(_("The delegation is already revoked."))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        code="support.delegation.revoked",
        actor=actor,
        obj=grant,
        unit_id=grant.unit_id,
        data={"delegate_id": grant.delegate_id, "kind": grant.kind},
    )
    return grant

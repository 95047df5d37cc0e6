"""What the services share: who acts, and the pupil's current placement."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.organisation.access import pupil_grant
from elevstod.organisation.models import Person, Placement

from ..access import TalkGrant, talk_reasons

NOT_ALLOWED = _("You may not do this for this pupil.")


def grant_for(actor: User, pupil: Person) -> TalkGrant:
    """The actor's standing towards the pupil's talks (a service refuses with ``forbidden``)."""
    reasons = talk_reasons(actor, pupil_grant(actor, pupil))
    if not reasons:
        raise DomainError(NOT_ALLOWED, code="forbidden")
    return TalkGrant(pupil, reasons)


def mentor_grant(actor: User, pupil: Person) -> TalkGrant:
    grant = grant_for(actor, pupil)
    if not grant.is_mentor:
        raise DomainError(_("Only the pupil's mentor may do this."), code="forbidden")
    return grant


def acting_person(actor: User) -> Person:
    if actor.person is None:
        raise AccessDenied()
    return actor.person


def current_placement(pupil: Person) -> Placement:
    placement = (
        Placement.objects.active()
        .filter(pupil=pupil)
        .select_related("unit")
        .order_by("-start_date")
        .first()
    )
    if placement is None:
        raise DomainError(_("The pupil has no current placement at a school unit."))
    return placement

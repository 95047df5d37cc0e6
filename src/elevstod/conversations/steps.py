"""Which steps the reader of a plan may take on it now, asked once by the page (templates never
combine states and roles themselves). The services refuse the same steps on the same rules:
an earlier term's plan is history (``services.plans``), and the snapshot needs the support
module (``access.sees_adaptations``)."""

from __future__ import annotations

from dataclasses import dataclass

from elevstod.core.actors import AnyUser

from .access import TalkGrant, sees_adaptations
from .models import DevelopmentPlan
from .terms import is_earlier_term


@dataclass(frozen=True)
class PlanSteps:
    may_write: bool  # the mentor, in the plan's own term: draft it, or start a new version
    may_snapshot: bool  # ... and, where the pupil's adaptations are kept, take their picture
    links_adaptations: bool  # staff who work with the pupil's adaptations (the module)
    is_history: bool  # a plan of an earlier term
    open_for_subjects: bool  # teachers may write their subjects' parts (a draft of this term)


def plan_steps(*, actor: AnyUser, plan: DevelopmentPlan, grant: TalkGrant) -> PlanSteps:
    history = is_earlier_term(plan.term)
    module = grant.is_staff and sees_adaptations(actor, grant.pupil)
    write = grant.is_mentor and not history
    return PlanSteps(
        may_write=write,
        may_snapshot=write and module and not plan.is_fixed,
        links_adaptations=module,
        is_history=history,
        open_for_subjects=grant.is_staff and not history and not plan.is_fixed,
    )

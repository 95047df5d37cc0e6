"""The decisions of special support and their rules in law: which decisions exist, which can be
appealed and under which paragraph, which forms of support only the principal may decide on,
and from which age the pupil is a party. Plain Python, no database; part of the table of
``workflow.py``, which names them to the services."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DecisionKind(StrEnum):
    NO_PROGRAMME = "NO_PROGRAMME"
    PROGRAMME = "PROGRAMME"
    CLOSE_PROGRAMME = "CLOSE_PROGRAMME"
    APPEAL_DISMISSED = "APPEAL_DISMISSED"
    SPECIAL_GROUP = "SPECIAL_GROUP"  # placement in a special teaching group, 3 kap. 11 §
    INDIVIDUAL_TUITION = "INDIVIDUAL_TUITION"  # individual tuition, 3 kap. 11 §
    ADJUSTED_STUDY_PLAN = "ADJUSTED_STUDY_PLAN"  # adjusted study plan, 3 kap. 12 §
    NO_SPECIAL_GROUP = "NO_SPECIAL_GROUP"  # not to place in a special teaching group


class SupportForm(StrEnum):
    """The form a measure of an action programme takes."""

    ORDINARY = "ORDINARY"  # within the pupil's ordinary group
    SPECIAL_GROUP = "SPECIAL_GROUP"  # särskild undervisningsgrupp, 3 kap. 11 §
    INDIVIDUAL = "INDIVIDUAL"  # enskild undervisning, 3 kap. 11 §
    DISTANCE = "DISTANCE"  # distansundervisning, 3 kap. 11 a §
    ADJUSTED_STUDY_PLAN = "ADJUSTED_STUDY_PLAN"  # anpassad studiegång, 3 kap. 12 §


# Decisions on these forms of support can only be taken by the principal: no delegation order
# can grant them (3 kap. 9 § fjärde stycket).
NON_DELEGABLE_FORMS: dict[SupportForm, str] = {
    SupportForm.SPECIAL_GROUP: "3 kap. 11 § skollagen",
    SupportForm.INDIVIDUAL: "3 kap. 11 § skollagen",
    SupportForm.DISTANCE: "3 kap. 11 a § skollagen",
    SupportForm.ADJUSTED_STUDY_PLAN: "3 kap. 12 § skollagen",
}


@dataclass(frozen=True)
class DecisionRule:
    kind: DecisionKind
    appealable: bool
    law: str  # the paragraph the decision is taken under
    appeal_law: str  # the paragraph that says whether (and where) it can be appealed
    delegable: bool


DECISIONS: dict[DecisionKind, DecisionRule] = {
    DecisionKind.NO_PROGRAMME: DecisionRule(
        DecisionKind.NO_PROGRAMME, True, "3 kap. 9 § skollagen", "28 kap. 16 § 1 skollagen", True
    ),
    DecisionKind.PROGRAMME: DecisionRule(
        DecisionKind.PROGRAMME, True, "3 kap. 9 § skollagen", "28 kap. 16 § 1 skollagen", True
    ),
    DecisionKind.CLOSE_PROGRAMME: DecisionRule(
        DecisionKind.CLOSE_PROGRAMME,
        True,
        "3 kap. 9 § skollagen",
        "28 kap. 16 § 1 skollagen",
        True,
    ),
    # A decision to dismiss a late appeal may itself be appealed (45 § förvaltningslagen),
    # so it carries appeal instructions too.
    DecisionKind.APPEAL_DISMISSED: DecisionRule(
        DecisionKind.APPEAL_DISMISSED,
        True,
        "45 § förvaltningslagen",
        "45 § förvaltningslagen",
        False,
    ),
    # Decisions a school takes on their own, beside the programme: the principal only
    # (3 kap. 11 § and 12 § skollagen), appealable to the School Appeals Board.
    DecisionKind.SPECIAL_GROUP: DecisionRule(
        DecisionKind.SPECIAL_GROUP, True, "3 kap. 11 § skollagen", "28 kap. 16 § skollagen", False
    ),
    DecisionKind.INDIVIDUAL_TUITION: DecisionRule(
        DecisionKind.INDIVIDUAL_TUITION,
        True,
        "3 kap. 11 § skollagen",
        "28 kap. 16 § skollagen",
        False,
    ),
    DecisionKind.ADJUSTED_STUDY_PLAN: DecisionRule(
        DecisionKind.ADJUSTED_STUDY_PLAN,
        True,
        "3 kap. 12 § skollagen",
        "28 kap. 16 § skollagen",
        False,
    ),
    # 28 kap. 16 § lists the decisions that can be appealed; a decision *not* to place a pupil
    # in a special teaching group is not among them. It is recorded with reasons all the same.
    DecisionKind.NO_SPECIAL_GROUP: DecisionRule(
        DecisionKind.NO_SPECIAL_GROUP,
        False,
        "3 kap. 11 § skollagen",
        "28 kap. 16 § skollagen",
        False,
    ),
}

# The decisions a school takes on a programme as decisions of their own, by transition name.
SUPPORT_FORM_DECISIONS: dict[DecisionKind, str] = {
    DecisionKind.SPECIAL_GROUP: "decide_special_group",
    DecisionKind.INDIVIDUAL_TUITION: "decide_individual_tuition",
    DecisionKind.ADJUSTED_STUDY_PLAN: "decide_adjusted_study_plan",
    DecisionKind.NO_SPECIAL_GROUP: "decide_no_special_group",
}

# The pupil is a party from 16 (Skollagen 29 kap. 12 §); guardians before that and alongside.
PUPIL_PARTY_AGE = 16


def non_delegable_law(forms: set[str]) -> str | None:
    """The paragraph that makes a decision non-delegable, if the programme has such a form."""
    for form in SupportForm:
        if form in forms and form in NON_DELEGABLE_FORMS:
            return NON_DELEGABLE_FORMS[form]
    return None

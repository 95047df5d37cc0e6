from .adaptations import (
    AdaptationEvaluation,
    AdaptationFollowUp,
    AdaptationTemplate,
    AdaptationVersion,
    Effect,
    ExtraAdaptation,
    NextStep,
)

__all__ = [
    "AdaptationEvaluation",
    "AdaptationFollowUp",
    "AdaptationTemplate",
    "AdaptationVersion",
    "Effect",
    "ExtraAdaptation",
    "NextStep",
]

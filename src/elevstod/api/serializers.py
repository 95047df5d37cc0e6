"""What the API answers with (reads) and what it reads from a request (writes). Input
serializers only parse; the rules are the services'."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from elevstod.organisation.models import Person
from elevstod.support import workflow as wf
from elevstod.support.models import (
    ActionProgramme,
    AdaptationEvaluation,
    AdaptationFollowUp,
    Appeal,
    Decision,
    Effect,
    ExtraAdaptation,
    Investigation,
    Measure,
    NextStep,
    PartyNotification,
    ProgrammeFollowUp,
    Referral,
)

from .fields import BoundedText, title_field

# --- reads -------------------------------------------------------------------------------------


class UnitRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PupilSerializer(serializers.ModelSerializer[Person]):
    protected_identity = serializers.BooleanField(source="has_protected_identity")
    unit = serializers.SerializerMethodField()
    school_year = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "given_name",
            "family_name",
            "civic_number",
            "protected_identity",
            "unit",
            "school_year",
            "updated_at",
        ]

    def _placement(self, pupil: Person) -> Any:
        placements = getattr(pupil, "current_placements", [])
        return placements[0] if placements else None

    def get_unit(self, pupil: Person) -> dict[str, Any] | None:
        placement = self._placement(pupil)
        if placement is None:
            return None
        return {"id": placement.unit_id, "name": placement.unit.name}

    def get_school_year(self, pupil: Person) -> int | None:
        placement = self._placement(pupil)
        return placement.school_year if placement is not None else None


class FollowUpSerializer(serializers.ModelSerializer[AdaptationFollowUp]):
    class Meta:
        model = AdaptationFollowUp
        fields = ["id", "date", "observation", "effect", "created_at"]


class EvaluationSerializer(serializers.ModelSerializer[AdaptationEvaluation]):
    class Meta:
        model = AdaptationEvaluation
        fields = ["id", "date", "outcome", "effect", "next_step", "created_at"]


class AdaptationSerializer(serializers.ModelSerializer[ExtraAdaptation]):
    version = serializers.IntegerField(read_only=True)
    subjects = serializers.SerializerMethodField()
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    evaluations = EvaluationSerializer(many=True, read_only=True)

    class Meta:
        model = ExtraAdaptation
        fields = [
            "id",
            "pupil",
            "unit",
            "title",
            "description",
            "need",
            "all_subjects",
            "subjects",
            "start_date",
            "responsible",
            "next_follow_up",
            "visible_to_family",
            "status",
            "end_date",
            "version",
            "created_at",
            "updated_at",
            "follow_ups",
            "evaluations",
        ]

    def get_subjects(self, adaptation: ExtraAdaptation) -> list[int]:
        return sorted(s.pk for s in adaptation.subjects.all())


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    class Meta:
        model = Referral
        fields = ["id", "pupil", "unit", "reporter", "tried", "why", "state", "created_at"]


class InvestigationSerializer(serializers.ModelSerializer[Investigation]):
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Investigation
        fields = [
            "id",
            "pupil",
            "unit",
            "state",
            "planned_decision_date",
            "mapping_individual",
            "mapping_group",
            "mapping_school",
            "assessment",
            "health_consulted",
            "concluded_on",
            "version",
            "created_at",
            "updated_at",
        ]


class MeasureSerializer(serializers.ModelSerializer[Measure]):
    class Meta:
        model = Measure
        fields = ["id", "what", "how", "how_much", "responsible", "support_form"]


class ProgrammeFollowUpSerializer(serializers.ModelSerializer[ProgrammeFollowUp]):
    class Meta:
        model = ProgrammeFollowUp
        fields = ["id", "date", "text", "created_at"]


class ProgrammeSerializer(serializers.ModelSerializer[ActionProgramme]):
    version = serializers.IntegerField(read_only=True)
    measures = MeasureSerializer(many=True, read_only=True)
    follow_ups = ProgrammeFollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = ActionProgramme
        fields = [
            "id",
            "pupil",
            "unit",
            "state",
            "previous",
            "needs",
            "follow_up_plan",
            "evaluation_date",
            "follow_up_responsible",
            "evaluation_responsible",
            "version",
            "created_at",
            "updated_at",
            "measures",
            "follow_ups",
        ]


class PartySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    notified_on = serializers.DateField(allow_null=True)
    method = serializers.CharField(allow_null=True)
    appeal_last_day = serializers.DateField(allow_null=True)


class AppealSerializer(serializers.ModelSerializer[Appeal]):
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "decision",
            "appellant",
            "received_on",
            "in_time",
            "state",
            "forwarded_on",
            "ruling",
            "ruling_on",
            "version",
            "created_at",
            "updated_at",
        ]


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    parties = serializers.SerializerMethodField()
    appeals = AppealSerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "kind",
            "pupil",
            "unit",
            "programme",
            "investigation",
            "decided_on",
            "decided_by",
            "delegation",
            "reasons",
            "appealable",
            "law",
            "appeal_instructions",
            "parties",
            "appeals",
        ]

    @staticmethod
    def parties_of(decision: Decision, parties: list[Person]) -> list[dict[str, Any]]:
        notified = {n.party_id: n for n in decision.notifications.all()}
        out = []
        for party in parties:
            n = notified.get(party.pk)
            out.append(
                {
                    "id": party.pk,
                    "name": party.full_name,
                    "notified_on": n.notified_on if n else None,
                    "method": n.method if n else None,
                    "appeal_last_day": (
                        wf.appeal_last_day(n.notified_on) if n and decision.appealable else None
                    ),
                }
            )
        return out

    @extend_schema_field(PartySerializer(many=True))
    def get_parties(self, decision: Decision) -> list[dict[str, Any]]:
        parties = self.context.get("parties", {}).get(decision.pk, [])
        return PartySerializer(self.parties_of(decision, parties), many=True).data  # type: ignore[return-value]


# --- writes ------------------------------------------------------------------------------------


class AdaptationWriteSerializer(serializers.Serializer[Any]):
    title = title_field()
    description = BoundedText(required=False, allow_blank=True, default="")
    need = BoundedText()
    all_subjects = serializers.BooleanField(required=False, default=False)
    subjects = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=50
    )
    start_date = serializers.DateField()
    responsible = serializers.IntegerField(min_value=1)
    next_follow_up = serializers.DateField(required=False, allow_null=True, default=None)
    visible_to_family = serializers.BooleanField(required=False, default=False)


class AdaptationChangeSerializer(AdaptationWriteSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version the change started from (409 if it is not current)."
    )


class AdaptationFollowUpWriteSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    observation = BoundedText()
    effect = serializers.ChoiceField(choices=Effect.choices)
    next_follow_up = serializers.DateField(required=False, allow_null=True, default=None)


class AdaptationEvaluationWriteSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    outcome = BoundedText()
    effect = serializers.ChoiceField(choices=Effect.choices)
    next_step = serializers.ChoiceField(choices=NextStep.choices)
    next_follow_up = serializers.DateField(required=False, allow_null=True, default=None)


class ReferralWriteSerializer(serializers.Serializer[Any]):
    tried = BoundedText()
    why = BoundedText()
    adaptations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=100
    )


class ProgrammeFollowUpWriteSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    text = BoundedText()


class PartyNotificationWriteSerializer(serializers.Serializer[Any]):
    party = serializers.IntegerField(min_value=1)
    notified_on = serializers.DateField()
    method = serializers.ChoiceField(choices=PartyNotification.Method.choices)


class ErrorMessageSerializer(serializers.Serializer[Any]):
    sv = serializers.CharField()
    en = serializers.CharField()


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = ErrorMessageSerializer()
    field = serializers.CharField(allow_null=True)

"""Special support as the pages show it: a pupil's referrals, investigations (only for those
who may see them), programmes with measures and follow-ups, decisions with their parties and
appeal deadlines, appeals; and the writes of everyday work: report to the principal, follow up
a programme, record a party's notification."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, prefetch_related_objects

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from elevstod.organisation.access import Grant, Right, access_pupil
from elevstod.organisation.models import Person
from elevstod.support.access import parties_by_decision, parties_of
from elevstod.support.models import Decision
from elevstod.support.selectors import special as sel
from elevstod.support.services.decisions import decision_notify_party
from elevstod.support.services.investigations import referral_submit
from elevstod.support.services.programmes import programme_follow_up

from ..serializers import (
    AppealSerializer,
    DecisionSerializer,
    InvestigationSerializer,
    PartyNotificationWriteSerializer,
    ProgrammeFollowUpSerializer,
    ProgrammeFollowUpWriteSerializer,
    ProgrammeSerializer,
    ReferralSerializer,
    ReferralWriteSerializer,
)
from .adaptations import ERRORS
from .base import CHANGED_SINCE, IDEMPOTENCY, ApiView, etag_response

PROGRAMME_PREFETCH = ("measures", "follow_ups")
DECISION_PREFETCH = ("notifications", "appeals")


def _changed(rows: list[Any], view: ApiView) -> list[Any]:
    since = view.changed_since()
    if since is None:
        return rows
    return [r for r in rows if (getattr(r, "updated_at", None) or r.created_at) > since]


def _decisions_data(pupil: Person, decisions: list[Decision]) -> Any:
    prefetch_related_objects(decisions, *DECISION_PREFETCH)
    context = {"parties": parties_by_decision(pupil, decisions)}
    return DecisionSerializer(decisions, many=True, context=context).data


class _PupilSupport(ApiView):
    """A list of one kind of the pupil's special support, as far as the caller may see it."""

    purpose = ""

    def grant(self, pk: int) -> Grant:
        return access_pupil(
            actor=self.actor,
            pk=pk,
            purpose=self.purpose,
            right=Right.VIEW_SUPPORT,
            path=self.log_path(),
        )

    def support(self, pk: int) -> tuple[Grant, sel.PupilSpecialSupport]:
        grant = self.grant(pk)
        return grant, sel.pupil_special_support(actor=self.actor, grant=grant)


class PupilReferrals(_PupilSupport):
    purpose = "support.referral.page"

    @extend_schema(
        operation_id="pupil_referrals_list",
        parameters=[CHANGED_SINCE],
        responses={200: ReferralSerializer(many=True), 404: ERRORS[404]},
        summary="The pupil's reports to the principal you may see",
    )
    def get(self, request: Request, pk: int) -> Response:
        _grant, support = self.support(pk)
        return Response(ReferralSerializer(_changed(support.referrals, self), many=True).data)

    @extend_schema(
        operation_id="pupil_referrals_create",
        request=ReferralWriteSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: ReferralSerializer, **ERRORS},
        summary="Report to the principal that adaptations are not enough (3 kap. 7 §)",
    )
    def post(self, request: Request, pk: int) -> Response:
        grant = access_pupil(
            actor=self.actor,
            pk=pk,
            purpose="support.referral.new",
            right=Right.VIEW_SUPPORT,
            path=self.log_path(),
        )
        form = ReferralWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        referral = referral_submit(
            actor=self.actor,
            pupil=grant.pupil,
            tried=d["tried"],
            why=d["why"],
            adaptation_ids=d["adaptations"],
            token=self.idempotency_key(),
        )
        return Response(ReferralSerializer(referral).data, status=201)


class PupilInvestigations(_PupilSupport):
    purpose = "support.investigation.page"

    @extend_schema(
        operation_id="pupil_investigations_list",
        parameters=[CHANGED_SINCE],
        responses={200: InvestigationSerializer(many=True), 404: ERRORS[404]},
        summary="The pupil's investigations, if you may see them",
    )
    def get(self, request: Request, pk: int) -> Response:
        _grant, support = self.support(pk)
        rows = _changed(support.investigations, self)
        return Response(InvestigationSerializer(rows, many=True).data)


class PupilProgrammes(_PupilSupport):
    purpose = "support.programme.page"

    @extend_schema(
        operation_id="pupil_programmes_list",
        parameters=[CHANGED_SINCE],
        responses={200: ProgrammeSerializer(many=True), 404: ERRORS[404]},
        summary="The pupil's action programmes with measures and follow-ups",
    )
    def get(self, request: Request, pk: int) -> Response:
        _grant, support = self.support(pk)
        rows = _changed(support.programmes, self)
        prefetch_related_objects(rows, *PROGRAMME_PREFETCH)
        return Response(ProgrammeSerializer(rows, many=True).data)


class PupilDecisions(_PupilSupport):
    purpose = "support.decision.page"

    @extend_schema(
        operation_id="pupil_decisions_list",
        parameters=[CHANGED_SINCE],
        responses={200: DecisionSerializer(many=True), 404: ERRORS[404]},
        summary="The pupil's decisions, with parties, notifications and appeal deadlines",
    )
    def get(self, request: Request, pk: int) -> Response:
        grant, support = self.support(pk)
        since = self.changed_since()
        rows = [d for d in support.decisions if since is None or d.decided_at > since]
        return Response(_decisions_data(grant.pupil, rows))


def _single(request: Request, obj: Model, serializer: Any, *prefetch: str) -> Response:
    prefetch_related_objects([obj], *prefetch)
    return etag_response(request, serializer(obj).data)


class ReferralDetail(ApiView):
    @extend_schema(operation_id="referrals_retrieve", responses={200: ReferralSerializer})
    def get(self, request: Request, pk: int) -> Response:
        referral = sel.access_referral(actor=self.actor, pk=pk, path=self.log_path())
        return _single(request, referral, ReferralSerializer)


class InvestigationDetail(ApiView):
    @extend_schema(operation_id="investigations_retrieve", responses={200: InvestigationSerializer})
    def get(self, request: Request, pk: int) -> Response:
        investigation = sel.access_investigation(actor=self.actor, pk=pk, path=self.log_path())
        return _single(request, investigation, InvestigationSerializer)


class ProgrammeDetail(ApiView):
    @extend_schema(operation_id="programmes_retrieve", responses={200: ProgrammeSerializer})
    def get(self, request: Request, pk: int) -> Response:
        programme = sel.access_programme(actor=self.actor, pk=pk, path=self.log_path())
        return _single(request, programme, ProgrammeSerializer, *PROGRAMME_PREFETCH)


class ProgrammeFollowUp(ApiView):
    @extend_schema(
        operation_id="programmes_follow_up",
        request=ProgrammeFollowUpWriteSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: ProgrammeFollowUpSerializer, **ERRORS},
        summary="Follow up an action programme",
    )
    def post(self, request: Request, pk: int) -> Response:
        programme = sel.access_programme(actor=self.actor, pk=pk, path=self.log_path())
        form = ProgrammeFollowUpWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        follow_up = programme_follow_up(
            actor=self.actor,
            programme_id=programme.pk,
            date=form.validated_data["date"],
            text=form.validated_data["text"],
            token=self.idempotency_key(),
        )
        return Response(ProgrammeFollowUpSerializer(follow_up).data, status=201)


class DecisionDetail(ApiView):
    @extend_schema(operation_id="decisions_retrieve", responses={200: DecisionSerializer})
    def get(self, request: Request, pk: int) -> Response:
        decision = sel.access_decision(actor=self.actor, pk=pk, path=self.log_path())
        return etag_response(request, _decisions_data(decision.pupil, [decision])[0])


class DecisionNotification(ApiView):
    @extend_schema(
        operation_id="decisions_notify_party",
        request=PartyNotificationWriteSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: DecisionSerializer, **ERRORS},
        summary="Record when and how a party was notified: the appeal period runs from then",
    )
    def post(self, request: Request, pk: int) -> Response:
        decision = sel.access_decision(actor=self.actor, pk=pk, path=self.log_path())
        form = PartyNotificationWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        parties = {p.pk: p for p in parties_of(decision.pupil, on=decision.decided_on)}
        # who is a party is the service's rule: anyone else is handed on for it to refuse
        party = parties.get(d["party"]) or Person(pk=d["party"])
        decision_notify_party(
            actor=self.actor,
            decision=decision,
            party=party,
            notified_on=d["notified_on"],
            method=d["method"],
            token=self.idempotency_key(),
        )
        decision = Decision.objects.get(pk=decision.pk)
        return Response(_decisions_data(decision.pupil, [decision])[0], status=201)


class AppealDetail(ApiView):
    @extend_schema(operation_id="appeals_retrieve", responses={200: AppealSerializer})
    def get(self, request: Request, pk: int) -> Response:
        appeal = sel.access_appeal(actor=self.actor, pk=pk, path=self.log_path())
        return etag_response(request, AppealSerializer(appeal).data)

"""Extra adaptations: a pupil's, one, and the everyday writes (create, change with the version
it started from, follow up, evaluate). Each write is one service call, as on the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from elevstod.organisation.access import Right, access_pupil
from elevstod.support.errors import StaleVersion
from elevstod.support.models import ExtraAdaptation
from elevstod.support.selectors.adaptations import (
    access_adaptation,
    adaptation_records_for_pupil,
)
from elevstod.support.services import adaptations as services
from elevstod.support.services.adaptations import AdaptationInput

from ..errors import Stale
from ..serializers import (
    AdaptationChangeSerializer,
    AdaptationEvaluationWriteSerializer,
    AdaptationFollowUpWriteSerializer,
    AdaptationSerializer,
    AdaptationWriteSerializer,
    ErrorSerializer,
    EvaluationSerializer,
    FollowUpSerializer,
)
from .base import (
    CHANGED_SINCE,
    IDEMPOTENCY,
    PAGING,
    ApiView,
    IdCursor,
    etag_response,
    paged,
)

ERRORS: dict[int | str, Any] = {
    400: OpenApiResponse(ErrorSerializer, description="A value is missing or not valid."),
    403: OpenApiResponse(ErrorSerializer, description="You may not take this step."),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not yours to see."),
    422: OpenApiResponse(ErrorSerializer, description="A rule of the support chain refused."),
}


def _input(data: dict[str, Any]) -> AdaptationInput:
    return AdaptationInput(
        title=data["title"],
        description=data["description"],
        need=data["need"],
        all_subjects=data["all_subjects"],
        subject_ids=data["subjects"],
        start_date=data["start_date"],
        responsible_id=data["responsible"],
        next_follow_up=data["next_follow_up"],
        visible_to_family=data["visible_to_family"],
    )


def _one(pk: int) -> ExtraAdaptation:
    qs: QuerySet[ExtraAdaptation] = ExtraAdaptation.objects.select_related(
        "pupil"
    ).prefetch_related("subjects", "follow_ups", "evaluations")
    return qs.get(pk=pk)


class PupilAdaptations(ApiView):
    @extend_schema(
        operation_id="pupil_adaptations_list",
        parameters=[CHANGED_SINCE, *PAGING],
        responses={200: paged(AdaptationSerializer), 404: ERRORS[404]},
        summary="A pupil's extra adaptations, with follow-ups and evaluations",
    )
    def get(self, request: Request, pk: int) -> Response:
        grant = access_pupil(
            actor=self.actor,
            pk=pk,
            purpose="support.adaptation.page",
            right=Right.VIEW_SUPPORT,
            path=self.log_path(),
        )
        qs = adaptation_records_for_pupil(grant=grant, changed_since=self.changed_since())
        paginator = IdCursor()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(AdaptationSerializer(page, many=True).data)

    @extend_schema(
        operation_id="pupil_adaptations_create",
        request=AdaptationWriteSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: AdaptationSerializer, **ERRORS},
        summary="Write a new extra adaptation for the pupil",
    )
    def post(self, request: Request, pk: int) -> Response:
        grant = access_pupil(
            actor=self.actor,
            pk=pk,
            purpose="support.adaptation.new",
            right=Right.VIEW_SUPPORT,
            path=self.log_path(),
        )
        form = AdaptationWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        adaptation = services.adaptation_create(
            actor=self.actor,
            pupil=grant.pupil,
            data=_input(form.validated_data),
            token=self.idempotency_key(),
        )
        return Response(AdaptationSerializer(_one(adaptation.pk)).data, status=201)


class AdaptationDetail(ApiView):
    @extend_schema(
        operation_id="adaptations_retrieve",
        responses={200: AdaptationSerializer, 304: None, 404: ERRORS[404]},
        summary="One extra adaptation (ETag and If-None-Match)",
    )
    def get(self, request: Request, pk: int) -> Response:
        adaptation = access_adaptation(
            actor=self.actor, pk=pk, purpose="support.adaptation.page", path=self.log_path()
        )
        return etag_response(request, AdaptationSerializer(_one(adaptation.pk)).data)

    @extend_schema(
        operation_id="adaptations_change",
        request=AdaptationChangeSerializer,
        responses={
            200: AdaptationSerializer,
            409: OpenApiResponse(
                ErrorSerializer,
                description="Changed by someone else since your version: the current one is "
                "in `current`.",
            ),
            **ERRORS,
        },
        summary="Change an extra adaptation, from the version you started from",
    )
    def put(self, request: Request, pk: int) -> Response:
        adaptation = access_adaptation(
            actor=self.actor, pk=pk, purpose="support.adaptation.edit", path=self.log_path()
        )
        form = AdaptationChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            changed = services.adaptation_change(
                actor=self.actor,
                adaptation_id=adaptation.pk,
                expected_version=form.validated_data["version"],
                data=_input(form.validated_data),
            )
        except StaleVersion as stale:
            raise Stale(stale, AdaptationSerializer(_one(adaptation.pk)).data) from stale
        return Response(AdaptationSerializer(_one(changed.pk)).data)


class AdaptationFollowUp(ApiView):
    @extend_schema(
        operation_id="adaptations_follow_up",
        request=AdaptationFollowUpWriteSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: FollowUpSerializer, **ERRORS},
        summary="Follow up an extra adaptation",
    )
    def post(self, request: Request, pk: int) -> Response:
        adaptation = access_adaptation(
            actor=self.actor, pk=pk, purpose="support.adaptation.follow_up", path=self.log_path()
        )
        form = AdaptationFollowUpWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        follow_up = services.adaptation_follow_up(
            actor=self.actor,
            adaptation_id=adaptation.pk,
            date=d["date"],
            observation=d["observation"],
            effect=d["effect"],
            next_follow_up=d["next_follow_up"],
            token=self.idempotency_key(),
        )
        return Response(FollowUpSerializer(follow_up).data, status=201)


class AdaptationEvaluate(ApiView):
    @extend_schema(
        operation_id="adaptations_evaluate",
        request=AdaptationEvaluationWriteSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: EvaluationSerializer, **ERRORS},
        summary="Evaluate an extra adaptation (next step REPORT also reports to the principal)",
    )
    def post(self, request: Request, pk: int) -> Response:
        adaptation = access_adaptation(
            actor=self.actor, pk=pk, purpose="support.adaptation.evaluate", path=self.log_path()
        )
        form = AdaptationEvaluationWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        d = form.validated_data
        evaluation = services.adaptation_evaluate(
            actor=self.actor,
            adaptation_id=adaptation.pk,
            date=d["date"],
            outcome=d["outcome"],
            effect=d["effect"],
            next_step=d["next_step"],
            next_follow_up=d["next_follow_up"],
            token=self.idempotency_key(),
        )
        return Response(EvaluationSerializer(evaluation).data, status=201)

"""The pupils the caller may see, and one pupil: the same access layer as the search and the
pupil page, and logged like them."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from elevstod.audit.services import access_log_record
from elevstod.organisation.access import Right, access_pupil
from elevstod.organisation.selectors import pupil_list

from ..serializers import PupilSerializer
from .base import CHANGED_SINCE, PAGING, ApiView, IdCursor, etag_response, paged

SEARCH = OpenApiParameter(
    "q", OpenApiTypes.STR, description="A name, or a personal identity number (whole or part)."
)


class PupilList(ApiView):
    @extend_schema(
        operation_id="pupils_list",
        parameters=[SEARCH, CHANGED_SINCE, *PAGING],
        responses=paged(PupilSerializer),
        summary="The pupils you may see",
    )
    def get(self, request: Request) -> Response:
        term = request.query_params.get("q", "")[:100]
        qs = pupil_list(actor=self.actor, term=term, changed_since=self.changed_since())
        paginator = IdCursor()
        page = paginator.paginate_queryset(qs, request, view=self)
        access_log_record(
            actor=self.actor,
            pupil_id=None,
            purpose="organisation.pupil.search",
            reasons=(),
            granted=True,
            path=self.log_path(),
        )
        data = PupilSerializer(page, many=True).data
        return paginator.get_paginated_response(data)


class PupilDetail(ApiView):
    @extend_schema(operation_id="pupils_retrieve", responses=PupilSerializer, summary="A pupil")
    def get(self, request: Request, pk: int) -> Response:
        grant = access_pupil(
            actor=self.actor,
            pk=pk,
            purpose="organisation.pupil.page",
            right=Right.VIEW_PUPIL,
            path=self.log_path(),
        )
        pupil = pupil_list(actor=self.actor).get(pk=grant.pupil.pk)
        return etag_response(request, PupilSerializer(pupil).data)

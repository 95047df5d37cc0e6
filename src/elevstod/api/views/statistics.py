"""The statistics of the overviews as counts: a unit's (its principal and pupil health team,
exact) and an organiser's (its analysts, under the small-number rule). Who may read them is
asked of the same access functions as the statistics pages, and a read is logged like opening
the page."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from elevstod.audit.services import access_log_record
from elevstod.core.params import BadParameter
from elevstod.core.timeutil import today
from elevstod.organisation.models import SchoolUnit
from elevstod.overviews import statistics
from elevstod.overviews.periods import Period, period_from

from .. import integrations
from ..authentication import BearerTokenAuthentication, ClientTokenAuthentication
from ..models import IntegrationToken
from ..permissions import StatisticsReader
from ..statistics_serializers import StatisticsSerializer
from .adaptations import ERRORS
from .base import ApiView

# The API's English names of the pages' query parameters.
PARAMETER_NAMES = {"from": "fran", "to": "till", "school_year": "arskurs"}

PERIOD = [
    OpenApiParameter(
        "from",
        OpenApiTypes.DATE,
        description="First day, from 1900 (default: 1 July of this school year).",
    ),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)."),
    OpenApiParameter(
        "school_year",
        {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 10}},
        explode=True,
        description="Only these school years (0 = förskoleklass); repeat it. Default: all.",
    ),
]


def _auth(scope: str) -> Any:
    """A personal access token, or a system integration's token with ``scope``."""
    return [{"personalAccessToken": []}, {"clientCredentials": [scope]}]


RESPONSES = {200: StatisticsSerializer, 400: ERRORS[400], 404: ERRORS[404]}


def period_of(request: Request) -> Period:
    """The period asked for, read by the pages' own rule (a 400 names the API's parameter)."""
    pages = {v: k for k, v in PARAMETER_NAMES.items()}
    data = QueryDict(mutable=True)
    for name, page_name in PARAMETER_NAMES.items():
        data.setlist(page_name, request.query_params.getlist(name))
    try:
        return period_from(data, today())
    except BadParameter as error:
        raise BadParameter(pages.get(error.name, error.name)) from error


class _Statistics(ApiView):
    """Called with a personal access token (the user's own rights, as on the pages) or by a
    system integration (its granted units, always under the small-number rule)."""

    authentication_classes = [ClientTokenAuthentication, BearerTokenAuthentication]
    permission_classes = [StatisticsReader]

    purpose = ""

    @property
    def client(self) -> IntegrationToken | None:
        auth = self.request.auth
        return auth if isinstance(auth, IntegrationToken) else None

    def answer(self, units: list[SchoolUnit], *, protect: bool, reason: str) -> Response:
        period = period_of(self.request)
        report = statistics.report(units=units, period=period, protect=protect)
        access_log_record(
            actor=self.request.user,
            pupil_id=None,
            purpose=self.purpose,
            reasons=(reason,),
            granted=True,
            path=self.log_path(),
        )
        return Response(StatisticsSerializer(report).data)


class UnitStatistics(_Statistics):
    purpose = "overviews.statistics.unit"

    @extend_schema(
        operation_id="unit_statistics_retrieve",
        auth=_auth("statistics:units"),
        parameters=PERIOD,
        responses=RESPONSES,
        summary="A school unit's support in figures (its principal and pupil health team)",
    )
    def get(self, request: Request, pk: int) -> Response:
        if self.client:
            unit = integrations.access_client_unit_statistics(token=self.client, pk=pk)
            return self.answer([unit], protect=True, reason="INTEGRATION_CLIENT")
        unit = statistics.access_unit_statistics(actor=self.actor, pk=pk, path=self.log_path())
        return self.answer([unit], protect=False, reason="UNIT_STATISTICS")


class OrganiserStatistics(_Statistics):
    purpose = "overviews.statistics.organiser"

    @extend_schema(
        operation_id="organiser_statistics_retrieve",
        auth=_auth("statistics:organiser"),
        parameters=PERIOD,
        responses=RESPONSES,
        summary="An organiser's support in figures, per unit and in total (counts of 1-4 hidden)",
    )
    def get(self, request: Request, pk: int) -> Response:
        if self.client:
            units = integrations.access_client_organiser_statistics(token=self.client, pk=pk)
            return self.answer(units, protect=True, reason="INTEGRATION_CLIENT")
        _organiser, units = statistics.access_organiser_statistics(
            actor=self.actor, pk=pk, path=self.log_path()
        )
        return self.answer(units, protect=True, reason="ORGANISER_STATISTICS")

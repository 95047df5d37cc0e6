"""What every endpoint shares: who may call (a token, its scopes, its rate limit), JSON in and
out, errors as JSON, the access log's naming of the client, ETags and the changed-since filter."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, cast

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from elevstod.accounts.models import User
from elevstod.support.errors import FieldError

from ..authentication import BearerTokenAuthentication, client_label
from ..errors import exception_handler
from ..permissions import TokenScope
from ..throttling import TokenRateThrottle

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_MAX = 60

CHANGED_SINCE = OpenApiParameter(
    "changed_since",
    OpenApiTypes.DATETIME,
    description="Only what changed after this moment (ISO 8601 with a time zone), to sync.",
)
IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="Any unique string of at most 60 characters: a repeated request with the same "
    "key writes nothing again and answers with what the first one wrote.",
)


class ApiView(APIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [TokenScope]
    throttle_classes = [TokenRateThrottle]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]

    def get_exception_handler(self) -> Any:
        return exception_handler

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)  # TokenScope lets only a token's user through

    def log_path(self) -> str:
        """The access log's ``path``: the API client first, then what it asked for."""
        return f"API {client_label(self.request)}: {self.request.get_full_path()}"

    def idempotency_key(self) -> str:
        key = self.request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if len(key) > IDEMPOTENCY_MAX:
            raise FieldError(IDEMPOTENCY_HEADER, _("Send a key of at most 60 characters."))
        return f"api:{key}" if key else ""

    def changed_since(self) -> dt.datetime | None:
        if "changed_since" not in self.request.query_params:
            return None
        raw = self.request.query_params.get("changed_since", "").strip()
        try:
            moment = parse_datetime(raw)
        except ValueError:
            moment = None
        message = _("Give a date and time with a time zone, ISO 8601.")
        if moment is None or moment.tzinfo is None:
            raise FieldError("changed_since", message)
        try:
            # The database stores UTC and accepts only real offsets; ISO 8601 allows up to ±23:59.
            return moment.astimezone(dt.UTC)
        except OverflowError:
            raise FieldError("changed_since", message) from None


def etag_response(request: Request, data: Any) -> Response:
    """200 with an ETag of the representation, or 304 when the client has it already."""
    body = json.dumps(data, sort_keys=True, default=str).encode()
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    wanted = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
    fresh = etag in wanted or "*" in wanted
    response = Response(status=304) if fresh else Response(data)
    response["ETag"] = etag
    return response


PAGE_MAX = 100
PAGING = [
    OpenApiParameter(
        "cursor", OpenApiTypes.STR, description="The position, from a `next` or `previous` link."
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": PAGE_MAX},
        description="Rows per page (50 unless told, at most 100).",
    ),
]


class IdCursor(CursorPagination):
    """Cursor paging in id order: stable while rows are added, cheap at any depth."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = PAGE_MAX

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get("page_size")
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= PAGE_MAX:
            raise FieldError("page_size", _("Ask for 1 to 100 rows per page."))
        return int(raw)


def paged(child: type[serializers.Serializer[Any]]) -> type[serializers.Serializer[Any]]:
    """The schema of a page of ``child``: links to the next and previous pages, and results."""
    name = child.__name__.removesuffix("Serializer")
    fields = {
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": child(many=True),
    }
    return type(f"Paged{name}List", (serializers.Serializer,), fields)

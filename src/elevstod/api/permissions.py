"""The token's scopes: ``read`` for GET, ``write`` for everything else. They only take away:
what the user may see or do is the access layer's answer, as on the pages."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from elevstod.accounts.models import PersonalAccessToken

from .models import IntegrationToken


class TokenScope(BasePermission):
    message = "The token lacks the scope for this request."

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, PersonalAccessToken) or not request.user.is_authenticated:
            return False
        needed = "read" if request.method in SAFE_METHODS else "write"
        return token.has_scope(needed)


class StatisticsReader(BasePermission):
    """The statistics endpoints: a personal access token that may read, or a system
    integration's token (which units and scopes it reaches is ``integrations``' answer)."""

    message = TokenScope.message

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method not in SAFE_METHODS:
            return False
        return isinstance(request.auth, IntegrationToken) or TokenScope().has_permission(
            request, view
        )

"""Calling the API as a member of the standing cast: a personal access token made by the real
service, sent as ``Authorization: Bearer``."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from elevstod.accounts.models import FederationDevice, User
from elevstod.accounts.tokens import token_create

from ..support.conftest import School, school  # noqa: F401  (the small school, shared)


def token_for(user: User, *, write: bool = True, name: str = "Testapp") -> str:
    """A token of ``user``, who is given a second factor (a federated login) first."""
    FederationDevice.objects.get_or_create(user=user, defaults={"name": "idp", "confirmed": True})
    scopes = ["read", "write"] if write else ["read"]
    _row, token = token_create(user=user, name=name, days=30, scopes=scopes)
    return token


class Api:
    """An API client that sends a token."""

    def __init__(self, token: str = "") -> None:
        self.client = APIClient()
        if token:
            self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        return self.client.get(path, params, headers=headers or {})

    def post(self, path: str, data: Any, **headers: Any) -> Any:
        return self.client.post(path, data, format="json", headers=headers)

    def put(self, path: str, data: Any, **headers: Any) -> Any:
        return self.client.put(path, data, format="json", headers=headers)


@pytest.fixture
def api_as():
    def make(user: User, *, write: bool = True) -> Api:
        return Api(token_for(user, write=write))

    return make

"""A rate limit per token, shared by every process (counted in the database): over it, 429 with
Retry-After; another token is not affected."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.api.models import RequestWindow

pytestmark = pytest.mark.django_db


def test_a_token_over_its_limit_gets_429_with_retry_after(school, api_as, settings):
    settings.ELEVSTOD_API_REQUESTS_PER_MINUTE = 3
    api, other = api_as(school.teacher), api_as(school.principal)
    url = reverse("api:pupil_list")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    over = api.get(url)
    assert over.status_code == 429
    assert 1 <= int(over["Retry-After"]) <= 60
    assert over.json()["code"] == "throttled"
    assert other.get(url).status_code == 200
    assert sorted(RequestWindow.objects.values_list("count", flat=True)) == [1, 4]


def test_cross_origin_requests_get_no_cors_permission(school, api_as):
    answer = api_as(school.teacher).get(
        reverse("api:pupil_list"), headers={"Origin": "https://elsewhere.example"}
    )
    assert answer.status_code == 200
    assert "Access-Control-Allow-Origin" not in answer

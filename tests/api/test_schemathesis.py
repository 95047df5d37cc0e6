"""Schemathesis against the live schema: generated requests to every operation, as a principal
with a read and write token, give no server error and every answer conforms to the schema."""

from __future__ import annotations

from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection

from .conftest import token_for

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def principal_token(school, settings):
    settings.ELEVSTOD_API_REQUESTS_PER_MINUTE = 100_000
    return token_for(school.principal)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The requests go straight to the WSGI application, whose end of request would close the
    test's database connection (PostgreSQL); Django's own test client does the same as this."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_conforms_to_its_schema_and_never_fails(case, principal_token):
    response = case.call(headers={"Authorization": f"Bearer {principal_token}"})
    # Refusing missing and invalid tokens is tested directly (test_tokens); these checks cannot
    # tell a token given here from one it generated itself, nor that a query parameter the API
    # does not know is ignored (as HTTP APIs do) rather than refused: a generated "negative"
    # request whose only fault is such a parameter, or a token it took away and this call gave
    # back, is rightly answered. Server errors and answers off the schema are still failures.
    case.validate_response(response, excluded_checks=[ignored_auth, negative_data_rejection])

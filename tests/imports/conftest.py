from __future__ import annotations

import pytest

from elevstod.imports.services import source_create
from tests.factories import OrganiserFactory


@pytest.fixture
def source(db):
    organiser = OrganiserFactory(name="Ekby kommun")
    return source_create(
        actor=None, name="ekby", organiser=organiser, secret_env="EKBY_SS12000_TOKEN"
    )

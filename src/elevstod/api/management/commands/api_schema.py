"""Write the API's OpenAPI 3 description, as checked in at docs/api/openapi.yaml:
``manage.py api_schema > docs/api/openapi.yaml`` after changing an endpoint."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from elevstod.api.schema import schema_yaml


class Command(BaseCommand):
    help = "Print the OpenAPI 3 description of the REST API (YAML)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(schema_yaml().decode(), ending="")

"""The OpenAPI 3 description of the API (drf-spectacular), the settings it is generated with,
and the reference page rendered from it on the server (no script: the strict CSP holds)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.settings import patched_settings
from drf_spectacular.views import SpectacularAPIView

SETTINGS: dict[str, Any] = {
    "TITLE": "Elevstöd API",
    "VERSION": "1",
    "DESCRIPTION": (
        "The support chain of Swedish schools (extra adaptations, reports to the principal, "
        "investigations, action programmes, decisions, appeals) over the same services and "
        "access rules as the pages. Authenticate with a personal access token: "
        "`Authorization: Bearer <token>`. Errors are JSON with a `code`, a `message` in "
        "Swedish (`sv`) and English (`en`), and the `field` they concern."
    ),
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "elevstod.api.authentication.BearerTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from your security page in Elevstöd.",
        }


def schema_dict() -> dict[str, Any]:
    with patched_settings(SETTINGS):
        generator = SchemaGenerator()  # type: ignore[no-untyped-call]
        return dict(generator.get_schema(request=None, public=True))  # type: ignore[no-untyped-call]


def schema_yaml() -> bytes:
    with patched_settings(SETTINGS):
        renderer = OpenApiYamlRenderer()
        return bytes(renderer.render(schema_dict(), renderer_context={}))  # type: ignore[no-untyped-call]


schema_view = SpectacularAPIView.as_view(custom_settings=SETTINGS)

METHODS = ("get", "post", "put", "patch", "delete")


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": op.get("operationId", ""),
                    "summary": op.get("summary", ""),
                    "parameters": op.get("parameters", []),
                    "body": _ref_name(op.get("requestBody", {})),
                    "responses": [
                        {"status": status, "description": r.get("description", "")}
                        for status, r in op.get("responses", {}).items()
                    ],
                }
            )
    return out


def _ref_name(body: dict[str, Any]) -> str:
    schema = body.get("content", {}).get("application/json", {}).get("schema", {})
    return str(schema.get("$ref", "")).rsplit("/", 1)[-1]


def _components(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for name, comp in sorted(schema.get("components", {}).get("schemas", {}).items()):
        props = comp.get("properties", {})
        required = set(comp.get("required", []))
        fields = [
            {
                "name": key,
                "type": prop.get("type") or str(prop.get("$ref", "")).rsplit("/", 1)[-1],
                "required": key in required,
                "read_only": prop.get("readOnly", False),
                "description": prop.get("description", ""),
            }
            for key, prop in props.items()
        ]
        found.append({"name": name, "fields": fields, "enum": comp.get("enum", [])})
    return found


@require_GET
def reference(request: HttpRequest) -> HttpResponse:
    """The API's reference, for people: every operation, parameter and shape."""
    schema = schema_dict()
    context = {
        "info": schema.get("info", {}),
        "operations": _operations(schema),
        "components": _components(schema),
    }
    return render(request, "api/reference.html", context)

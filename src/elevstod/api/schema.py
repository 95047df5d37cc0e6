"""The OpenAPI 3 description of the API (drf-spectacular), the settings it is generated with,
and the reference page rendered from it on the server (no script: the strict CSP holds)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.settings import patched_settings
from drf_spectacular.views import SpectacularAPIView

METHODS = ("get", "post", "put", "patch", "delete")

SETTINGS: dict[str, Any] = {
    "TITLE": "Elevstöd API",
    "VERSION": "1",
    "DESCRIPTION": (
        "The support chain of Swedish schools (extra adaptations, reports to the principal, "
        "investigations, action programmes, decisions, appeals) over the same services and "
        "access rules as the pages. Authenticate with a personal access token: "
        "`Authorization: Bearer <token>`. An organiser's system integration reads only the "
        "statistics, with a token from the OAuth2 client-credentials grant "
        "(`POST /api/v1/oauth/token/`). Errors are JSON with a `code`, a `message` in "
        "Swedish (`sv`) and English (`en`), and the `field` they concern."
    ),
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["elevstod.api.schema.without_the_schema_itself"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "elevstod.api.schema.document_common_answers",
    ],
}

# What any operation may answer besides its own: no or a bad token, a token without the scope,
# an object that is not there or not the caller's, too many requests.
COMMON_ANSWERS = {
    "401": "No token, or one that is unknown, expired or revoked.",
    "403": "The token lacks the scope (read, write), or you may not take this step.",
    "404": "Not found, or not yours to see: the same answer either way.",
    "429": "Too many requests with this token: wait the seconds in Retry-After.",
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}


def without_the_schema_itself(endpoints: list[Any], **kwargs: Any) -> list[Any]:
    return [e for e in endpoints if not e[0].endswith("/schema/")]


def document_common_answers(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    for item in result.get("paths", {}).values():
        for method in METHODS:
            responses = item.get(method, {}).get("responses")
            if responses is None:
                continue
            for status, description in COMMON_ANSWERS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
            if "400" not in responses and "parameters" in item.get(method, {}):
                responses["400"] = {
                    "description": "A parameter is not valid.",
                    "content": {"application/json": {"schema": ERROR_REF}},
                }
    return result


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "elevstod.api.authentication.BearerTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token from your security page in Elevstöd.",
        }


class ClientCredentialsScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "elevstod.api.authentication.ClientTokenAuthentication"
    name = "clientCredentials"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        from .models import IntegrationClient

        return {
            "type": "oauth2",
            "description": "A system integration of an organiser (OAuth2 client credentials): "
            "the statistics of the units its administrator granted, counts of 1-4 hidden.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/v1/oauth/token/",
                    "scopes": {str(v): str(t) for v, t in IntegrationClient.Scope.choices},
                }
            },
        }


def schema_dict() -> dict[str, Any]:
    """The description in the default language (Swedish), whatever is active."""
    with patched_settings(SETTINGS), translation.override(settings.LANGUAGE_CODE):
        generator = SchemaGenerator()  # type: ignore[no-untyped-call]
        return dict(generator.get_schema(request=None, public=True))  # type: ignore[no-untyped-call]


def schema_yaml() -> bytes:
    with patched_settings(SETTINGS):
        renderer = OpenApiYamlRenderer()
        return bytes(renderer.render(schema_dict(), renderer_context={}))  # type: ignore[no-untyped-call]


# Public, and never a way to try a password (no Basic or session authentication).
schema_view = SpectacularAPIView.as_view(
    custom_settings=SETTINGS, authentication_classes=[], permission_classes=[]
)


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
                    "summary": inline_code(op.get("summary", "")),
                    "parameters": [
                        {**p, "description": inline_code(p.get("description", ""))}
                        for p in op.get("parameters", [])
                    ],
                    "body": _ref_name(op.get("requestBody", {})),
                    "responses": [
                        {"status": status, "description": inline_code(r.get("description", ""))}
                        for status, r in op.get("responses", {}).items()
                    ],
                }
            )
    return out


def inline_code(text: str) -> SafeString:
    """A description's Markdown `code` spans as ``<code>``, everything else escaped (an
    unpaired backtick stays as it is)."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:
        return escape(text)
    html = "".join(
        f"<code>{escape(part)}</code>" if i % 2 else escape(part) for i, part in enumerate(parts)
    )
    return mark_safe(html)  # noqa: S308 - every part escaped


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
                "description": inline_code(prop.get("description", "")),
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
        "description": inline_code(schema.get("info", {}).get("description", "")),
        "operations": _operations(schema),
        "components": _components(schema),
    }
    return render(request, "api/reference.html", context)

"""The OpenAPI description: served at /api/v1/schema/, checked in as docs/api/openapi.yaml (this
test fails when the two drift apart), and a reference page for people that keeps the strict
Content Security Policy (rendered on the server, no script)."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

import pytest
import yaml

from elevstod.api import schema
from elevstod.api.schema import schema_yaml
from tests.test_content_security_policy import POLICY, _policy

# What a system integration may call (client credentials): the statistics, nothing else.
CLIENT_OPERATIONS = {
    "unit_statistics_retrieve": "statistics:units",
    "organiser_statistics_retrieve": "statistics:organiser",
}
CHECKED_IN = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"


def test_the_checked_in_description_is_the_one_the_app_serves(client, db):
    served = client.get(reverse("api:schema"))
    assert served.status_code == 200
    assert yaml.safe_load(served.content) == yaml.safe_load(CHECKED_IN.read_text()), (
        "the API changed: run `manage.py api_schema > docs/api/openapi.yaml`"
    )
    assert schema_yaml().decode() == CHECKED_IN.read_text()


def test_every_operation_has_an_id_a_summary_and_documented_errors():
    schema = yaml.safe_load(CHECKED_IN.read_text())
    for path, item in schema["paths"].items():
        for method, op in item.items():
            assert op.get("operationId"), (method, path)
            assert {"401", "404", "429"} <= set(op["responses"]), (method, path)
            if op["operationId"] in CLIENT_OPERATIONS:
                scope = CLIENT_OPERATIONS[op["operationId"]]
                assert op["security"] == [
                    {"personalAccessToken": []},
                    {"clientCredentials": [scope]},
                ], (method, path)
            else:
                assert op["security"] == [{"personalAccessToken": []}], (method, path)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_reference_page_lists_every_operation_under_the_strict_policy(client, db, language):
    client.cookies["elevstod_language"] = language
    answer = client.get(reverse("api:reference"))
    assert answer.status_code == 200
    assert _policy(answer) == POLICY
    html = answer.content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    schema = yaml.safe_load(CHECKED_IN.read_text())
    for item in schema["paths"].values():
        for op in item.values():
            assert f'id="{op["operationId"]}"' in html


def test_the_reference_page_names_its_version_columns_and_shows_code_as_code(client, db):
    html = client.get(reverse("api:reference")).content.decode()
    assert "<h1>Elevstöd API, version 1</h1>" in html
    assert "<code>Authorization: Bearer &lt;token&gt;</code>" in html
    assert "`" not in html
    assert '<th scope="col">Skickas i</th>' in html
    assert '<nav aria-labelledby="ops-title" class="contents">' in html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Send `a<b>` or `c`.", "Send <code>a&lt;b&gt;</code> or <code>c</code>."),
        ("No code <here>.", "No code &lt;here&gt;."),
        ("One ` backtick", "One ` backtick"),
    ],
)
def test_a_descriptions_backticks_become_code_and_the_rest_is_escaped(text, html):
    assert schema.inline_code(text) == html

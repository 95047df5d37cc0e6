"""`make serve` (scripts/serve.sh): refuses to start without its keys, otherwise migrates,
collects the static files and serves the app under production settings with gunicorn: pages
behind the TLS proxy, static files compressed with far-future cache headers, JSON log lines."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.servers import ROOT, Client, Served, fresh_database, production_env

pytestmark = pytest.mark.worker


def _serve_without(tmp_path, **env_changes):
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'never.sqlite3'}")
    env.update(env_changes)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("key", ["ELEVSTOD_SECRET_KEY", "ELEVSTOD_AUDIT_KEY"])
def test_serve_refuses_to_start_without_a_key_and_says_which(tmp_path, key):
    result = _serve_without(tmp_path, **{key: None})
    assert result.returncode == 2
    assert f"{key} is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr  # and how to make one
    assert not (tmp_path / "never.sqlite3").exists()  # nothing was started or migrated


def test_serve_refuses_a_short_secret_key(tmp_path):
    result = _serve_without(tmp_path, ELEVSTOD_SECRET_KEY="too-short")
    assert result.returncode == 2
    assert "40 characters or more" in result.stderr


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("serve")
    with fresh_database(tmp_path) as database_url:
        server = Served(production_env(tmp_path, database_url), tmp_path / "serve.log")
        try:
            server.wait_healthy()
            yield server
        finally:
            server.stop()


def test_serve_answers_behind_the_tls_proxy_with_collected_compressed_static_files(served):
    page = Client().get(served.url, "/konto/logga-in/")
    assert page.status == 200
    assert page.header("Strict-Transport-Security").startswith("max-age=")
    css = re.search(r'href="(/static/elevstod/app\.[0-9a-f]{12}\.css)"', page.text)
    assert css, "the page links the hashed name from the manifest"
    # when the browser asks for the stylesheet
    import urllib.request

    request = urllib.request.Request(  # noqa: S310
        f"{served.url}{css.group(1)}",
        headers={"Accept-Encoding": "gzip", "X-Forwarded-Proto": "https"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        assert answer.headers["Content-Encoding"] == "gzip"
        assert "immutable" in answer.headers["Cache-Control"]
        assert "max-age=315360000" in answer.headers["Cache-Control"]
    # and every request was one JSON line with its id, route, status and duration
    lines = [json.loads(line) for line in served.output().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("logger") == "elevstod.request"]
    login = [line for line in requests if line["path"] == "/konto/logga-in/"]
    assert login
    assert {"request_id", "user_id", "route", "status", "duration_ms"} <= set(login[0])
    assert login[0]["route"] == "accounts:login"


def test_serve_redirects_plain_http_to_https_but_not_the_health_probe(served):
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirected:
        opener.open(f"{served.url}/konto/logga-in/", timeout=10)
    assert redirected.value.code == 301
    assert redirected.value.headers["Location"].startswith("https://")
    with opener.open(f"{served.url}/readyz", timeout=10) as answer:
        assert json.loads(answer.read())["status"] == "ok"

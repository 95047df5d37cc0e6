"""The app as production runs it, for the tests of deployment: ``scripts/serve.sh`` (gunicorn,
the task worker) in its own process group on a free port, under production settings, and a
small HTTP client that talks to it as the TLS proxy would (``X-Forwarded-Proto: https``,
keeping the Secure cookies that an ``http://`` client would drop)."""

from __future__ import annotations

import http.cookies
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.browser.server import fresh_database

ROOT = Path(__file__).resolve().parents[1]
MANAGE = ROOT / "manage.py"
__all__ = ["ROOT", "Client", "Served", "free_port", "fresh_database", "manage", "production_env"]


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ELEVSTOD_", "DJANGO_", "PROMETHEUS_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "elevstod.config.settings.production",
            "DATABASE_URL": database_url,
            "ELEVSTOD_SECRET_KEY": secrets.token_urlsafe(48),
            "ELEVSTOD_AUDIT_KEY": secrets.token_urlsafe(48),
            "ELEVSTOD_VAR_DIR": str(tmp_path),
            "ELEVSTOD_AUDIT_CHECKPOINT_FILE": str(tmp_path / "checkpoints.jsonl"),
            "ELEVSTOD_EMAIL_BACKEND": "file",
            "ELEVSTOD_EMAIL_FILE_PATH": str(tmp_path / "mail"),
            "ELEVSTOD_WEB_WORKERS": "1",
            "PY": sys.executable,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(MANAGE), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return result


class Served:
    """``scripts/serve.sh`` with ``env`` on a free port, stopped (its whole group) by ``stop``."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                ["bash", str(ROOT / "scripts" / "serve.sh")],
                cwd=ROOT,
                env={**env, "HOST": "127.0.0.1", "PORT": str(self.port)},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_healthy(self, seconds: float = 90) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"serve.sh exited:\n{self.output()[-4000:]}", pytrace=False)
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        pytest.fail(f"no /healthz from serve.sh:\n{self.output()[-4000:]}", pytrace=False)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Response:
    def __init__(self, status: int, headers: object, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return str(self.headers.get(name, ""))  # type: ignore[attr-defined]


class Client:
    """One browser: its cookies, sent to whichever server ``base`` names (a shared session)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, base: str, path: str, data: dict[str, str] | None = None) -> Response:
        headers = {"X-Forwarded-Proto": "https", "Origin": base.replace("http://", "https://")}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(f"{base}{path}", data=body, headers=headers)  # noqa: S310
        try:
            with _OPENER.open(request, timeout=30) as answer:
                response = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            response = Response(error.code, error.headers, error.read())
        for value in response.headers.get_all("Set-Cookie") or []:  # type: ignore[attr-defined]
            for name, morsel in http.cookies.SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, base: str, path: str) -> Response:
        return self.request(base, path)

    def post_form(self, base: str, path: str, data: dict[str, str]) -> Response:
        """GET the page for its CSRF token, then POST ``data`` with it, as a browser does."""
        page = self.get(base, path)
        found = _CSRF_FIELD.search(page.text)
        assert found, f"no form with a CSRF token at {path}: {page.status}"
        return self.request(base, path, {**data, "csrfmiddlewaretoken": found.group(1)})

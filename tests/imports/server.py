"""A real SS 12000 HTTP server in the test process, serving an export built by ``ssdata``:
paging with limit/pageToken, meta.modified.after, deletedEntities, a bearer token (given, or
from its OAuth2 token endpoint), and scripted trouble (429 with Retry-After, 500, slowness,
a body cut off)."""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Trouble:
    path: str  # e.g. "/persons"
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    cut_off: bool = False


@dataclass
class State:
    export: dict[str, list[dict[str, Any]]]
    deleted: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # kind: (when, id)
    token: str = "s3cret"
    client: tuple[str, str] = ("elevstod", "client-secret")
    issued: str = "issued-token"
    trouble: list[Trouble] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    tokens_issued: int = 0


def _page(records: list[Any], query: dict[str, list[str]]) -> tuple[list[Any], str | None]:
    if "pageToken" in query:
        after, offset = json.loads(base64.urlsafe_b64decode(query["pageToken"][0]))
    else:
        after, offset = query.get("meta.modified.after", [""])[0], 0
    if after:
        records = [r for r in records if r.get("meta", {}).get("modified", "") >= after]
    limit = int(query.get("limit", ["100"])[0])
    chunk = records[offset : offset + limit]
    more = offset + limit < len(records)
    token = base64.urlsafe_b64encode(json.dumps([after, offset + limit]).encode()).decode()
    return chunk, token if more else None


class Handler(BaseHTTPRequestHandler):
    state: State

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(
        self, status: int, body: Any, headers: dict[str, str] | None = None, cut_off: bool = False
    ) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode()
        if cut_off:
            raw = raw[: len(raw) // 2]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def do_POST(self) -> None:
        if urlparse(self.path).path != "/token":
            return self._send(404, {"code": "404", "message": "not found"})
        expected = base64.b64encode(":".join(self.state.client).encode()).decode()
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Authorization") != f"Basic {expected}":
            return self._send(401, {"error": "invalid_client"})
        self.state.tokens_issued += 1
        self._send(
            200, {"access_token": self.state.issued, "token_type": "Bearer", "expires_in": 3600}
        )

    def do_GET(self) -> None:
        url = urlparse(self.path)
        path = url.path.removeprefix("/ss12000")
        query = parse_qs(url.query)
        self.state.requests.append(f"{path}?{url.query}")
        if self.headers.get("Authorization") not in (
            f"Bearer {self.state.token}",
            f"Bearer {self.state.issued}",
        ):
            return self._send(401, {"code": "401", "message": "unauthorised"})
        for trouble in list(self.state.trouble):
            if trouble.path == path:
                self.state.trouble.remove(trouble)
                time.sleep(trouble.delay)
                if trouble.cut_off:
                    return self._send(
                        200, {"data": self.state.export.get(path[1:], [])}, cut_off=True
                    )
                if trouble.status == 200:
                    break
                return self._send(
                    trouble.status, {"code": str(trouble.status), "message": "x"}, trouble.headers
                )
        if path == "/deletedEntities":
            after = query.get("after", [""])[0]
            data = {
                kind: [i for when, i in rows if when >= after]
                for kind, rows in self.state.deleted.items()
            }
            return self._send(200, {"data": data, "pageToken": None})
        kind = path[1:]
        if kind not in self.state.export:
            return self._send(404, {"code": "404", "message": "not found"})
        records, token = _page(self.state.export[kind], query)
        self._send(200, {"data": records, "pageToken": token})


class Server:
    def __init__(self, state: State) -> None:
        handler = type("BoundHandler", (Handler,), {"state": state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.state = state
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/ss12000"

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

"""Log lines as JSON, one object per line, each with the id of the request it belongs to.

An exception is logged as its type and stack frames, never its message: a database error
repeats the values it refused (``Key (civic_number)=(…) already exists``), and a log line must
hold no pupil's name or personal identity number. This module imports nothing of the app, so
gunicorn's own log can use the formatter before the app is loaded."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def request_id_set(request_id: str) -> Callable[[], None]:
    """Mark what is logged from now on with ``request_id``; returns the undo."""
    token = _request_id.set(request_id)
    return lambda: _request_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, and the
    request's fields for request lines; an exception as its type and frames only."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id:
            line["request_id"] = request_id
        http = getattr(record, "http", None)
        if isinstance(http, dict):
            line.update(http)
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = record.exc_info[0].__name__
            line["frames"] = [
                f"{frame.filename}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(record.exc_info[2])
            ]
        return json.dumps(line, ensure_ascii=False, default=str)

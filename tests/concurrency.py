"""Calls made at the same moment, as requests on several servers make them: each in a thread
of its own with its own database connections, released by one barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

from elevstod.core.errors import DomainError


def race(*calls: Callable[[], Any], timeout: float = 60) -> list[str]:
    """The calls run at once; their outcomes, sorted: ``ok``, ``refused`` (a ``DomainError``)
    or the name of any other exception."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        except Exception as error:  # reported to the test by name
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    return sorted(outcomes)

"""Helpers for the login tests: the step-up is real here (no automatic verification)."""

from __future__ import annotations

import re

import pytest

from elevstod.accounts import sms

from ..support.conftest import School, school  # noqa: F401  (the small school, shared)

pytestmark = pytest.mark.real_step_up


def last_code() -> str:
    """The code of the last SMS sent (the locmem backend's outbox)."""
    assert sms.outbox, "no SMS was sent"
    match = re.search(r"\b(\d{6})\b", sms.outbox[-1].text)
    assert match, sms.outbox[-1].text
    return match.group(1)

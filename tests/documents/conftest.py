"""The PDF tests need WeasyPrint's system libraries (Pango, HarfBuzz, the DejaVu fonts) and
poppler's ``pdftotext`` (``scripts/ensure-pdf-tools.sh`` installs them). Without them the tests
are skipped with a plain reason, or fail when ``ELEVSTOD_REQUIRE_PDF=1`` (CI)."""

from __future__ import annotations

import os
import shutil
from types import SimpleNamespace

import pytest

from elevstod.support.models import PartyNotification
from elevstod.support.services.decisions import decision_notify_party
from tests.builders import decided_programme


def _missing() -> str:
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        return f"WeasyPrint's system libraries are missing ({error})"
    if shutil.which("pdftotext") is None:
        return "pdftotext (poppler-utils) is missing"
    return ""


@pytest.fixture(autouse=True)
def _pdf_tools():
    missing = _missing()
    if not missing:
        return
    message = f"{missing}: run scripts/ensure-pdf-tools.sh"
    if os.environ.get("ELEVSTOD_REQUIRE_PDF", "").strip() == "1":
        pytest.fail(f"{message}; ELEVSTOD_REQUIRE_PDF=1 requires it")
    pytest.skip(message)


@pytest.fixture
def decided(cast):
    """The cast's pupil with a decided action programme; the guardian notified in person."""
    programme = decided_programme(cast)
    decision = programme.decisions.get()
    decision_notify_party(
        actor=cast.principal,
        decision=decision,
        party=cast.guardian.person,
        notified_on=decision.decided_on,
        method=PartyNotification.Method.IN_PERSON,
    )
    return SimpleNamespace(programme=programme, decision=decision)


@pytest.fixture
def protected_decided(cast):
    """The protected pupil with a decided programme (the mentor responsible for its measure)."""
    staff = SimpleNamespace(
        principal=cast.principal,
        pupil=cast.protected_pupil,
        teacher=cast.mentor,
        health=cast.health,
    )
    programme = decided_programme(staff)
    return SimpleNamespace(programme=programme, decision=programme.decisions.get())

"""Every page that shows a document offers it ("Skriv ut / PDF"), and pages print without the
navigation, forms and buttons (rendered in print media by tests/browser/test_print_pages.py)."""

from __future__ import annotations

from pathlib import Path

from django.urls import reverse

import pytest

from tests.builders import page

pytestmark = pytest.mark.django_db

APP_CSS = Path(__file__).resolve().parents[2] / "src/elevstod/core/static/elevstod/app.css"


def test_the_pages_link_their_documents(client, cast, decided):
    programme, decision = decided.programme, decided.decision
    client.force_login(cast.principal)
    for page_url, document_url in (
        (
            reverse("support:programme_detail", args=[programme.pk]),
            reverse("documents:programme_pdf", args=[programme.pk]),
        ),
        (
            reverse("support:decision_detail", args=[decision.pk]),
            reverse("documents:decision_pdf", args=[decision.pk]),
        ),
        (
            reverse("support:investigation_detail", args=[programme.investigation_id]),
            reverse("documents:investigation_pdf", args=[programme.investigation_id]),
        ),
        (
            reverse("organisation:pupil_detail", args=[cast.pupil.pk]),
            reverse("documents:history_pdf", args=[cast.pupil.pk]),
        ),
    ):
        body = page(client, page_url)
        assert f'href="{document_url}"' in body, page_url
        assert "Skriv ut / PDF" in body or "skriv ut / PDF" in body, page_url


def test_the_pupil_page_offers_no_history_to_whom_may_not_see_the_support(client, cast):
    client.force_login(cast.admin)
    body = page(client, reverse("organisation:pupil_detail", args=[cast.pupil.pk]))
    assert reverse("documents:history_pdf", args=[cast.pupil.pk]) not in body


def test_pages_print_without_navigation_forms_and_buttons():
    css = APP_CSS.read_text(encoding="utf-8")
    rules = css.split("@media print", 1)[1]
    for selector in (".site-header", ".site-footer", "nav", "form", "button", ".actions"):
        assert selector in rules.split("display: none")[0], selector

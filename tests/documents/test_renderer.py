"""The renderer reaches nothing outside the application: only the app's own static files."""

from __future__ import annotations

import logging

import pytest

from elevstod.documents import render

from .pdf import assert_tagged_pdf_ua, pdf_text

STATIC = render.BASE_URL + "static/"


def test_the_fetcher_serves_the_apps_own_static_files():
    assert render.static_path(
        STATIC + "documents/document.css",
    )
    assert render.static_path(STATIC + "documents/document.css").endswith("document.css")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.css",
        "https://example.org/static/documents/document.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        STATIC + "../../../../etc/passwd",
        STATIC + "documents/none-such.css",
        STATIC,
    ],
)
def test_the_fetcher_refuses_anything_else(url):
    assert render.static_path(url) is None


def test_a_document_asking_for_the_network_is_rendered_without_it(caplog):
    html = (
        '<!doctype html><html lang="sv-SE"><head><meta charset="utf-8"><title>Prov</title>'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"></head>'
        '<body><h1>Prov</h1><img src="file:///etc/hostname" alt="en bild"></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="elevstod.documents.render"):
        pdf = render.html_to_pdf(html)
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert any("127.0.0.1:9" in m for m in refused)
    assert any("file:///etc/hostname" in m for m in refused)
    assert_tagged_pdf_ua(pdf, lang="sv-SE", title="Prov")
    assert "Prov" in pdf_text(pdf)


@pytest.mark.django_db
def test_without_the_pdf_libraries_the_user_is_told_plainly_not_given_a_500(
    client, cast, decided, monkeypatch
):
    def unavailable(html: str) -> bytes:
        raise render.DocumentsUnavailable("no Pango")

    monkeypatch.setattr(render, "html_to_pdf", unavailable)
    client.force_login(cast.teacher)
    response = client.get(f"/atgardsprogram/{decided.programme.pk}/pdf/")
    assert response.status_code == 503
    assert "Skriv ut sidan från webbläsaren" in response.content.decode()

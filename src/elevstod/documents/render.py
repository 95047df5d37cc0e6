"""HTML templates to PDF/UA-1 (ISO 14289-1): tagged, with the document's language and title,
every font embedded. WeasyPrint is imported on first use: it loads Pango through its C bindings,
which neither the pages nor the tests that do not render need.

Rendering reaches nothing outside the application: the URL fetcher answers only for the app's
own static files and refuses everything else (the network, ``file:`` paths, data URLs)."""

from __future__ import annotations

import logging
import mimetypes
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

# The base URL the documents are rendered under: not a real host, nothing is ever fetched from
# it; the fetcher maps its static paths to files.
BASE_URL = "https://documents.elevstod.invalid/"
# The language tag of the PDF, by interface language (BCP 47, as PDF/UA asks).
LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}


class DocumentsUnavailable(RuntimeError):
    """This server cannot make PDFs: WeasyPrint's system libraries are missing."""


def static_path(url: str) -> str | None:
    """The file behind a URL of the app's own static files, or None for any other URL."""
    prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
    if not url.startswith(prefix):
        return None
    relative = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
    if not relative or ".." in relative.split("/"):
        return None
    found = finders.find(relative)
    return str(found) if isinstance(found, str) else None


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = static_path(url)
            if path is None:
                logger.warning("A document asked for %s: refused", url[:200])
                raise ValueError("documents may use only the application's static files")
            with open(path, "rb") as f:
                body = f.read()
            mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, headers={"Content-Type": mime})

    return StaticOnlyFetcher()


def language_tag() -> str:
    return LANGUAGE_TAGS.get(translation.get_language() or settings.LANGUAGE_CODE, "sv-SE")


def render_html(template: str, context: dict[str, Any]) -> str:
    return render_to_string(template, {**context, "language_tag": language_tag()})


def html_to_pdf(html: str) -> bytes:
    """The HTML as a PDF/UA-1 document. The title is the HTML's ``<title>``, the language its
    ``<html lang>``."""
    try:
        from weasyprint import HTML
    except OSError as error:  # Pango or its fonts are missing
        raise DocumentsUnavailable(str(error)) from error
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
    pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """The template rendered in the active language, as a PDF/UA-1 document."""
    return html_to_pdf(render_html(template, context))

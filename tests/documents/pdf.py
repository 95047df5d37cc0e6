"""Reading the PDFs the tests get: their structure (pikepdf) and their text (pdftotext)."""

from __future__ import annotations

import io
import subprocess

import pikepdf

PDFUA_PART = "{http://www.aiim.org/pdfua/ns/id/}part"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def pdf_text(data: bytes) -> str:
    """The text as a reader would copy it; lines joined so a sentence can be looked for."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(out.stdout.decode().split())


def fonts(pdf: pikepdf.Pdf) -> list[tuple[str, bool]]:
    """Each font of each page, and whether its program is embedded."""
    found = []
    for page in pdf.pages:
        for _name, font in page.Resources.get("/Font", {}).items():
            descendants = font.get("/DescendantFonts")
            descriptor = descendants[0].FontDescriptor if descendants else font.FontDescriptor
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found.append((str(font.BaseFont), embedded))
    return found


def structure(data: bytes) -> dict[str, object]:
    """What PDF/UA-1 asks of a document's structure, as found in it."""
    pdf = pikepdf.open(io.BytesIO(data))
    root = pdf.Root
    with pdf.open_metadata() as meta:
        xmp = {"pdfua_part": meta.get(PDFUA_PART), "title": meta.get(DC_TITLE)}
    tags = set()
    if "/StructTreeRoot" in root:
        _collect_tags(root.StructTreeRoot, tags, depth=0)
    return {
        "struct_tree": "/StructTreeRoot" in root,
        "marked": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
        "lang": str(root.get("/Lang", "")),
        "display_title": bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)),
        "fonts": fonts(pdf),
        "tags": tags,
        **xmp,
    }


def _collect_tags(node: object, tags: set[str], depth: int) -> None:
    if depth > 60:
        return
    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            tags.add(str(node.S))
        kids = node.get("/K")
        if kids is not None:
            _collect_tags(kids, tags, depth + 1)
    elif isinstance(node, pikepdf.Array):
        for kid in node:
            _collect_tags(kid, tags, depth + 1)


def assert_tagged_pdf_ua(data: bytes, *, lang: str, title: str) -> dict[str, object]:
    found = structure(data)
    assert data.startswith(b"%PDF-")
    assert found["struct_tree"], "no structure tree: the PDF is not tagged"
    assert found["marked"], "MarkInfo /Marked is not true"
    assert found["lang"] == lang
    assert found["pdfua_part"] == "1", "no PDF/UA-1 identifier in the XMP metadata"
    assert title in str(found["title"])
    assert found["display_title"], "the viewer is not told to show the title"
    assert found["fonts"], "no fonts"
    assert all(embedded for _, embedded in found["fonts"]), found["fonts"]  # type: ignore[attr-defined]
    return found

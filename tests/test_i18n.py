"""The interface is Swedish by default: every message has a Swedish translation, compiled."""

from pathlib import Path

from django.conf import settings

import polib

LOCALE = Path(settings.LOCALE_PATHS[0])


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_every_message_has_a_swedish_translation():
    po = _catalogue("sv")
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_swedish_catalogue_matches_the_source():
    po = _catalogue("sv")
    mo = polib.mofile(str(LOCALE / "sv" / "LC_MESSAGES" / "django.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    source = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in po.translated_entries()}
    stale = sorted(k[1] for k in source if compiled.get(k) != source[k])
    assert stale == [], "run `make messages` to recompile the catalogue"


def test_every_gettext_message_in_the_code_is_in_the_catalogue():
    """A message added to a template or module without `make messages` shows in English."""
    import re

    src = Path(settings.SRC_DIR)
    known = {e.msgid for e in _catalogue("sv")}
    pattern = re.compile(
        r"""(?:\{%\s*translate\s+|\bgettext_lazy\(|\b_\()\s*(["'])(.+?)\1(?!\s*["'])"""
    )
    found: set[str] = set()
    for path in list(src.rglob("*.html")) + list(src.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            text = match.group(2).replace("\\'", "'")
            if path.suffix == ".py":
                text = text.replace("\\n", "\n").replace('\\"', '"')
            found.add(text)
    missing = sorted(found - known)
    assert missing == [], "run `make messages` and translate"


def test_an_english_browser_still_gets_swedish_until_the_user_chooses(client):
    page = client.get("/konto/logga-in/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Logga in" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/konto/logga-in/"})
    page = client.get("/konto/logga-in/", HTTP_ACCEPT_LANGUAGE="sv-SE")
    assert "Log in to Elevstöd" in page.content.decode()
    assert page["Content-Language"] == "en"

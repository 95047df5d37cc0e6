"""Readies a new web worker before it takes its first request, so no user waits for what is
done once per process: importing every view through the URL configuration, compiling every
template (the cached loader keeps them), and reading both languages' message catalogues.

Called from gunicorn's ``post_worker_init`` (``gunicorn_conf.py``), in the worker itself: the
database is not touched, so nothing is shared between forked processes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver
from django.utils import translation


def template_names() -> list[str]:
    """Every template name of the project's own apps (others' load when they are used)."""
    configured: list[dict[str, Any]] = settings.TEMPLATES
    dirs = [Path(d) for e in configured for d in e.get("DIRS", [])]
    dirs += [Path(d) for d in get_app_template_dirs("templates")]
    own = Path(settings.SRC_DIR).resolve()
    names: set[str] = set()
    for root in dirs:
        if root.resolve().is_relative_to(own):
            names |= {p.relative_to(root).as_posix() for p in root.rglob("*.html")}
    return sorted(names)


def warm() -> int:
    """Returns how many templates were compiled."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 (imports every view module)
    resolver.reverse_dict  # noqa: B018 (fills the reverse lookup of every URL name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Elevstöd")
    compiled = 0
    for engine in engines.all():
        for name in template_names():
            try:
                engine.get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError):
                continue
            compiled += 1
    return compiled

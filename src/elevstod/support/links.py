"""Pages of other apps that belong with an extra adaptation, declared by those apps (the owner
declares): the development plan of the term the adaptation appears in, say. The support app
only shows them, so it never imports the apps above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import ExtraAdaptation


@dataclass(frozen=True)
class RelatedLink:
    label: Any  # a translated text
    url: str


# ``link(adaptation)``: the related page, or None. Runs no query: the page it points to checks.
AdaptationLink = Callable[[ExtraAdaptation], RelatedLink | None]

ADAPTATION_LINKS: list[AdaptationLink] = []


def register_adaptation_link(link: AdaptationLink) -> None:
    if link in ADAPTATION_LINKS:
        raise ValueError(f"adaptation link {link!r} is registered twice")
    ADAPTATION_LINKS.append(link)


def adaptation_links(adaptation: ExtraAdaptation) -> list[RelatedLink]:
    return [found for link in ADAPTATION_LINKS if (found := link(adaptation)) is not None]

"""Pages of other apps that belong with an extra adaptation, declared by those apps (the owner
declares): the development plan of the term the adaptation appears in, say; and where a unit
without the support module writes a pupil's adaptations instead (the school's efforts of the
development plan), linked from the module's "not enabled" page. The support app only shows
them, so it never imports the apps above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from elevstod.core.actors import AnyUser
from elevstod.organisation.access import Grant

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


# ``link(reader, grant)``: where the reader writes or reads the pupil's adaptations without the
# module, or None when the reader does not reach that page.
EffortsLink = Callable[[AnyUser, Grant], RelatedLink | None]

EFFORTS_LINKS: list[EffortsLink] = []


def register_efforts_link(link: EffortsLink) -> None:
    if link in EFFORTS_LINKS:
        raise ValueError(f"efforts link {link!r} is registered twice")
    EFFORTS_LINKS.append(link)


def efforts_links(reader: AnyUser, grant: Grant) -> list[RelatedLink]:
    return [found for link in EFFORTS_LINKS if (found := link(reader, grant)) is not None]

"""What the browser tests check on every page they visit: WCAG 2.1 A/AA with axe, no sideways
scrolling, a reachable menu and every table cell in view on phones, and a screenshot to look at
(``test-artifacts/screenshots``). Used through the fixtures in ``conftest.py``."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@functools.cache
def _axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def assert_accessible(page: Any) -> None:
    """Fail with a readable list when axe finds WCAG 2.0/2.1 A or AA violations on the page."""
    results = _axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    violations = results.response["violations"]
    if not violations:
        return
    lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'n/a'}): {violation['help']}"
            f" <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    pytest.fail("\n".join(lines), pytrace=False)


def assert_no_horizontal_scroll(page: Any) -> None:
    sizes = page.evaluate(
        # clientWidth, not innerWidth: a phone zooms out to fit wide content, which widens
        # innerWidth with it and would hide the overflow.
        "() => ({scroll: document.documentElement.scrollWidth,"
        " inner: document.documentElement.clientWidth})"
    )
    if sizes["scroll"] > sizes["inner"]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter((el) => el.getBoundingClientRect().right
                                > document.documentElement.clientWidth + 0.5)
                .slice(0, 8)
                .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                    + (el.className && typeof el.className === 'string'
                       ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))"""
        )
        pytest.fail(
            f"{page.url} scrolls sideways: scrollWidth {sizes['scroll']} > clientWidth "
            f"{sizes['inner']}; too wide: {', '.join(wide)}",
            pytrace=False,
        )


def assert_cells_within_viewport(page: Any) -> None:
    """Every shown table cell lies inside the viewport. A wide table in a scrolling box does not
    make the page scroll sideways, yet hides its last columns past the edge of a phone."""
    outside = page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            return [...document.querySelectorAll('td, tbody th')]
                .filter((el) => {
                    const box = el.getBoundingClientRect();
                    return box.width > 0 && box.height > 0
                        && (box.left < -0.5 || box.right > width + 0.5);
                })
                .slice(0, 8)
                .map((el) => (el.dataset.label ? el.dataset.label + ': ' : '')
                    + el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 40));
        }"""
    )
    if outside:
        pytest.fail(f"{page.url}: table cells past the edge: {' | '.join(outside)}", pytrace=False)


def assert_menu_within_reach(page: Any) -> None:
    """Every link and button of the site header lies inside the viewport (a menu that does not
    wrap pushes "Log out" past the edge of a phone without making the page scroll)."""
    outside = page.evaluate(
        """() => [...document.querySelectorAll('header a, header button')]
            .filter((el) => el.getBoundingClientRect().right
                            > document.documentElement.clientWidth + 0.5)
            .map((el) => el.textContent.trim())"""
    )
    if outside:
        pytest.fail(f"{page.url}: header items past the edge: {', '.join(outside)}", pytrace=False)


def save_screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, scale="css")
    return path

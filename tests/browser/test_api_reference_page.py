"""The API's reference page in real Chromium, on a laptop and a phone: the list of operations
one below the other inside the page (not one row past its edge, over the heading), accessible
(axe), no sideways scrolling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("kind", ["desktop", "phone"])
def test_the_reference_lists_the_operations_one_below_the_other_within_the_page(
    new_page: Callable[[str], Any], check_page: Callable[[Any, str], None], kind: str
) -> None:
    page = new_page(kind)
    page.goto("/api/v1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Elevstöd API, version 1")
    check_page(page, f"api-reference-{kind}")
    boxes = page.locator("nav.contents li").evaluate_all(
        "items => items.map(i => { const r = i.getBoundingClientRect();"
        " return [r.left, r.top, r.right]; })"
    )
    width = page.evaluate("() => document.documentElement.clientWidth")
    assert len(boxes) > 10
    assert all(right <= width for _left, _top, right in boxes)
    tops = [top for _left, top, _right in boxes]
    assert tops == sorted(tops)
    assert len(set(tops)) == len(tops)  # each on a line of its own
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width

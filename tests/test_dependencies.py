"""Dependencies point one way (docs/architecture.md, "Dependencies"): read every module's imports
with ``ast`` (function-local ones too: they are how circles hide) and check them against the
layers, and that no two modules of an app import each other round a circle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "elevstod"

# Top to bottom. A module belongs to the layer with the longest matching prefix and may import
# only its own layer and those below it. The owner of a cross-cutting feature keeps a registry
# low down (audit.registry, notifications.registry); the apps above register there from their
# registrations module.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("config", ("config",)),
    ("home", ("home",)),
    # The REST API: endpoints over the services, selectors and access layer of the apps below.
    ("api", ("api",)),
    # The pupil page composes the support section (and asks for the step-up): a page at the top.
    ("pupil pages", ("organisation.views", "organisation.urls")),
    # The PDF documents read through the support selectors and the pupil page's rules.
    ("documents", ("documents",)),
    # Overviews and statistics read support and organisation records (the group page marks
    # pupils with support); support never imports them.
    ("overviews", ("overviews",)),
    # The development talk and its plan read the pupil's adaptations through support.
    ("conversations", ("conversations",)),
    ("support", ("support",)),
    # SS 12000 import and its administrator's page: writes only through the organisation
    # services; support hears of pupils who left through imports.hooks, where it registers.
    ("imports", ("imports",)),
    ("notifications", ("notifications",)),
    # The log search, the register extract and disposal read through the access layer.
    (
        "records management",
        ("audit.views", "audit.urls", "audit.selectors", "audit.extract", "audit.disposal"),
    ),
    ("accounts", ("accounts",)),
    ("organisation", ("organisation",)),
    # The log itself, which every app writes to, and the registries.
    ("audit", ("audit",)),
    ("core", ("core",)),
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / PACKAGE).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if len(parts) > 1:  # the top package itself holds nothing
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(module: str) -> Iterator[tuple[str, int]]:
    """The project modules ``module`` imports (anywhere in it), with the line."""
    path = MODULES[module]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node)
            if target.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                name = f"{target}.{alias.name}"
                yield (name if name in MODULES else target), node.lineno


def _layer(module: str) -> tuple[int, str]:
    """(rank from the top, name) of the layer ``module`` belongs to."""
    matches = [
        (len(prefix), rank, name)
        for rank, (name, prefixes) in enumerate(LAYERS)
        for prefix in prefixes
        if f"{module}.".startswith(f"{PACKAGE}.{prefix}.")
    ]
    assert matches, f"{module} is in no layer: add it to LAYERS"
    _length, rank, name = max(matches)
    return rank, name


def layer_violations() -> list[str]:
    found: set[str] = set()
    for module in MODULES:
        rank, layer = _layer(module)
        for target, line in imports_of(module):
            target_rank, target_layer = _layer(target)
            if target_rank < rank:
                found.add(f"{module}:{line} ({layer}) imports {target} ({target_layer})")
    return sorted(found)


def _app(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def circles() -> list[list[str]]:
    """Strongly connected groups of more than one module inside one app (Tarjan)."""
    graph = {
        m: {t for t, _ in imports_of(m) if t in MODULES and _app(t) == _app(m)} for m in MODULES
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_a_layer_above_its_own():
    assert layer_violations() == []


def test_no_import_circles_inside_an_app():
    assert circles() == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from elevstod.support.models import Decision\n", "elevstod.support.models"),
        ("def f():\n    from elevstod.support import workflow\n", "elevstod.support.workflow"),
    ],
)
def test_the_check_sees_module_level_and_function_local_imports(tmp_path, source, expected):
    # given a module of the lowest layer importing from the top, at module level or in a function
    module = f"{PACKAGE}.core.zz_probe"
    MODULES[module] = tmp_path / "zz_probe.py"
    MODULES[module].write_text(source)
    try:
        # then both the import and the violation are seen
        assert [t for t, _ in imports_of(module)] == [expected]
        assert any(v.startswith(f"{module}:") for v in layer_violations())
    finally:
        del MODULES[module]


def test_the_check_sees_a_circle(tmp_path):
    # given two modules of the notifications app importing each other
    first, second = f"{PACKAGE}.notifications.zz_a", f"{PACKAGE}.notifications.zz_b"
    MODULES[first] = tmp_path / "zz_a.py"
    MODULES[second] = tmp_path / "zz_b.py"
    MODULES[first].write_text("from . import zz_b\n")
    MODULES[second].write_text("def f():\n    from .zz_a import thing\n")
    try:
        assert [first, second] in circles()
    finally:
        del MODULES[first], MODULES[second]

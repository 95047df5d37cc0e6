"""Code stays small enough to read (STYLE.md, "Size and tooling"): no module of the app over
400 lines and no function over 40, migrations and demo data (``*/demo*.py``) aside, and no
test module over 400 lines either (a grab-bag is split by what it tests). Read with ``ast``, so
a long function is found wherever it is, nested ones included."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 40  # from the ``def`` line to the last line of the body


def _sources() -> Iterator[Path]:
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts or path.name.startswith("demo"):
            continue
        yield path


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _length(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    return (node.end_lineno or node.lineno) - node.lineno + 1


def test_the_walk_finds_the_apps_modules_but_no_migration_or_demo_data():
    names = {p.relative_to(SRC).as_posix() for p in _sources()}
    assert "elevstod/organisation/access.py" in names
    assert "elevstod/support/views/programmes.py" in names
    assert not any("/migrations/" in n or n.rsplit("/", 1)[-1].startswith("demo") for n in names)


def test_no_module_is_over_400_lines():
    long = {
        p.relative_to(SRC).as_posix(): n
        for p in _sources()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, "split these modules (make a package)"


def test_no_test_module_is_over_400_lines():
    long = {
        p.relative_to(TESTS).as_posix(): n
        for p in sorted(TESTS.rglob("*.py"))
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, "split these test modules by what they test"


def test_no_function_is_over_40_lines():
    long = {
        f"{p.relative_to(SRC).as_posix()}:{f.lineno} {f.name}": _length(f)
        for p in _sources()
        for f in _functions(ast.parse(p.read_text(encoding="utf-8")))
        if _length(f) > MAX_FUNCTION_LINES
    }
    assert long == {}, "split these functions"


def test_a_long_function_is_found():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (f,) = _functions(ast.parse(f"def f():\n{body}\n"))
    assert _length(f) == MAX_FUNCTION_LINES + 1

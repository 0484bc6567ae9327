"""A house a newcomer can read: no module of ours over 300 lines, no function over 60
(from its ``def`` to its last line, as ``ast`` counts them)."""

from __future__ import annotations

import ast

from .conftest import ROOT

PACKAGES = ("core", "indexer", "engines", "search", "webapp", "presscut")
MODULE_LINES = 300
FUNCTION_LINES = 60


def oversized(relpath: str, source: str) -> list[str]:
    """What in one module is over the limits, each as a sentence naming it."""
    found = []
    lines = len(source.splitlines())
    if lines > MODULE_LINES:
        found.append(f"{relpath} has {lines} lines (at most {MODULE_LINES})")
    for node in ast.walk(ast.parse(source, relpath)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > FUNCTION_LINES:
                found.append(f"{relpath}:{node.lineno} {node.name}() has {length} lines "
                             f"(at most {FUNCTION_LINES})")
    return found


def modules() -> dict[str, str]:
    return {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
            for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def test_no_module_or_function_of_ours_is_over_the_limits():
    found = modules()
    assert len(found) > 100 and "webapp/views.py" in found  # the packages were read
    over = [line for relpath, source in found.items() for line in oversized(relpath, source)]
    assert not over, "Split by job: " + "; ".join(over)


def test_the_check_finds_a_long_module_and_a_long_function():
    body = "\n".join(f"    x = {n}" for n in range(60))
    assert oversized("m.py", f"def f():\n{body}\n") == ["m.py:1 f() has 61 lines (at most 60)"]
    assert oversized("m.py", f"async def f():\n{body[:-11]}\n") == []
    indented = "\n".join("    " + line for line in body.splitlines())
    method = f"class C:\n    @property\n    def f(self):\n{indented}\n"
    assert oversized("m.py", method) == ["m.py:3 f() has 61 lines (at most 60)"]
    assert oversized("m.py", "x = 1\n" * 301) == ["m.py has 301 lines (at most 300)"]
    assert oversized("m.py", "x = 1\n" * 300) == []

"""The seam between the window and the engine: ui/ imports the engine through search.api (and the
dataclasses of search.models) only, never a module behind it such as search.index (Whoosh).

Ruff's banned-api cannot say this for ui/ alone (its bans are global, and ui/ already ignores
TID251 to use Qt), so this test reads ui/'s sources: every import, at module level or inside a
function or an `if TYPE_CHECKING:` block, and importlib.import_module("search.…") calls."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parent.parent / "ui"
ALLOWED = {"search.api", "search.models"}


def engine_imports(source: str) -> list[tuple[int, str]]:
    """(line, module) of each `search` module the source imports."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "search":  # from search import api, index
                found += [(node.lineno, f"search.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return [(line, name) for line, name in found if name == "search" or name.startswith("search.")]


def forbidden(source: str) -> list[str]:
    return [f"line {line}: {name}" for line, name in engine_imports(source) if name not in ALLOWED]


@pytest.mark.parametrize("path", sorted(UI.rglob("*.py")), ids=lambda p: str(p.relative_to(UI)))
def test_ui_imports_the_engine_only_through_its_facade(path: Path) -> None:
    problems = forbidden(path.read_text(encoding="utf-8"))
    assert not problems, f"{path}: import these through search.api instead: {problems}"


@pytest.mark.parametrize(
    "source",
    [
        "from search.index import ArticleIndex",
        "import search.query",
        "from search import index",
        "def f():\n    from search.library import load_library",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from search.index import ArticleIndex",
        "import importlib\nimportlib.import_module('search.index')",
        "import search",
    ],
)
def test_the_check_sees_every_way_of_importing_the_engine(source: str) -> None:
    assert forbidden(source)


def test_the_facade_and_the_models_are_allowed() -> None:
    source = "from search.api import Library, field_clause\nfrom search.models import Hit\nfrom search import api, models\nimport search.api"
    assert forbidden(source) == []

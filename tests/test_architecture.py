"""console/ is the data path: it never imports widgets, painting, web engines or vlc.

This keeps every store and source testable without a screen (DESIGN.md §2).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = (
    "PySide6.QtWidgets",
    "PySide6.QtGui",
    "PySide6.QtWebEngine",
    "vlc",
    "widgets",
    "folium",
)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(node.lineno, node.module)]
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def is_forbidden(module: str) -> bool:
    return any(module == bad or module.startswith(bad) for bad in FORBIDDEN)


@pytest.mark.parametrize(
    "path", sorted((ROOT / "console").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_console_module_stays_headless(path: Path) -> None:
    offending = [
        f"line {line}: {module}" for line, module in imported_modules(path) if is_forbidden(module)
    ]
    assert not offending, f"{path.relative_to(ROOT)} imports {offending}"


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from PySide6.QtGui import QColor\nfrom PySide6 import QtWidgets\n")
    assert [m for _, m in imported_modules(sample) if is_forbidden(m)] == [
        "PySide6.QtGui",
        "PySide6.QtGui.QColor",
        "PySide6.QtWidgets",
    ]


def test_tests_read_only_files_of_the_repository() -> None:
    """A clone alone passes `make test`: no test names a folder beside the checkout."""
    here = Path(__file__).resolve()
    outside = [
        f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}"
        for path in (ROOT / "tests").rglob("*.py")
        if path != here
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and (node.value == "shared" or "../" in node.value or "/shared/" in node.value)
    ]
    assert not outside

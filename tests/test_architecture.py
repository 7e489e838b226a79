"""The import contract of ARCHITECTURE.md, checked on the source text (this is the one check).

console/ is the data path: it never imports widgets, painting, web engines or vlc, so every
store and source is testable without a screen. Inside it, packages depend only downwards
(`LAYERS`), and no module of the program is part of an import cycle.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
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
        and (node.value == "shared" or "../shared" in node.value or "/shared/" in node.value)
    ]
    assert not outside


# Which packages of console/ each package may import (besides itself).
LAYERS: dict[str, set[str]] = {
    "console.domain": set(),
    "console.layout": {"console.domain"},
    "console.site": {"console.domain", "console.layout"},
    "console.stores": {"console.domain"},
    "console.sources": {"console.domain", "console.layout", "console.site", "console.stores"},
    "console.actions": {"console.domain", "console.stores", "console.sources"},
    "console.video": {"console.domain", "console.layout", "console.stores"},
    "console.demo": {"console.domain"},
    "console.nodes": {"console.domain", "console.layout", "console.site", "console.sources"},
}


# Finer than LAYERS: site files share the layouts' file machinery, not their model.
ONLY_MODULES: dict[str, set[str]] = {"console.site": {"console.layout.positions"}}


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def program_modules() -> Iterator[tuple[str, Path]]:
    for folder in ("console", "widgets", "ioc_console"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def test_console_packages_depend_only_downwards() -> None:
    wrong = [
        f"{name} imports {module}"
        for name, path in program_modules()
        if package_of(name) in LAYERS
        for _, module in imported_modules(path)
        if module.startswith("console.")
        and package_of(module) not in LAYERS[package_of(name)] | {package_of(name)}
        and package_of(module) in LAYERS
    ]
    assert not wrong


def test_site_files_use_only_the_layouts_positions() -> None:
    wrong = [
        f"{name} imports {module}"
        for name, path in program_modules()
        if package_of(name) in ONLY_MODULES
        for _, module in imported_modules(path)
        if module.startswith("console.layout")
        and not any(
            module == allowed or module.startswith(f"{allowed}.")
            for allowed in ONLY_MODULES[package_of(name)]
        )
    ]
    assert not wrong


def import_graph() -> dict[str, set[str]]:
    """Module → the program's modules it imports at run time (type-only imports excluded)."""
    modules = dict(program_modules())
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {
            id(sub)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for sub in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in type_only or not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [f"{node.module}.{alias.name}" for alias in node.names]
            )
            for target in names:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in stack:
                low[node] = min(low[node], index[child])
    return found


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_console_top_level_holds_packages_and_few_modules() -> None:
    modules = [p.name for p in (ROOT / "console").glob("*.py") if p.name != "__init__.py"]
    assert len(modules) <= 4, modules


def test_no_module_is_over_400_lines() -> None:
    long = [
        f"{path.relative_to(ROOT)}: {lines}"
        for path in [*ROOT.glob("*.py"), *(p for _, p in program_modules())]
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert not long

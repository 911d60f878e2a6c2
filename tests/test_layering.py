"""The library's layers import only downwards (DESIGN.md, "Repository layout").

validation < core < tabular < deep; envs use core; book and experiments may import anything.
Every module of ``irlbook`` is parsed with ``ast``; imports inside functions count too, so a
lazy upward import is caught like any other.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "irlbook"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def resolve(importer: str, is_package: bool, node: ast.AST) -> set[str]:
    """Full names of everything ``node`` (an Import/ImportFrom) imports; irlbook names are resolved
    to the module they name (``from ..core import mdp`` -> ``irlbook.core.mdp``)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if node.level:
        base = importer.split(".") if is_package else importer.split(".")[:-1]
        base = base[:len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module
    names = set()
    for alias in node.names:
        candidate = f"{target}.{alias.name}"
        names.add(candidate if candidate in MODULES else target)
    return names


def imports_of(name: str) -> set[str]:
    path = MODULES[name]
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found |= resolve(name, path.name == "__init__.py", node)
    return found


IMPORTS = {name: imports_of(name) for name in MODULES}


def internal(names: set[str]) -> set[str]:
    """The irlbook modules among ``names``."""
    return {n for n in names if n == "irlbook" or n.startswith("irlbook.")}


def layer(name: str) -> str:
    """``validation``, ``core``, ``tabular``, ``deep``, ``envs``, ``book``, ``profile`` or ``irlbook``."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "irlbook"


ALLOWED = {
    "validation": set(),
    "core": {"validation", "core"},
    "tabular": {"validation", "core", "tabular"},
    "envs": {"validation", "core", "envs", "profile"},
    "profile": {"validation"},
}


def test_every_module_parses_and_is_seen():
    expected = {"irlbook.validation", "irlbook.core.mdp", "irlbook.tabular.maxent", "irlbook.envs.gridworld"}
    assert expected <= set(MODULES)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) in ALLOWED))
def test_layers_import_only_downwards(name):
    upward = {other for other in internal(IMPORTS[name]) if layer(other) not in ALLOWED[layer(name)]}
    assert not upward, f"{name} imports {sorted(upward)} (allowed layers: {sorted(ALLOWED[layer(name)])})"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) == "deep"))
def test_deep_does_not_import_book_or_experiments(name):
    bad = {other for other in IMPORTS[name]
           if layer(other) in ("book", "experiments") and other.startswith("irlbook.")
           or other.split(".")[0] == "experiments"}
    assert not bad, f"{name} imports {sorted(bad)}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) in ("validation", "core", "tabular", "envs")))
def test_numpy_layers_never_import_torch(name):
    torch = {other for other in IMPORTS[name] if other.split(".")[0] == "torch"}
    assert not torch, f"{name} imports {sorted(torch)}"


def test_validation_imports_numpy_only():
    third_party = {n.split(".")[0] for n in IMPORTS["irlbook.validation"]} - {"__future__"}
    assert third_party <= {"numpy", "numbers", "operator"}, third_party


def test_importing_the_library_and_tabular_does_not_load_torch():
    code = ("import irlbook, irlbook.tabular, irlbook.core, irlbook.envs; import sys; "
            "assert 'torch' not in sys.modules, 'torch was imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                            cwd=PACKAGE.parent, env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)})
    assert result.returncode == 0, result.stderr


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (a list of nodes, first == last) or None."""
    state: dict[str, int] = {}          # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_import_graph_has_no_cycle():
    graph = {name: internal(IMPORTS[name]) & set(MODULES) for name in MODULES}
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle)

"""The shape of the code: core's parts import without cycles, and the application and the
adapters use each part only through the names its package exports."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PARTS = sorted(p.name for p in (ROOT / "core").iterdir() if (p / "__init__.py").exists())


def _cycles(graph: grimp.ImportGraph, modules: set[str]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), i.e. import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module) & modules:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def test_core_has_only_packages_at_its_root() -> None:
    loose = sorted(p.name for p in (ROOT / "core").glob("*.py") if p.name != "__init__.py")
    assert loose == []
    assert {"storage", "tracking", "conversation", "staff"} <= set(PARTS)


def test_no_module_of_core_takes_part_in_an_import_cycle() -> None:
    graph = grimp.build_graph("core")
    modules = {m for m in graph.modules if ".migrations" not in m}
    assert _cycles(graph, modules) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="a")
    graph.add_import(importer="b", imported="c")
    assert _cycles(graph, {"a", "b", "c"}) == [["a", "b"]]


def _core_imports(folder: str) -> list[tuple[str, int, str, str]]:
    found = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "core":
                for alias in node.names:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.append((where, node.lineno, node.module or "", alias.name))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "core":
                        found.append((f"{path.relative_to(ROOT)}", node.lineno, alias.name, ""))
    return found


def test_bot_and_adapters_use_only_the_public_names_of_each_part() -> None:
    private = []
    for folder in ("bot", "adapters"):
        for where, _, module, name in _core_imports(folder):
            if module == "core" and name in PARTS:
                continue  # `from core import returns`: the part itself
            parts = module.split(".")
            if len(parts) == 2 and parts[1] in PARTS:
                exported = importlib.import_module(module).__all__
                if name in exported:
                    continue
            private.append(f"{where}: from {module} import {name}")
    assert private == []


def test_every_exported_name_exists() -> None:
    for part in PARTS:
        package = importlib.import_module(f"core.{part}")
        assert package.__doc__, f"core.{part} says nothing of what it owns"
        for name in getattr(package, "__all__", []):
            assert hasattr(package, name), f"core.{part} exports {name} but has none"


def test_each_exported_name_loads_only_the_module_that_defines_it() -> None:
    """A part loads a module when one of its names is first used: the name must point at
    the module that defines it, or using a constant would load a chain of modules."""
    import inspect

    for part in PARTS:
        package = importlib.import_module(f"core.{part}")
        exports = inspect.getclosurevars(package.__getattr__).nonlocals["exports"]
        assert sorted(exports) == sorted(package.__all__), part
        for name, module in exports.items():
            if module == f"core.{part}.{name}":
                continue  # a module exported as a namespace
            value = getattr(importlib.import_module(module), name)
            defined_in = getattr(value, "__module__", module)
            if inspect.isclass(value) or inspect.isfunction(value):
                assert defined_in == module, f"core.{part}.{name} is defined in {defined_in}"

"""journeymap.analytics has no import cycle, one dispatch, and result types in a leaf module (issue 13)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import journeymap
from journeymap import analytics

PKG = "journeymap.analytics"
ROOT = Path(analytics.__file__).parent
MODULES = sorted(f"{PKG}.{p.stem}" if p.stem != "__init__" else PKG for p in ROOT.glob("*.py"))


def _target(node: ast.ImportFrom | ast.Import, module: str) -> list[str]:
    """The journeymap.analytics modules an import statement loads."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:  # relative import
            parts = module.split(".")[: -node.level] if module != PKG else PKG.split(".")[: 1 - node.level]
            base = ".".join([*parts, base] if base else parts)
        names = [base]
        names += [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
    out = []
    for name in names:
        while name and name not in MODULES:  # "journeymap.analytics._x.y" -> the module that holds it
            name = name.rpartition(".")[0]
        if name.startswith(PKG):
            out.append(name)
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> analytics modules it imports, at module level or inside functions (ast; every import
    statement counts, also those under ``if TYPE_CHECKING``)."""
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        path = ROOT / ("__init__.py" if module == PKG else module.rsplit(".", 1)[1] + ".py")
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                edges.update(t for t in _target(node, module) if t != module)
        edges.discard(PKG) if module != PKG else None
        graph[module] = edges
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return [*stack[stack.index(n):], n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in graph:
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_the_graph_sees_function_level_imports():
    graph = import_graph()
    assert f"{PKG}._lazy" in graph[f"{PKG}.measures"]  # a module-level "from journeymap.analytics import _lazy"
    assert f"{PKG}._lazy_ingest" in graph[f"{PKG}.ingest"]  # imported inside read_events
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_analytics_import_graph_is_acyclic():
    graph = import_graph()
    assert len(graph) >= 18
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_nothing_imports_the_package_init_from_inside():
    graph = import_graph()
    assert [m for m, edges in graph.items() if PKG in edges] == []


@pytest.mark.parametrize("leaf", ["_types", "_rules", "_names", "_engine"])
def test_result_types_and_rules_are_leaves(leaf):
    assert import_graph()[f"{PKG}.{leaf}"] == set()


def test_result_types_are_importable_where_they_always_were():
    import importlib

    _types, conformance, discovery, ingest = (importlib.import_module(f"{PKG}.{m}")
                                              for m in ("_types", "conformance", "discovery", "ingest"))
    assert discovery.DFG is _types.DFG and discovery.Discovery is _types.Discovery
    assert conformance.ConformanceReport is _types.ConformanceReport
    assert ingest.IngestReport is _types.IngestReport and ingest.Ingested is _types.Ingested
    assert ingest.REASONS is _types.REASONS
    assert analytics.DFG is _types.DFG and analytics.EventLog.__module__ == f"{PKG}.eventlog"


_ALONE = """
import importlib, sys, types
pkg = types.ModuleType({pkg!r})
pkg.__path__ = [{root!r}]
sys.modules[{pkg!r}] = pkg  # the package without its __init__: each module must stand on its own imports
importlib.import_module({module!r})
heavy = sorted(m for m in ("matplotlib", "pyvis", "ipywidgets", "pyspark", "duckdb", "narwhals") if m in sys.modules)
print(heavy)
"""


@pytest.mark.parametrize("module", [m for m in MODULES if m != PKG])
def test_each_module_imports_alone_in_a_fresh_process(module):
    code = _ALONE.format(pkg=PKG, root=str(ROOT), module=module)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         cwd=Path(journeymap.__file__).parents[1])
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"  # no heavy engine or plotting library at import time


def _calls(name: str) -> list[str]:
    found = []
    for path in sorted(Path(journeymap.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                called = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if called == name:
                    found.append(f"{path.relative_to(ROOT.parents[1])}:{node.lineno}")
    return found


def test_only_the_dispatch_module_decides_the_engine():
    where = _calls("is_lazy")
    assert where, "the scan finds nothing: it is broken"
    assert all(w.startswith(("journeymap/analytics/_dispatch.py", "journeymap/analytics/_backend.py"))
               for w in where), where


@pytest.mark.parametrize("name", ["dfg", "variants", "funnel", "channel_transitions", "cross_channel_rate",
                                  "conversion_by_channel", "repeated_contacts", "conversion_paths",
                                  "conformance"])
def test_every_analytic_has_one_lazy_engine(name):
    fn = getattr(analytics, name)
    assert fn.lazy is not None and fn.lazy.__module__.startswith(f"{PKG}._lazy")
    assert fn.__wrapped__.__module__ == fn.__module__  # the body is the in-memory engine, next to its docs

"""The code itself: ruff and mypy find nothing (their settings are in pyproject.toml), clausescan's
modules import each other in no cycle, and every import points down the layers listed here."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "clausescan"


def test_ruff_finds_nothing():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "clausescan", "tests", "benchmarks",
                           "scripts", "samples"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_finds_nothing():
    # the files and settings are in pyproject.toml; no cache, so an old one never hides an error
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", "/dev/null"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_imports(path: Path, modules: set[str]) -> set[str]:
    """The clausescan modules a module imports, wherever the import statement is: at the top, or
    inside a function (an import there runs as surely, only later), relative imports resolved.

    Not counted: imports under `if TYPE_CHECKING:`, which never run and only let an annotation
    name a type (models.py says that DocumentResult.facts is a facts.ContractFacts this way); and a
    package's __init__, which Python runs before any module of the package, but which is no part of
    what the module uses (clausescan/__init__.py, the public interface, sits above every layer)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:   # `from . import json`: the module json; `from .x import y`: x, or x.y if a module
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in modules and m != name}


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    return {module_name(p): module_imports(p, modules) for p in paths}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(out)


def test_the_cycle_finder_finds_a_cycle_and_its_members_only():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_graph_sees_relative_and_function_level_imports():
    graph = import_graph()
    assert "clausescan.models" in graph["clausescan.report.json"]   # from ..models import ...
    assert "clausescan.report.json" in graph["clausescan.report.check"]   # from . import json, inside a function
    assert "clausescan.pipeline" in graph["clausescan"]   # clausescan.scan imports it when called
    assert "clausescan.diff" not in graph["clausescan.models"]   # under `if TYPE_CHECKING:`


def test_no_import_cycle_among_modules():
    found = cycles(import_graph())
    for component in found:
        print("import cycle:", " <-> ".join(component))
    assert not found


# clausescan's layers, lowest first: a module imports modules of its own layer or of lower ones,
# never of a higher one. So the data (models) knows nothing of how it is read, matched or shown;
# a stage that works on one document never reaches for the renderers or the batch; the renderers
# do not run scans; and only the batch module runs scans (of a folder, a diff's two files, a
# baseline template). A name is a module or a package (with all its modules); the longest name
# that fits a module says its layer. Within a layer the order is free, but cycles are not.
LAYERS = [
    # know nothing of contracts: errors, limits, the cache, input files, atomic file writes,
    # quantities (durations, money, number words, web addresses)
    ["clausescan.version", "clausescan.errors", "clausescan.limits", "clausescan.cache", "clausescan.inputs",
     "clausescan.report.atomic", "clausescan.quantities"],
    # the plain dataclasses passed between the stages
    ["clausescan.models"],
    # files into pages of text
    ["clausescan.extract"],
    # the rule library, and the language it is matched with
    ["clausescan.nlp", "clausescan.parties", "clausescan.definitions", "clausescan.rules"],
    # the stages on one document: cut up, match, read facts, tell its kind, judge
    ["clausescan.segment", "clausescan.ocrview", "clausescan.preamble", "clausescan.match", "clausescan.kinds",
     "clausescan.facts", "clausescan.judge", "clausescan.rules.selftest"],
    # what is worked out from scanned documents: towns, state law, reviews, comparisons
    ["clausescan.towns", "clausescan.profiles", "clausescan.law", "clausescan.review", "clausescan.diff",
     "clausescan.followup"],
    # renderers: every table, text, workbook, memo and page made for a reader
    ["clausescan.report"],
    # the result clausescan.scan returns, with its outputs
    ["clausescan.result"],
    # batches: the scan, a diff's two files, the baseline template, on local processes or a Dask cluster
    # (the watchdog runs each document in a worker the scan can kill)
    ["clausescan.options", "clausescan.watchdog", "clausescan.cluster", "clausescan.pipeline"],
    # the front ends
    ["clausescan.cli_conventions", "clausescan.cli", "clausescan.__main__", "clausescan"],
]


def layer_of(module: str) -> int:
    fits = [(len(name), index) for index, names in enumerate(LAYERS) for name in names
            if module == name or (name != "clausescan" and module.startswith(name + "."))]
    assert fits, f"{module} is in no layer of LAYERS: add it where it belongs"
    return max(fits)[1]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})"
                  for module, targets in graph.items() for target in targets if layer_of(target) > layer_of(module))


def test_the_layer_check_finds_an_upward_import():
    assert upward_imports({"clausescan.models": {"clausescan.report.json"}, "clausescan.report.json": set()}) == \
        ["clausescan.models (layer 1) imports clausescan.report.json (layer 6)"]
    assert layer_of("clausescan.report.atomic") == 0 and layer_of("clausescan.report.xlsx") == 6


def test_every_import_points_down_the_layers():
    found = upward_imports(import_graph())
    for line in found:
        print(line)
    assert not found

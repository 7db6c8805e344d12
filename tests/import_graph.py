"""The project's import graph read from the source (``ast``), not from what loads at import time.

Every ``import`` and ``from ... import`` counts wherever it is written (module level, inside a
function, under ``if TYPE_CHECKING``, in a ``try``), and so does ``importlib.import_module("x")``
(or ``import_module`` / ``__import__``) called with a literal name. ``test_layers.py`` checks the
layer rules and the absence of cycles on it; it is a helper of the tests, not of the library.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

IMPORT_CALLS = ("import_module", "__import__")


@dataclass(frozen=True)
class Import:
    """``module`` (in ``path``, line ``line``) imports ``target`` (a dotted name as written,
    relative imports resolved; for ``from a import b`` both ``a`` and ``a.b`` are candidates)."""

    module: str
    path: Path
    line: int
    target: str
    names: tuple[str, ...] = ()  # the ``b`` of ``from a import b``
    in_function: bool = False  # runs when a function is called, not when the module loads


def module_name(path: Path, root: Path) -> str:
    """``ROOT/qadapter/cli/train.py`` -> ``qadapter.cli.train``; a package's ``__init__.py`` is
    the package."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute name of ``from <level dots><name> import ...`` written in ``module``."""
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]  # a module's dot is its package
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, name] if name else base)


def _literal_import(node: ast.Call, module: str, is_package: bool) -> str | None:
    """The module named by ``importlib.import_module("x")``-like calls with a literal name."""
    func = node.func
    called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if called not in IMPORT_CALLS or not node.args:
        return None
    first = node.args[0]
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    name = first.value
    if name.startswith("."):
        level = len(name) - len(name.lstrip("."))
        return _resolve(module, is_package, level, name.lstrip(".") or None)
    return name


def _walk(node: ast.AST, in_function: bool = False):
    """(node, inside a function or lambda?) for every node below ``node``."""
    for child in ast.iter_child_nodes(node):
        yield child, in_function
        inner = in_function or isinstance(
            child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
        )
        yield from _walk(child, inner)


def file_imports(path: Path, root: Path) -> list[Import]:
    """Every import written in one file, in source order."""
    module = module_name(path, root)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node, inside in _walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(module, path, node.lineno, a.name, (), inside) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, is_package, node.level, node.module)
            names = tuple(a.name for a in node.names)
            found.append(Import(module, path, node.lineno, target, names, inside))
        elif isinstance(node, ast.Call):
            target = _literal_import(node, module, is_package)
            if target:
                found.append(Import(module, path, node.lineno, target, (), inside))
    return sorted(found, key=lambda i: i.line)


def project_files(root: Path, packages: tuple[str, ...]) -> list[Path]:
    return sorted(p for pkg in packages for p in (root / pkg).rglob("*.py"))


def all_imports(root: Path, packages: tuple[str, ...]) -> list[Import]:
    return [i for path in project_files(root, packages) for i in file_imports(path, root)]


def top(name: str) -> str:
    return name.split(".")[0]


def _project_module(name: str, modules: set[str]) -> str | None:
    """The longest project module that ``name`` is or lies in (``a.b.func`` -> ``a.b``)."""
    parts = name.split(".")
    for k in range(len(parts), 0, -1):
        candidate = ".".join(parts[:k])
        if candidate in modules:
            return candidate
    return None


def edges(imports: list[Import], modules: set[str]) -> dict[str, dict[str, Import]]:
    """module -> {imported project module: the first import that makes the edge}.

    ``from pkg import sub`` is an edge to ``pkg.sub`` when that is a module, else to ``pkg``.
    Importing a submodule runs its packages' ``__init__`` too; those implicit edges are left out
    (every module would otherwise be in a cycle with its own package), only what is written
    counts."""
    graph: dict[str, dict[str, Import]] = {m: {} for m in modules}
    for imp in imports:
        names = [f"{imp.target}.{n}" for n in imp.names] if imp.names else [imp.target]
        for name in names:
            dest = _project_module(name, modules)
            if dest is not None and dest != imp.module:
                graph.setdefault(imp.module, {}).setdefault(dest, imp)
    return graph


def strongly_connected(graph: dict[str, dict[str, Import]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # recursion depth is bounded by the number of modules (~200)
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, {})):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def cycle_path(graph: dict[str, dict[str, Import]], component: list[str]) -> list[Import]:
    """One shortest cycle through the component's first module, as the imports that make it."""
    start, inside = component[0], set(component)
    previous: dict[str, Import] = {}
    frontier, seen = [start], {start}
    while frontier:
        nxt = []
        for v in frontier:
            for w, imp in sorted(graph.get(v, {}).items()):
                if w == start:
                    path = [imp]
                    while path[0].module != start:
                        path.insert(0, previous[path[0].module])
                    return path
                if w in inside and w not in seen:
                    seen.add(w)
                    previous[w] = imp
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(f"{component} is not a cycle")  # Tarjan gave a component: unreachable


def describe(path: list[Import], root: Path) -> str:
    """``a (a.py:3) -> b (b.py:7) -> a``: each step with the line that imports the next."""
    steps = [f"{i.module} ({i.path.relative_to(root)}:{i.line})" for i in path]
    return " -> ".join([*steps, path[0].module])

"""The package's layout as promised in the README's "Layout": who imports whom, and who writes."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _trees() -> dict[str, tuple[Path, ast.Module]]:
    return {_module_name(p): (p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))}


def import_graph() -> dict[str, set[str]]:
    """module -> the package modules it imports (at the top or inside a function), from the source."""
    graph: dict[str, set[str]] = {}
    for name, (path, tree) in _trees().items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = graph.setdefault(name, set())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names if alias.name.startswith("pipeline"))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[:len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.startswith("pipeline"):
                    found.add(target)
                    found.update(f"{target}.{alias.name}" for alias in node.names)  # ``from . import x``
    modules = set(graph)
    return {name: {t for t in targets if t in modules} for name, targets in graph.items()}


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_translate_never_imports_the_checks() -> None:
    graph = import_graph()
    assert "pipeline.glossary" in graph["pipeline.translate.run"]  # the graph sees relative imports
    edges = [(a, b) for a, targets in graph.items() for b in targets
             if _inside(a, "pipeline.translate") and _inside(b, "pipeline.checks")]
    assert edges == []


def test_checks_hold_checks_not_the_project_state_or_the_pool() -> None:
    graph = import_graph()
    for module in ("pipeline.state", "pipeline.pool", "pipeline.cachekeys", "pipeline.glossary"):
        assert module in graph
    assert "pipeline.checks.project" not in graph


def test_only_files_py_renames_or_syncs() -> None:
    """Durable writes have one owner: no other module calls ``os.replace``, ``os.rename``,
    ``os.fsync`` or ``syncfs`` (build and publish use ``files.commit_staged`` and
    ``files.exchange_folders``)."""
    durable = {"replace", "rename", "fsync", "sync", "syncfs", "renameat2"}
    callers = {}
    for name, (_path, tree) in _trees().items():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in durable
                    and isinstance(node.func.value, ast.Name) and node.func.value.id in ("os", "libc")):
                callers.setdefault(name, set()).add(node.func.attr)
    assert set(callers) == {"pipeline.files"}, callers

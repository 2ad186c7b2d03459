"""The layers import only downwards: core <- transforms <- app <- views <- cli.

Every import counts, the lazy ones inside functions too: a lazy import still makes a cycle,
it only hides it from the interpreter. rich and Textual belong to the views alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "transforms", "app", "views", "cli"]


def layer_of(module: str) -> str | None:
    """Which layer a dotted module name belongs to (None: outside the project)."""
    parts = module.split(".")
    if parts[0] == "transforms":
        return "transforms"
    if parts[0] != "miscompile":
        return None
    if len(parts) > 1 and parts[1] in ("app", "views"):
        return parts[1]
    if len(parts) > 1 and parts[1] in ("cli", "__main__"):
        return "cli"
    return "core"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the file, relative ones resolved."""
    package = module_name(path).split(".")
    return imports_in(path.read_text(encoding="utf-8"), package if path.name == "__init__.py" else package[:-1])


def imports_in(source: str, package: list[str]) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.append((node.lineno, module))
            if node.module is None:  # from . import x: x may be a module
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


FILES = sorted([*ROOT.glob("miscompile/**/*.py"), *ROOT.glob("transforms/**/*.py")])


def test_every_module_has_a_layer():
    assert len(FILES) > 50
    assert {layer_of(module_name(f)) for f in FILES} == set(LAYERS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path: Path):
    own = LAYERS.index(layer_of(module_name(path)))
    upward = [f"line {line}: {module} ({layer_of(module)})" for line, module in imports_of(path)
              if layer_of(module) is not None and LAYERS.index(layer_of(module)) > own]
    assert not upward, f"{path.name} ({LAYERS[own]}) imports a layer above it"
    if LAYERS[own] != "views":
        drawing = [f"line {line}: {module}" for line, module in imports_of(path)
                   if module.split(".")[0] in ("rich", "textual")]
        assert not drawing, f"{path.name} draws: only miscompile.views imports rich and Textual"


def test_the_checker_sees_lazy_and_relative_imports():
    """The rule can fail: imports inside functions and relative ones resolve to their layer."""
    source = "def f():\n    from transforms.registry import get_pass\n    from ..app import tracing\n" \
             "    from . import views\n    import rich.console\n"
    modules = [module for _, module in imports_in(source, ["miscompile", "graphs"])]
    assert modules == ["transforms.registry", "miscompile.app", "miscompile.graphs", "miscompile.graphs.views",
                       "rich.console"]
    assert [layer_of(m) for m in modules] == ["transforms", "app", "core", "core", None]

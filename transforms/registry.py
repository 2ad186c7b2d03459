"""Finding passes by name: the built-in ones and third-party ones from entry points.

A package adds a pass by declaring, in its ``pyproject.toml``::

    [project.entry-points."miscompile.passes"]
    my-pass = "my_package.my_pass:MyPass"

where ``MyPass`` subclasses ``transforms.base.Pass``. Built-in names cannot be
replaced. Modules are imported only when a pass is looked up, so the CLI's
``--help`` never pays for LibCST.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from miscompile.errors import UsageError

if TYPE_CHECKING:
    from .base import Pass

ENTRY_POINT_GROUP = "miscompile.passes"

#: name -> "module:Class", in the order the passes table lists them.
BUILTIN = {
    "hoist": "transforms.hoist:Hoist",
    "scratch-store": "transforms.scratch_store:ScratchStore",
    "widen": "transforms.widen:Widen",
    "speculate": "transforms.speculate:Speculate",
    "reorder": "transforms.reorder:Reorder",
    "hoist-load": "transforms.hoist_load:HoistLoad",
    "fuse": "transforms.fuse:Fuse",
    "rematerialize": "transforms.rematerialize:Rematerialize",
    "promote": "transforms.promote:Promote",
}


def _load(target: str) -> type[Pass]:
    module, _, cls = target.partition(":")
    return getattr(import_module(module), cls)


def pass_names() -> list[str]:
    """Every available pass name: the built-in ones first, then plug-ins in name order."""
    plugins = sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name not in BUILTIN)
    return [*BUILTIN, *plugins]


def get_pass(name: str) -> type[Pass]:
    """The pass class registered as ``name``; a ``UsageError`` listing the choices otherwise."""
    from .base import Pass

    if name in BUILTIN:
        return _load(BUILTIN[name])
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            try:
                cls = ep.load()
            except Exception as exc:  # noqa: BLE001 (a broken plug-in must give a message, not a traceback)
                raise UsageError(f"the pass {name} (from {ep.value}) cannot be loaded: {exc}") from None
            if not (isinstance(cls, type) and issubclass(cls, Pass)):
                raise UsageError(f"the pass {name} ({ep.value}) is not a transforms.base.Pass subclass")
            return cls
    raise UsageError(f"unknown pass {name!r} (available: {', '.join(pass_names())})")


def all_passes() -> list[type[Pass]]:
    return [get_pass(name) for name in pass_names()]


def passes_markdown() -> str:
    """The README's table of passes, from the passes' own declarations (a test keeps them equal)."""
    rows = ["| pass | legality | what it does |", "|---|---|---|"]
    rows += [f"| `{p.NAME}` | {p.LEGALITY} | {p.SUMMARY} |" for p in (get_pass(n) for n in BUILTIN)]
    return "\n".join(rows) + "\n"

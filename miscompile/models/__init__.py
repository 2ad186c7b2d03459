"""Memory models by name. Adding a model is adding a module and one line here."""

from __future__ import annotations

from ..errors import UsageError
from .base import MemoryModel
from .pso import PSO
from .sc import SC
from .tso import TSO

MODELS: dict[str, MemoryModel] = {"sc": SC(), "tso": TSO(), "pso": PSO()}
#: Models that are axioms over execution graphs, not machines (``miscompile.graphs``).
GRAPH_MODELS = ("arm", "rc11")
#: Of those, the language's own: a data race makes a program's behaviour undefined.
LANGUAGE_MODELS = ("rc11",)


def get_model(name: str) -> MemoryModel:
    try:
        return MODELS[name]
    except KeyError:
        raise UsageError(f"unknown memory model {name!r} (choose from {', '.join(MODELS)})") from None


__all__ = ["GRAPH_MODELS", "LANGUAGE_MODELS", "MODELS", "MemoryModel", "get_model"]

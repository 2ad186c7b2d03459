"""Memory models by name. Adding a model is adding a module and one line here."""

from __future__ import annotations

from ..errors import UsageError
from .base import MemoryModel
from .pso import PSO
from .sc import SC
from .tso import TSO

MODELS: dict[str, MemoryModel] = {"sc": SC(), "tso": TSO(), "pso": PSO()}


def get_model(name: str) -> MemoryModel:
    try:
        return MODELS[name]
    except KeyError:
        raise UsageError(f"unknown memory model {name!r} (choose from {', '.join(MODELS)})") from None


__all__ = ["MODELS", "MemoryModel", "get_model"]

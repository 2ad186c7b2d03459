"""``queue.Queue``: ``put(value)`` and ``get()`` (blocking while empty).

State: the queued items, oldest first. Happens-before: each item carries what
its putting thread knew; the ``get`` that takes it learns that.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import ir
from .base import Action, SyncKind


class Queue(SyncKind):
    name = "queue"
    constructor = "queue.Queue"
    actions = {
        "put": Action(lambda items, thread, value: (items + (value,), None, "put")),
        "get": Action(lambda items, thread: (items[1:], items[0], "get"), ready=lambda items, thread: bool(items)),
    }

    def initial(self) -> tuple:
        return ()

    def lower(self, lowerer, node: ast.Call, obj: int, name: str, method: str, args: list[ast.expr],
              statement: bool) -> ir.Expr:
        if method == "put":
            if len(args) != 1 or node.keywords:
                lowerer.unsupported(node, f"these arguments to {name}.put()", f"call {name}.put(value)")
            lowerer.emit(ir.SyncOp(obj, "put", (lowerer.expr(args[0]),)), node)
            return ir.Const(None)
        if method == "get":
            lowerer.no_arguments(node, name, method)
            return lowerer.result(lambda dst: ir.SyncOp(obj, "get", (), dst), node, statement)
        lowerer.unsupported(node, f"{name}.{method}()", "queues have put(value) and get()")

    def no_knowledge(self) -> tuple:
        return ()

    def observe(self, edge: str, known: int, published: tuple) -> tuple[int, tuple]:
        if edge == "put":
            return known, published + (known,)
        return known | published[0], published[1:]  # get: the oldest item's

    def forget(self, published: tuple, keep: int) -> tuple:
        return tuple(bits & keep for bits in published)

    def describe(self, items: tuple, thread_names: tuple[str, ...]) -> str | None:
        return f"holds {list(items)}" if items else None


KIND = Queue()

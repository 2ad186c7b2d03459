"""``threading.Event``: ``set()``, ``clear()``, ``wait()``, ``is_set()``.

State: the flag. Happens-before: ``set()`` publishes what the setting thread
knows (added to what earlier sets published); a ``wait()`` that returns, and an
``is_set()`` that returns True, learn it.
"""

from __future__ import annotations

import ast

from .. import ir
from .base import Action, SyncKind


class Event(SyncKind):
    name = "event"
    constructor = "threading.Event"
    orders = {"set": "release", "wait": "acquire"}
    actions = {
        "set": Action(lambda flag, thread: (True, None, "set")),
        "clear": Action(lambda flag, thread: (False, None, None)),
        "wait": Action(lambda flag, thread: (flag, True, "wait"), ready=lambda flag, thread: flag),
        "is_set": Action(lambda flag, thread: (flag, flag, "wait" if flag else None)),
    }

    def initial(self) -> bool:
        return False

    def lower(self, lowerer, node: ast.Call, obj: int, name: str, method: str, args: list[ast.expr],
              statement: bool) -> ir.Expr:
        lowerer.no_arguments(node, name, method)
        if method in ("set", "clear"):
            lowerer.emit(ir.SyncOp(obj, method), node)
            return ir.Const(None)
        if method == "wait":
            return lowerer.result(lambda dst: ir.SyncOp(obj, "wait", (), dst), node, statement)
        if method == "is_set":
            return lowerer.result(lambda dst: ir.SyncOp(obj, "is_set", (), dst), node, False)
        lowerer.unsupported(node, f"{name}.{method}()", "events have set(), clear(), wait() and is_set()")

    def observe(self, edge: str, known: int, published: int) -> tuple[int, int]:
        if edge == "set":
            return known, published | known
        return known | published, published  # a wait that returned

    def describe(self, flag: bool, thread_names: tuple[str, ...]) -> str | None:
        return "set" if flag else None


KIND = Event()

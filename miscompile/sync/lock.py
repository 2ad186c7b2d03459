"""``threading.Lock``: ``acquire()``, ``acquire(blocking=False)``, ``acquire(timeout=t)``, ``release()``,
``with lock:``.

State: the holding thread, or -1. Happens-before: a release publishes what the
releasing thread knows; the next acquire learns it. Releasing a lock that is not
held is CPython's ``RuntimeError: release unlocked lock``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from .. import ir
from ..evaluate import Fault
from .base import Action, SyncKind

FREE = -1


def _acquire(holder: int, thread: int) -> tuple[int, bool, str]:
    return thread, True, "acquire"


def _try_acquire(holder: int, thread: int) -> tuple[int, bool, str | None]:
    return (thread, True, "acquire") if holder == FREE else (holder, False, None)


def _release(holder: int, thread: int) -> tuple[int, None, str]:
    if holder == FREE:
        raise Fault("RuntimeError: release unlocked lock")
    return FREE, None, "release"


class Lock(SyncKind):
    name = "lock"
    constructor = "threading.Lock"
    context_manager = True
    actions = {
        "acquire": Action(_acquire, ready=lambda holder, thread: holder == FREE),
        "try_acquire": Action(_try_acquire),
        "release": Action(_release),
    }

    def initial(self) -> int:
        return FREE

    def lower(self, lowerer, node: ast.Call, obj: int, name: str, method: str, args: list[ast.expr],
              statement: bool) -> ir.Expr:
        if method == "acquire":
            hint = "use acquire(), acquire(blocking=False) or acquire(timeout=1)"
            given = dict(zip(("blocking", "timeout"), args))
            for kw in node.keywords:
                if kw.arg not in ("blocking", "timeout") or kw.arg in given:
                    lowerer.unsupported(kw.value, f"acquire({kw.arg}=...)", hint)
                given[kw.arg] = kw.value
            if len(args) > 2:
                lowerer.unsupported(node, "these acquire arguments", hint)
            blocking = True
            if (blocking_node := given.get("blocking")) is not None:
                if not (isinstance(blocking_node, ast.Constant) and isinstance(blocking_node.value, bool)):
                    lowerer.unsupported(blocking_node, "a computed blocking flag", "write True or False")
                blocking = blocking_node.value
            if (timeout := given.get("timeout")) is not None:
                if not (isinstance(timeout, ast.Constant) and type(timeout.value) in (int, float)):
                    lowerer.unsupported(timeout, "this timeout", "give the seconds as a literal, e.g. timeout=1")
                if timeout.value >= 0:  # -1 is CPython's "no timeout"
                    blocking = False  # giving up after a while: trying once at some moment (see queue.py)
            action = "acquire" if blocking else "try_acquire"
            return lowerer.result(lambda dst: ir.SyncOp(obj, action, (), dst), node, statement)
        if method == "release":
            lowerer.no_arguments(node, name, method)
            lowerer.emit(ir.SyncOp(obj, "release"), node)
            return ir.Const(None)
        kind = self.constructor.rsplit(".", 1)[1]
        lowerer.unsupported(node, f"{name}.{method}()", f"a {kind} has acquire() and release(), or use with")

    def observe(self, edge: str, known: int, published: int) -> tuple[int, int]:
        if edge == "acquire":
            return known | published, published
        return known, known  # release

    def rename_threads(self, holder: int, rename: Callable[[int], int]) -> int:
        return holder if holder == FREE else rename(holder)

    def describe(self, holder: int, thread_names: tuple[str, ...]) -> str | None:
        return None if holder == FREE else f"held by {thread_names[holder]}"


KIND = Lock()

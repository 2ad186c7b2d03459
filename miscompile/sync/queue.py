"""``queue.Queue(maxsize=0)``: ``put``, ``get`` (blocking, or not with ``block=False``, a
``timeout`` or the ``_nowait`` forms), ``task_done``, ``join``, ``qsize``, ``empty``, ``full``.

State: (the queued items oldest first, maxsize, unfinished tasks). ``get`` waits
while the queue is empty, ``put`` while it holds ``maxsize`` items (0: never);
``join`` waits until every item put has been marked ``task_done``. A non-blocking
``get`` on an empty queue raises ``queue.Empty`` (``queue.Full`` for ``put``). A
``timeout`` does not measure time here: waiting a while and then giving up is the
same, over all interleavings, as trying once at some later moment, so a ``get``
with a timeout is a non-blocking ``get`` that another thread may precede.

Happens-before: each item carries what its putting thread knew; the ``get``
that takes it learns that. ``task_done`` publishes what its thread knows; a
``join`` that returns learns what every ``task_done`` published.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import ir
from ..evaluate import Fault
from .base import Action, SyncKind

State = tuple[tuple, int, int]  # (items, maxsize, unfinished tasks)


def _room(state: State) -> bool:
    return state[1] <= 0 or len(state[0]) < state[1]


def _put(state: State, thread: int, value: Any) -> tuple[State, None, str]:
    items, maxsize, unfinished = state
    return (items + (value,), maxsize, unfinished + 1), None, "put"


def _put_nowait(state: State, thread: int, value: Any) -> tuple[State, None, str]:
    if not _room(state):
        raise Fault("queue.Full")
    return _put(state, thread, value)


def _get(state: State, thread: int) -> tuple[State, Any, str]:
    items, maxsize, unfinished = state
    return (items[1:], maxsize, unfinished), items[0], "get"


def _get_nowait(state: State, thread: int) -> tuple[State, Any, str]:
    if not state[0]:
        raise Fault("_queue.Empty")
    return _get(state, thread)


def _task_done(state: State, thread: int) -> tuple[State, None, str]:
    items, maxsize, unfinished = state
    if unfinished <= 0:
        raise Fault("ValueError: task_done() called too many times")
    return (items, maxsize, unfinished - 1), None, "task_done"


class Queue(SyncKind):
    name = "queue"
    constructor = "queue.Queue"
    actions = {
        "put": Action(_put, ready=lambda state, thread: _room(state)),
        "put_nowait": Action(_put_nowait),
        "get": Action(_get, ready=lambda state, thread: bool(state[0])),
        "get_nowait": Action(_get_nowait),
        "task_done": Action(_task_done),
        "join": Action(lambda state, thread: (state, None, "join"), ready=lambda state, thread: state[2] == 0),
        "qsize": Action(lambda state, thread: (state, len(state[0]), None)),
        "empty": Action(lambda state, thread: (state, not state[0], None)),
        "full": Action(lambda state, thread: (state, not _room(state), None)),
    }

    def create(self, call: ast.Call, error) -> State:
        maxsize, _ = self.int_argument(call, "maxsize", error, "queue.Queue(maxsize=2)", default=0)
        return ((), maxsize, 0)

    def initial(self) -> State:
        return ((), 0, 0)

    def lower(self, lowerer, node: ast.Call, obj: int, name: str, method: str, args: list[ast.expr],
              statement: bool) -> ir.Expr:
        if method in ("put", "put_nowait"):
            if not args:
                lowerer.error(node, f"{name}.{method}() needs the item to put")
            blocking = method == "put" and self.blocking(lowerer, node, name, method, args[1:])
            lowerer.emit(ir.SyncOp(obj, "put" if blocking else "put_nowait", (lowerer.expr(args[0]),)), node)
            return ir.Const(None)
        if method in ("get", "get_nowait"):
            blocking = method == "get" and self.blocking(lowerer, node, name, method, args)
            action = "get" if blocking else "get_nowait"
            return lowerer.result(lambda dst: ir.SyncOp(obj, action, (), dst), node, statement)
        if method in ("task_done", "join", "qsize", "empty", "full"):
            lowerer.no_arguments(node, name, method)
            return lowerer.result(lambda dst: ir.SyncOp(obj, method, (), dst), node, statement)
        lowerer.unsupported(node, f"{name}.{method}()", "queues have put, get, put_nowait, get_nowait, task_done, "
                                                        "join, qsize, empty and full")

    @staticmethod
    def blocking(lowerer, node: ast.Call, name: str, method: str, args: list[ast.expr]) -> bool:
        """Whether ``get(block, timeout)`` / ``put(item, block, timeout)`` waits for as long as it
        takes (a timeout makes it give up: see the module's docstring)."""
        hint = f"use {name}.{method}(), {name}.{method}(block=False) or {name}.{method}(timeout=1)"
        given = dict(zip(("block", "timeout"), args))
        if len(args) > 2:
            lowerer.unsupported(node, f"these arguments to {name}.{method}()", hint)
        for kw in node.keywords:
            if kw.arg not in ("block", "timeout") or kw.arg in given:
                lowerer.unsupported(kw.value if kw.arg else node, f"the argument {kw.arg} here", hint)
            given[kw.arg] = kw.value
        block, timeout = given.get("block"), given.get("timeout")
        if block is not None and not (isinstance(block, ast.Constant) and isinstance(block.value, bool)):
            lowerer.unsupported(block, "a computed block flag", "write True or False")
        if timeout is not None and not (isinstance(timeout, ast.Constant) and (
                timeout.value is None or type(timeout.value) in (int, float) and timeout.value >= 0)):
            lowerer.unsupported(timeout, "this timeout", "give a number of seconds as a literal, e.g. timeout=1")
        blocks = block is None or block.value  # type: ignore[union-attr]
        return blocks and (timeout is None or timeout.value is None)  # type: ignore[union-attr]

    def no_knowledge(self) -> tuple[tuple, int]:
        return (), 0

    orders = {"put": "release", "get": "acquire", "task_done": "release", "join": "acquire"}

    def observe(self, edge: str, known: int, published: tuple[tuple, int]) -> tuple[int, tuple[tuple, int]]:
        items, done = published
        if edge == "put":
            return known, (items + (known,), done)
        if edge == "get":  # the oldest item's
            return known | items[0], (items[1:], done)
        if edge == "task_done":
            return known, (items, done | known)
        return known | done, published  # join

    def forget(self, published: tuple[tuple, int], keep: int) -> tuple[tuple, int]:
        items, done = published
        return tuple(bits & keep for bits in items), done & keep

    def describe(self, state: State, thread_names: tuple[str, ...]) -> str | None:
        items, maxsize, unfinished = state
        parts = [f"holds {list(items)}"] if items else []
        if unfinished and unfinished != len(items):
            parts.append(f"{unfinished} unfinished")
        return ", ".join(parts) or None


KIND = Queue()

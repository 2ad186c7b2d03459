"""``threading.Barrier(parties)``: ``wait()`` blocks until ``parties`` threads have called it,
then releases them all and returns each its arrival index (0 .. parties-1); ``abort()``
breaks it. ``reset()``, ``n_waiting``, ``broken`` and ``parties`` are not modelled.

A ``wait()`` is two steps: *arrive* (take the next index; the last arrival
releases everyone) and *depart* (enabled once the thread has been released or
the barrier is broken). Waiting on a broken barrier, or being in it when it
breaks, is CPython's ``threading.BrokenBarrierError``; fewer threads than parties
is a deadlock.

State: (the threads that arrived and were not released yet, broken). Happens-
before: every arrival publishes what its thread knows; a departure learns what
all arrivals of its round published (and nothing of a later round's, which a
fast thread may already have begun).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from .. import ir
from ..evaluate import Fault
from .base import Action, SyncKind

State = tuple[tuple[int, ...], bool, int]  # (waiting threads, broken, parties)
BROKEN = "threading.BrokenBarrierError"


def _arrive(state: State, thread: int) -> tuple[State, int, str]:
    waiting, broken, parties = state
    if broken:
        raise Fault(BROKEN)
    index = len(waiting)
    if index + 1 == parties:
        return ((), False, parties), index, "complete"  # the round is complete: everyone goes
    return (waiting + (thread,), False, parties), index, "arrive"


def _depart(state: State, thread: int) -> tuple[State, None, str | None]:
    waiting, broken, parties = state
    if thread in waiting:  # still in the barrier, so it was broken
        raise Fault(BROKEN)
    return state, None, "depart"


def _abort(state: State, thread: int) -> tuple[State, None, None]:
    waiting, broken, parties = state
    return (tuple(t for t in waiting if t != thread), True, parties), None, None


class Barrier(SyncKind):
    name = "barrier"
    constructor = "threading.Barrier"
    actions = {
        "arrive": Action(_arrive),
        "depart": Action(_depart, ready=lambda state, thread: thread not in state[0] or state[1]),
        "abort": Action(_abort),
    }

    def create(self, call: ast.Call, error: Callable[[ast.AST, str], Exception]) -> Any:
        parties, node = self.int_argument(call, "parties", error, "threading.Barrier(3)")
        if parties < 1:
            raise error(node, "a barrier needs at least one party (CPython: ValueError: parties must be > 0)")
        return ((), False, parties)

    def lower(self, lowerer, node: ast.Call, obj: int, name: str, method: str, args: list[ast.expr],
              statement: bool) -> ir.Expr:
        lowerer.no_arguments(node, name, method)
        if method == "wait":
            index = lowerer.result(lambda dst: ir.SyncOp(obj, "arrive", (), dst), node, statement)
            lowerer.emit(ir.SyncOp(obj, "depart"), node)
            return index
        if method == "abort":
            lowerer.emit(ir.SyncOp(obj, "abort"), node)
            return ir.Const(None)
        lowerer.unsupported(node, f"{name}.{method}()", "barriers have wait() and abort()")

    def no_knowledge(self) -> tuple[int, int]:
        return 0, 0  # (this round's arrivals, the last complete round's)

    orders = {"arrive": "release", "complete": "acq_rel", "depart": "acquire"}

    def observe(self, edge: str, known: int, published: tuple[int, int]) -> tuple[int, tuple[int, int]]:
        arrived, released = published
        if edge == "arrive":
            return known, (arrived | known, released)
        if edge == "complete":
            return known | arrived, (0, arrived | known)
        return known | released, published  # depart

    def forget(self, published: tuple[int, int], keep: int) -> tuple[int, int]:
        return published[0] & keep, published[1] & keep

    def rename_threads(self, state: State, rename: Callable[[int], int]) -> State:
        return tuple(rename(t) for t in state[0]), state[1], state[2]

    def describe(self, state: State, thread_names: tuple[str, ...]) -> str | None:
        waiting, broken, parties = state
        if broken:
            return "broken"
        return f"{len(waiting)} of {parties} waiting" if waiting else None


KIND = Barrier()

"""``concurrent.futures.ThreadPoolExecutor(max_workers=k)``: ``submit(f, *args)`` returns a
future, ``map(f, items)``, ``future.result()``, ``future.done()``, ``shutdown(wait=True)`` and the
``with`` block (which shuts the pool down, waiting, on the way out).

The pool's ``k`` workers are threads of the program (named
``ThreadPoolExecutor-0_0``, ...). Each takes the oldest waiting task, runs it,
and records its result or the exception it raised; ``result()`` waits for that
record and returns the value or raises the exception again, as CPython does.
A program that never shuts the pool down has it shut down when its main code
ends (CPython's exit handler does the same).

State: (waiting tasks oldest first as (site, arguments, future), each future's
record: None while pending, ("ok", value) or (status, message) for an exception,
shut down). Happens-before: ``submit`` publishes what the submitting thread
knows to the worker that takes the task; finishing a task publishes the
worker's knowledge to every ``result()`` of its future and to the ``shutdown``
that waits for it.
"""

from __future__ import annotations

import ast
from typing import Any

from .. import ir
from ..evaluate import Fault
from .base import Action, SyncKind

State = tuple[tuple, tuple, bool]


class FutureRef:
    """The value ``submit`` returns: which future of the pool it is."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FutureRef) and other.index == self.index

    def __hash__(self) -> int:
        return hash((FutureRef, self.index))

    def __repr__(self) -> str:
        return f"<Future {self.index}>"


def _future(value: Any) -> int:
    if not isinstance(value, FutureRef):
        raise Fault(f"AttributeError: '{type(value).__name__}' object has no attribute 'result'")
    return value.index


def _submit(state: State, thread: int, site: int, args: tuple) -> tuple[State, FutureRef, str]:
    waiting, records, shut = state
    if shut:
        raise Fault("RuntimeError: cannot schedule new futures after shutdown")
    future = len(records)
    return (waiting + ((site, args, future),), records + (None,), shut), FutureRef(future), "submit"


def _take(state: State, thread: int) -> tuple[State, Any, str | None]:
    waiting, records, shut = state
    if not waiting:  # shut down and nothing left: the worker ends
        return state, None, None
    return (waiting[1:], records, shut), waiting[0], "take"


def _record(state: State, future: int, record: tuple) -> State:
    waiting, records, shut = state
    return waiting, records[:future] + (record,) + records[future + 1:], shut


def _result(state: State, thread: int, future: Any) -> tuple[State, Any, tuple]:
    index = _future(future)
    record = state[1][index]
    if record[0] != "ok":
        raise Fault(record[1], record[0])  # the task's exception, raised again here
    return state, record[1], ("result", index)



class Pool(SyncKind):
    name = "pool"
    constructor = "concurrent.futures.ThreadPoolExecutor"
    actions = {
        "submit": Action(_submit),
        "take": Action(_take, ready=lambda state, thread: bool(state[0]) or state[2]),
        "finish": Action(lambda state, thread, future, value: (_record(state, future, ("ok", value)), None,
                                                               ("finish", future))),
        "fail": Action(lambda state, thread, future, raised: (_record(state, future, raised), None,
                                                              ("finish", future))),
        "result": Action(_result, ready=lambda state, thread, future: not isinstance(future, FutureRef)
                         or state[1][future.index] is not None, ready_uses_arguments=True),
        "done": Action(lambda state, thread, future: (state, state[1][_future(future)] is not None, None)),
        "shutdown": Action(lambda state, thread: ((state[0], state[1], True), None, None)),
        "wait_all": Action(lambda state, thread: (state, None, "wait_all"),
                           ready=lambda state, thread: not state[0] and None not in state[1]),
    }

    def create(self, call: ast.Call, error) -> int:
        """The number of workers (CPython's default depends on the machine: say it)."""
        if not call.args and not call.keywords:
            raise error(call, "give the pool its size: ThreadPoolExecutor(max_workers=2) (CPython's default "
                              "depends on the machine's processors)")
        workers, node = self.int_argument(call, "max_workers", error, "ThreadPoolExecutor(max_workers=2)")
        if not 1 <= workers <= 8:
            raise error(node, "max_workers is an int literal from 1 to 8 here")
        return workers

    def initial(self) -> State:
        return ((), (), False)

    def lower(self, lowerer, node: ast.Call, obj: int, name: str, method: str, args: list[ast.expr],
              statement: bool) -> ir.Expr:
        return lowerer.call_pool(node, obj, name, method, args, statement)

    def no_knowledge(self) -> tuple[tuple, tuple]:
        return (), ()  # (what each submitted task carries, what each finished future carries)

    orders = {"submit": "release", "take": "acquire", "finish": "release", "result": "acquire",
              "wait_all": "acquire"}

    def observe(self, edge: Any, known: int, published: tuple) -> tuple[int, tuple]:
        tasks, futures = published
        if edge == "submit":
            return known, (tasks + (known,), futures + (0,))
        if edge == "take":  # the oldest task's
            return known | tasks[0], (tasks[1:], futures)
        if edge == "wait_all":
            everything = 0
            for bits in futures:
                everything |= bits
            return known | everything, published
        what, future = edge
        if what == "finish":
            return known, (tasks, futures[:future] + (known,) + futures[future + 1:])
        return known | futures[future], published  # result

    def forget(self, published: tuple, keep: int) -> tuple:
        tasks, futures = published
        return tuple(b & keep for b in tasks), tuple(b & keep for b in futures)

    def describe(self, state: State, thread_names: tuple[str, ...]) -> str | None:
        waiting, records, shut = state
        done = sum(r is not None for r in records)
        parts = [f"{len(waiting)} waiting"] if waiting else []
        if records:
            parts.append(f"{done} of {len(records)} done")
        if shut:
            parts.append("shut down")
        return ", ".join(parts) or None


KIND = Pool()

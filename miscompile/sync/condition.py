"""``threading.Condition()``: ``with cond:``, ``wait()``, ``wait_for(predicate)``, ``notify(n)``,
``notify_all()``.

The condition owns its lock (an RLock, CPython's default). ``wait()`` is two steps:
it releases the lock and joins the waiters; then, once notified and the lock is
free, it takes the lock back (as deep as it held it). Waiters are woken in the
order they began waiting, as CPython's ``notify`` does; there are no spurious
wake-ups. A thread that is never notified stays waiting: a deadlock when nobody
else can run. ``wait_for(pred)`` is ``while not pred(): wait()``. Happens-before
comes from the lock: a release (including the one inside ``wait``) publishes,
the next acquire (including the one ending ``wait``) learns. Waiting or
notifying without holding the lock is CPython's ``RuntimeError``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from .. import ir
from ..evaluate import Fault
from . import rlock
from .base import Action
from .lock import FREE, Lock

# (holder, depth, waiters): an RLock's state and the waiters, each (thread, depth to restore, notified)
State = tuple[int, int, tuple[tuple[int, int, bool], ...]]


def _on_lock(action: Callable[..., tuple[tuple[int, int], Any, str | None]]) -> Callable[..., tuple]:
    """An RLock action applied to the condition's lock, its waiters left as they are."""
    def on_condition(state: State, thread: int) -> tuple[State, Any, str | None]:
        lock, result, edge = action(state[:2], thread)
        return (*lock, state[2]), result, edge
    return on_condition


def wait(state: State, thread: int) -> tuple[State, None, str]:
    holder, depth, waiters = state
    if holder != thread:
        raise Fault("RuntimeError: cannot wait on un-acquired lock")
    return (FREE, 0, waiters + ((thread, depth, False),)), None, "release"


def _mine(waiters: tuple, thread: int) -> tuple[int, int, bool] | None:
    return next((w for w in waiters if w[0] == thread), None)


def may_resume(state: State, thread: int) -> bool:
    holder, _, waiters = state
    me = _mine(waiters, thread)
    return holder == FREE and me is not None and me[2]


def resume(state: State, thread: int) -> tuple[State, bool, str]:
    _, _, waiters = state
    me = _mine(waiters, thread)
    assert me is not None
    return (thread, me[1], tuple(w for w in waiters if w[0] != thread)), True, "acquire"


def notify(state: State, thread: int, n: int = 1) -> tuple[State, None, None]:
    holder, depth, waiters = state
    if holder != thread:
        raise Fault("RuntimeError: cannot notify on un-acquired lock")
    woken, marked = 0, []
    for who, saved, notified in waiters:
        if not notified and woken < n:
            notified, woken = True, woken + 1
        marked.append((who, saved, notified))
    return (holder, depth, tuple(marked)), None, None


def notify_all(state: State, thread: int) -> tuple[State, None, None]:
    return notify(state, thread, len(state[2]))


class Condition(Lock):
    name = "condition"
    constructor = "threading.Condition"
    actions = {
        "acquire": Action(_on_lock(rlock.acquire), ready=lambda state, thread: state[0] in (FREE, thread)),
        "try_acquire": Action(_on_lock(rlock.try_acquire)),
        "release": Action(_on_lock(rlock.release)),
        "wait": Action(wait),
        "resume": Action(resume, ready=may_resume),
        "notify": Action(notify),
        "notify_all": Action(notify_all),
    }

    def initial(self) -> State:
        return (FREE, 0, ())

    def lower(self, lowerer, node: ast.Call, obj: int, name: str, method: str, args: list[ast.expr],
              statement: bool) -> ir.Expr:
        if method == "wait":
            lowerer.no_arguments(node, name, method)
            lowerer.emit(ir.SyncOp(obj, "wait"), node)
            return lowerer.result(lambda dst: ir.SyncOp(obj, "resume", (), dst), node, statement)
        if method == "wait_for":
            return self.lower_wait_for(lowerer, node, obj, name)
        if method == "notify":
            if len(args) > 1 or node.keywords:
                lowerer.unsupported(node, f"these arguments to {name}.notify()", "notify() or notify(n)")
            lowerer.emit(ir.SyncOp(obj, "notify", tuple(lowerer.expr(a) for a in args)), node)
            return ir.Const(None)
        if method == "notify_all":
            lowerer.no_arguments(node, name, method)
            lowerer.emit(ir.SyncOp(obj, "notify_all"), node)
            return ir.Const(None)
        if method in ("acquire", "release"):
            return super().lower(lowerer, node, obj, name, method, args, statement)
        lowerer.unsupported(node, f"{name}.{method}()", "a Condition has wait(), wait_for(predicate), notify(), "
                                                        "notify_all(), or use with")

    def lower_wait_for(self, lowerer, node: ast.Call, obj: int, name: str) -> ir.Expr:
        """``while not predicate(): wait()``, with the predicate's last value as the result."""
        if len(node.args) != 1 or node.keywords:
            lowerer.unsupported(node, f"these arguments to {name}.wait_for()", "wait_for(predicate)")
        predicate = node.args[0]
        if isinstance(predicate, ast.Lambda):
            if predicate.args.args or predicate.args.vararg or predicate.args.kwarg:
                lowerer.unsupported(predicate, "a predicate with parameters", "use lambda: <condition>")
            test_node: ast.expr = predicate.body
        elif isinstance(predicate, ast.Name):
            test_node = ast.Call(ast.Name(predicate.id, ast.Load()), [], [], lineno=predicate.lineno,
                                 col_offset=predicate.col_offset)
        else:
            lowerer.unsupported(predicate, "this predicate", "pass a lambda or a module-level function")
        result = lowerer.temp()
        top = lowerer.here()
        lowerer.emit(ir.Assign(result, lowerer.expr(test_node)), node)
        value = ir.Reg(result, lowerer.register_names[result])
        done = lowerer.emit(ir.Branch(ir.Unary("not", value), -1), node)
        lowerer.emit(ir.SyncOp(obj, "wait"), node)
        lowerer.emit(ir.SyncOp(obj, "resume"), node)
        lowerer.emit(ir.Jump(top), node)
        lowerer.patch(done, lowerer.here())
        return value

    def rename_threads(self, state: State, rename: Callable[[int], int]) -> State:
        holder, depth, waiters = state
        return (holder if holder == FREE else rename(holder), depth,
                tuple((rename(t), restore, notified) for t, restore, notified in waiters))

    def describe(self, state: State, thread_names: tuple[str, ...]) -> str | None:
        holder, depth, waiters = state
        parts = [f"held by {thread_names[holder]}"] if holder != FREE else []
        if waiters:
            parts.append("waiting: " + ", ".join(thread_names[w] + (" (notified)" if n else "")
                                                 for w, _, n in waiters))
        return "; ".join(parts) or None


KIND = Condition()

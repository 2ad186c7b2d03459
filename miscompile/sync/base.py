"""What one kind of synchronisation object declares, in one place.

A kind (``threading.Lock``, ``threading.Event``, ``queue.Queue``, ...) is one
module in this package. It says how the frontend lowers its methods (into
``ir.SyncOp`` instructions naming one of its actions), what each action needs
to run (``ready``) and does to the object's state (``perform``, a pure function
that may raise the program's ``Fault``), which happens-before edge it makes
(``observe``, for the race detector), how the trace shows the object
(``describe``), and whether ``with obj:`` works on it. The machine, the race
detector, the trace and the passes consult the registry and never name a kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:  # pragma: no cover
    import ast

    from .. import ir
    from ..frontend.lower import Lowerer


@dataclass(frozen=True)
class Action:
    """One operation on an object.

    ``perform(state, thread, *args) -> (new state, result, edge)``: ``result`` goes to the
    instruction's destination register, ``edge`` (or None) is what the race detector is told
    (``"acquire"``, ``"release"``, ..., or a tuple such as ``("finish", future)``). ``ready(state, thread)`` is None when the action can
    always run, else whether it can run now (a blocked thread waits, and a state where every
    unfinished thread waits is a deadlock).
    """

    perform: Callable[..., tuple[Any, Any, Any]]
    ready: Callable[..., bool] | None = None
    #: Whether ``ready`` also takes the action's arguments (``future.result()`` waits for *that* future).
    ready_uses_arguments: bool = False


class SyncKind:
    """Base class of the kinds; each subclass is one module's single declaration."""

    #: The frontend's name for the kind ("lock"), and the constructor it comes from.
    name: ClassVar[str]
    constructor: ClassVar[str]
    #: Whether ``with obj:`` acquires and releases it (the actions "acquire" and "release").
    context_manager: ClassVar[bool] = False
    actions: ClassVar[dict[str, Action]]
    #: For the execution-graph models, where each operation on the object is a read-modify-write
    #: of it (taken in one order, as CPython's internal lock takes them): the C11 order of each
    #: edge (``"acquire"`` for one that learns what others published, ``"release"`` for one that
    #: publishes). An edge not named is ``"acq_rel"``.
    orders: ClassVar[dict[str, str]] = {"acquire": "acquire", "release": "release"}

    # ------------------------------------------------------------------ the frontend and the machine

    def create(self, call: ast.Call, error: Callable[[ast.AST, str], Exception]) -> Any:
        """The object's state when the program starts, from its constructor call (``Semaphore(2)``).
        Raise ``error(node, message)`` for arguments the kind does not take."""
        if call.args or call.keywords:
            raise error(call, f"arguments to {self.constructor.rsplit('.', 1)[1]}() are not supported here")
        return self.initial()

    def initial(self) -> Any:
        """The state of an object made without arguments."""
        raise NotImplementedError

    def int_argument(self, call: ast.Call, keyword: str, error: Callable[[ast.AST, str], Exception],
                     example: str, default: int | None = None) -> tuple[int, ast.AST]:
        """The one int literal a constructor takes, by position or as ``keyword=`` (``Semaphore(2)``,
        ``Queue(maxsize=2)``), and its node; ``default`` when it is left out (None: required)."""
        from ..frontend.module import literal_int  # the frontend imports this package: import it late

        kind = self.constructor.rsplit(".", 1)[1]
        hint = f"{kind}() takes one {keyword} as an int literal, e.g. {example}"
        node: ast.AST | None = call.args[0] if call.args else None
        for kw in call.keywords:
            if kw.arg != keyword or node is not None:
                raise error(kw, f"this argument to {kind}() is not supported here ({hint})")
            node = kw.value
        if len(call.args) > 1 or (node is None and default is None):
            raise error(call, hint)
        if node is None:
            return default, call  # type: ignore[return-value]
        value = literal_int(node)  # type: ignore[arg-type]
        if type(value) is not int:
            raise error(node, hint)
        return value, node

    # ------------------------------------------------------------------ the frontend

    def lower(self, lowerer: Lowerer, node: ast.Call, obj: int, name: str, method: str,
              args: list[ast.expr], statement: bool) -> ir.Expr:
        """Emit the instructions for ``name.method(args)``; returns the call's value."""
        raise NotImplementedError

    def order_of(self, edge: Any) -> str:
        """The C11 order of the read-modify-write ``edge`` is on the execution-graph engine (an
        edge such as ``("finish", future)`` is named by its first part)."""
        return self.orders.get(edge[0] if isinstance(edge, tuple) else edge, "acq_rel")

    def rename_threads(self, state: Any, rename: Callable[[int], int]) -> Any:
        """The state with every thread number ``t`` in it replaced by ``rename(t)``. Symmetry
        reduction swaps identical threads, so a kind whose state names threads (a lock's
        holder, a condition's waiters) must override this; the others hold no thread."""
        return state

    # ------------------------------------------------------------------ happens-before

    def no_knowledge(self) -> Any:
        """What the object has published when the program starts (nothing)."""
        return 0

    def observe(self, edge: str, known: int, published: Any) -> tuple[int, Any]:
        """A thread that knows ``known`` makes ``edge`` on the object: (what the thread knows now,
        what the object carries now). Knowledge is a bit set of accesses (see races.py)."""
        raise NotImplementedError

    def forget(self, published: Any, keep: int) -> Any:
        """Drop the bits not in ``keep`` (a new access replaces an older one of its kind)."""
        return published & keep

    def map_knowledge(self, published: Any, change: Callable[[int], int]) -> Any:
        """``published`` with ``change`` applied to every bit set in it (symmetry renames the
        threads the bits belong to). Knowledge is bit sets, alone or in nested tuples."""
        if isinstance(published, tuple):
            return tuple(self.map_knowledge(part, change) for part in published)
        return change(published)

    # ------------------------------------------------------------------ the trace

    def describe(self, state: Any, thread_names: tuple[str, ...]) -> str | None:
        """What the trace shows of the object, or None when there is nothing to say."""
        return None

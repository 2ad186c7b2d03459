"""The transition system of one program on one memory model.

``Machine`` answers the three questions a search needs: ``initial()``,
``enabled(state)`` and ``apply(state, choice)``. A choice either runs one
thread for one step or flushes one store-buffer entry, so scheduling and memory
nondeterminism are both plain choices and a list of choices is a replayable
witness.

One thread step executes the visible instruction at the thread's program
counter (a shared access or a synchronisation) and then the local instructions
after it, up to the next visible one. Every explored state therefore has each
thread parked at a visible instruction, which keeps the state space small
without hiding any interleaving that another thread could observe.

A state is one flat tuple (``State``), hashable for the visited set; each
instruction kind has one small handler below, compiled once per program into a
closure over the slots it reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from . import ir
from .bounds import DEFAULT_MAX_LOCAL_STEPS, BoundExceeded
from .evaluate import (MISSING, UNBOUND, Fault, Instance, PyDict, PyList, class_of, checked, compile_expr, printable,
                       text_of)
from .exceptions import catches, type_of
from .liveness import dead_registers
from .models.base import MemoryModel, set_item
from .outcomes import Failure, Outcome
from .symmetry import Symmetry, find_groups
from .sync import KINDS

if TYPE_CHECKING:  # pragma: no cover
    from .explore import Result

NOT_STARTED, FINISHED, SPINNING = -1, -2, -3
#: Local instructions a step runs before it starts watching for a repeated local state.
LOCAL_WATCH = 1_000

RUN, FLUSH = 0, 1
Choice = tuple[int, int, int]  # (RUN, thread, 0) or (FLUSH, thread, model's flush key)

# events the machine reports to an observer (the race detector)
READ, WRITE, ATOMIC_LOAD, ATOMIC_STORE, ATOMIC_RMW = "read", "write", "aload", "astore", "rmw"
START, JOIN, END = "start", "join", "end"
SYNC = "sync"  # (SYNC, thread, object, edge, line): an edge the object's kind defines
LOCAL = "local"  # (LOCAL, thread, pc, line): a local instruction ran (only with ``record_locals``)


class Raised(NamedTuple):
    """The uncaught exception that ended a thread: a failed assert or a run-time error."""

    status: str  # "assertion" or "error"
    line: int
    message: str


class ThreadState(NamedTuple):
    pc: int  # an instruction index, or NOT_STARTED / FINISHED / SPINNING
    regs: tuple
    output: tuple[str, ...]
    raised: Raised | None = None  # set once an exception escapes the thread's code


class Layout:
    """Where each part of a machine's states sits in their flat tuple (one per machine, shared by
    all its states, compared by identity)."""

    __slots__ = ("threads", "locations", "regs", "output", "raised", "memory", "buffers", "objects")

    def __init__(self, threads: int, locations: int) -> None:
        self.threads, self.locations = threads, locations
        # slot 0 holds the layout; then per thread its pc, registers, output and exception
        self.regs, self.output, self.raised = 1 + threads, 1 + 2 * threads, 1 + 3 * threads
        self.memory = 1 + 4 * threads
        self.buffers = self.memory + locations  # one slot: the model's buffers, whatever their shape
        self.objects = self.buffers + 1  # one slot per synchronisation object


class State(tuple):
    """One state as one flat tuple, which the search hashes and the machine copies once per step:
    ``(layout, pc per thread, registers per thread, output per thread, exception per thread,
    memory per location, buffers, state per synchronisation object)``. Nested states (a tuple of
    threads holding tuples) cost a copy per level on every step and a hash per level on every
    lookup. The properties give the structured view the trace and the views read."""

    __slots__ = ()

    @staticmethod
    def make(layout: Layout, threads: Iterable[ThreadState], memory: Iterable[Any], buffers: Any,
             objects: Iterable[Any]) -> State:
        threads = tuple(threads)
        return State((layout, *(t.pc for t in threads), *(t.regs for t in threads), *(t.output for t in threads),
                      *(t.raised for t in threads), *memory, buffers, *objects))

    def pc(self, tid: int) -> int:
        return self[1 + tid]

    def thread(self, tid: int) -> ThreadState:
        layout = self[0]
        return ThreadState(self[1 + tid], self[layout.regs + tid], self[layout.output + tid], self[layout.raised + tid])

    @property
    def threads(self) -> tuple[ThreadState, ...]:
        return tuple(self.thread(tid) for tid in range(self[0].threads))

    @property
    def memory(self) -> tuple:
        layout = self[0]
        return tuple.__getitem__(self, slice(layout.memory, layout.buffers))

    @property
    def buffers(self) -> Any:
        return self[self[0].buffers]

    @property
    def objects(self) -> tuple:
        return tuple.__getitem__(self, slice(self[0].objects, None))


# --------------------------------------------------------------------------- one step in progress


class Run:
    """The mutable working copy of a state while one thread takes a step."""

    __slots__ = ("machine", "tid", "pc", "regs", "output", "raised", "memory", "buffers", "objects", "slots",
                 "log", "line", "started")

    def __init__(self, machine: "Machine", state: State, tid: int, log: list | None) -> None:
        layout = machine.layout
        self.machine = machine
        self.tid = tid
        self.pc = state[1 + tid]
        self.regs = list(state[layout.regs + tid])
        self.output = state[layout.output + tid]
        self.raised = state[layout.raised + tid]
        self.memory = tuple.__getitem__(state, slice(layout.memory, layout.buffers))
        self.buffers = state[layout.buffers]
        self.objects = tuple.__getitem__(state, slice(layout.objects, None))
        self.slots = state  # the state's other threads (a list once a step starts one)
        self.log = log
        self.line = 0
        self.started: list[int] = []

    def pc_of(self, tid: int) -> int:
        return self.slots[1 + tid]

    def start(self, child: int, registers: tuple) -> None:
        """Thread ``child`` begins at its first instruction."""
        if not isinstance(self.slots, list):
            self.slots = list(self.slots)
        layout = self.machine.layout
        self.slots[1 + child] = 0
        self.slots[layout.regs + child] = registers
        self.slots[layout.output + child] = ()
        self.slots[layout.raised + child] = None

    def read(self, loc: int) -> Any:
        return self.machine.model.read(self.buffers, self.memory, self.tid, loc)

    def write(self, loc: int, value: Any, order: str) -> None:
        self.buffers, self.memory = self.machine.model.write(self.buffers, self.memory, self.tid, loc, value, order)

    def note(self, *event: Any) -> None:
        if self.log is not None:
            self.log.append((event[0], self.tid, *event[1:], self.line))

    def freeze(self) -> State:
        regs = self.regs
        machine = self.machine
        if machine.dead is not None:
            machine.forget(self.tid, self.pc, regs)
        layout, tid = machine.layout, self.tid
        slots = self.slots if isinstance(self.slots, list) else list(self.slots)
        slots[1 + tid] = self.pc
        slots[layout.regs + tid] = tuple(regs)
        slots[layout.output + tid] = self.output
        slots[layout.raised + tid] = self.raised
        slots[layout.memory:layout.buffers] = self.memory
        slots[layout.buffers] = self.buffers
        slots[layout.objects:] = self.objects
        return State(slots)


# --------------------------------------------------------------------------- compiled instructions


@dataclass(slots=True)
class Op:
    instr: ir.Instr
    execute: Callable[[Run], None]
    visible: bool
    drains: bool  # waits for an empty store buffer
    ready: Callable[[State, int], bool] | None = None  # any other condition for the step to be enabled
    loops_back: bool = False  # a jump backwards: every local loop passes one


HANDLERS: dict[type, Callable[[Any, "Machine"], Op]] = {}


def handler(kind: type) -> Callable:
    def register(fn: Callable) -> Callable:
        HANDLERS[kind] = fn
        return fn
    return register


def _spin_heads(thread: ir.ThreadCode) -> dict[int, range]:
    """The loops a thread may wait at instead of stepping round them: head pc -> the loop's code.

    A loop qualifies when going round it only reads memory (loads and atomic loads of variables
    and of list elements at an index the loop does not compute), each branch tests only the
    value the latest load gave (or what the loop never changes), every exit goes to the same
    place, and what the loop computes dies with it (only the explorer's own temps). The thread
    then waits at the head only while going round would read exactly what it read the last time
    round (``Machine._awaits``): a round started then is matched by the last round with its
    remaining reads delayed, so waiting loses no execution. The conditions are stricter than
    that argument needs; the differential tests (tests/test_reduction.py) check it, including a
    loop that can leave on values that were never in memory together."""
    code, names = thread.code, thread.registers
    heads: dict[int, range] = {}
    for j, instr in enumerate(code):
        if isinstance(instr, ir.Jump) and instr.target <= j and _waitable(code, names, instr.target, j):
            heads[instr.target] = range(instr.target, j + 1)
    return heads


def _waitable(code: tuple[ir.Instr, ...], names: tuple[str, ...], h: int, j: int) -> bool:
    region = range(h, j + 1)
    written: set[int] = set()
    for k in range(h, j):
        instr = code[k]
        if isinstance(instr, (ir.Load, ir.AtomicLoad)):
            if not isinstance(instr.loc, (int, ir.Element)):
                return False  # a dict key or an attribute: reading it may raise, or move
            written.add(instr.dst)
        elif isinstance(instr, ir.Assign):
            written.add(instr.dst)
        elif not isinstance(instr, (ir.Branch, ir.Jump)):
            return False
    if not all(names[r].startswith("·") for r in written):
        return False  # a variable of the program keeps what the loop read
    if not isinstance(code[h], (ir.Load, ir.AtomicLoad)):
        return False
    exits: set[int] = set()
    # every path from the head, tracking which load each register's value comes from
    stack: list[tuple[int, dict[int, frozenset[int]], int]] = [(h, {}, -1)]
    visited = 0
    while stack:
        pc, deps, latest = stack.pop()
        visited += 1
        if visited > 256:
            return False  # too many paths to check: do not wait there
        if pc not in region:
            exits.add(pc)
            continue
        if pc == j:
            continue  # back to the head
        instr = code[pc]
        if isinstance(instr, (ir.Load, ir.AtomicLoad)):
            if isinstance(instr.loc, ir.Element) and _depends(instr.loc.index, deps):
                return False  # the element read depends on what the loop read: not one fixed place
            stack.append((pc + 1, {**deps, instr.dst: frozenset({pc})}, pc))
        elif isinstance(instr, ir.Assign):
            stack.append((pc + 1, {**deps, instr.dst: _depends(instr.value, deps)}, latest))
        elif isinstance(instr, ir.Branch):
            if not _depends(instr.test, deps) <= {latest}:
                return False  # a decision on an older load: values from two moments could mix
            if instr.target <= pc:
                return False
            stack += [(pc + 1, deps, latest), (instr.target, deps, latest)]
        elif isinstance(instr, ir.Jump):
            if instr.target <= pc and pc != j:
                return False
            stack.append((instr.target, deps, latest))
    return len(exits) == 1


def _depends(expr: ir.Expr, deps: dict[int, frozenset[int]]) -> frozenset[int]:
    """The loads (by pc) whose values ``expr`` depends on, through the registers the loop wrote."""
    found: frozenset[int] = frozenset()
    for register in ir.registers_in(expr):
        found |= deps.get(register, frozenset())
    return found


def _written(thread: ir.ThreadCode, region: range) -> tuple[int, ...]:
    """The registers the instructions of ``region`` write."""
    return tuple(sorted({instr.dst for instr in thread.code[region.start:region.stop]  # type: ignore[attr-defined]
                         if getattr(instr, "dst", None) is not None}))


def _keep_spin_values(regions: dict[int, range], written: dict[int, tuple[int, ...]],
                      dead: list[tuple[int, ...]]) -> None:
    """Inside a spin loop, keep the values the loop itself computes even where they are dead.

    A thread waits at a spin loop only while a round would read exactly what its last round
    read; those values are what gives the thread another round, with every interleaving of
    it with the writes of others, once a variable it reads changes (``Machine._awaits``)."""
    for head, region in regions.items():
        for pc in region:
            dead[pc] = tuple(r for r in dead[pc] if r not in written[head])


def _op(instr: ir.Instr, execute: Callable[[Run], None], ready: Callable[[State, int], bool] | None = None) -> Op:
    return Op(instr, execute, instr.visible, False, ready)  # ``drains``: the model's to say (Machine)


def ordering_event(instr: ir.Instr) -> str | None:
    """What the memory model is asked about an instruction that may have to wait for the thread's
    buffer (``MemoryModel.drains``), or None for one that never does."""
    if isinstance(instr, ir.Fence):
        return f"fence {instr.kind}"
    if isinstance(instr, ir.AtomicRMW):
        return "rmw"
    if isinstance(instr, (ir.SyncOp, ir.Start, ir.Join, ir.End)):
        return "sync"
    return None


def _key_location(d: ir.Dict, key_expr: ir.Expr) -> Callable[[Run], tuple[Any, int]]:
    """Resolve a dict key to (the key, its location); a key the program does not name is beyond
    what the explorer laid out, which makes the search partial rather than wrong."""
    key_of, table = compile_expr(key_expr), d.table()

    def entry(run: Run) -> tuple[Any, int]:
        key = key_of(run.regs)
        if (kind := _unhashable(key)) is not None:
            raise Fault(f"TypeError: unhashable type: '{kind}'")
        try:
            return key, table[key]
        except KeyError:
            raise BoundExceeded(f"keys of {d.name} (the key {key!r} is not one the program names: write it "
                                f"as a literal somewhere, e.g. {d.name}[{key!r}])") from None
    return entry


def _unhashable(value: Any) -> str | None:
    """The type name CPython's ``hash()`` would reject in ``value`` (a list or dict, also inside a
    tuple), else None: our list and dict values are hashable only because states must be."""
    if isinstance(value, PyList):
        return "list"
    if isinstance(value, PyDict):
        return "dict"
    if type(value) is tuple:
        return next((kind for item in value if (kind := _unhashable(item)) is not None), None)
    return None


def _attribute(loc: ir.AttrOf, m: "Machine") -> Callable[[Run], int]:
    """The location of ``obj.attr`` for the object ``obj`` evaluates to; anything else is CPython's
    AttributeError."""
    obj_of, attr, method = compile_expr(loc.obj), loc.attr, loc.method
    tables, program = m.attribute_tables, m.program

    def where(run: Run) -> int:
        obj = obj_of(run.regs)
        found = tables.get(obj.name, {}).get(attr) if isinstance(obj, Instance) else None
        if found is None:
            raise Fault(f"AttributeError: '{class_of(obj)}' object has no attribute '{attr}'")
        if method is not None and not program.locations[found].atomic:
            value = run.read(found)
            raise Fault(f"AttributeError: '{class_of(value)}' object has no attribute '{method}'")
        return found
    return where


def _location(loc: ir.LocRef, m: "Machine") -> Callable[[Run], int]:
    """Resolve a fixed location, an array element (bounds-checked like Python lists), a dict key or
    an attribute of an object held in a value."""
    if isinstance(loc, int):
        return lambda run: loc
    if isinstance(loc, ir.AttrOf):
        return _attribute(loc, m)
    if isinstance(loc, ir.Entry):
        entry = _key_location(loc.dict, loc.key)
        return lambda run: entry(run)[1]
    index, base, length = compile_expr(loc.index), loc.array.base, loc.array.length

    def element(run: Run) -> int:
        i = index(run.regs)
        if type(i) not in (int, bool):
            raise Fault(f"TypeError: list indices must be integers or slices, not {type(i).__name__}")
        if not -length <= i < length:
            raise Fault("IndexError: list index out of range")
        return base + i % length
    return element


@handler(ir.Assign)
def _assign(instr: ir.Assign, m: "Machine") -> Op:
    dst, value = instr.dst, compile_expr(instr.value)

    def execute(run: Run) -> None:
        run.regs[dst] = value(run.regs)
        run.pc += 1
    return _op(instr, execute)


@handler(ir.Jump)
def _jump(instr: ir.Jump, m: "Machine") -> Op:
    target = instr.target

    def execute(run: Run) -> None:
        run.pc = target
    return _op(instr, execute)


@handler(ir.Branch)
def _branch(instr: ir.Branch, m: "Machine") -> Op:
    test, target = compile_expr(instr.test), instr.target

    def execute(run: Run) -> None:
        run.pc = run.pc + 1 if test(run.regs) else target
    return _op(instr, execute)


@handler(ir.Print)
def _print(instr: ir.Print, m: "Machine") -> Op:
    args, sep = [compile_expr(a) for a in instr.args], instr.sep

    def execute(run: Run) -> None:
        run.output = run.output + (printable(sep).join(text_of(a(run.regs)) for a in args),)
        run.pc += 1
    return _op(instr, execute)


@handler(ir.Assert)
def _assert(instr: ir.Assert, m: "Machine") -> Op:
    test = compile_expr(instr.test)
    message = compile_expr(instr.message) if instr.message is not None else (lambda regs: instr.text)

    def execute(run: Run) -> None:
        if not test(run.regs):
            raise Fault(text_of(message(run.regs)), "assertion")
        run.pc += 1
    return _op(instr, execute)


@handler(ir.Catch)
def _catch(instr: ir.Catch, m: "Machine") -> Op:
    types, target, dst = instr.types, instr.target, instr.dst

    def execute(run: Run) -> None:
        raised = run.raised
        if raised is not None and catches(types, type_of(raised.status, raised.message)):
            run.raised = None  # handled: the thread goes on in the except body
            if dst is not None:
                run.regs[dst] = (raised.status, raised.message)
            run.pc += 1
        else:
            run.pc = target
    return _op(instr, execute)


@handler(ir.Load)
def _load(instr: ir.Load, m: "Machine") -> Op:
    dst, where = instr.dst, _location(instr.loc, m)

    attributes = m.attribute_names

    def execute(run: Run) -> None:
        loc = where(run)
        value = run.read(loc)
        run.note(READ, loc)
        if value is MISSING and loc in attributes:  # no store of this attribute has reached us yet
            cls, attr = attributes[loc]
            raise Fault(f"AttributeError: '{cls}' object has no attribute '{attr}'")
        run.regs[dst] = value
        run.pc += 1
    return _op(instr, execute)


@handler(ir.Store)
def _store(instr: ir.Store, m: "Machine") -> Op:
    value, where = compile_expr(instr.value), _location(instr.loc, m)

    def execute(run: Run) -> None:
        v = value(run.regs)
        loc = where(run)
        run.write(loc, v, "plain")
        run.note(WRITE, loc)
        run.pc += 1
    return _op(instr, execute)


@handler(ir.AtomicLoad)
def _atomic_load(instr: ir.AtomicLoad, m: "Machine") -> Op:
    dst, where, order = instr.dst, _location(instr.loc, m), instr.order

    def execute(run: Run) -> None:
        loc = where(run)
        run.regs[dst] = run.read(loc)
        run.note(ATOMIC_LOAD, loc, order)
        run.pc += 1
    return _op(instr, execute)


@handler(ir.AtomicStore)
def _atomic_store(instr: ir.AtomicStore, m: "Machine") -> Op:
    value, where, order, model = compile_expr(instr.value), _location(instr.loc, m), instr.order, m.model

    def execute(run: Run) -> None:
        loc = where(run)
        run.write(loc, value(run.regs), order)
        run.note(ATOMIC_STORE, loc, order)
        run.pc += 1
    buffers_slot = m.layout.buffers
    return _op(instr, execute, lambda state, tid: model.store_ready(state[buffers_slot], tid, order))


RMW: dict[str, Callable[..., tuple[Any, Any]]] = {
    # op -> f(previous, *args) -> (new value or None for no write, result)
    "exchange": lambda old, v: (v, old),
    "fetch_add": checked(lambda old, v: (old + v, old)),
    "fetch_sub": checked(lambda old, v: (old - v, old)),
    "compare_exchange": lambda old, expected, desired: (desired, (True, old)) if old == expected else (None, (False, old)),
    # a growable list's methods, each one atomic step on the location holding the whole list
    "append": lambda old, v: (PyList((*old, v)), None),
    "extend": checked(lambda old, items: (PyList((*old, *items)), None)),
    "insert": checked(lambda old, i, v: _list_change(old, "insert", i, v)),
    "pop": checked(lambda old, *i: _list_change(old, "pop", *i)),
    "remove": checked(lambda old, v: _list_change(old, "remove", v)),
    "clear": lambda old: (PyList(), None),
    "setitem": checked(lambda old, i, v: _list_change(old, "__setitem__", i, v)),
}


def _list_change(old: PyList, method: str, *args: Any) -> tuple[PyList, Any]:
    """CPython's list method on a copy: (the new list, the method's result), or its exception."""
    items = list(old)
    result = getattr(items, method)(*args)
    return PyList(items), result


@handler(ir.AtomicRMW)
def _atomic_rmw(instr: ir.AtomicRMW, m: "Machine") -> Op:
    args, fn = [compile_expr(a) for a in instr.args], RMW[instr.op]
    dst, where, order = instr.dst, _location(instr.loc, m), instr.order

    def execute(run: Run) -> None:
        # one indivisible step: the model answers the read and takes the write as a locked one
        # (tso and pso made the thread wait for its buffer to drain first: ``drains("rmw")``)
        loc = where(run)
        new, result = fn(run.read(loc), *[a(run.regs) for a in args])
        if new is not None:
            run.write(loc, new, "rmw")
        if dst is not None:
            run.regs[dst] = result
        if new is not None:
            run.note(ATOMIC_RMW, loc, order)
        else:  # a failed compare_exchange writes nothing: it is a load
            run.note(ATOMIC_LOAD, loc, _failure_order(order))
        run.pc += 1
    return _op(instr, execute)


def _failure_order(order: str) -> str:
    """A failed compare_exchange is only a load: it keeps the acquire half of its order."""
    return {"acq_rel": "acquire", "release": "relaxed"}.get(order, order)


@handler(ir.DictOp)
def _dict_op(instr: ir.DictOp, m: "Machine") -> Op:
    """An indivisible dict operation: the key's value goes through the model (buffered like any
    store), the insertion order straight to memory in the same step."""
    d, op, dst = instr.dict, instr.op, instr.dst
    entry = _key_location(d, instr.key) if instr.key is not None else None
    args = [compile_expr(a) for a in instr.args]
    table = d.table()

    def present(run: Run) -> PyDict:
        pairs = []
        for key in run.memory[d.order]:
            value = run.read(table[key])
            if value is not MISSING:
                pairs.append((key, value))
        for loc in table.values():
            run.note(READ, loc)
        return PyDict(pairs)

    def execute(run: Run) -> None:
        if op == "snapshot":
            result = present(run)
        else:
            key, loc = entry(run)  # type: ignore[misc]
            old = MISSING
            if op != "set":  # d[k] = v only writes the key
                old = run.read(loc)
                run.note(READ, loc)
            values = [a(run.regs) for a in args]
            if op in ("set", "setdefault"):
                writes = op == "set" or old is MISSING
                new = values[0] if writes else old
                result = None if op == "set" else new
            elif old is MISSING and (op == "delete" or not values):
                raise Fault(f"KeyError: {key!r}")
            else:  # pop or delete
                writes, new, result = old is not MISSING, MISSING, (values[0] if old is MISSING else old)
            if writes:
                run.write(loc, new, "plain")
                run.note(WRITE, loc)
                # the order is the dict's own record of which keys it holds: it decides, not the
                # value this thread sees (which may be its own buffered store)
                order = run.memory[d.order]
                if new is MISSING:
                    order = tuple(k for k in order if not (k == key))
                elif key not in order:
                    order = (*order, key)
                run.memory = set_item(run.memory, d.order, order)
        if dst is not None:
            run.regs[dst] = result
        run.pc += 1
    return _op(instr, execute)


@handler(ir.Fence)
def _fence(instr: ir.Fence, m: "Machine") -> Op:
    fence, kind = m.model.fence, instr.kind

    def execute(run: Run) -> None:
        run.buffers = fence(run.buffers, run.tid, kind)
        run.pc += 1
    return _op(instr, execute)


@handler(ir.SyncOp)
def _sync(instr: ir.SyncOp, m: "Machine") -> Op:
    """Every action on a lock, event, queue, ...: its kind's ``perform`` on the object's state."""
    obj, dst = instr.obj, instr.dst
    action = KINDS[m.program.objects[obj].kind].actions[instr.action]
    perform, args = action.perform, [compile_expr(a) for a in instr.args]

    def execute(run: Run) -> None:
        state, result, edge = perform(run.objects[obj], run.tid, *[a(run.regs) for a in args])
        run.objects = set_item(run.objects, obj, state)
        if edge is not None:
            run.note(SYNC, obj, edge)
        if dst is not None:
            run.regs[dst] = result
        run.pc += 1
    ready, slot, regs = action.ready, m.layout.objects + obj, m.layout.regs
    if ready is not None and action.ready_uses_arguments:
        return _op(instr, execute, lambda state, tid: ready(state[slot], tid, *[a(state[regs + tid]) for a in args]))
    return _op(instr, execute, None if ready is None else lambda state, tid: ready(state[slot], tid))


@handler(ir.Sleep)
def _sleep(instr: ir.Sleep, m: "Machine") -> Op:
    duration = compile_expr(instr.duration)

    def execute(run: Run) -> None:
        seconds = duration(run.regs)
        if type(seconds) not in (int, bool, float):
            raise Fault(f"TypeError: '{type(seconds).__name__}' object cannot be interpreted as an integer")
        if seconds < 0:
            raise Fault("ValueError: sleep length must be non-negative")
        run.pc += 1
    return _op(instr, execute)


@handler(ir.Start)
def _start(instr: ir.Start, m: "Machine") -> Op:
    child = instr.thread
    registers = (UNBOUND,) * len(m.program.threads[child].registers)

    def execute(run: Run) -> None:
        if run.pc_of(child) != NOT_STARTED:
            raise Fault("RuntimeError: threads can only be started once")
        run.start(child, registers)
        run.started.append(child)
        run.note(START, child)
        run.pc += 1
    return _op(instr, execute)


@handler(ir.Join)
def _join(instr: ir.Join, m: "Machine") -> Op:
    child = instr.thread

    def execute(run: Run) -> None:
        if run.pc_of(child) == NOT_STARTED:
            raise Fault("RuntimeError: cannot join thread before it is started")
        run.note(JOIN, child)
        run.pc += 1
    return _op(instr, execute, lambda state, tid: state[1 + child] in (FINISHED, NOT_STARTED))


def _all_finished(members: tuple[int, ...]) -> Callable[[State, int], bool]:
    """A join step that waits for every member of a symmetric group it has not joined yet."""
    def ready(state: State, tid: int) -> bool:
        return all(state[1 + m] in (FINISHED, NOT_STARTED) for m in members)
    return ready


@handler(ir.End)
def _end(instr: ir.End, m: "Machine") -> Op:
    def execute(run: Run) -> None:
        run.note(END)
        run.pc = FINISHED
    return _op(instr, execute)


# --------------------------------------------------------------------------- the system


class Machine:
    """One program on one memory model, as a transition system."""

    def __init__(self, program: ir.Program, model: MemoryModel, *,
                 max_local_steps: int = DEFAULT_MAX_LOCAL_STEPS, reduce: bool = True) -> None:
        self.program = program
        self.model = model
        self.max_local_steps = max_local_steps
        #: attribute location -> (class, attribute), for CPython's AttributeError on a missing one;
        #: object -> its attributes' locations, for attributes reached through a value
        self.attribute_names = {loc: (info.cls, attr) for info in program.instances for attr, loc in info.attrs}
        self.attribute_tables = {info.name: dict(info.attrs) for info in program.instances}
        #: a dict's insertion-order location -> the dict and its key table; its keys' locations
        self.dict_orders = {d.order: (d, d.table()) for d in program.dicts}
        self.dict_values = frozenset(d.base + i for d in program.dicts for i in range(len(d.keys)))
        self.layout = Layout(len(program.threads), len(program.locations))
        self.ops: list[list[Op]] = [[HANDLERS[type(i)](i, self) for i in t.code] for t in program.threads]
        for ops in self.ops:
            for pc, op in enumerate(ops):
                op.loops_back = isinstance(op.instr, ir.Jump) and op.instr.target <= pc
                event = ordering_event(op.instr)
                op.drains = event is not None and model.drains(event)
        self.names = program.thread_names
        #: Report every local instruction a step runs to the log: the graph engine tracks ARM's
        #: register dependencies through them (``graphs.dependencies``).
        self.record_locals = False
        self.daemons = frozenset(i for i, t in enumerate(program.threads) if t.daemon)
        self._reducer = None  # made on first use: a full search never pays for it
        #: With ``reduce``, threads wait at spin loops instead of going round them (``_awaits``).
        self.reduce = reduce
        self.spin_heads = [_spin_heads(t) if reduce else {} for t in program.threads]
        #: With ``reduce``, per thread and pc the registers nothing reads again, which a thread
        #: parked there forgets (``miscompile.liveness``).
        self.dead = [dead_registers(t) for t in program.threads] if reduce else None
        #: per thread, spin head -> the registers the loop writes: a round starts with them unset,
        #: so a thread at the head holds exactly what its last round read (see _keep_spin_values)
        self.spin_values: list[dict[int, tuple[int, ...]]] = [
            {head: _written(program.threads[tid], region) for head, region in heads.items()}
            for tid, heads in enumerate(self.spin_heads)]
        if self.dead is not None:
            for tid, heads in enumerate(self.spin_heads):
                _keep_spin_values(heads, self.spin_values[tid], self.dead[tid])
        self.spinning_threads = [(tid, heads) for tid, heads in enumerate(self.spin_values) if heads]
        #: With ``reduce``, interchangeable threads are stored once (``miscompile.symmetry``); a
        #: search then keys its visited set by ``canonical(state)``. (parent, pc) -> the members a
        #: join step waits for, when that is more than the thread it names.
        self.symmetry: Symmetry | None = None
        self.canonical: Callable[[State], State] | None = None
        self.join_waits: dict[tuple[int, int], tuple[int, ...]] = {}
        if reduce and not self.daemons:
            groups = find_groups(program)
            if groups:
                self.symmetry = Symmetry(self, groups)
                for parent, pc, members in self.symmetry.awaited():
                    self.join_waits[parent, pc] = members
                    self.ops[parent][pc].ready = _all_finished(members)
        if self.symmetry is not None or any(self.spin_values):
            self.canonical = self.key

    def key(self, state: State) -> State:
        """The state a reduced search stores for ``state`` (see ``key_and_order``)."""
        return self.key_and_order(state)[0]

    def key_and_order(self, state: State) -> tuple[State, tuple[int, ...] | None]:
        """``state`` as a reduced search stores it, and the order symmetry put the threads in.

        What a thread at a spin loop's head last read (``spin_values``) only decides whether it
        may go round again; the state is stored without it. Two states that differ only there
        have the same futures: a round the one would start, the round that gave the other its
        values covers (``Machine._awaits``). Then identical threads are sorted (``symmetry``)."""
        forgotten: list | None = None
        at_regs = self.layout.regs
        for tid, heads in self.spinning_threads:
            pc = state[1 + tid]
            if pc in heads:
                regs = list(state[at_regs + tid])
                for r in heads[pc]:
                    regs[r] = UNBOUND
                if forgotten is None:
                    forgotten = list(state)
                forgotten[at_regs + tid] = tuple(regs)
        if forgotten is not None:
            state = State(forgotten)
        if self.symmetry is None:
            return state, None
        order = self.symmetry.order(state)
        return (state, None) if order is None else (self.symmetry.permute(state, order), order)

    # ------------------------------------------------------------------ the System interface

    def initial(self) -> State:
        program = self.program
        threads = [ThreadState(NOT_STARTED, (), ()) for _ in program.threads]
        threads[0] = ThreadState(0, (UNBOUND,) * len(program.threads[0].registers), ())
        state = State.make(self.layout, threads, (loc.initial for loc in program.locations),
                           self.model.empty(len(threads)), (obj.initial for obj in program.objects))
        return self._settle(state, 0, None)

    def enabled(self, state: State) -> list[Choice]:
        if self.daemons and self._ended(state):
            return []  # only daemon threads are left: the program ends and they are stopped
        model, buffers, choices = self.model, state[self.layout.buffers], []
        for tid in range(self.layout.threads):
            pc = state[1 + tid]
            if pc >= 0:
                op = self.ops[tid][pc]
                if op.drains and not model.drained(buffers, tid):
                    continue
                if op.ready is not None and not op.ready(state, tid):
                    continue
                if pc in self.spin_heads[tid] and self._awaits(state, tid):
                    continue
                choices.append((RUN, tid, 0))
            elif pc == SPINNING and not self.reduce:
                choices.append((RUN, tid, 0))  # a local spin: a step back to the same state
        for tid, key in model.flushes(buffers):
            choices.append((FLUSH, tid, key))
        return choices

    def _awaits(self, state: State, tid: int) -> bool:
        """Whether thread ``tid``, at the head of a spin loop, would go round it and come back
        unchanged, reading everything it reads now: then it waits (until another step changes
        what it reads) instead of taking steps that lead back to this state."""
        head = state[1 + tid]
        region = self.spin_heads[tid][head]
        run = Run(self, state, tid, None)
        for r in self.spin_values[tid][head]:
            run.regs[r] = UNBOUND
        ops = self.ops[tid]
        try:
            for _ in range(len(region) + 1):  # the loop's code has no inner loop: one pass is short
                ops[run.pc].execute(run)
                if run.pc == region.start:
                    if self.dead is not None:
                        self.forget(tid, run.pc, run.regs)
                    return tuple(run.regs) == state[self.layout.regs + tid]
                if run.pc not in region:
                    return False
        except (Fault, BoundExceeded):
            return False
        return False

    def forget(self, tid: int, pc: int, regs: list) -> None:
        """Reset the registers thread ``tid`` can no longer read at ``pc`` (all of them once it
        has finished), so that states differing only in spent values are one state."""
        if pc >= 0:
            for r in self.dead[tid][pc]:  # type: ignore[index]
                regs[r] = UNBOUND
        else:
            regs[:] = [UNBOUND] * len(regs)

    def awaiting(self, state: State) -> bool:
        """Whether some thread spins with nothing to change what it reads (locally, or at a
        spin loop's only access): with no other choice that is a hang, not an ending."""
        if not self.reduce:
            return False
        return any(t.pc == SPINNING or (t.pc >= 0 and t.pc in self.spin_heads[i] and self._awaits(state, i))
                   for i, t in enumerate(state.threads))

    def ample(self, state: State, choices: list[Choice]) -> list[Choice]:
        """The choices a reduced search must take from ``state`` (see ``miscompile.reduction``)."""
        if self._reducer is None:
            from .reduction import Reducer

            self._reducer = Reducer(self)
        return self._reducer.ample(state, choices)

    def close(self, result: Result) -> None:
        """Add the renamings of what a search with ``canonical`` found (see ``miscompile.symmetry``)."""
        if self.symmetry is not None:
            self.symmetry.close(result)

    def transition(self, state: State, choice: Choice) -> tuple[State, tuple]:
        """``apply``, with the notes a search records: a machine reports none (the race detector
        wraps it to report races)."""
        return self.apply(state, choice), ()

    def apply(self, state: State, choice: Choice, log: list | None = None) -> State:
        kind, tid, key = choice
        if kind == FLUSH:
            layout = self.layout
            buffers, memory, _, _ = self.model.flush(state[layout.buffers], state.memory, (tid, key))
            slots = list(state)
            slots[layout.memory:layout.buffers] = memory
            slots[layout.buffers] = buffers
            return State(slots)
        if state[1 + tid] == SPINNING:
            return state
        run = Run(self, state, tid, log)
        op = self.ops[tid][run.pc]
        run.line = op.instr.line
        if run.pc in self.spin_values[tid]:  # a new round of a spin loop: forget the last round's reads
            for r in self.spin_values[tid][run.pc]:
                run.regs[r] = UNBOUND
        try:
            op.execute(run)
            self._advance(run)
        except Fault as fault:
            self._unwind(run, fault)
        state = run.freeze()
        for child in run.started:
            state = self._settle(state, child, log)
        return state

    # ------------------------------------------------------------------ local computation

    def _advance(self, run: Run) -> None:
        """Run local instructions until the next visible one.

        A local loop that comes back to a local state it was in (same instruction,
        registers and output) can never reach a shared access: the thread spins forever,
        exactly. One that keeps changing state past ``max_local_steps`` is given up with
        ``BoundExceeded``, which makes the search partial rather than inventing a hang.
        """
        ops = self.ops[run.tid]
        count = 0
        seen: set | None = None
        record = self.record_locals and run.log is not None
        while run.pc >= 0:
            op = ops[run.pc]
            if op.visible:
                return
            run.line = op.instr.line
            if record:
                run.note(LOCAL, run.pc)
            if op.loops_back and count >= LOCAL_WATCH:
                if count > self.max_local_steps:
                    raise BoundExceeded("local steps")
                key = (run.pc, tuple(run.regs), len(run.output))
                if seen is None:
                    seen = set()
                elif key in seen:
                    run.pc = SPINNING
                    return
                seen.add(key)
            op.execute(run)
            count += 1

    def _settle(self, state: State, tid: int, log: list | None) -> State:
        """Bring a newly started thread to its first visible instruction."""
        run = Run(self, state, tid, log)
        try:
            self._advance(run)
        except Fault as fault:
            self._unwind(run, fault)
        return run.freeze()

    def _unwind(self, run: Run, fault: Fault) -> None:
        """An exception escapes the thread's code: record it and continue at the landing pad,
        which runs the ``finally`` bodies and releases the ``with`` locks it is inside, then
        ends the thread (a later exception there, such as releasing a lock that is not held,
        replaces it, as CPython reports the last one)."""
        unwind = self.program.threads[run.tid].unwind
        while True:
            run.raised = Raised(fault.status, run.line, str(fault))
            run.pc = unwind[run.pc]
            try:
                self._advance(run)
                return
            except Fault as again:  # raised by a finally body: it goes on from there
                fault = again

    # ------------------------------------------------------------------ outcomes

    def ending(self, state: State) -> Outcome:
        """The outcome of a state with no enabled choice: ok, deadlock, or the status of a
        thread's uncaught exception, with the memory the program ended with; a hang when a
        thread still spins there (it waits for a change that can no longer come)."""
        if not (self.daemons and self._ended(state)) and self.awaiting(state):
            return self.hang(state)
        output, stuck, failures = self._output(state), self._stuck(state), self._failures(state)
        if self.daemons and self._ended(state):
            stuck = ()
        if failures:
            return Outcome(failures[0].status, self._final(state), output, stuck=stuck or None, failures=failures)
        if not stuck:
            return Outcome("ok", self._final(state), output)
        return Outcome("deadlock", output=output, stuck=stuck)

    def hang(self, state: State) -> Outcome:
        """The outcome of a bottom strongly connected component that holds no ending.

        After an uncaught exception the status stays the exception's; the program never
        ends, so there is no final memory."""
        output, stuck, failures = self._output(state), self._stuck(state), self._failures(state)
        if failures:
            return Outcome(failures[0].status, output=output, stuck=stuck, failures=failures)
        return Outcome("hang", output=output, stuck=stuck)

    def _ended(self, state: State) -> bool:
        """Whether every thread but the daemons has finished (or was never started), as CPython
        waits for at exit; the stores of finished threads have reached memory (``End`` drains)."""
        return all(t.pc in (FINISHED, NOT_STARTED) for i, t in enumerate(state.threads)
                   if i not in self.daemons) and state.threads[0].pc == FINISHED

    def _failures(self, state: State) -> tuple[Failure, ...]:
        """Every thread's uncaught exception, in the program's thread order."""
        return tuple(Failure(self.names[i], t.raised.line, t.raised.message, t.raised.status)
                     for i, t in enumerate(state.threads) if t.raised is not None)

    def _final(self, state: State) -> tuple[tuple[str, Any], ...]:
        final: list[tuple[str, Any]] = []
        for loc, value in zip(self.program.locations, state.memory):
            if loc.index in self.dict_orders:  # a dict, shown whole: its keys in insertion order
                d, table = self.dict_orders[loc.index]
                final.append((d.name, PyDict((k, state.memory[table[k]]) for k in value)))
            elif loc.index not in self.dict_values and value is not MISSING:  # (an attribute never stored)
                final.extend(loc.field_values(value) if loc.fields else ((loc.name, value),))
        return tuple(final)

    def _output(self, state: State) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((self.names[i], t.output) for i, t in enumerate(state.threads) if t.output)

    def _stuck(self, state: State) -> tuple[str, ...]:
        return tuple(self.names[i] for i, t in enumerate(state.threads) if t.pc >= 0 or t.pc == SPINNING)

    # ------------------------------------------------------------------ for views

    def current_instr(self, state: State, tid: int) -> ir.Instr | None:
        """The visible instruction thread ``tid`` is parked at, if it is running."""
        pc = state[1 + tid]
        return self.ops[tid][pc].instr if pc >= 0 else None

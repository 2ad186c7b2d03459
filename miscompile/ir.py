"""The intermediate representation: what the frontend produces and the explorer runs.

A program is a set of shared locations, synchronisation objects and threads.
Each thread is one flat list of instructions: helper-function calls are inlined
by the frontend (the dialect forbids recursion), so a thread's whole control
state is a program counter and a tuple of registers.

An uncaught exception (a failed ``assert``, a run-time error) ends only its
thread, as in CPython: the thread continues at the landing pad its
``unwind`` table names, which releases the locks of the ``with`` statements it
is inside and then reaches the thread's ``End``.

Instructions come in two kinds. *Local* instructions (``Assign``, ``Jump``,
``Branch``, ``Print``, ``Assert``, ``Catch``) touch only the thread's own registers and
output. *Visible* instructions access shared memory or synchronise; each one is
one step of the thread in the explorer. Expressions are pure: every shared load
has already been split out into its own ``Load`` instruction, in Python's
evaluation order, so evaluating an expression never needs memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal, Union

Order = Literal["relaxed", "acquire", "release", "acq_rel", "seq_cst"]
Value = Union[int, bool, tuple]


# --------------------------------------------------------------------------- memory


@dataclass(frozen=True)
class Location:
    """One memory location: a variable, an array element or a struct field."""

    index: int
    name: str  # "x", "a[0]", "flags.b1"
    initial: object  # an int, bool, None or string
    atomic: bool = False
    line: int = 0
    #: For a whole word of ``ctypes.Structure`` byte fields (a struct some code accesses with
    #: ``load_word``/``store_word``): the field names, lowest byte first. Its value packs them
    #: little-endian, and outcomes still report each field as ``flags.b1``.
    fields: tuple[str, ...] = ()

    def field_values(self, value: int) -> tuple[tuple[str, int], ...]:
        """``flags = 0x0100`` -> ``(("flags.b1", 0), ("flags.b2", 1))``."""
        return tuple((f"{self.name}.{field}", (value >> (8 * i)) & 0xFF) for i, field in enumerate(self.fields))


@dataclass(frozen=True)
class Array:
    """A module-level list of ints: consecutive locations ``base .. base+length-1``."""

    name: str
    base: int
    length: int
    atomic: bool = False  # a list of ``Atomic``s: its elements are read with ``a[i].load()``


@dataclass(frozen=True)
class Dict:
    """A module-level dict: one location per key the program can name, holding the key's value
    (``MISSING`` while the key is absent), and ``order``, the keys present in insertion order.

    ``order`` changes only with the key's own location, in the same step, and straight in
    memory (it is what CPython's dict keeps under its own lock); the values go through the
    store buffers like any variable, so a key's value can race and be reordered.
    """

    name: str
    keys: tuple[object, ...]
    base: int  # the value of keys[i] is at location base + i
    order: int  # the location holding the present keys, in insertion order

    def table(self) -> dict[object, int]:
        """Key -> its location, by Python's dict semantics (``1`` and ``True`` are one key)."""
        return {k: self.base + i for i, k in enumerate(self.keys)}


@dataclass(frozen=True)
class ThreadCode:
    """One thread: its name, its target function and its flattened code."""

    name: str
    function: str | None
    code: tuple["Instr", ...]
    registers: tuple[str, ...]  # register names, for traces
    line: int = 0  # where the thread object is created
    #: Per instruction, where an exception raised there continues (CPython's exception table):
    #: a landing pad that releases the locks of the enclosing ``with`` statements, innermost
    #: first, and then ends the thread.
    unwind: tuple[int, ...] = ()
    daemon: bool = False  # the program may end while it still runs (it is then stopped)


@dataclass(frozen=True)
class SyncObject:
    """A module-level synchronisation object: its name and its kind (a key of ``miscompile.sync.KINDS``)."""

    name: str
    kind: str
    initial: object = None  # the object's state when the program starts (hashable)


@dataclass(frozen=True)
class Program:
    path: str
    source: str
    locations: tuple[Location, ...]
    arrays: tuple[Array, ...]
    objects: tuple[SyncObject, ...]  # locks, events, queues, ...
    threads: tuple[ThreadCode, ...]  # index 0 is the main thread
    dicts: tuple[Dict, ...] = ()
    instances: tuple["ObjectInfo", ...] = ()  # every object, for attributes reached through a value

    def location(self, name: str) -> Location:
        for loc in self.locations:
            if loc.name == name:
                return loc
        raise KeyError(name)

    @property
    def thread_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.threads)


# --------------------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Const:
    value: object  # int, bool, str (print arguments only), None


@dataclass(frozen=True)
class Reg:
    index: int
    name: str


@dataclass(frozen=True)
class RawReg:
    """A register read as it is, unset included: the explorer's own bookkeeping (has this thread
    made its object at this site yet?), never a program's variable."""

    index: int


@dataclass(frozen=True)
class Unary:
    op: str  # "-", "+", "~", "not"
    operand: "Expr"


@dataclass(frozen=True)
class Binary:
    op: str  # "+", "-", "*", "//", "%", "<<", ">>", "&", "|", "^", "**", "==", "<", ...
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Logic:
    """``and`` / ``or`` over pure operands, with Python's value semantics."""

    op: Literal["and", "or"]
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class IfExp:
    test: "Expr"
    body: "Expr"
    orelse: "Expr"


@dataclass(frozen=True)
class Builtin:
    """A pure builtin: ``abs``, ``min``, ``max``, ``int``, ``bool``, ``sum``, ``len``, ``sorted``."""

    name: str
    args: tuple["Expr", ...]


@dataclass(frozen=True)
class MakeTuple:
    """A tuple of the items' values, or a list (``list=True``: ``[a, b]``, an array read whole)."""

    items: tuple["Expr", ...]
    list: bool = False


@dataclass(frozen=True)
class Item:
    """``value[index]`` on a tuple held in a register (``compare_exchange`` results)."""

    value: "Expr"
    index: "Expr"


@dataclass(frozen=True)
class Format:
    """An f-string: literal text and formatted values, joined."""

    parts: tuple[Union[str, tuple["Expr", str, str]], ...]  # (value, conversion, spec)


Expr = Union[Const, Reg, RawReg, Unary, Binary, Logic, IfExp, Builtin, MakeTuple, Item, Format]
EXPRESSIONS = (Const, Reg, RawReg, Unary, Binary, Logic, IfExp, Builtin, MakeTuple, Item, Format)


def registers_in(node: Any) -> frozenset[int]:
    """Every register ``node`` may read, through all its parts: an expression (an f-string's values
    included), a location (an element's index) or a whole instruction. Walking every field means a
    new kind of expression or instruction is covered without being named here."""
    if isinstance(node, (Reg, RawReg)):
        return frozenset({node.index})
    if isinstance(node, tuple):
        parts: Any = node
    elif is_dataclass(node) and not isinstance(node, type):
        parts = (getattr(node, part.name) for part in fields(node))
    else:
        return frozenset()
    found: frozenset[int] = frozenset()
    for part in parts:
        found |= registers_in(part)
    return found


# --------------------------------------------------------------------------- locations in instructions


@dataclass(frozen=True)
class Element:
    """An array element chosen at run time; out of range is an ``error`` outcome."""

    array: Array
    index: Expr


@dataclass(frozen=True)
class Entry:
    """The location of a dict's key chosen at run time."""

    dict: Dict
    key: Expr


@dataclass(frozen=True)
class AttrOf:
    """An attribute of whatever object ``obj`` evaluates to (a local or a variable holding one)."""

    obj: Expr
    attr: str
    method: str | None = None  # for ``obj.attr.load()``: the atomic method, the attribute must be an Atomic


@dataclass(frozen=True)
class ObjectInfo:
    """An object's memory: its class and the location of each attribute (``MISSING`` until stored)."""

    name: str  # "counter", or "Config@12" for one made at line 12
    cls: str
    attrs: tuple[tuple[str, int], ...]


LocRef = Union[int, Element, Entry, AttrOf]  # a fixed location, an array element, a dict key, an attribute


# --------------------------------------------------------------------------- instructions


@dataclass(frozen=True)
class Instr:
    line: int = field(default=0, kw_only=True)
    col: int = field(default=0, kw_only=True)
    #: True for instructions that are steps of their own (shared memory or synchronisation).
    visible = True


# local ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Assign(Instr):
    dst: int
    value: Expr
    visible = False


@dataclass(frozen=True)
class Jump(Instr):
    target: int
    visible = False


@dataclass(frozen=True)
class Branch(Instr):
    """Jump to ``target`` when ``test`` is falsy."""

    test: Expr
    target: int
    visible = False


@dataclass(frozen=True)
class Print(Instr):
    args: tuple[Expr, ...]
    sep: str = " "
    visible = False


@dataclass(frozen=True)
class Assert(Instr):
    test: Expr
    message: Expr | None
    text: str  # the statement's source, the message when none is given
    visible = False


@dataclass(frozen=True)
class Catch(Instr):
    """The start of an ``except`` clause, reached by unwinding: when the thread's exception is
    one of ``types`` (by CPython's class hierarchy; empty for a bare ``except:``) it is handled
    and the clause's body follows; otherwise unwinding goes on at ``target``."""

    types: tuple[str, ...]
    target: int
    dst: int | None = None  # receives (status, message) of the exception it handles
    visible = False


# shared memory ------------------------------------------------------------------------


@dataclass(frozen=True)
class Load(Instr):
    dst: int
    loc: LocRef


@dataclass(frozen=True)
class Store(Instr):
    loc: LocRef
    value: Expr


@dataclass(frozen=True)
class AtomicLoad(Instr):
    dst: int
    loc: "LocRef"  # an atomic variable, an element of a list of atomics, or an atomic attribute
    order: Order = "seq_cst"


@dataclass(frozen=True)
class AtomicStore(Instr):
    loc: "LocRef"  # an atomic variable, an element of a list of atomics, or an atomic attribute
    value: Expr
    order: Order = "seq_cst"


@dataclass(frozen=True)
class AtomicRMW(Instr):
    """``exchange``, ``compare_exchange``, ``fetch_add``, ``fetch_sub``, and a growable list's
    ``append``, ``extend``, ``insert``, ``pop``, ``remove``, ``clear`` and ``setitem``: one
    indivisible step."""

    dst: int | None
    op: str
    loc: "LocRef"
    args: tuple[Expr, ...]
    order: Order = "seq_cst"


@dataclass(frozen=True)
class DictOp(Instr):
    """One indivisible operation on a dict, as CPython's dict methods are:
    ``set`` (``d[k] = v``), ``setdefault``, ``pop`` (with an optional default), ``delete``
    (``del d[k]``), and ``snapshot`` (the whole dict, for ``print(d)``, ``len(d)``, iteration)."""

    dst: int | None
    dict: Dict
    op: str
    key: Expr | None = None
    args: tuple[Expr, ...] = ()


@dataclass(frozen=True)
class Fence(Instr):
    """``fence(kind)``: ``"seq_cst"`` (the default: a full fence), another C11 order, or ``"write"``
    / ``"read"``. What it orders is the memory model's business (``MemoryModel.fence``)."""

    kind: str = "seq_cst"


# synchronisation ------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncOp(Instr):
    """One action on a synchronisation object (``lock.acquire()``, ``q.put(v)``, ...).

    What the action means lives with its kind, in ``miscompile.sync``.
    """

    obj: int  # index into Program.objects
    action: str  # one of the kind's actions: "acquire", "release", "put", ...
    args: tuple["Expr", ...] = ()
    dst: int | None = None  # receives the action's result when it is used


@dataclass(frozen=True)
class Sleep(Instr):
    """``time.sleep(s)``: a step of its own that touches no memory (another thread may run)."""

    duration: "Expr"


@dataclass(frozen=True)
class Start(Instr):
    thread: int


@dataclass(frozen=True)
class Join(Instr):
    thread: int


@dataclass(frozen=True)
class End(Instr):
    """The thread finishes; like every synchronisation it waits for its store buffer."""

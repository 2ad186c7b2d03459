"""The concurrency facts every pass needs, computed once per program.

Passes may only rewrite plain shared memory, and may not move an access across
a synchronisation point. Both questions need the same knowledge: what each
module-level name is (plain variable, array, byte-field struct, atomic, lock,
Event, Queue, thread, helper function), whether a name inside a function is a
local or a global, and what a statement reads, writes and synchronises on,
including through the helper functions it calls. This module answers them, so
the passes never classify names themselves.

The module-level facts come from the frontend's declaration scanner (the one
authority on the dialect). Inside functions the dialect has Python's plain
rule: a name is local when the function binds it and does not declare it
``global``. One walk of the module records that per function; LibCST's
``ScopeProvider`` would answer the same question, but resolving it costs
about 40 ms per program, which the property tests pay thousands of times.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import libcst as cst
import libcst.matchers as m
from libcst.metadata import MetadataWrapper, PositionProvider

from miscompile.frontend import parse_program
from miscompile.frontend.lower import ATOMIC_METHODS, PURE_BUILTINS  # the frontend's own lists
from miscompile.frontend.module import Module, scan_module
from miscompile.sync import KINDS

#: The base of every object attribute's location: passes cannot tell instances apart, so an
#: attribute counts as the same memory as every other object's attribute of that name.
OBJECTS = "<object>"
#: Kinds whose every use is a synchronisation operation.
SYNC_KINDS = ("atomic", "list", *KINDS, "thread")  # a growable list's operations are atomic


@dataclass(frozen=True, order=True)
class Loc:
    """A shared memory location as a pass sees it: ``x``, ``a[0]``, ``a[i]``, ``flags.b1`` or ``flags``.

    ``part`` is None when the access may touch any part: an element at a computed
    index, or a whole struct word. Two locations may be the same memory when
    their bases match and either part is unknown or both are equal.
    """

    base: str
    part: str | None = None
    kind: str = "scalar"  # scalar, array or struct

    @property
    def known(self) -> bool:
        """Whether this is one definite location (not an element at a computed index)."""
        return self.kind != "array" or self.part is not None

    def overlaps(self, other: Loc) -> bool:
        return self.base == other.base and (self.part is None or other.part is None or self.part == other.part)

    def __str__(self) -> str:
        if self.kind == "array":
            return f"{self.base}[{self.part if self.part is not None else '?'}]"
        if self.kind in ("struct", "object") and self.part is not None:
            return f"{self.base}.{self.part}" if self.kind == "struct" else f"<object>.{self.part}"
        return self.base


def constant(node: cst.BaseExpression) -> int | None:
    """The value of an int literal such as ``3`` or ``-1``, else None."""
    if isinstance(node, cst.Integer):
        return int(node.value, 0)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus) \
            and isinstance(node.expression, cst.Integer):
        return -int(node.expression.value, 0)
    return None


def one_line(stmt: cst.CSTNode | None) -> cst.BaseSmallStatement | None:
    """The statement of a line that holds exactly one (``x = 1``, not ``x = 1; y = 2`` or an ``if``)."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        return stmt.body[0]
    return None


def _overlap(a: Iterable[Loc], b: Iterable[Loc]) -> bool:
    b = tuple(b)
    return any(x.overlaps(y) for x in a for y in b)


@dataclass(frozen=True)
class Effects:
    """What evaluating a piece of code may do, as far as moving it is concerned."""

    reads: frozenset[Loc] = frozenset()
    writes: frozenset[Loc] = frozenset()
    uses: frozenset[str] = frozenset()  # locals read
    defines: frozenset[str] = frozenset()  # locals written
    sync: str | None = None  # why this code synchronises ("`ready` is atomic"), if it does
    calls: frozenset[str] = frozenset()  # helper functions called (their effects are included)
    observable: bool = False  # prints or asserts: output order is part of the outcome
    may_fail: bool = False  # may raise at run time (a computed index, a division)
    jumps: bool = False  # contains break, continue or return

    def __or__(self, other: Effects) -> Effects:
        return Effects(self.reads | other.reads, self.writes | other.writes, self.uses | other.uses,
                       self.defines | other.defines, self.sync or other.sync, self.calls | other.calls,
                       self.observable or other.observable, self.may_fail or other.may_fail,
                       self.jumps or other.jumps)

    @property
    def touches(self) -> frozenset[Loc]:
        return self.reads | self.writes

    @property
    def barrier(self) -> str | None:
        """Why no access may move across this code, or None when it is plain computation and memory."""
        if self.sync:
            return self.sync
        if self.calls:
            return f"it calls {', '.join(sorted(self.calls))}()"
        if self.observable:
            return "it prints or asserts"
        if self.jumps:
            return "it leaves the block (break, continue or return)"
        return None

    def writes_to(self, loc: Loc) -> bool:
        return _overlap(self.writes, (loc,))

    def reads_from(self, loc: Loc) -> bool:
        return _overlap(self.reads, (loc,))

    def independent_of(self, other: Effects) -> bool:
        """Whether the two may run in either order with the same single-thread meaning."""
        if self.barrier or other.barrier:
            return False
        if self.defines & (other.uses | other.defines) or other.defines & self.uses:
            return False
        return not (_overlap(self.writes, other.touches) or _overlap(other.writes, self.reads))


NOTHING = Effects()


@dataclass
class Concurrency:
    """The facts about one program that passes ask for (build it with ``Concurrency.of``)."""

    module: cst.Module
    facts: Module  # the frontend's view of the module's declarations
    wrapper: MetadataWrapper
    function_of: dict[cst.CSTNode, cst.FunctionDef] = field(default_factory=dict)  # Name -> its function
    locals_of: dict[cst.FunctionDef, frozenset[str]] = field(default_factory=dict)
    _positions: dict[cst.CSTNode, object] | None = None
    _summaries: dict[str, Effects] = field(default_factory=dict)

    @classmethod
    def of(cls, source: str, path: str = "<string>") -> Concurrency:
        """Analyse ``source``; raises the frontend's ``SourceError`` when it is outside the dialect."""
        parse_program(source, path)  # the whole dialect check, with file:line:col errors
        facts = scan_module(ast.parse(source), path, source)
        wrapper = MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True)  # freshly parsed: no copy
        analysis = cls(wrapper.module, facts, wrapper)
        wrapper.module.visit(_Locals(analysis))
        return analysis

    # ------------------------------------------------------------------ names

    def kind(self, name: str) -> str | None:
        """What a module-level name holds: scalar, atomic, array, list, dict, struct, lock, event, queue,
        function, thread."""
        return self.facts.kind_of(name)

    def is_local(self, node: cst.Name) -> bool:
        """Whether this name, where it appears, is a function's local (a register)."""
        function = self.function_of.get(node)
        return function is not None and node.value in self.locals_of[function]

    def local_names(self, function: cst.FunctionDef) -> frozenset[str]:
        """The function's locals (parameters and names it assigns without ``global``)."""
        return self.locals_of.get(function, frozenset())

    def global_kind(self, node: cst.Name) -> str | None:
        """The module-level kind of a name that refers to a module-level object here, else None."""
        return None if self.is_local(node) else self.kind(node.value)

    def qualname(self, node: cst.BaseExpression) -> str | None:
        """``fence`` -> ``"miscompile.atomics.fence"``, following the module's imports."""
        if isinstance(node, cst.Name):
            return self.facts.aliases.get(node.value)
        if isinstance(node, cst.Attribute):
            base = self.qualname(node.value)
            return f"{base}.{node.attr.value}" if base else None
        return None

    def location(self, node: cst.BaseExpression) -> Loc | None:
        """The plain shared location ``node`` names (``x``, ``a[i]``, ``flags.b1``), or None.

        Atomics, synchronisation objects and locals are not plain locations.
        """
        if isinstance(node, cst.Name):
            return Loc(node.value) if self.global_kind(node) == "scalar" else None
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            kind = self.global_kind(node.value)
            if node.attr.value in self.sync_attributes:
                return None  # self._lock: a synchronisation object, not memory
            if kind == "struct":
                return Loc(node.value.value, node.attr.value, "struct")
            if kind == "object" or (self.is_local(node.value) and (self.facts.records or self.facts.classes)) \
                    or (kind == "thread" and node.value.value in self.facts.records) \
                    or (kind == "scalar" and self.facts.classes):
                # an object's attribute (``counter.value``, or ``self.value`` in a method, whose object
                # only the call knows): every object's attribute of that name may be this one
                return Loc(OBJECTS, node.attr.value, "object")
            return None
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Subscript) \
                and isinstance(node.value.value, cst.Name) and node.value.value.value in self.facts.thread_lists:
            return Loc(OBJECTS, node.attr.value, "object")  # workers[2].result: a thread object's attribute
        if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Name) and len(node.slice) == 1:
            if self.global_kind(node.value) != "array":
                return None
            index = node.slice[0].slice
            value = constant(index.value) if isinstance(index, cst.Index) else None
            length = self.facts.arrays[node.value.value].length
            part = str(value % length) if type(value) is int and -length <= value < length else None
            return Loc(node.value.value, part, "array")
        return None

    def local_copy(self, stmt: cst.CSTNode) -> tuple[str, Loc, cst.BaseExpression] | None:
        """``("r", x, <x>)`` for a line ``r = x`` that copies a plain location into a local."""
        small = one_line(stmt)
        if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
            return None
        target = small.targets[0].target
        if not (isinstance(target, cst.Name) and self.is_local(target)):
            return None
        loc = self.location(small.value)
        return (target.value, loc, small.value) if loc is not None else None

    def store(self, stmt: cst.CSTNode | None, *, augmented: bool = True) -> tuple[Loc, cst.BaseSmallStatement] | None:
        """The location a line ``x = e`` (or, with ``augmented``, ``x += e``) stores to, with its statement."""
        small = one_line(stmt)
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target: cst.BaseExpression = small.targets[0].target
        elif augmented and isinstance(small, cst.AugAssign):
            target = small.target
        else:
            return None
        loc = self.location(target)
        return (loc, small) if loc is not None else None

    def sync_object(self, node: cst.BaseExpression) -> str | None:
        """``ready`` when ``node`` is an atomic or synchronisation object (as used in ``ready.load()``);
        ``self._lock`` when some object's ``__init__`` made its ``_lock`` a synchronisation object."""
        if isinstance(node, cst.Name) and self.global_kind(node) in SYNC_KINDS:
            return node.value
        if isinstance(node, cst.Attribute) and node.attr.value in self.sync_attributes:
            return self.code(node)
        return None

    @cached_property
    def sync_attributes(self) -> frozenset[str]:
        """Attribute names that hold a synchronisation object in some object (``counter._lock``):
        passes cannot tell instances apart, so that name is synchronisation on every object."""
        return frozenset(name.rsplit(".", 1)[1] for name in self.facts.objects if "." in name)

    # ------------------------------------------------------------------ positions and text

    @property
    def positions(self) -> dict[cst.CSTNode, object]:
        """Source positions, computed on first use: only declines need them, and they are costly."""
        if self._positions is None:
            self._positions = dict(self.wrapper.resolve(PositionProvider))
        return self._positions

    def line(self, node: cst.CSTNode) -> int:
        pos = self.positions.get(node)
        return pos.start.line if pos is not None else 0  # type: ignore[attr-defined]

    def end_line(self, node: cst.CSTNode) -> int:
        pos = self.positions.get(node)
        return pos.end.line if pos is not None else 0  # type: ignore[attr-defined]

    def column(self, node: cst.CSTNode) -> int:
        pos = self.positions.get(node)
        return pos.start.column + 1 if pos is not None else 0  # type: ignore[attr-defined]

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node).strip()

    # ------------------------------------------------------------------ effects

    def effects(self, node: cst.CSTNode | Sequence[cst.CSTNode]) -> Effects:
        """What running ``node`` (a statement, an expression, or a list of statements) may do."""
        if isinstance(node, Sequence):
            total = NOTHING
            for item in node:
                total |= self.effects(item)
            return total
        collector = _EffectCollector(self)
        node.visit(collector)
        return collector.effects

    def function_effects(self, name: str) -> Effects:
        """Everything a call of the helper ``name`` may do (its locals are its own)."""
        if name not in self._summaries:
            self._summaries[name] = NOTHING  # the dialect forbids recursion; this guards a cycle anyway
            func = next((f for f in self.module.body if isinstance(f, cst.FunctionDef) and f.name.value == name),
                        None)
            found = self.effects(func.body) if func is not None else NOTHING
            self._summaries[name] = replace(found, uses=frozenset(), defines=frozenset(), jumps=False,
                                            calls=found.calls | {name})
        return self._summaries[name]

    def method_effects(self, method: str) -> Effects:
        """Everything a call ``obj.method(...)`` may do: which class ``obj`` is only the program run
        knows, so every class's method of that name counts."""
        key = f".{method}"
        if key not in self._summaries:
            self._summaries[key] = NOTHING
            found = NOTHING
            for cls in self.module.body:
                if isinstance(cls, cst.ClassDef):
                    for func in cls.body.body:
                        if isinstance(func, cst.FunctionDef) and func.name.value == method:
                            found = found | self.effects(func.body)
            self._summaries[key] = replace(found, uses=frozenset(), defines=frozenset(), jumps=False)
        return self._summaries[key]

    def has_method(self, method: str) -> bool:
        return any(isinstance(cls, cst.ClassDef) and any(isinstance(f, cst.FunctionDef) and f.name.value == method
                                                         for f in cls.body.body) for cls in self.module.body)

    def names_in(self, node: cst.CSTNode) -> set[str]:
        """Every identifier used anywhere in ``node``: what a fresh local name must avoid."""
        return {name.value for name in m.findall(node, m.Name())}  # type: ignore[union-attr]


class _Locals(cst.CSTVisitor):
    """Records, for every name inside a function, which function it is in, and each function's locals."""

    def __init__(self, analysis: Concurrency) -> None:
        self.analysis = analysis
        self.function: cst.FunctionDef | None = None
        self.bound: set[str] = set()
        self.declared: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.function = node
        self.bound = {param.name.value for param in node.params.params}
        self.declared = set()

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.analysis.locals_of[original_node] = frozenset(self.bound - self.declared)
        self.function = None

    def bind(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.bound.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.bind(element.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.bind(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bind(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.bind(node.target)

    def visit_Global(self, node: cst.Global) -> None:
        self.declared.update(item.name.value for item in node.names)

    def visit_Name(self, node: cst.Name) -> None:
        if self.function is not None:
            self.analysis.function_of[node] = self.function


class _EffectCollector(cst.CSTVisitor):
    """Walks code and accumulates its ``Effects``."""

    def __init__(self, analysis: Concurrency) -> None:
        self.analysis = analysis
        self.effects = NOTHING

    def add(self, **changes) -> None:
        self.effects |= Effects(**changes)

    def note_sync(self, reason: str) -> None:
        if self.effects.sync is None:
            self.add(sync=reason)

    # ---------------------------------------------------------- names and accesses

    def visit_Name(self, node: cst.Name) -> None:
        a = self.analysis
        if a.is_local(node):
            self.add(uses=frozenset({node.value}))
            return
        kind = a.kind(node.value)
        if kind == "scalar":
            self.add(reads=frozenset({Loc(node.value)}))
        elif kind == "array":  # the list read whole (print(a), sum(a), for v in a): any element
            self.add(reads=frozenset({Loc(node.value, None, "array")}))
        elif kind == "dict":  # any use of a dict may read or write any of its keys (and raise KeyError)
            loc = Loc(node.value, None, "array")
            self.add(reads=frozenset({loc}), writes=frozenset({loc}), may_fail=True)
        elif kind == "atomic":
            self.note_sync(f"`{node.value}` is atomic")
        elif kind in SYNC_KINDS:
            self.note_sync(f"`{node.value}` is a {kind}")

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        loc = self.analysis.location(node)
        if loc is not None:
            # an object's attribute may be missing (AttributeError), and reaching the object may read
            # the variable holding it
            self.add(reads=frozenset({loc}), may_fail=loc.kind == "object")
            if isinstance(node.value, cst.Name):
                node.value.visit(self)
        else:
            node.value.visit(self)  # the attribute's own name is not a variable
        return False

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        loc = self.analysis.location(node)
        if loc is None:
            return True
        self.add(reads=frozenset({loc}), may_fail=loc.part is None)
        for element in node.slice:
            element.visit(self)
        return False

    def target(self, node: cst.BaseExpression, *, also_read: bool = False) -> None:
        """An assignment target: a local definition or a shared write (``also_read`` for ``+=``)."""
        a = self.analysis
        if isinstance(node, cst.Name):
            if a.is_local(node):
                self.add(defines=frozenset({node.value}), uses=frozenset({node.value} if also_read else ()))
                return
            loc = a.location(node)
            if loc is not None:
                self.add(writes=frozenset({loc}), reads=frozenset({loc} if also_read else ()))
            else:
                node.visit(self)  # an atomic or a synchronisation object: a sync point
            return
        if isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self.target(element.value, also_read=also_read)
            return
        loc = a.location(node)
        if loc is None:
            node.visit(self)
            return
        self.add(writes=frozenset({loc}), reads=frozenset({loc} if also_read else ()), may_fail=loc.part is None)
        if isinstance(node, cst.Subscript):
            for element in node.slice:
                element.visit(self)

    def visit_Assign(self, node: cst.Assign) -> bool:
        node.value.visit(self)
        for target in node.targets:
            self.target(target.target)
        return False

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool:
        if node.value is not None:
            node.value.visit(self)
            self.target(node.target)
        return False

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        node.value.visit(self)
        self.target(node.target, also_read=True)
        if isinstance(node.operator, (cst.FloorDivideAssign, cst.ModuloAssign)):
            self.add(may_fail=True)
        return False

    def visit_For(self, node: cst.For) -> None:
        self.target(node.target)

    def visit_Global(self, node: cst.Global) -> bool:
        return False

    def visit_Param(self, node: cst.Param) -> bool:
        return False

    # ---------------------------------------------------------- calls and statements

    def visit_Call(self, node: cst.Call) -> bool:
        a = self.analysis
        func = node.func
        qual = a.qualname(func)
        if qual == "miscompile.atomics.fence":
            self.note_sync("`fence()` orders memory")
            return True
        if qual in ("miscompile.words.load_word", "miscompile.words.store_word") and node.args:
            struct = node.args[0].value
            if isinstance(struct, cst.Name):
                loc = Loc(struct.value, None, "struct")
                if qual.endswith("store_word"):
                    self.add(writes=frozenset({loc}))
                else:
                    self.add(reads=frozenset({loc}))
            for arg in node.args[1:]:
                arg.visit(self)
            return False
        if isinstance(func, cst.Attribute) and (obj := a.sync_object(func.value)) is not None:
            kind = a.global_kind(func.value) if isinstance(func.value, cst.Name) else None
            what = f"`{obj}` is atomic" if kind == "atomic" else f"`{obj}.{func.attr.value}()` synchronises"
            self.note_sync(what)
            for arg in node.args:
                arg.visit(self)
            return False
        if isinstance(func, cst.Attribute) and func.attr.value in ATOMIC_METHODS \
                and isinstance(func.value, (cst.Attribute, cst.Subscript)):
            self.note_sync(f"`{a.code(func.value)}` is atomic")  # an element of a list of atomics, an attribute
            for arg in node.args:
                arg.visit(self)
            return False
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and a.is_local(func.value) \
                and a.facts.pools and func.attr.value in ("result", "done"):
            self.note_sync(f"`{a.code(func)}()` waits for a task")  # a future of a ThreadPoolExecutor
            for arg in node.args:
                arg.visit(self)
            return False
        if isinstance(func, cst.Attribute) and func.attr.value in ("start", "join") and not node.args \
                and not a.has_method(func.attr.value) and a.location(func) is not None:
            self.note_sync(f"`{a.code(func)}()` starts or joins a thread")  # for t in threads: t.start()
            func.value.visit(self)
            return False
        if isinstance(func, cst.Attribute) and a.has_method(func.attr.value):  # counter.increment(): its body
            self.effects |= a.method_effects(func.attr.value)
            func.value.visit(self)
            for arg in node.args:
                arg.visit(self)
            return False
        if isinstance(func, cst.Name):
            if func.value == "print":
                self.add(observable=True)
            elif a.kind(func.value) == "function" and not a.is_local(func):
                self.effects |= a.function_effects(func.value)
            for arg in node.args:
                arg.visit(self)
            return False
        return True

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            obj = self.analysis.sync_object(item.item)
            if obj is not None:
                self.note_sync(f"`with {obj}:` synchronises")

    def visit_Assert(self, node: cst.Assert) -> None:
        self.add(observable=True)

    def visit_Return(self, node: cst.Return) -> None:
        self.add(jumps=True)

    def visit_Break(self, node: cst.Break) -> None:
        self.add(jumps=True)

    def visit_Continue(self, node: cst.Continue) -> None:
        self.add(jumps=True)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, (cst.FloorDivide, cst.Modulo)):
            right = node.right
            if not (isinstance(right, cst.Integer) and int(right.value, 0) != 0):
                self.add(may_fail=True)


class ReplaceReads(cst.CSTTransformer):
    """Replace every read (and with ``writes_too``, every access) of one shared location by an expression.

    It runs on code a pass is already rewriting, whose nodes carry no metadata,
    so it resolves names by the function's locals: in Python a name is either
    local throughout a function or global throughout it.
    """

    def __init__(self, loc: Loc, replacement: cst.BaseExpression, locals_: frozenset[str],
                 *, writes_too: bool = False) -> None:
        super().__init__()
        self.loc = loc
        self.replacement = replacement
        self.locals = locals_
        self.writes_too = writes_too  # also rename the location where it is assigned
        self.count = 0

    def matches(self, node: cst.CSTNode) -> bool:
        loc = self.loc
        if loc.kind == "scalar":
            return isinstance(node, cst.Name) and node.value == loc.base and loc.base not in self.locals
        if loc.kind == "struct":
            return (isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)
                    and node.value.value == loc.base and node.attr.value == loc.part)
        return (isinstance(node, cst.Subscript) and isinstance(node.value, cst.Name) and node.value.value == loc.base
                and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index)
                and constant(node.slice[0].slice.value) is not None
                and str(constant(node.slice[0].slice.value)) == loc.part)

    def on_visit(self, node: cst.CSTNode) -> bool:
        # unless ``writes_too``, callers guarantee the code never writes the location
        if isinstance(node, cst.Global) or (isinstance(node, cst.AssignTarget) and not self.writes_too):
            return False
        if isinstance(node, cst.Attribute) and not self.matches(node):
            return False  # ``ready.load``: the dialect's objects are never plain locations
        return not self.matches(node)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):  # type: ignore[override]
        if self.matches(original_node):
            self.count += 1
            return self.replacement
        if isinstance(original_node, cst.AugAssign) and not self.writes_too and self.matches(original_node.target):
            self.count -= 1  # ``x += 1`` stores to x: its target stays, and its read stays with it
            return updated_node.with_changes(target=original_node.target)  # type: ignore[attr-defined]
        return updated_node

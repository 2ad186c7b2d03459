"""Compiling function bodies and main-thread code into flat IR instruction lists.

Each thread gets one ``Lowerer``. Helper functions are inlined at every call
(the dialect has no recursion), each inlined activation getting fresh
registers, so a thread's state is just a program counter and its registers.
Shared loads are split out of expressions in Python's left-to-right,
short-circuit evaluation order: ``x += 1`` on a shared ``x`` becomes a ``Load``
step and a ``Store`` step, and ``a and b`` loads ``b`` only when ``a`` is true.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field, replace
from typing import NoReturn

from .. import ir
from ..atomics import FENCE_KINDS
from ..errors import SourceError
from ..evaluate import MISSING, Instance, PyList
from ..exceptions import known
from ..sync import BY_CONSTRUCTOR, KINDS
from .module import (BINOPS, CMPOPS, UNOPS, Module, ObjectRef, Substitute, check_function, default_value,
                     iteration_values, literal_int)

class CodeTooLarge(SourceError):
    """A thread's code outgrew MAX_THREAD_CODE: lowering that thread stops at once."""


MAIN_IDENT = 139_800_000  # threading.get_ident() in the main thread; thread i has MAIN_IDENT + i
INLINE_PAD = -2  # a landing pad whose code is emitted where it stands (a finally body)
#: Instructions one thread's code may have once helper calls are expanded in place.
MAX_THREAD_CODE = 200_000
LOAD_ORDERS = ("relaxed", "acquire", "seq_cst")
STORE_ORDERS = ("relaxed", "release", "seq_cst")
RMW_ORDERS = ("relaxed", "acquire", "release", "acq_rel", "seq_cst")
#: Methods of a list or dict held in a local.
LOCAL_METHODS = ("append", "extend", "insert", "pop", "remove", "clear", "index", "count", "get", "setdefault",
                 "keys", "values", "items", "update")
ATOMIC_METHODS = ("load", "store", "exchange", "compare_exchange", "fetch_add", "fetch_sub")
PURE_BUILTINS = ("abs", "min", "max", "int", "bool", "sum", "len", "sorted", "list", "tuple", "range")

#: Library calls people write that the dialect leaves out, with what to write instead.
OUTSIDE_CALLS = {
    "concurrent.futures.as_completed": "loop over the futures in the order you submitted them: "
                                       "for f in futures: f.result()",
    "time.time": "outcomes cannot depend on the clock: leave timing out",
    "time.monotonic": "outcomes cannot depend on the clock: leave timing out",
    "time.perf_counter": "outcomes cannot depend on the clock: leave timing out",
    "threading.active_count": "join the threads you started instead of counting them",
    "threading.enumerate": "keep the threads you start in a list",
    "threading.main_thread": "use threading.current_thread().name, which is MainThread in main",
}
OUTSIDE_HINT = ("the dialect calls time.sleep, threading.get_ident, threading.current_thread().name, "
                "fence, and the methods of threads, atomics and the synchronisation objects")


@dataclass
class Scope:
    """One function activation being inlined (or the module's main code)."""

    function: str | None  # None for the main thread's module-level code
    local_names: set[str]
    global_names: set[str]
    registers: dict[str, int] = field(default_factory=dict)
    static_threads: dict[str, int] = field(default_factory=dict)  # loop variables bound to threads
    static_objects: dict[str, str] = field(default_factory=dict)  # parameters bound to module-level objects
    returns: list[int] = field(default_factory=list)  # jumps to patch to the activation's end
    result: int | None = None
    lock_depth: int = 0  # how many cleanups (with locks, finally blocks) were pending when it began
    nested: dict[str, ast.FunctionDef] = field(default_factory=dict)  # functions defined in this body
    enclosing: "Scope | None" = None  # for a nested function: the activation it was defined in
    body: list[ast.stmt] = field(default_factory=list)  # the code, for checks that need all of it
    parameters: tuple[str, ...] = ()


@dataclass
class Loop:
    breaks: list[int] = field(default_factory=list)
    continues: list[int] = field(default_factory=list)
    lock_depth: int = 0


def bound_names(body: list[ast.stmt]) -> tuple[set[str], set[str]]:
    """The names a function body binds and the names it declares ``global``."""
    bound: set[str] = set()
    declared: set[str] = set()
    for node in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(node, ast.Global):
            declared.update(node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    return bound - declared, declared


class Lowerer:
    def __init__(self, module: Module, thread_name: str, index: int = 0) -> None:
        self.module = module
        self.thread_name = thread_name
        self.ident = MAIN_IDENT + index  # what threading.get_ident() returns in this thread
        self.code: list[ir.Instr] = []
        self.register_names: list[str] = []
        self.scopes: list[Scope] = []
        self.loops: list[Loop] = []
        #: What leaving the enclosing blocks early (break, continue, return) must do, innermost
        #: last: release a `with` lock, or run a `finally` body.
        self.cleanups: list[tuple[str, object]] = []
        self._temps = 0
        #: Landing pads for exceptions: pad 0 ends the thread; each `with` lock adds one that
        #: releases it and continues at its parent pad: (lock, parent pad, line); each `try`
        #: with `finally` adds one whose code (the finally body, then a jump to the parent pad)
        #: is already emitted: (INLINE_PAD, parent pad, its first instruction).
        self.pads: list[tuple[int, int, int]] = [(-1, -1, 0)]
        self.pad = 0  # the pad of the instructions being emitted
        self.unwind: list[int] = []  # per instruction, its pad
        self.pad_jumps: list[tuple[int, int]] = []  # (jump instruction, pad it continues at)
        self.worker_of: str | None = None  # the pool whose worker this code is, if it is one

    # ------------------------------------------------------------------ helpers

    def error(self, node: ast.AST, message: str) -> NoReturn:
        raise self.module.error(node, message)

    def unsupported(self, node: ast.AST, what: str, hint: str) -> NoReturn:
        self.error(node, f"{what} is not supported here ({hint})")

    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    def new_register(self, name: str) -> int:
        self.register_names.append(name)
        return len(self.register_names) - 1

    def temp(self) -> int:
        self._temps += 1
        return self.new_register(f"·t{self._temps}")

    def emit(self, instr: ir.Instr, node: ast.AST | None = None) -> int:
        if node is not None and hasattr(node, "lineno"):
            instr = replace(instr, line=node.lineno, col=node.col_offset + 1)
        self.code.append(instr)
        self.unwind.append(self.pad)
        return len(self.code) - 1

    def finish(self, end_line: int) -> tuple[tuple[ir.Instr, ...], tuple[int, ...]]:
        """The thread's code with its landing pads appended, and its unwind table."""
        code, unwind = list(self.code), list(self.unwind)
        where: list[int] = []  # pad -> its first instruction
        for lock, parent, value in self.pads:  # a parent pad always comes before its children
            if lock == INLINE_PAD:
                where.append(value)
                continue
            where.append(len(code))
            if lock < 0:
                code.append(ir.End(line=end_line))
                unwind.append(0)
            else:
                code += [ir.SyncOp(lock, "release", line=value), ir.Jump(where[parent], line=value)]
                unwind += [parent, parent]
        for at, pad in self.pad_jumps:
            code[at] = replace(code[at], target=where[pad])  # type: ignore[call-arg]
        return tuple(code), tuple(where[pad] for pad in unwind)

    def enter_pad(self, lock: int, node: ast.AST) -> None:
        """Instructions emitted from now on release ``lock`` when an exception leaves them."""
        self.pads.append((lock, self.pad, getattr(node, "lineno", 0)))
        self.pad = len(self.pads) - 1

    def leave_pad(self) -> None:
        self.pad = self.pads[self.pad][1]

    def here(self) -> int:
        return len(self.code)

    def patch(self, at: int, target: int) -> None:
        self.code[at] = replace(self.code[at], target=target)  # type: ignore[call-arg]

    def local_register(self, name: str) -> int:
        scope = self.scope
        if name not in scope.registers:
            prefix = "" if len(self.scopes) <= 1 else f"{scope.function}."
            scope.registers[name] = self.new_register(prefix + name)
        return scope.registers[name]

    # ------------------------------------------------------------------ entry points

    def lower_thread(self, func: ast.FunctionDef, args: tuple[object, ...], where: ast.AST,
                     kwargs: dict[str, object] | None = None) -> None:
        params = [a.arg for a in func.args.args]
        defaults = [default_value(d) for d in func.args.defaults]
        given: dict[str, object] = dict(zip(params, args))
        if len(args) > len(params):
            self.error(where, f"{func.name} takes {len(params)} argument(s) but the thread passes {len(args)}")
        for key, value in (kwargs or {}).items():
            if key not in params or key in given:
                self.error(where, f"{func.name} got an unexpected or repeated keyword argument {key!r}")
            given[key] = value
        values = []
        for i, param in enumerate(params):
            if param in given:
                values.append(given[param])
            elif i >= len(params) - len(defaults):
                values.append(defaults[i - (len(params) - len(defaults))])
            else:
                self.error(where, f"the thread calls {func.name} without its argument {param} (give it with "
                                  f"args=(...) or kwargs={{...}})")
        self.enter_function(func, [ir.Const(v) for v in values], where)
        self.emit(ir.End(line=func.end_lineno or func.lineno))

    def lower_main(self, body: list[ast.stmt], shared: set[str]) -> None:
        bound, _ = bound_names(body)
        self.scopes.append(Scope(None, bound - shared, shared, body=body))
        first = body[0] if body else ast.Constant(None, lineno=1, col_offset=0)
        for pool in self.module.module_pools:  # its workers wait for tasks from the start
            self.start_pool(pool, first)
        for stmt in body:
            self.statement(stmt)
        last = body[-1] if body else None
        for pool in self.module.module_pools:  # CPython's exit handler shuts it down and waits
            obj = list(self.module.objects).index(pool)
            self.emit(ir.SyncOp(obj, "shutdown"), last or first)
            self.emit(ir.SyncOp(obj, "wait_all"), last or first)
        self.emit(ir.End(line=(last.end_lineno or last.lineno) if last else 1))

    def enter_function(self, func: ast.FunctionDef, args: list[ir.Expr], call: ast.AST) -> int:
        """Inline ``func`` with argument values ``args``; returns the register holding its result."""
        if any(s.function == func.name for s in self.scopes):
            self.error(call, f"recursive call of {func.name} is not supported here (the dialect has no recursion)")
        bound, declared = bound_names(func.body)
        params = [a.arg for a in func.args.args]
        scope = Scope(func.name, bound | set(params), declared, lock_depth=len(self.cleanups),
                      enclosing=getattr(func, "_enclosing", None), body=func.body, parameters=tuple(params))
        result = self.new_register(f"{func.name}()")
        scope.result = result
        self.scopes.append(scope)
        for name, value in zip(params, args):
            if isinstance(value, ir.Const) and isinstance(value.value, ObjectRef):
                scope.static_objects[name] = value.value.name  # `self`, or an object passed along
                continue
            self.emit(ir.Assign(self.local_register(name), value), func)
        self.emit(ir.Assign(result, ir.Const(None)), func)
        self.block(func.body)
        end = self.here()
        for at in scope.returns:
            self.patch(at, end)
        self.scopes.pop()
        return result

    # ------------------------------------------------------------------ names

    def is_local(self, name: str) -> bool:
        """Python's rule: bound in the function and not declared ``global``."""
        scope = self.scope
        return name in scope.local_names and name not in scope.global_names

    def resolve(self, name: str, node: ast.AST) -> tuple[str, object]:
        """What ``name`` means at this point: a register or a kind of module-level object."""
        scope = self.scope
        if name in scope.static_threads:
            return "thread", scope.static_threads[name]
        if name in scope.static_objects:
            return "object", scope.static_objects[name]
        if self.is_local(name):
            return "register", self.local_register(name)
        outer = scope.enclosing
        while outer is not None:  # a nested function reads its enclosing function's locals (a closure)
            if name in outer.local_names and name not in outer.global_names:
                if name not in outer.registers:
                    self.error(node, f"{name} is read by a nested function before it is assigned")
                return "register", outer.registers[name]
            outer = outer.enclosing
        m = self.module
        found = m.lookup(name)
        if found is not None:
            return found
        if name in m.aliases:
            return "import", m.aliases[name]
        main_names, _ = bound_names(m.main_body)
        if name in main_names:
            self.error(node, f"{name} is not shared memory: give it a literal value at module level before "
                             f"the first start() (e.g. {name} = 0)")
        self.error(node, f"unknown name {name}")

    def atomic_target(self, node: ast.expr) -> bool:
        """Whether ``node`` is an element of a list of atomics or an object's atomic attribute."""
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and node.value.id in self.module.arrays and not self.is_local(node.value.id):
            return self.module.arrays[node.value.id].atomic
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            kind, what = self.resolve(node.value.id, node.value)
            if kind == "thread" and node.value.id in self.scope.static_objects:
                kind, what = "object", self.scope.static_objects[node.value.id]
            if kind == "object":
                loc = self.module.records[what][1].get(node.attr)  # type: ignore[index]
                return loc is not None and self.module.locations[loc].atomic
        if isinstance(node, ast.Attribute) and self.module.classes and self.holds_object(node.value):
            return any(self.module.locations[loc].atomic for _, attrs in self.module.records.values()
                       for attr, loc in attrs.items() if attr == node.attr) or self.atomic_in_init(node.attr)
        return False

    def atomic_in_init(self, attr: str) -> bool:
        """Whether some class's ``__init__`` sets ``self.attr = Atomic(...)``."""
        for cls in self.module.classes.values():
            init = cls.methods.get("__init__")
            for sub in ast.walk(init) if init is not None else ():
                if isinstance(sub, ast.Assign) and len(sub.targets) == 1 and isinstance(sub.targets[0], ast.Attribute) \
                        and sub.targets[0].attr == attr and isinstance(sub.value, ast.Call) \
                        and self.module.qualname(sub.value.func) == "miscompile.atomics.Atomic":
                    return True
        return False

    def listed(self, node: ast.expr) -> ast.expr:
        """``threads[2]`` on a list of threads, by a literal index: the name of that thread (an
        ``ast.Name`` whose id is ``threads[2]``); an object's synchronisation attribute
        (``self._lock``, set in ``__init__``): the name it was declared under (``counter._lock``);
        any other expression as it is."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id in self.scope.static_objects:
                owner: object = self.scope.static_objects[node.value.id]
            else:
                owner = node.value.id if self.module.kind_of(node.value.id) == "object" \
                    and not self.is_local(node.value.id) else None
            if owner is not None and f"{owner}.{node.attr}" in self.module.objects:
                return ast.copy_location(ast.Name(f"{owner}.{node.attr}", ast.Load()), node)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and node.value.id in self.module.thread_lists and not self.is_local(node.value.id):
            listed = self.module.thread_lists[node.value.id]
            index = literal_int(node.slice)
            if type(index) is not int or not -len(listed) <= index < len(listed):
                self.unsupported(node, "this index into a list of threads", f"index it with a literal from 0 to "
                                                                            f"{len(listed) - 1}, or loop over it")
            return ast.copy_location(ast.Name(listed[index], ast.Load()), node)
        return node

    def needs_code(self, node: ast.expr) -> bool:
        """Whether lowering ``node`` emits instructions (a shared load or a call), not just an expression."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                if not (isinstance(sub.func, ast.Name) and sub.func.id in PURE_BUILTINS
                        and sub.func.id not in self.module.functions):
                    return True
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                if sub.id in self.scope.static_threads or self.is_local(sub.id):
                    continue
                if sub.id in self.module.scalars or sub.id in self.module.arrays or sub.id in self.module.instances \
                        or sub.id in self.module.records or sub.id in self.scope.static_objects:
                    return True
        return False

    # ------------------------------------------------------------------ statements

    def block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        """Lower one statement; a problem in it is recorded and the next statement goes on, so
        that one run reports every problem of the file."""
        try:
            self._statement(stmt)
        except RecursionError:
            self.module.errors.append(self.module.error(
                stmt, "this statement is nested too deeply to analyse (split it into several statements)"))
        except CodeTooLarge:
            raise  # going on would only grow the code further
        except SourceError as error:
            self.module.errors.append(error)
        if len(self.code) > MAX_THREAD_CODE:
            error = self.module.error(
                stmt, f"the code of thread {self.thread_name} grows past {MAX_THREAD_CODE:,} instructions here: "
                      "every helper call is expanded in place, so helpers that call helpers many times multiply "
                      "(call them fewer times, or keep results in locals)")
            raise CodeTooLarge(error.path, error.line, error.col, error.message)

    def _statement(self, stmt: ast.stmt) -> None:
        method = getattr(self, f"stmt_{type(stmt).__name__}", None)
        if method is None:
            what, hint = {
                "Raise": ("raise", "the program's own errors (asserts, failed operations) are raised for it; "
                                   "use assert to state what must hold"),
                "ClassDef": ("a class inside a function", "define classes at module level"),
                "Import": ("import inside code", "import at the top of the module"),
                "ImportFrom": ("import inside code", "import at the top of the module"),
                "Nonlocal": ("nonlocal", "return the new value and assign it in the enclosing function"),
                "Match": ("match", "use if/elif/else"),
                "TryStar": ("try/except*", "use try/except"),
                "AsyncWith": ("async code", "use threading.Thread"),
                "AsyncFor": ("async code", "use threading.Thread"),
                "AsyncFunctionDef": ("async code", "use threading.Thread"),
            }.get(type(stmt).__name__, ("this statement", "see \"What you can write\" in the README"))
            self.unsupported(stmt, what, hint)
        method(stmt)

    def stmt_FunctionDef(self, stmt: ast.FunctionDef) -> None:
        """A helper defined inside a function: inlined where it is called, reading the enclosing
        function's locals as a closure does (assigning them would need ``nonlocal``)."""
        check_function(self.module, stmt)
        for node in ast.walk(stmt):
            if isinstance(node, ast.Nonlocal):
                self.unsupported(node, "nonlocal", "return the new value and assign it in the enclosing function")
        stmt._enclosing = self.scope  # type: ignore[attr-defined]
        self.scope.nested[stmt.name] = stmt

    def nested_function(self, name: str) -> ast.FunctionDef | None:
        for scope in reversed(self.scopes):
            if name in scope.nested:
                return scope.nested[name]
            if self.is_local(name) if scope is self.scope else name in scope.local_names:
                return None  # a local of that name hides outer ones
        return None

    def stmt_Pass(self, stmt: ast.Pass) -> None:
        pass

    def stmt_Global(self, stmt: ast.Global) -> None:
        if self.scope.function is None:
            self.error(stmt, "global at module level is not supported here (module-level names are already global)")

    def stmt_Expr(self, stmt: ast.Expr) -> None:
        value = stmt.value
        if isinstance(value, ast.Constant):
            return  # a docstring or a bare literal
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "print":
            self.lower_print(value)
            return
        self.expr(value, statement=True)

    def stmt_Assign(self, stmt: ast.Assign) -> None:
        if len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Attribute) and isinstance(stmt.value, ast.Call) \
                and self.module.qualname(stmt.value.func) == "miscompile.atomics.Atomic":
            # self.value = Atomic(v) in the __init__ of an object made at run time: its first store
            call = stmt.value
            if call.keywords or len(call.args) > 1:
                self.error(call, "Atomic(...) takes one value")
            value = self.expr(call.args[0]) if call.args else ir.Const(0)
            self.emit(ir.AtomicStore(self.location(stmt.targets[0], atomic=True), value), stmt)
            return
        if len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Tuple) and isinstance(stmt.value, ast.Tuple):
            targets = stmt.targets[0].elts
            if len(targets) != len(stmt.value.elts):
                self.error(stmt, "this unpacking has mismatched lengths")
            values = [self.hold(self.expr(v), v) for v in stmt.value.elts]
            for target, value in zip(targets, values):
                self.assign(target, value)
            return
        value = self.expr(stmt.value)
        if len(stmt.targets) > 1:
            value = self.hold(value, stmt.value)
        for target in stmt.targets:
            self.assign(target, value)

    def stmt_AnnAssign(self, stmt: ast.AnnAssign) -> None:
        if stmt.value is None:
            return
        self.assign(stmt.target, self.expr(stmt.value))

    def hold(self, value: ir.Expr, node: ast.AST) -> ir.Expr:
        """Keep ``value`` in a fresh register so later stores cannot change what it reads."""
        if isinstance(value, ir.Const):
            return value
        reg = self.temp()
        self.emit(ir.Assign(reg, value), node)
        return ir.Reg(reg, self.register_names[reg])

    def check_field_store(self, target: ast.expr) -> None:
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and target.value.id in self.module.words:
            self.unsupported(target, f"storing one field of {target.value.id}, which this program also stores as a "
                                     "whole word", f"write the word with store_word({target.value.id}, ...) "
                                     "everywhere, or nowhere")

    def assign(self, target: ast.expr, value: ir.Expr) -> None:
        self.check_field_store(target)
        if isinstance(target, ast.Tuple):
            held = self.hold(value, target)
            for i, element in enumerate(target.elts):
                self.assign(element, ir.Item(held, ir.Const(i)))
            return
        if isinstance(target, ast.Name):
            kind, what = self.resolve(target.id, target)
            if kind == "register":
                self.emit(ir.Assign(what, value), target)  # type: ignore[arg-type]
            elif kind == "scalar":
                self.emit(ir.Store(what, value), target)  # type: ignore[arg-type]
            elif kind == "atomic":
                self.unsupported(target, f"assigning to atomic {target.id}", f"use {target.id}.store(...)")
            else:
                self.unsupported(target, f"assigning to the {kind} {target.id}", "assign to shared variables, "
                                 "array elements, struct fields or locals")
            return
        if isinstance(target, ast.Subscript) and (d := self.dict_of(target.value)) is not None:
            self.emit(ir.DictOp(None, d, "set", self.key(target.slice), (value,)), target)
            return
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and self.is_local(target.value.id):
            self.check_unshared(target.value.id, target)
            reg = self.local_register(target.value.id)  # d[k] = v on a local list or dict: a new value for it
            current = ir.Reg(reg, self.register_names[reg])
            self.emit(ir.Assign(reg, ir.Builtin("local.setitem", (current, self.key(target.slice), value))), target)
            return
        if (loc := self.list_of(target)) is not None:  # items[i] = v on a growable list
            assert isinstance(target, ast.Subscript)
            index = self.hold(self.expr(target.slice), target.slice) if self.needs_code(target.slice) \
                else self.expr(target.slice)
            self.emit(ir.AtomicRMW(None, "setitem", loc, (index, value)), target)
            return
        self.emit(ir.Store(self.location(target), self.wrap_byte(target, value)), target)

    def dict_of(self, node: ast.expr) -> ir.Dict | None:
        """The dict ``node`` names, if it is one."""
        if isinstance(node, ast.Name) and node.id in self.module.dicts and not self.is_local(node.id):
            return self.module.dicts[node.id]
        return None

    def key(self, node: ast.expr) -> ir.Expr:
        """A dict key's value, held in a register when computing it loads or calls."""
        value = self.expr(node)
        return self.hold(value, node) if self.needs_code(node) else value

    def stmt_Delete(self, stmt: ast.Delete) -> None:
        for target in stmt.targets:
            if isinstance(target, ast.Subscript) and (d := self.dict_of(target.value)) is not None:
                self.emit(ir.DictOp(None, d, "delete", self.key(target.slice)), target)
            else:
                self.unsupported(target, "del of this", "del works on a dict's key: del d[k]")

    def list_of(self, node: ast.expr) -> int | None:
        """The location of the growable list ``node`` subscripts (``items[i]``), else None."""
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and node.value.id in self.module.lists and not self.is_local(node.value.id):
            return self.module.lists[node.value.id]
        return None

    def wrap_byte(self, target: ast.expr, value: ir.Expr) -> ir.Expr:
        """A ``c_uint8`` field keeps the low byte of what is stored, as ctypes does."""
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and self.resolve(target.value.id, target.value)[0] == "struct":
            return ir.Binary("&", value, ir.Const(0xFF))
        return value

    def location(self, node: ast.expr, atomic: bool = False) -> ir.LocRef:
        """The shared location an array subscript, a struct field or an attribute names; an atomic
        one only where ``atomic`` asks for it (``a[i].load()``), with a hint everywhere else."""
        loc = self._location(node)
        if isinstance(loc, ir.AttrOf):
            return loc  # which object, and so whether its attribute is an Atomic, is known when it runs
        is_atomic = loc.array.atomic if isinstance(loc, ir.Element) else \
            isinstance(loc, int) and self.module.locations[loc].atomic
        if is_atomic != atomic:
            text = ast.get_source_segment(self.module.source, node) or "it"
            if atomic:
                self.unsupported(node, f"calling an atomic's method on {text}", f"{text} is not an Atomic")
            self.unsupported(node, f"using the atomic {text} directly", f"use {text}.load(), {text}.store(v) or "
                                                                        f"{text}.fetch_add(v)")
        return loc

    def _location(self, node: ast.expr) -> ir.LocRef:
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            kind, what = self.resolve(node.value.id, node.value)
            if kind == "array":
                array: ir.Array = what  # type: ignore[assignment]
                if isinstance(node.slice, ast.Slice):
                    self.unsupported(node, "slicing", "index one element at a time")
                index = self.expr(node.slice)
                if isinstance(index, ir.Const) and type(index.value) is int and -array.length <= index.value < array.length:
                    return array.base + index.value % array.length
                return ir.Element(array, index)
        if isinstance(node, ast.Attribute):
            node = ast.copy_location(ast.Attribute(self.listed(node.value), node.attr, node.ctx), node)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            kind, what = self.resolve(node.value.id, node.value)
            if kind == "thread" and node.value.id in self.scope.static_objects:  # a thread class's instance
                kind, what = "object", self.scope.static_objects[node.value.id]
            if kind == "struct":
                fields: dict[str, int] = what  # type: ignore[assignment]
                if node.attr not in fields:
                    self.error(node, f"{node.value.id} has no field {node.attr} (fields: {', '.join(fields)})")
                return fields[node.attr]
            if kind == "object":
                cls, attrs = self.module.records[what]  # type: ignore[index]
                if node.attr not in attrs and node.attr in self.module.classes[cls].methods:
                    self.unsupported(node, f"the bound method {node.value.id}.{node.attr} as a value",
                                     f"call it, or pass it straight to a thread: target={node.value.id}.{node.attr}")
                if node.attr not in attrs:
                    self.error(node, f"{cls} objects have no attribute {node.attr} here (its __init__ sets "
                                     f"{', '.join(attrs) or 'none'})")
                return attrs[node.attr]
        if isinstance(node, ast.Attribute) and self.module.classes and self.holds_object(node.value):
            return ir.AttrOf(self.key(node.value), node.attr)  # the object a value holds, found when it runs
        self.unsupported(node, "this assignment target", "assign to names, array elements a[i] or struct fields s.f")

    def holds_object(self, node: ast.expr) -> bool:
        """Whether ``node`` is a value that may hold an object made at run time (a local, a variable,
        an element, a call's result): not a module, a struct, or a synchronisation object."""
        if isinstance(node, ast.Name):
            return self.resolve(node.id, node)[0] in ("register", "scalar")
        return not isinstance(node, ast.Constant)

    def stmt_AugAssign(self, stmt: ast.AugAssign) -> None:
        op = self.binop(stmt.op, stmt)
        target = stmt.target
        if isinstance(target, ast.Name):
            kind, what = self.resolve(target.id, target)
            if kind == "atomic":
                hint = f"use {target.id}.fetch_add(...)" if op in "+-" else f"use {target.id}.load() and .store()"
                self.unsupported(target, f"augmented assignment to atomic {target.id}", hint)
            current = self.expr(ast.Name(target.id, ast.Load(), lineno=target.lineno, col_offset=target.col_offset))
            value = ir.Binary(op, current, self.expr(stmt.value))
            self.assign(target, value)
            return
        self.check_field_store(target)
        if isinstance(target, ast.Subscript) and (d := self.dict_of(target.value)) is not None:
            key = self.hold(self.key(target.slice), target.slice)  # d[k] += v: a read, then a write
            loaded = self.result(lambda dst: ir.Load(dst, ir.Entry(d, key)), target, False)
            current = self.hold(ir.Builtin("dict.value", (loaded, key)), target)
            value = ir.Binary(op, current, self.expr(stmt.value))
            self.emit(ir.DictOp(None, d, "set", key, (value,)), target)
            return
        if self.list_of(target) is not None:  # items[i] += v: a read, then a separate atomic write
            assert isinstance(target, ast.Subscript)
            index = self.hold(self.expr(target.slice), target.slice)
            current = self.hold(ir.Item(self.expr(target.value), index), target)
            value = ir.Binary(op, current, self.expr(stmt.value))
            self.emit(ir.AtomicRMW(None, "setitem", self.list_of(target), (index, value)), target)
            return
        loc = self.location(target)
        current_reg = self.temp()
        self.emit(ir.Load(current_reg, loc), target)
        value = ir.Binary(op, ir.Reg(current_reg, self.register_names[current_reg]), self.expr(stmt.value))
        self.emit(ir.Store(loc, self.wrap_byte(target, value)), target)

    def stmt_If(self, stmt: ast.If) -> None:
        test = self.expr(stmt.test)
        branch = self.emit(ir.Branch(test, -1), stmt)
        self.block(stmt.body)
        if stmt.orelse:
            skip = self.emit(ir.Jump(-1), stmt.orelse[0])
            self.patch(branch, self.here())
            self.block(stmt.orelse)
            self.patch(skip, self.here())
        else:
            self.patch(branch, self.here())

    def stmt_While(self, stmt: ast.While) -> None:
        if stmt.orelse:
            self.unsupported(stmt.orelse[0], "else on a loop", "use a flag variable")
        top = self.here()
        test = self.expr(stmt.test)
        exit_branch = None
        if not (isinstance(test, ir.Const) and test.value):
            exit_branch = self.emit(ir.Branch(test, -1), stmt)
        loop = Loop(lock_depth=len(self.cleanups))
        self.loops.append(loop)
        self.block(stmt.body)
        self.loops.pop()
        self.emit(ir.Jump(top), stmt)
        end = self.here()
        if exit_branch is not None:
            self.patch(exit_branch, end)
        for at in loop.breaks:
            self.patch(at, end)
        for at in loop.continues:
            self.patch(at, top)

    def stmt_For(self, stmt: ast.For) -> None:
        if stmt.orelse:
            self.unsupported(stmt.orelse[0], "else on a loop", "use a flag variable")
        it = stmt.iter
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "enumerate" \
                and len(it.args) == 1 and not it.keywords and isinstance(it.args[0], ast.Name) \
                and it.args[0].id in self.module.arrays and self.resolve(it.args[0].id, it.args[0])[0] == "array":
            self.array_for(stmt, self.resolve(it.args[0].id, it.args[0])[1], enumerated=True)  # type: ignore[arg-type]
            return
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and it.func.attr == "map" \
                and isinstance(it.func.value, ast.Name) and it.func.value.id in self.module.pools:
            self.pool_map_for(stmt, it)
            return
        view = None
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and not it.args and not it.keywords \
                and it.func.attr in ("keys", "values", "items") and self.dict_of(it.func.value) is not None:
            view, it = it.func.attr, it.func.value
        if (d := self.dict_of(it)) is not None:
            self.dict_for(stmt, d, view or "keys")
            return
        if isinstance(stmt.target, (ast.Tuple, ast.List)):
            self.value_for(stmt, it)  # for a, b in pairs: each item unpacked
            return
        if not isinstance(stmt.target, ast.Name):
            self.unsupported(stmt.target, "this loop target", "use for i in range(N), for v in a or "
                                                              "for i, v in enumerate(a)")
        if isinstance(it, ast.Name) and it.id in self.module.lists and self.resolve(it.id, it)[0] == "list":
            self.list_for(stmt, self.module.lists[it.id])
            return
        if isinstance(it, ast.Name) and it.id in self.module.arrays and self.resolve(it.id, it)[0] == "array":
            self.array_for(stmt, self.resolve(it.id, it)[1], enumerated=False)  # type: ignore[arg-type]
            return
        if isinstance(it, ast.Name) and it.id in self.module.thread_lists and not self.is_local(it.id):
            where = {"lineno": it.lineno, "col_offset": it.col_offset}
            self.unrolled_for(stmt, stmt.target.id, [ast.Name(var, ast.Load(), **where)
                                                     for var in self.module.thread_lists[it.id]])
        elif isinstance(it, (ast.List, ast.Tuple)) and all(
                isinstance(e, ast.Name) and self.module.thread_index(e.id) is not None or literal_int(e) is not None
                for e in it.elts):
            self.unrolled_for(stmt, stmt.target.id, it.elts)
        elif isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" and not it.keywords:
            self.range_for(stmt, stmt.target.id, it)
        elif isinstance(it, ast.Name) and it.id in self.module.unavailable:
            self.error(it, f"unknown name {it.id}")  # its declaration failed: reported there
        else:  # any other value: evaluated once, then iterated, as CPython does
            self.value_for(stmt, it)

    def value_for(self, stmt: ast.For, iterable: ast.expr) -> None:
        """``for v in <value>`` (a local list, ``sorted(a)``, a string, ...): the value is computed
        once and its items taken in turn; a value that is not iterable is CPython's TypeError."""
        items = self.hold(ir.Builtin("iterate", (self.expr(iterable),)), iterable)
        self.counted_loop(stmt, ir.Const(0), ir.Builtin("len", (items,)), 1,
                          lambda counter: self.assign(stmt.target, ir.Item(items, counter)))

    def unrolled_for(self, stmt: ast.For, name: str, items: list[ast.expr]) -> None:
        loop = Loop(lock_depth=len(self.cleanups))
        for item in items:
            if isinstance(item, ast.Name) and self.module.thread_index(item.id) is not None:
                self.scope.static_threads[name] = self.module.thread_index(item.id)  # type: ignore[assignment]
                if item.id in self.module.records:  # an instance of a thread class: an object too
                    self.scope.static_objects[name] = item.id
                else:
                    self.scope.static_objects.pop(name, None)
            elif literal_int(item) is not None:
                self.scope.static_threads.pop(name, None)
                self.assign(stmt.target, ir.Const(literal_int(item)))
            else:
                self.unsupported(item, "this loop item", "loop over a literal list of threads or of ints")
            self.loops.append(loop)
            self.block(stmt.body)
            self.loops.pop()
            for at in loop.continues:
                self.patch(at, self.here())
            loop.continues.clear()
        self.scope.static_threads.pop(name, None)
        self.scope.static_objects.pop(name, None)
        for at in loop.breaks:
            self.patch(at, self.here())

    def range_for(self, stmt: ast.For, name: str, call: ast.Call) -> None:
        args = call.args
        if not 1 <= len(args) <= 3:
            self.error(call, "range() takes 1 to 3 arguments")
        step_value = 1
        if len(args) == 3:
            step = literal_int(args[2])
            if type(step) is not int or step == 0:
                self.unsupported(args[2], "this range step", "use a non-zero int literal")
            step_value = step
        start: ir.Expr = ir.Const(0) if len(args) == 1 else self.hold(self.expr(args[0]), call)
        stop = self.hold(self.expr(args[-1] if len(args) == 1 else args[1]), call)
        self.counted_loop(stmt, start, stop, step_value, lambda counter: self.assign(stmt.target, counter))

    def array_for(self, stmt: ast.For, array: ir.Array, enumerated: bool) -> None:
        """``for v in a`` / ``for i, v in enumerate(a)`` over a shared array: like CPython's list
        iterator, each pass reads the next element when it begins."""
        target = stmt.target
        if enumerated and not (isinstance(target, ast.Tuple) and len(target.elts) == 2):
            self.unsupported(target, "this loop target", "use for i, v in enumerate(a)")

        def bind(counter: ir.Reg) -> None:
            reg = self.temp()
            self.emit(ir.Load(reg, ir.Element(array, counter)), stmt.iter)
            value = ir.Reg(reg, self.register_names[reg])
            if enumerated:
                self.assign(target.elts[0], counter)  # type: ignore[attr-defined]
                self.assign(target.elts[1], value)  # type: ignore[attr-defined]
            else:
                self.assign(target, value)
        self.counted_loop(stmt, ir.Const(0), ir.Const(array.length), 1, bind)

    def dict_for(self, stmt: ast.For, d: ir.Dict, view: str) -> None:
        """``for k in d`` (or over ``d.items()``, ...): as CPython's dict iterator, each pass looks at
        the dict again, and a change of its size since the loop began is a ``RuntimeError``."""
        first = self.result(lambda dst: ir.DictOp(dst, d, "snapshot"), stmt.iter, False)
        size = self.hold(ir.Builtin("len", (first,)), stmt.iter)
        current: list[ir.Expr] = []

        def head() -> ir.Expr:
            current[:] = [self.result(lambda dst: ir.DictOp(dst, d, "snapshot"), stmt.iter, False)]
            self.emit(ir.Assign(self.temp(), ir.Builtin("dict.same_size", (current[0], size))), stmt.iter)
            return size
        self.index_loop(stmt, head, lambda counter: self.assign(
            stmt.target, ir.Item(ir.Builtin(f"dict.{view}", (current[0],)), counter)))

    def list_for(self, stmt: ast.For, loc: int) -> None:
        """``for v in items`` over a growable list: as CPython's list iterator, each pass reads the
        list once (one atomic step) and stops when the index has reached its current length."""
        current: list[ir.Expr] = []

        def head() -> ir.Expr:
            current[:] = [self.result(lambda dst: ir.AtomicLoad(dst, loc), stmt.iter, False)]
            return ir.Builtin("len", (current[0],))
        self.index_loop(stmt, head, lambda counter: self.assign(stmt.target, ir.Item(current[0], counter)))

    def counted_loop(self, stmt: ast.For, start: ir.Expr, stop: ir.Expr, step_value: int, bind) -> None:
        self.index_loop(stmt, lambda: stop, bind, start, step_value)

    def index_loop(self, stmt: ast.For, head, bind, start: ir.Expr = ir.Const(0), step_value: int = 1) -> None:
        """The loop every ``for`` becomes: a counter from ``start``; at the top of each pass
        ``head()`` emits what the pass reads first and returns where to stop; ``bind(counter)``
        sets the loop variable; ``continue`` goes to the increment, ``break`` past the end."""
        counter = self.temp()
        counter_reg = ir.Reg(counter, self.register_names[counter])
        self.emit(ir.Assign(counter, start), stmt)
        top = self.here()
        stop = head()
        exit_branch = self.emit(ir.Branch(ir.Binary("<" if step_value > 0 else ">", counter_reg, stop), -1), stmt)
        bind(counter_reg)
        loop = Loop(lock_depth=len(self.cleanups))
        self.loops.append(loop)
        self.block(stmt.body)
        self.loops.pop()
        increment = self.emit(ir.Assign(counter, ir.Binary("+", counter_reg, ir.Const(step_value))), stmt)
        self.emit(ir.Jump(top), stmt)
        end = self.here()
        self.patch(exit_branch, end)
        for at in loop.breaks:
            self.patch(at, end)
        for at in loop.continues:
            self.patch(at, increment)

    def release_down_to(self, depth: int, node: ast.AST) -> None:
        """Leave the blocks above ``depth``, innermost first: release their `with` locks and run
        their `finally` bodies (each with only the cleanups outside it still pending)."""
        pending = self.cleanups
        for i in range(len(pending) - 1, depth - 1, -1):
            kind, what = pending[i]
            if kind == "release":
                self.emit(ir.SyncOp(what, "release"), node)  # type: ignore[arg-type]
            else:
                self.cleanups = pending[:i]
                try:
                    self.block(what)  # type: ignore[arg-type]
                finally:
                    self.cleanups = pending

    def stmt_Break(self, stmt: ast.Break) -> None:
        if not self.loops:
            self.error(stmt, "break outside a loop")
        self.release_down_to(self.loops[-1].lock_depth, stmt)
        self.loops[-1].breaks.append(self.emit(ir.Jump(-1), stmt))

    def stmt_Continue(self, stmt: ast.Continue) -> None:
        if not self.loops:
            self.error(stmt, "continue outside a loop")
        self.release_down_to(self.loops[-1].lock_depth, stmt)
        self.loops[-1].continues.append(self.emit(ir.Jump(-1), stmt))

    def stmt_Return(self, stmt: ast.Return) -> None:
        scope = self.scope
        if scope.function is None:
            self.error(stmt, "return outside a function")
        if stmt.value is not None:
            assert scope.result is not None
            self.emit(ir.Assign(scope.result, self.expr(stmt.value)), stmt)
        self.release_down_to(scope.lock_depth, stmt)
        scope.returns.append(self.emit(ir.Jump(-1), stmt))

    def stmt_With(self, stmt: ast.With) -> None:
        pools = [item for item in stmt.items if isinstance(item.optional_vars, ast.Name)
                 and item.optional_vars.id in self.module.pools and isinstance(item.context_expr, ast.Call)]
        if pools:
            if len(stmt.items) != 1:
                self.unsupported(stmt, "a pool with other context managers", "give the pool its own with")
            self.with_pool(stmt, pools[0].optional_vars.id)  # type: ignore[union-attr]
            return
        locks = []
        for item in stmt.items:
            ctx = self.listed(item.context_expr)
            if item.optional_vars is not None or not isinstance(ctx, ast.Name):
                self.unsupported(item.context_expr, "this with statement", "use with lock: on a threading.Lock")
            kind, what = self.resolve(ctx.id, ctx)
            if kind not in KINDS or not KINDS[kind].context_manager:
                self.unsupported(ctx, f"with on the {kind} {ctx.id}", "with works on a threading.Lock")
            self.emit(ir.SyncOp(what, "acquire"), ctx)  # type: ignore[arg-type]
            self.enter_pad(what, stmt)  # type: ignore[arg-type]
            self.cleanups.append(("release", what))
            locks.append(what)
        self.block(stmt.body)
        for lock in reversed(locks):
            self.cleanups.pop()
            self.leave_pad()  # an exception in __exit__ itself propagates outward
            self.emit(ir.SyncOp(lock, "release"), stmt)  # type: ignore[arg-type]
        self.code[-1] = replace(self.code[-1], line=stmt.end_lineno or stmt.lineno)

    # ------------------------------------------------------------------ thread pools

    def with_pool(self, stmt: ast.With, pool: str) -> None:
        """``with ThreadPoolExecutor(...) as pool:``: its workers start, the body runs, and on the
        way out (an exception too) the pool is shut down and waited for."""
        self.start_pool(pool, stmt)
        where = {"lineno": stmt.end_lineno or stmt.lineno, "col_offset": stmt.col_offset}
        shutdown = ast.Expr(ast.Call(ast.Attribute(ast.Name(pool, ast.Load(), **where), "shutdown", ast.Load(),
                                                   **where), [], [], **where), **where)
        self.stmt_Try(ast.copy_location(ast.Try(stmt.body, [], [], [shutdown]), stmt))

    def start_pool(self, pool: str, node: ast.AST) -> None:
        for k in range(self.module.pools[pool]):
            self.emit(ir.Start(self.module.thread_index(f"{pool}·worker{k}")), node)  # type: ignore[arg-type]

    def call_pool(self, node: ast.Call, obj: int, name: str, method: str, args: list[ast.expr],
                  statement: bool) -> ir.Expr:
        if method == "submit":
            if node.keywords or not args:
                self.unsupported(node, f"these arguments to {name}.submit()", f"{name}.submit(function, arg, ...)")
            site = self.pool_site(name, args[0], len(args) - 1)
            values = self.items(args[1:])
            return self.result(lambda dst: ir.SyncOp(obj, "submit", (ir.Const(site), ir.MakeTuple(values)), dst),
                               node, statement)
        if method == "map":
            futures = self.map_futures(node, obj, name, args)
            results = self.temp()
            self.emit(ir.Assign(results, ir.Const(PyList())), node)
            held = ir.Reg(results, self.register_names[results])
            for future in futures:  # every result in order (the caller consumes them at once)
                value = self.result(lambda dst, f=future: ir.SyncOp(obj, "result", (f,), dst), node, False)
                self.emit(ir.Assign(results, ir.Binary("+", held, ir.MakeTuple((value,), list=True))), node)
            return held
        if method == "shutdown":
            wait = True
            for kw in node.keywords:
                if kw.arg != "wait" or not (isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, bool)):
                    self.unsupported(kw.value, "this argument to shutdown()", "use shutdown() or shutdown(wait=False)")
                wait = kw.value.value
            if args:
                self.unsupported(node, "positional arguments to shutdown()", "use shutdown(wait=False)")
            self.emit(ir.SyncOp(obj, "shutdown"), node)
            if wait:
                self.emit(ir.SyncOp(obj, "wait_all"), node)
            return ir.Const(None)
        self.unsupported(node, f"{name}.{method}()", "pools have submit, map and shutdown; futures have result() "
                                                     "and done()")

    def map_futures(self, node: ast.Call, obj: int, name: str, args: list[ast.expr]) -> list[ir.Expr]:
        """``pool.map(f, items)``: one task per item, submitted at once, as CPython does."""
        if len(args) != 2 or node.keywords:
            self.unsupported(node, f"these arguments to {name}.map()", f"{name}.map(function, items) with one "
                                                                      "iterable")
        site = self.pool_site(name, args[0], 1)
        items = self.hold(ir.Builtin("iterate", (self.expr(args[1]),)), args[1])
        length = self.static_length(args[1])
        futures = []
        for i in range(length):
            futures.append(self.result(lambda dst, i=i: ir.SyncOp(
                obj, "submit", (ir.Const(site), ir.MakeTuple((ir.Item(items, ir.Const(i)),))), dst), node, False))
        return futures

    def pool_map_for(self, stmt: ast.For, call: ast.Call) -> None:
        """``for r in pool.map(f, items):``: every task submitted at once, then each pass waits for
        its own result only, as CPython's lazy results do."""
        name = call.func.value.id  # type: ignore[attr-defined]
        obj = list(self.module.objects).index(name)
        futures = self.hold(ir.MakeTuple(tuple(self.map_futures(call, obj, name, list(call.args))), list=True), call)

        def bind(counter: ir.Reg) -> None:
            value = self.result(lambda dst: ir.SyncOp(obj, "result", (ir.Item(futures, counter),), dst), call, False)
            self.assign(stmt.target, value)
        self.counted_loop(stmt, ir.Const(0), ir.Builtin("len", (futures,)), 1, bind)

    def static_length(self, node: ast.expr) -> int:
        """How many items ``pool.map`` gets: known from the program's text (a range, a literal list, a
        shared list of fixed length)."""
        if isinstance(node, (ast.List, ast.Tuple)):
            return len(node.elts)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
            try:
                return len(iteration_values(self.module, node))
            except SourceError:
                pass
        if isinstance(node, ast.Name) and node.id in self.module.arrays and not self.is_local(node.id):
            return self.module.arrays[node.id].length
        self.unsupported(node, "mapping over this", "map over range(N), a literal list or a shared list of fixed "
                                                    "length")

    def pool_site(self, pool: str, function: ast.expr, arity: int) -> int:
        """The index of what a task runs: a module-level function called with ``arity`` arguments."""
        if not (isinstance(function, ast.Name) and function.id in self.module.functions):
            self.unsupported(function, "submitting this", "submit a module-level function by name")
        sites = self.module.pool_sites[pool]
        key = (function.id, arity)
        if key not in sites:
            if self.worker_of == pool:
                self.error(function, "a task submitting a new kind of task to its own pool is not supported here")
            sites.append(key)
        return sites.index(key)

    def check_unshared(self, name: str, node: ast.AST) -> None:
        """A list or dict in a local is kept by value, so changing it in place is exact only while
        nothing else can see it: not a parameter (the caller's object), and used in its function
        only through its own methods, subscripts, iteration, reads by builtins and ``print``, and
        ``return`` - never copied to another name, passed to a helper or stored elsewhere."""
        scope = self.scope
        if name in scope.parameters:
            self.unsupported(node, f"changing the argument {name} in place", f"return a new value, or make {name} "
                                                                              "a shared list or dict")
        parents = {id(child): parent for parent in ast.walk(ast.Module(scope.body, [])) for child in
                   ast.iter_child_nodes(parent)}
        allowed_calls = ("print", "len", "sum", "min", "max", "sorted", "list", "tuple", "str", "repr", "bool",
                         "enumerate")
        fresh = (ast.List, ast.Dict, ast.ListComp, ast.DictComp, ast.BinOp)
        for use in ast.walk(ast.Module(scope.body, [])):
            if isinstance(use, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in use.targets) \
                    and not (isinstance(use.value, fresh) or isinstance(use.value, ast.Call)
                             and isinstance(use.value.func, ast.Name) and use.value.func.id in ("list", "dict", "sorted")):
                self.unsupported(use.value, f"giving {name} this value while it is also changed in place",
                                 f"lists and dicts in locals are kept by value: make {name} a new one, e.g. "
                                 f"{name} = [] or {name} = list(other)")
            if not (isinstance(use, ast.Name) and use.id == name and isinstance(use.ctx, ast.Load)):
                continue
            parent = parents.get(id(use))
            if isinstance(parent, (ast.Attribute, ast.Subscript, ast.Compare, ast.For, ast.Return,
                                   ast.comprehension, ast.FormattedValue)) and getattr(parent, "value", use) is use \
                    or isinstance(parent, (ast.Compare, ast.For, ast.comprehension, ast.FormattedValue)):
                continue
            if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id in allowed_calls:
                continue
            self.unsupported(use, f"using {name} here while it is also changed in place", "lists and dicts in "
                             f"locals are kept by value: pass or store a copy, list({name}), or use a shared one")

    def local_method(self, node: ast.Call, reg: int, name: str, method: str, statement: bool) -> ir.Expr:
        """A method of a list or dict held in a local (``items.append(v)``, ``d.get(k)``): the local
        gets the changed value (locals are the thread's own, so this is one local step); what it
        returns, and the errors it raises, are CPython's."""
        if method not in ("index", "count", "get", "keys", "values", "items"):
            self.check_unshared(name, node)
        if node.keywords:
            self.unsupported(node, f"keyword arguments to {name}.{method}()", "pass them by position")
        args = self.items(list(node.args))
        current = ir.Reg(reg, self.register_names[reg])
        outcome = self.hold(ir.Builtin(f"local.{method}", (current, *args)), node)  # (new value, result)
        self.emit(ir.Assign(reg, ir.Item(outcome, ir.Const(0))), node)
        return ir.Item(outcome, ir.Const(1))

    def dynamic_call(self, node: ast.Call, method: str, statement: bool) -> ir.Expr:
        """``obj.method(...)`` on an object a value holds: the method of the object's class, chosen
        when it runs (each class's method is inlined behind a test of the class)."""
        func_node: ast.Attribute = node.func  # type: ignore[assignment]
        obj = self.hold(self.expr(func_node.value), func_node.value)
        args = [self.hold(self.expr(a), a) for a in node.args]
        if node.keywords:
            self.unsupported(node, "keyword arguments to a method here", "pass them by position")
        cls_reg = self.hold(ir.Builtin("class_of", (obj,)), node)
        result = self.temp()
        ends = []
        for cls in self.module.classes.values():
            func = cls.methods.get(method)
            if func is None or method == "__init__":
                continue
            skip = self.emit(ir.Branch(ir.Binary("==", cls_reg, ir.Const(cls.name)), -1), node)
            values = self.with_defaults(func, [obj, *args], node,
                                        f"{cls.name}.{method} takes {len(func.args.args) - 1} argument(s) but "
                                        f"{len(args)} were given")
            returned = self.enter_function(func, values, node)
            self.emit(ir.Assign(result, ir.Reg(returned, self.register_names[returned])), node)
            ends.append(self.emit(ir.Jump(-1), node))
            self.patch(skip, self.here())
        self.emit(ir.Assign(result, ir.Builtin("no_method", (obj, ir.Const(method)))), node)
        for at in ends:
            self.patch(at, self.here())
        return ir.Reg(result, self.register_names[result])

    def with_defaults(self, func: ast.FunctionDef, values: list[ir.Expr], node: ast.AST, wrong: str) -> list[ir.Expr]:
        """Positional ``values`` for ``func``'s parameters, the missing last ones from its defaults;
        ``wrong`` is the error when they cannot fill them."""
        params = len(func.args.args)
        defaults = [default_value(d) for d in func.args.defaults]
        if len(values) > params or len(values) < params - len(defaults):
            self.error(node, wrong)
        missing = params - len(values)
        return values + [ir.Const(d) for d in defaults[len(defaults) - missing:]] if missing else values

    def new_object(self, node: ast.Call, cls: str) -> ir.Expr:
        """``Config(...)`` while the program runs: an object of its own per thread and creation site,
        its attributes locations that hold nothing until ``__init__`` stores them (reading one
        before its store has reached the reader is CPython's AttributeError)."""
        info = self.module.classes[cls]
        if info.is_thread:
            self.unsupported(node, f"making a {cls} thread while the program runs", "make it at module level")
        site = f"{cls}@{node.lineno}"
        count = self.module.sites_made.get(site, 0) + 1
        self.module.sites_made[site] = count
        name = site if count == 1 else f"{site}#{count}"
        init = info.methods.get("__init__")
        attrs: dict[str, int] = {}
        for sub in ast.walk(init) if init is not None else ():
            if isinstance(sub, ast.Assign) and len(sub.targets) == 1 and isinstance(sub.targets[0], ast.Attribute) \
                    and isinstance(sub.targets[0].value, ast.Name) and sub.targets[0].value.id == init.args.args[0].arg \
                    and sub.targets[0].attr not in attrs:  # type: ignore[union-attr]
                atomic = isinstance(sub.value, ast.Call) and \
                    self.module.qualname(sub.value.func) == "miscompile.atomics.Atomic"
                attr = sub.targets[0].attr
                attrs[attr] = self.module.add_location(f"{name}.{attr}", MISSING, node, atomic=atomic)
        for sub in ast.walk(init) if init is not None else ():  # the other stores: augmented, annotated, ...
            if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store) and isinstance(sub.value, ast.Name) \
                    and sub.value.id == init.args.args[0].arg and sub.attr not in attrs:  # type: ignore[union-attr]
                attrs[sub.attr] = self.module.add_location(f"{name}.{sub.attr}", MISSING, node)
        self.module.records[name] = (cls, attrs)
        made = self.new_register(f"·made {name}")
        self.emit(ir.Assign(made, ir.Builtin("only_once", (ir.RawReg(made), ir.Const(f"line {node.lineno}")))),
                  node)
        if init is not None:
            call = ast.Call(node.func, [ast.Name(name, ast.Load(), lineno=node.lineno, col_offset=node.col_offset),
                                        *node.args], node.keywords, lineno=node.lineno, col_offset=node.col_offset)
            self.inline_call(call, init)
        elif node.args or node.keywords:
            self.error(node, f"{cls}() takes no arguments")
        return ir.Const(Instance(name, cls))

    def call_future(self, node: ast.Call, reg: int, name: str, method: str, statement: bool) -> ir.Expr:
        """``future.result()`` / ``future.done()``, on the program's one pool."""
        if len(self.module.pools) != 1:
            self.unsupported(node, f"{name}.{method}()", "futures work when the program has one ThreadPoolExecutor")
        obj = list(self.module.objects).index(next(iter(self.module.pools)))
        if method not in ("result", "done") or node.args or node.keywords:
            self.unsupported(node, f"{name}.{method}(...)", "futures have result() and done()")
        future = ir.Reg(reg, self.register_names[reg])
        return self.result(lambda dst: ir.SyncOp(obj, method, (future,), dst), node, statement)

    def lower_pool_worker(self, pool: str) -> None:
        """A pool's worker: take the oldest task, run the function it names, record its result or
        its exception (the worker goes on), until the pool is shut down and empty."""
        self.worker_of = pool
        obj = list(self.module.objects).index(pool)
        self.scopes.append(Scope(f"<{pool} worker>", set(), set()))
        where = ast.Constant(None, lineno=1, col_offset=0)
        top = self.here()
        task = self.result(lambda dst: ir.SyncOp(obj, "take", (), dst), where, False)
        stop = self.emit(ir.Branch(ir.Binary("is not", task, ir.Const(None)), -1), where)
        future = self.hold(ir.Item(task, ir.Const(2)), where)
        arguments = self.hold(ir.Item(task, ir.Const(1)), where)
        site = self.hold(ir.Item(task, ir.Const(0)), where)
        parent = self.pad
        self.pads.append((INLINE_PAD, parent, -1))
        pad = self.pad = len(self.pads) - 1
        for index, (name, arity) in enumerate(self.module.pool_sites[pool]):
            func = self.module.functions[name]
            skip = self.emit(ir.Branch(ir.Binary("==", site, ir.Const(index)), -1), func)
            values = self.with_defaults(func, [ir.Item(arguments, ir.Const(i)) for i in range(arity)], func,
                                        f"{name} takes {len(func.args.args)} argument(s) but a task gives it {arity}")
            result = self.enter_function(func, values, func)
            self.emit(ir.SyncOp(obj, "finish", (future, ir.Reg(result, self.register_names[result]))), func)
            self.emit(ir.Jump(top), func)
            self.patch(skip, self.here())
        self.emit(ir.Jump(top), where)
        self.pad = parent
        self.pads[pad] = (INLINE_PAD, parent, self.here())
        raised = self.temp()
        catch = self.emit(ir.Catch((), -1, raised), where)
        self.pad_jumps.append((catch, parent))
        self.emit(ir.SyncOp(obj, "fail", (future, ir.Reg(raised, self.register_names[raised]))), where)
        self.emit(ir.Jump(top), where)
        self.patch(stop, self.here())
        self.emit(ir.End(line=1))
        self.scopes.pop()

    def stmt_Try(self, stmt: ast.Try) -> None:
        """``try: ... finally: ...``: the finally body runs on the way out, normally, on break,
        continue and return, and when an exception unwinds (then the exception goes on).
        With ``except`` clauses too, it is a try/except inside a try/finally, as in CPython."""
        if stmt.handlers and stmt.finalbody:
            inner = ast.Try(stmt.body, stmt.handlers, stmt.orelse, [])
            self.stmt_Try(ast.copy_location(ast.Try([ast.copy_location(inner, stmt)], [], [], stmt.finalbody),
                                            stmt))
            return
        if stmt.handlers:
            self.try_except(stmt)
            return
        parent = self.pad
        self.pads.append((INLINE_PAD, parent, -1))
        pad = self.pad = len(self.pads) - 1
        self.cleanups.append(("finally", stmt.finalbody))
        self.block(stmt.body)
        self.cleanups.pop()
        self.pad = parent
        self.block(stmt.finalbody)  # the normal way out
        skip = self.emit(ir.Jump(-1), stmt)
        self.pads[pad] = (INLINE_PAD, parent, self.here())  # the way out of an exception
        self.block(stmt.finalbody)
        self.pad_jumps.append((self.emit(ir.Jump(-1), stmt), parent))
        self.patch(skip, self.here())

    def try_except(self, stmt: ast.Try) -> None:
        """``try: ... except E: ... else: ...``: an exception raised in the body unwinds to the
        clauses, tried in order; one that none takes goes on unwinding outward."""
        clauses = [self.exception_types(handler) for handler in stmt.handlers]
        parent = self.pad
        self.pads.append((INLINE_PAD, parent, -1))
        pad = self.pad = len(self.pads) - 1
        self.block(stmt.body)
        self.pad = parent
        self.block(stmt.orelse)
        ends = [self.emit(ir.Jump(-1), stmt)]
        self.pads[pad] = (INLINE_PAD, parent, self.here())
        for handler, types in zip(stmt.handlers, clauses):
            catch = self.emit(ir.Catch(types, -1), handler)
            self.block(handler.body)
            ends.append(self.emit(ir.Jump(-1), handler))
            if handler is stmt.handlers[-1]:
                self.pad_jumps.append((catch, parent))  # taken by no clause: unwind further
            else:
                self.patch(catch, self.here())
        for at in ends:
            self.patch(at, self.here())

    def exception_types(self, handler: ast.ExceptHandler) -> tuple[str, ...]:
        """The exception types an ``except`` clause names, as CPython names them."""
        if handler.name is not None:
            self.unsupported(handler, f"except ... as {handler.name}", "write except E: without a name; an "
                                                                       "uncaught error shows its message anyway")
        if handler.type is None:
            return ()
        nodes = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        types = []
        for node in nodes:
            written = self.module.qualname(node) or (node.id if isinstance(node, ast.Name) else None)
            if written is not None and written.startswith("builtins."):
                written = written.removeprefix("builtins.")
            found = known(written) if written is not None else None
            if found is None:
                self.unsupported(node, f"catching {ast.get_source_segment(self.module.source, node) or 'this'}",
                                 "except clauses take the errors the program can raise: queue.Empty, "
                                 "queue.Full, threading.BrokenBarrierError, RuntimeError, ValueError, KeyError, "
                                 "IndexError, ZeroDivisionError, AssertionError, Exception, ...")
            types.append(found)
        return tuple(types)

    def stmt_Assert(self, stmt: ast.Assert) -> None:
        test = self.expr(stmt.test)
        text = (ast.get_source_segment(self.module.source, stmt) or "assert").splitlines()[0]
        if stmt.msg is not None and self.needs_code(stmt.msg):
            # CPython computes the message only when the test fails: its loads run on that branch alone
            passed = self.emit(ir.Branch(ir.Unary("not", test), -1), stmt)
            self.emit(ir.Assert(ir.Const(False), self.text_expr(stmt.msg), text), stmt)
            self.patch(passed, self.here())
            return
        message = None if stmt.msg is None else self.text_expr(stmt.msg)
        self.emit(ir.Assert(test, message, text), stmt)

    # ------------------------------------------------------------------ print and text

    def lower_print(self, call: ast.Call) -> None:
        sep = " "
        for kw in call.keywords:
            if kw.arg == "sep" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                sep = kw.value.value
            elif kw.arg == "flush":
                continue
            elif kw.arg == "end" and isinstance(kw.value, ast.Constant) and kw.value.value == "\n":
                continue
            else:
                self.unsupported(kw.value, f"print argument {kw.arg}", "print(...) with values and sep= only")
        args = tuple(self.text_expr(a) for a in call.args)
        self.emit(ir.Print(args, sep), call)

    def text_expr(self, node: ast.expr) -> ir.Expr:
        """An expression that may also be a string: print arguments and assert messages."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return ir.Const(node.value)
        if isinstance(node, ast.JoinedStr):
            parts: list = []
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts.append(str(value.value))
                    continue
                assert isinstance(value, ast.FormattedValue)
                spec = ""
                if value.format_spec is not None:
                    if not all(isinstance(v, ast.Constant) for v in value.format_spec.values):  # type: ignore[attr-defined]
                        self.unsupported(value.format_spec, "a computed format spec", "write the spec literally")
                    spec = "".join(str(v.value) for v in value.format_spec.values)  # type: ignore[attr-defined]
                conversion = {-1: "", 115: "s", 114: "r", 97: "a"}[value.conversion]
                formatted = self.expr(value.value)
                later = node.values[node.values.index(value) + 1:]
                if any(self.needs_code(v.value) for v in later if isinstance(v, ast.FormattedValue)):
                    formatted = self.hold(formatted, value)  # read before what the later parts load
                parts.append((formatted, conversion, spec))
            return ir.Format(tuple(parts))
        return self.expr(node)

    def expr_JoinedStr(self, node: ast.JoinedStr) -> ir.Expr:
        return self.text_expr(node)

    # ------------------------------------------------------------------ expressions

    def expr(self, node: ast.expr, statement: bool = False) -> ir.Expr:
        method = getattr(self, f"expr_{type(node).__name__}", None)
        if method is None:
            what, hint = {
                "Lambda": ("lambda", "define a function with def"),
                "Set": ("a set", "use a list or a dict"),
                "SetComp": ("a set comprehension", "use a list comprehension"),
                "DictComp": ("a dict comprehension", "build the dict in a for loop"),
                "GeneratorExp": ("a generator", "use a list comprehension"),
                "Await": ("await", "use threading.Thread"), "Yield": ("yield", "return a list"),
                "YieldFrom": ("yield", "return a list"),
                "NamedExpr": (":=", "assign in a statement of its own"),
                "Starred": ("*unpacking", "write the items out"), "Slice": ("slicing", "index one element at a time"),
            }.get(type(node).__name__, ("this expression", "expressions work on ints, bools, None, strings, "
                                                           "lists, tuples, dicts and objects"))
            self.unsupported(node, what, hint)
        if isinstance(node, ast.Call):
            return method(node, statement)
        return method(node)

    def expr_Constant(self, node: ast.Constant) -> ir.Expr:
        if node.value is None or type(node.value) in (int, bool, str):
            return ir.Const(node.value)
        self.unsupported(node, f"a {type(node.value).__name__} value", "expressions work on ints, bools, None "
                                                                      "and strings")

    def expr_Name(self, node: ast.Name) -> ir.Expr:
        kind, what = self.resolve(node.id, node)
        if kind == "register":
            return ir.Reg(what, self.register_names[what])  # type: ignore[arg-type,index]
        if kind == "scalar":
            reg = self.temp()
            self.emit(ir.Load(reg, what), node)  # type: ignore[arg-type]
            return ir.Reg(reg, self.register_names[reg])
        if kind == "dict":  # the whole dict, read in one step
            return self.result(lambda dst: ir.DictOp(dst, what, "snapshot"), node, False)  # type: ignore[arg-type]
        if kind == "list":  # a growable list: one atomic read of all of it
            return self.result(lambda dst: ir.AtomicLoad(dst, what), node, False)  # type: ignore[arg-type]
        if kind == "array":  # the list as a value: each element read in turn, as iterating it does
            array: ir.Array = what  # type: ignore[assignment]
            items = []
            for i in range(array.length):
                reg = self.temp()
                self.emit(ir.Load(reg, array.base + i), node)
                items.append(ir.Reg(reg, self.register_names[reg]))
            return ir.MakeTuple(tuple(items), list=True)
        hints = {"atomic": f"read it with {node.id}.load()", "struct": "use one field, e.g. flags.b1"}
        self.unsupported(node, f"using the {kind} {node.id} as a value", hints.get(kind, "use it through its methods"))

    def expr_Subscript(self, node: ast.Subscript) -> ir.Expr:
        if isinstance(node.slice, ast.Slice):
            self.unsupported(node, "slicing", "index one element at a time")
        if (d := self.dict_of(node.value)) is not None:  # d[k]: the key's location; KeyError when absent
            key = self.key(node.slice)
            value = self.result(lambda dst: ir.Load(dst, ir.Entry(d, key)), node, False)
            return ir.Builtin("dict.value", (value, key))
        if isinstance(node.value, ast.Name) and self.resolve(node.value.id, node.value)[0] == "array":
            reg = self.temp()
            self.emit(ir.Load(reg, self.location(node)), node)
            return ir.Reg(reg, self.register_names[reg])
        return ir.Item(self.expr(node.value), self.expr(node.slice))

    def expr_Attribute(self, node: ast.Attribute) -> ir.Expr:
        if isinstance(node.value, ast.Call) and self.module.qualname(node.value.func) == "threading.current_thread" \
                and not node.value.args and not node.value.keywords:
            if node.attr != "name":
                self.unsupported(node, f"current_thread().{node.attr}", "use threading.current_thread().name")
            return ir.Const("MainThread" if self.ident == MAIN_IDENT else self.thread_name)  # CPython's name
        reg = self.temp()
        self.emit(ir.Load(reg, self.location(node)), node)
        value: ir.Expr = ir.Reg(reg, self.register_names[reg])
        struct = node.value.id if isinstance(node.value, ast.Name) else ""
        if struct in self.module.words:  # a field of a whole-word location: its byte of the word
            byte = self.module.locations[self.module.words[struct]].fields.index(node.attr)
            value = ir.Binary("&", ir.Binary(">>", value, ir.Const(8 * byte)), ir.Const(0xFF))
        return value

    def expr_Tuple(self, node: ast.Tuple) -> ir.Expr:
        return ir.MakeTuple(self.items(node.elts))

    def expr_ListComp(self, node: ast.ListComp) -> ir.Expr:
        """``[elt for v in iterable if cond]``: the loop ``stmt_For`` lowers, appending to a fresh
        local; the loop variable is the comprehension's own, as in Python 3."""
        if len(node.generators) != 1 or node.generators[0].is_async:
            self.unsupported(node, "this comprehension", "use one for clause, e.g. [f(i) for i in range(N)]")
        gen = node.generators[0]
        self._temps += 1
        n = self._temps
        bound = {t.id for t in ast.walk(gen.target) if isinstance(t, ast.Name)}
        rename = Substitute("", None, {name: f"{name}·{n}" for name in bound})
        where = {"lineno": node.lineno, "col_offset": node.col_offset}
        acc = f"·list{n}"
        self.scope.local_names.update({acc, *(f"{name}·{n}" for name in bound)})
        self.emit(ir.Assign(self.local_register(acc), ir.Const(PyList())), node)
        element = rename.visit(copy.deepcopy(node.elt))
        body: list[ast.stmt] = [ast.Assign([ast.Name(acc, ast.Store(), **where)],
                                           ast.BinOp(ast.Name(acc, ast.Load(), **where), ast.Add(),
                                                     ast.List([element], ast.Load(), **where), **where), **where)]
        if gen.ifs:
            test = ast.BoolOp(ast.And(), [rename.visit(copy.deepcopy(i)) for i in gen.ifs], **where) \
                if len(gen.ifs) > 1 else rename.visit(copy.deepcopy(gen.ifs[0]))
            body = [ast.If(test, body, [], **where)]
        loop = ast.For(rename.visit(copy.deepcopy(gen.target)), gen.iter, body, [], **where)
        self.stmt_For(loop)
        reg = self.local_register(acc)
        return ir.Reg(reg, self.register_names[reg])

    def expr_Dict(self, node: ast.Dict) -> ir.Expr:
        """``{"a": 1}`` as a value (a local dict): its items in order, as CPython builds it."""
        if None in node.keys:
            self.unsupported(node, "**unpacking in a dict", "write the keys out")
        values = self.items([e for pair in zip(node.keys, node.values) for e in pair])  # type: ignore[misc]
        return ir.Builtin("dict.of", values)

    def expr_List(self, node: ast.List) -> ir.Expr:
        return ir.MakeTuple(self.items(node.elts), list=True)

    def items(self, elements: list[ast.expr]) -> tuple[ir.Expr, ...]:
        """Values evaluated left to right, each held before a later one may load or call."""
        values = []
        for i, element in enumerate(elements):
            value = self.expr(element)
            if any(self.needs_code(later) for later in elements[i + 1:]):
                value = self.hold(value, element)
            values.append(value)
        return tuple(values)

    def binop(self, op: ast.operator, node: ast.AST) -> str:
        if type(op) not in BINOPS:
            hint = "use // for integer division" if isinstance(op, ast.Div) else "use int arithmetic"
            self.unsupported(node, f"the operator {type(op).__name__}", hint)
        return BINOPS[type(op)]

    def expr_BinOp(self, node: ast.BinOp) -> ir.Expr:
        op = self.binop(node.op, node)
        left = self.expr(node.left)
        if self.needs_code(node.right):
            left = self.hold(left, node.left)
        return ir.Binary(op, left, self.expr(node.right))

    def expr_UnaryOp(self, node: ast.UnaryOp) -> ir.Expr:
        return ir.Unary(UNOPS[type(node.op)], self.expr(node.operand))

    def expr_BoolOp(self, node: ast.BoolOp) -> ir.Expr:
        op = "and" if isinstance(node.op, ast.And) else "or"
        result = self.expr(node.values[0])
        for value in node.values[1:]:
            if not self.needs_code(value):
                result = ir.Logic(op, result, self.expr(value))
                continue
            reg = self.temp()
            held = ir.Reg(reg, self.register_names[reg])
            self.emit(ir.Assign(reg, result), value)
            test: ir.Expr = held if op == "and" else ir.Unary("not", held)
            skip = self.emit(ir.Branch(test, -1), value)
            self.emit(ir.Assign(reg, self.expr(value)), value)
            self.patch(skip, self.here())
            result = held
        return result

    def expr_Compare(self, node: ast.Compare) -> ir.Expr:
        for op in node.ops:
            if type(op) not in CMPOPS:
                self.unsupported(node, "the comparison in / not in", "compare values with == != < <= > >= is is not")
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)) \
                and (d := self.dict_of(node.comparators[0])) is not None:  # k in d: the key's location
            key = self.key(node.left)
            loaded = self.result(lambda dst: ir.Load(dst, ir.Entry(d, key)), node, False)
            has: ir.Expr = ir.Builtin("dict.has", (loaded,))
            return has if isinstance(node.ops[0], ast.In) else ir.Unary("not", has)
        left = self.expr(node.left)
        operands = node.comparators
        if len(operands) == 1:
            if self.needs_code(operands[0]):
                left = self.hold(left, node.left)
            return ir.Binary(CMPOPS[type(node.ops[0])], left, self.expr(operands[0]))
        # a chain a < b < c: each operand evaluated once, stopping at the first false comparison
        reg = self.temp()
        held = ir.Reg(reg, self.register_names[reg])
        skips = []
        for i, (op, operand) in enumerate(zip(node.ops, operands)):
            left = self.hold(left, node)
            right = self.hold(self.expr(operand), operand)
            self.emit(ir.Assign(reg, ir.Binary(CMPOPS[type(op)], left, right)), node)
            if i < len(operands) - 1:
                skips.append(self.emit(ir.Branch(held, -1), node))
            left = right
        for at in skips:
            self.patch(at, self.here())
        return held

    def expr_IfExp(self, node: ast.IfExp) -> ir.Expr:
        test = self.expr(node.test)
        if not self.needs_code(node.body) and not self.needs_code(node.orelse):
            return ir.IfExp(test, self.expr(node.body), self.expr(node.orelse))
        reg = self.temp()
        branch = self.emit(ir.Branch(test, -1), node)
        self.emit(ir.Assign(reg, self.expr(node.body)), node)
        skip = self.emit(ir.Jump(-1), node)
        self.patch(branch, self.here())
        self.emit(ir.Assign(reg, self.expr(node.orelse)), node)
        self.patch(skip, self.here())
        return ir.Reg(reg, self.register_names[reg])

    # ------------------------------------------------------------------ calls

    def expr_Call(self, node: ast.Call, statement: bool = False) -> ir.Expr:
        func = node.func
        if isinstance(func, ast.Attribute):
            func = ast.copy_location(ast.Attribute(self.listed(func.value), func.attr, func.ctx), func)
        if isinstance(func, ast.Attribute) and isinstance(func.value, (ast.Subscript, ast.Attribute)) \
                and func.attr in ATOMIC_METHODS and self.atomic_target(func.value):
            text = ast.get_source_segment(self.module.source, func.value) or "atomic"
            loc = self.location(func.value, atomic=True)
            if isinstance(loc, ir.AttrOf):
                loc = replace(loc, method=func.attr)  # whichever object it is, its attribute must be an Atomic
            return self.call_atomic(node, loc, text, func.attr, list(node.args), statement)
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
                self.module.qualname(func) is None:
            return self.method_call(node, func.value.id, func.attr, statement)
        if isinstance(func, ast.Attribute) and not isinstance(func.value, ast.Name) and self.module.qualname(func) \
                is None and any(func.attr in c.methods for c in self.module.classes.values()):
            return self.dynamic_call(node, func.attr, statement)  # make().speak(): the result's class's
        qual = self.module.qualname(func)
        if qual in ("miscompile.words.load_word", "miscompile.words.store_word"):
            return self.call_word(node, qual.rsplit(".", 1)[1], statement)
        if qual == "threading.get_ident" and not node.args and not node.keywords:
            return ir.Const(self.ident)  # a number of its own per thread, as CPython's (which vary per run)
        if qual == "time.sleep":
            if len(node.args) != 1 or node.keywords:
                self.unsupported(node, "these arguments to time.sleep()", "time.sleep(seconds)")
            arg = node.args[0]
            seconds = ir.Const(arg.value) if isinstance(arg, ast.Constant) and type(arg.value) is float \
                else self.expr(arg)  # a float literal is the usual argument; the time itself does not matter
            self.emit(ir.Sleep(seconds), node)
            return ir.Const(None)
        if qual == "miscompile.atomics.fence":
            self.emit(ir.Fence(self.fence_kind(node)), node)
            return ir.Const(None)
        if qual in BY_CONSTRUCTOR or qual in ("threading.Thread", "miscompile.atomics.Atomic"):
            self.unsupported(node, f"calling {qual}", "create threads, locks, events, queues and atomics at "
                                                      "module level before the first start()")
        if qual is not None:
            self.unsupported(node, f"calling {qual}", OUTSIDE_CALLS.get(qual, OUTSIDE_HINT))
        if not isinstance(func, ast.Name):
            self.unsupported(node, "this call", "call module-level functions by name")
        name = func.id
        if name == "print":
            self.error(node, "print(...) is supported only as a statement")
        if (nested := self.nested_function(name)) is not None:
            return self.inline_call(node, nested)
        if name in self.module.classes:
            return self.new_object(node, name)
        if name in self.module.functions:
            return self.inline_call(node, self.module.functions[name])
        if name == "len" and len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.Name) \
                and self.resolve(node.args[0].id, node.args[0])[0] == "array":
            return ir.Const(self.resolve(node.args[0].id, node.args[0])[1].length)  # type: ignore[union-attr]
        if name in PURE_BUILTINS:
            if node.keywords or not node.args or (name in ("abs", "int", "bool", "len", "sorted", "sum", "list", "tuple")
                                                 and len(node.args) != 1):
                self.unsupported(node, f"this call of {name}", f"{name}(...) with positional int arguments")
            return ir.Builtin(name, tuple(self.hold(self.expr(a), a) if self.needs_code(a) else self.expr(a)
                                          for a in node.args))
        if name in ("input", "open", "exec", "eval", "sleep"):
            self.unsupported(node, f"{name}(...)", "see the dialect in the README")
        self.error(node, f"unknown function {name}")

    def call_word(self, node: ast.Call, function: str, statement: bool) -> ir.Expr:
        """``load_word(flags)`` / ``store_word(flags, v)``: one access to all of a struct's bytes."""
        arity = 1 if function == "load_word" else 2
        if len(node.args) != arity or node.keywords or not isinstance(node.args[0], ast.Name):
            self.error(node, f"{function} takes {'a struct' if arity == 1 else 'a struct and a value'} "
                             f"(e.g. {function}(flags{', word' if arity == 2 else ''}))")
        struct = node.args[0].id
        if self.resolve(struct, node.args[0])[0] != "struct":
            self.error(node.args[0], f"{function} needs a ctypes.Structure instance, and {struct} is not one")
        word = self.module.words[struct]
        if function == "load_word":
            return self.result(lambda dst: ir.Load(dst, word), node, statement)
        if not statement:
            self.error(node, "store_word(...) is supported only as a statement")
        mask = (1 << (8 * len(self.module.locations[word].fields))) - 1
        self.emit(ir.Store(word, ir.Binary("&", self.expr(node.args[1]), ir.Const(mask))), node)
        return ir.Const(None)

    def argument(self, arg: ast.expr) -> ir.Expr:
        """A call's argument: its value in a register, or an object passed along by name."""
        if isinstance(arg, ast.Name) and not self.is_local(arg.id):
            kind, what = self.resolve(arg.id, arg)
            if kind == "object":
                return ir.Const(ObjectRef(what))  # type: ignore[arg-type]
        return self.hold(self.expr(arg), arg)

    def call_object(self, node: ast.Call, instance: str, obj: str, method: str, args: list[ast.expr],
                    statement: bool) -> ir.Expr:
        """``counter.increment(2)``: the method inlined with ``self`` bound to ``counter``."""
        cls = self.module.records[instance][0]
        if self.module.classes[cls].is_thread and method in ("start", "join"):
            return self.call_thread(node, self.module.thread_index(instance), obj, method, args, statement)
        func = self.module.classes[cls].methods.get(method)
        if func is None or method == "__init__":
            self.unsupported(node, f"{obj}.{method}()", f"call a method {cls} defines")
        self_arg = ast.Name(instance, ast.Load(), lineno=node.lineno, col_offset=node.col_offset)
        call = ast.Call(node.func, [self_arg, *node.args], node.keywords, lineno=node.lineno,
                        col_offset=node.col_offset)
        return self.inline_call(call, func)  # type: ignore[arg-type]

    def inline_call(self, node: ast.Call, func: ast.FunctionDef) -> ir.Expr:
        params = [a.arg for a in func.args.args]
        defaults = [default_value(d) for d in func.args.defaults]
        values: dict[str, ir.Expr] = {}
        if len(node.args) > len(params):
            self.error(node, f"{func.name} takes {len(params)} argument(s) but {len(node.args)} were given")
        for name, arg in zip(params, node.args):
            values[name] = self.argument(arg)
        for kw in node.keywords:
            if kw.arg not in params or kw.arg in values:
                self.error(kw.value, f"{func.name} got an unexpected or repeated argument {kw.arg}")
            values[kw.arg] = self.argument(kw.value)
        for i, name in enumerate(params):
            if name not in values:
                j = i - (len(params) - len(defaults))
                if j < 0:
                    self.error(node, f"{func.name} is missing the argument {name}")
                values[name] = ir.Const(defaults[j])
        result = self.enter_function(func, [values[p] for p in params], node)
        return self.hold(ir.Reg(result, self.register_names[result]), node)

    def order_argument(self, node: ast.Call, rest: list[ast.expr], keywords: list[ast.keyword],
                       allowed: tuple[str, ...], what: str) -> str:
        order_node: ast.expr | None = None
        for kw in keywords:
            if kw.arg != "order":
                self.unsupported(kw.value, f"the argument {kw.arg}", "atomic operations take order=...")
            order_node = kw.value
        if rest:
            if len(rest) > 1 or order_node is not None:
                self.error(node, f"too many arguments for {what}")
            order_node = rest[0]
        if order_node is None:
            return "seq_cst"
        if not (isinstance(order_node, ast.Constant) and isinstance(order_node.value, str)):
            self.unsupported(order_node, "a computed memory order", 'write the order as a string, e.g. "acquire"')
        order = order_node.value
        if order not in RMW_ORDERS:
            self.error(order_node, f"unknown memory order {order!r} (use one of {', '.join(RMW_ORDERS)})")
        if order not in allowed:
            self.error(order_node, f"memory order {order!r} is not valid for {what} (use one of {', '.join(allowed)})")
        return order

    def fence_kind(self, node: ast.Call) -> str:
        """``fence()``, ``fence("write")``, ``fence(kind="read")``, ``fence("release")``: the kind."""
        hint = 'write the kind as a string: fence(), fence("write"), fence("read") or a C11 order'
        kind_node: ast.expr | None = node.args[0] if node.args else None
        for kw in node.keywords:
            if kw.arg != "kind" or kind_node is not None:
                self.unsupported(kw, "this argument to fence()", hint)
            kind_node = kw.value
        if len(node.args) > 1:
            self.error(node, f"too many arguments for fence() ({hint})")
        if kind_node is None:
            return "seq_cst"
        if not (isinstance(kind_node, ast.Constant) and isinstance(kind_node.value, str)):
            self.unsupported(kind_node, "a computed fence kind", hint)
        if kind_node.value not in FENCE_KINDS:
            self.error(kind_node, f"unknown fence kind {kind_node.value!r} (use one of {', '.join(FENCE_KINDS)})")
        return kind_node.value

    def result(self, instr_factory, node: ast.AST, statement: bool) -> ir.Expr:
        """Emit an instruction that may produce a value; allocate its register only when it is used."""
        dst = None if statement else self.temp()
        self.emit(instr_factory(dst), node)
        return ir.Const(None) if dst is None else ir.Reg(dst, self.register_names[dst])

    def method_call(self, node: ast.Call, obj: str, method: str, statement: bool) -> ir.Expr:
        kind, what = self.resolve(obj, node.func)
        args = list(node.args)
        if kind in KINDS:
            return KINDS[kind].lower(self, node, what, obj, method, args, statement)  # type: ignore[arg-type]
        if kind == "register" and self.module.pools and method in ("result", "done"):
            return self.call_future(node, what, obj, method, statement)  # type: ignore[arg-type]
        if kind == "register" and method in LOCAL_METHODS:
            return self.local_method(node, what, obj, method, statement)  # type: ignore[arg-type]
        if kind in ("register", "scalar") and any(method in c.methods for c in self.module.classes.values()):
            return self.dynamic_call(node, method, statement)
        handler = getattr(self, f"call_{kind}", None)
        if handler is None:
            self.unsupported(node, f"calling {obj}.{method}()", f"{obj} is a {kind}")
        return handler(node, what, obj, method, args, statement)

    def call_atomic(self, node: ast.Call, loc: ir.LocRef, obj: str, method: str, args: list[ast.expr],
                    statement: bool) -> ir.Expr:
        arity = {"load": 0, "store": 1, "exchange": 1, "fetch_add": 1, "fetch_sub": 1, "compare_exchange": 2}
        if method not in arity:
            self.unsupported(node, f"{obj}.{method}()", "atomics have load, store, exchange, compare_exchange, "
                                                        "fetch_add and fetch_sub")
        n = arity[method]
        if len(args) < n:
            self.error(node, f"{obj}.{method}() needs {n} argument(s)")
        operands = [self.expr(a) for a in args[:n]]
        if n == 2 and self.needs_code(args[1]):
            operands[0] = self.hold(operands[0], args[0])
        allowed = {"load": LOAD_ORDERS, "store": STORE_ORDERS}.get(method, RMW_ORDERS)
        order = self.order_argument(node, args[n:], node.keywords, allowed, f"{method}()")
        if method == "load":
            return self.result(lambda dst: ir.AtomicLoad(dst if dst is not None else self.temp(), loc, order),
                               node, False)
        if method == "store":
            self.emit(ir.AtomicStore(loc, operands[0], order), node)
            return ir.Const(None)
        return self.result(lambda dst: ir.AtomicRMW(dst, method, loc, tuple(operands), order), node, statement)

    def call_dict(self, node: ast.Call, d: ir.Dict, obj: str, method: str, args: list[ast.expr],
                  statement: bool) -> ir.Expr:
        """``d.get(k, default)``, ``setdefault``, ``pop`` (each one step, as CPython's), and the views
        ``keys()``, ``values()``, ``items()`` of the whole dict."""
        arity = {"get": (1, 2), "setdefault": (1, 2), "pop": (1, 2), "keys": (0,), "values": (0,), "items": (0,)}
        if method not in arity:
            self.unsupported(node, f"{obj}.{method}()", "shared dicts have get, setdefault, pop, keys, values and "
                                                        "items, and d[k], d[k] = v, k in d, del d[k]")
        if node.keywords or len(args) not in arity[method]:
            self.error(node, f"{obj}.{method}() takes {' or '.join(map(str, arity[method]))} positional argument(s)")
        if not args:
            whole = self.result(lambda dst: ir.DictOp(dst, d, "snapshot"), node, False)
            return ir.Builtin(f"dict.{method}", (whole,))
        key, *rest = self.items(args)
        if method == "get":
            loaded = self.result(lambda dst: ir.Load(dst, ir.Entry(d, key)), node, False)
            return ir.Builtin("dict.get", (loaded, rest[0] if rest else ir.Const(None)))
        if method == "setdefault":
            rest = rest or [ir.Const(None)]
        return self.result(lambda dst: ir.DictOp(dst, d, method, key, tuple(rest)), node, statement)

    def call_list(self, node: ast.Call, loc: int, obj: str, method: str, args: list[ast.expr],
                  statement: bool) -> ir.Expr:
        """``items.append(v)``, ``pop()``, ``pop(i)``, ``extend(...)``, ``insert(i, v)``, ``remove(v)``,
        ``clear()``: each one atomic step, as CPython's list methods are; ``index``/``count`` read it."""
        arity = {"append": (1,), "extend": (1,), "insert": (2,), "pop": (0, 1), "remove": (1,), "clear": (0,),
                 "index": (1,), "count": (1,)}
        if method not in arity:
            self.unsupported(node, f"{obj}.{method}()", "shared lists have append, extend, insert, pop, remove, "
                                                        "clear, index and count")
        if node.keywords or len(args) not in arity[method]:
            self.error(node, f"{obj}.{method}() takes {' or '.join(map(str, arity[method]))} positional argument(s)")
        values = self.items(args)
        if method in ("index", "count"):
            current = self.result(lambda dst: ir.AtomicLoad(dst, loc), node, False)  # type: ignore[arg-type]
            return ir.Builtin(f"list.{method}", (current, *values))
        return self.result(lambda dst: ir.AtomicRMW(dst, method, loc, values), node, statement)

    def no_arguments(self, node: ast.Call, obj: str, method: str) -> None:
        if node.args or node.keywords:
            self.unsupported(node, f"arguments to {obj}.{method}()", f"call {obj}.{method}() with none")

    def call_thread(self, node: ast.Call, thread: int, obj: str, method: str, args: list[ast.expr],
                    statement: bool) -> ir.Expr:
        self.no_arguments(node, obj, method)
        if method == "start":
            self.emit(ir.Start(thread), node)
        elif method == "join":
            self.emit(ir.Join(thread), node)
        else:
            self.unsupported(node, f"{obj}.{method}()", "threads have start() and join()")
        return ir.Const(None)

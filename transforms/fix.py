"""``fix``: make every racing location an ``Atomic`` and rewrite every access to it.

This is a LibCST codemod, not an optimisation: it runs the race detector,
then turns each racing plain variable ``x = 0`` into ``x = Atomic(0)``, reads
into ``x.load()``, stores into ``x.store(v)``, and ``x += v`` / ``x -= v``
into ``x.fetch_add(v)`` / ``x.fetch_sub(v)`` (one atomic read-modify-write,
which keeps the meaning of an increment that other threads race with). Other
augmented assignments become a load and a store. Everything else, comments
and formatting included, stays as it was.

Tuple and chained assignments are rewritten through a fresh local (``x, y =
y, x`` evaluates the right side first, so ``x_value, y_value = y.load(),
x.load()`` then two stores); module-level declarations are split into one
per name (``x, y = 0, 0`` -> ``x = Atomic(0)`` and ``y = Atomic(0)``). A
statement it cannot rewrite (a racing variable as a ``for`` target) is
reported with its line and why, and the result is then not a program. Every
rewrite is checked with the frontend before it is returned.

A racing list element makes the whole list a list of ``Atomic``s (``flag =
[False, False]`` -> ``[Atomic(False), Atomic(False)]``, ``[0] * N`` -> ``[Atomic(0)
for _ in range(N)]``), read with ``flag[i].load()``; a racing attribute becomes
``self.value = Atomic(start)`` in ``__init__`` and ``obj.value.load()`` wherever it is
used (in every class that has an attribute of that name: which object an access
names is known only when the program runs). Byte fields of a ``ctypes.Structure``
cannot hold an ``Atomic``: a struct instance with a racing field becomes an
object of a new plain class with one ``Atomic`` per field, and stores keep the
low byte as ``c_uint8`` does. Dict keys are reported, and the caller decides
(the CLI offers a lock).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from miscompile.errors import SourceError, UsageError
from miscompile.frontend import parse_program
from miscompile.ir import Program
from miscompile.races import find_races

from .base import after_imports
from .concurrency import Concurrency

#: --order -> (load order, store order, read-modify-write order); None means the default, seq_cst.
ORDERS: dict[str, tuple[str | None, str | None, str | None]] = {
    "seq_cst": (None, None, None),
    "acquire-release": ("acquire", "release", "acq_rel"),
    "relaxed": ("relaxed", "relaxed", "relaxed"),
}
RMW = {cst.AddAssign: "fetch_add", cst.SubtractAssign: "fetch_sub"}
IMPORT = "from miscompile.atomics import Atomic\n"


@dataclass(frozen=True)
class Fix:
    path: str
    before: str
    after: str
    made_atomic: tuple[str, ...]  # the variables now atomic
    not_fixable: tuple[str, ...]  # racing array elements and fields, left alone
    remaining: tuple[str, ...]  # locations the detector still finds racing in ``after``
    #: Statements the rewrite could not handle, as (line, why); when there are any, ``after`` is
    #: the original source: no half-rewritten program is ever returned.
    problems: tuple[tuple[int, str], ...] = ()
    #: ``after`` parsed (when there are no problems), so that checking the fix does not parse it again
    program: Program | None = field(default=None, compare=False, repr=False)

    @property
    def changed(self) -> bool:
        return self.before != self.after


class _MakeAtomic(cst.CSTTransformer):
    def __init__(self, analysis: Concurrency, names: set[str], order: str, arrays: set[str] = frozenset(),
                 attributes: set[str] = frozenset(), structs: dict[str, str] | None = None) -> None:
        super().__init__()
        self.analysis = analysis
        self.names = names
        #: ctypes.Structure instances with racing byte fields -> the plain class of Atomics replacing them
        self.structs = structs or {}
        self.arrays = arrays  # lists whose elements become Atomics
        self.attributes = attributes  # attribute names that become Atomics, in every class that sets them
        self.targets: set[int] = set()  # ids of store targets: rewritten whole, never read with .load()
        self.functions: list[str] = []  # the enclosing function names
        self.load_order, self.store_order, self.rmw_order = ORDERS[order]
        self.depth = 0  # > 0 inside a function
        self.problems: list[tuple[int, str]] = []
        self.taken = {n.value for n in _all_names(analysis.module)}  # names a fresh local must avoid

    def args(self, order: str | None, *values: str) -> str:
        parts = list(values) + ([f'order="{order}"'] if order else [])
        return ", ".join(parts)

    def racing(self, node: cst.CSTNode) -> bool:
        """A racing variable, an element of a racing list, or a racing attribute of an object."""
        if isinstance(node, cst.Name):
            return node.value in self.names and not self.analysis.is_local(node)
        if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Name):
            return node.value.value in self.arrays and not self.analysis.is_local(node.value)
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value in self.structs \
                and not self.analysis.is_local(node.value):
            return True  # a byte field of a struct that becomes a class of Atomics
        if isinstance(node, cst.Attribute) and node.attr.value in self.attributes:
            base = node.value
            if isinstance(base, cst.Name) and not self.analysis.is_local(base):
                return self.analysis.kind(base.value) in ("object", "thread")
            return isinstance(base, (cst.Name, cst.Subscript))  # self.value, or workers[0].value
        return False

    def racing_in(self, target: cst.BaseExpression) -> bool:
        """Whether an assignment target is, or unpacks into, a racing variable."""
        if isinstance(target, (cst.Tuple, cst.List)):
            return any(self.racing_in(e.value) for e in target.elements)
        return self.racing(target)

    def fresh(self, base: str) -> str:
        name, n = f"{base}_value", 2
        while name in self.taken:
            name, n = f"{base}_value{n}", n + 1
        self.taken.add(name)
        return name

    def code(self, node: cst.CSTNode) -> str:
        return self.analysis.module.code_for_node(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1
        self.functions.append(node.name.value)

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.depth -= 1
        self.functions.pop()
        return updated_node

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not node.decorators:
            return
        for stmt in node.body.body:
            field = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) else None
            if isinstance(field, cst.AnnAssign) and isinstance(field.target, cst.Name) \
                    and field.target.value in self.attributes:
                self.problems.append((self.analysis.line(stmt), f"`{field.target.value}` is a field of the "
                                      f"@dataclass {node.name.value}, which cannot become an Atomic here (give "
                                      f"the class an __init__ that sets self.{field.target.value} = "
                                      f"Atomic({field.target.value}), or protect it with a lock)"))

    def visit_Global(self, node: cst.Global) -> bool:
        return False  # ``global x`` names the variable, it does not read it

    def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
        self.mark_targets(node.target)
        return True

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.mark_targets(node.target)

    def mark_targets(self, target: cst.BaseExpression) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self.mark_targets(element.value)
        elif self.racing(target):
            self.targets.add(id(target))

    def visit_For(self, node: cst.For) -> None:
        if self.racing_in(node.target):
            self.problems.append((self.analysis.line(node), f"`for {self.code(node.target)} in ...` assigns the "
                                  "racing variable on every iteration (loop over a local, then store it: "
                                  "for i in ...: x = i)"))

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return False  # the attribute's name is not a variable; leave_Attribute rewrites the object part

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self.load(original_node, updated_node)

    def leave_Subscript(self, original_node: cst.Subscript, updated_node: cst.Subscript) -> cst.BaseExpression:
        return self.load(original_node, updated_node)

    def leave_Attribute(self, original_node: cst.Attribute, updated_node: cst.Attribute) -> cst.BaseExpression:
        # visit_Attribute skipped the children: the object part may read a racing variable itself
        updated_node = updated_node.with_changes(value=original_node.value.visit(self))
        return self.load(original_node, updated_node)

    def load(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        """A read of a racing location becomes ``.load()``; a store target is left for its statement."""
        if not self.racing(original) or id(original) in self.targets or self.in_init(original):
            return updated
        return cst.parse_expression(f"{self.code(updated)}.load({self.args(self.load_order)})")

    def in_init(self, node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Attribute) and bool(self.functions) and self.functions[-1] == "__init__"

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine,
                                  updated_node: cst.SimpleStatementLine):
        """Assignments to racing variables become one or more statements of their own."""
        pieces: list[str] = []
        split = False
        for original, updated in zip(original_node.body, updated_node.body):
            lines = None
            if isinstance(original, cst.Assign) and isinstance(updated, cst.Assign):
                lines = self.rewrite_assign(original, updated)
            elif isinstance(original, cst.AnnAssign) and isinstance(updated, cst.AnnAssign) \
                    and updated.value is not None and self.racing(original.target):
                fake = cst.Assign([cst.AssignTarget(original.target)], original.value)  # type: ignore[arg-type]
                lines = self.rewrite_assign(fake, cst.Assign([cst.AssignTarget(original.target)], updated.value),
                                            line=self.analysis.line(original))
            split |= lines is not None
            pieces.extend(lines if lines is not None else [self.code(updated).strip().rstrip(";").strip()])
        if not split:
            return updated_node
        statements = [cst.parse_statement(piece + "\n", config=self.analysis.module.config_for_parsing)
                      for piece in pieces]
        statements[0] = statements[0].with_changes(leading_lines=updated_node.leading_lines)
        statements[-1] = statements[-1].with_changes(trailing_whitespace=updated_node.trailing_whitespace)
        return cst.FlattenSentinel(statements)

    def rewrite_assign(self, original: cst.Assign, updated: cst.Assign, line: int | None = None) -> list[str] | None:
        targets = [t.target for t in original.targets]
        if self.depth == 0 and len(targets) == 1 and isinstance(targets[0], cst.Name) \
                and targets[0].value in self.arrays:
            return [f"{targets[0].value} = {self.atomic_list(updated.value)}"]
        if self.depth == 0 and len(targets) == 1 and isinstance(targets[0], cst.Name) \
                and targets[0].value in self.structs:
            return [f"{targets[0].value} = {self.structs[targets[0].value]}()"]
        if not any(self.racing_in(t) for t in targets):
            return None
        value = self.code(updated.value)
        line = line if line is not None else self.analysis.line(original)
        if len(targets) == 1 and self.in_init(targets[0]):  # self.value = start -> Atomic(start)
            return [f"{self.code(updated.targets[0].target)} = Atomic({value})"]
        if self.depth == 0 and self.declares(targets, line):
            return self.declarations(targets, updated.value)
        written = [t.target for t in updated.targets]  # with racing reads inside them rewritten
        if len(targets) == 1:  # x = v, or x, y = v: the right side is evaluated once either way
            return self.assign_from(targets[0], value, line, written[0])
        temp = self.fresh(self.first_name(targets))
        lines = [f"{temp} = {value}"]  # the whole right side first, as Python evaluates it
        for target, text in zip(targets, written):
            lines += self.assign_from(target, temp, line, text)
        return lines

    def is_byte_field(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) \
            and node.value.value in self.structs

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef):
        """After a Structure some racing instance uses, a plain class with one Atomic per field."""
        made = {cls for var, cls in self.structs.items()
                if self.analysis.facts.struct_classes.get(var) == original_node.name.value}
        if not made:
            return updated_node
        fields = self.analysis.facts.structs[original_node.name.value]
        config = self.analysis.module.config_for_parsing
        extra = []
        for cls in sorted(made):
            body = "".join(f"        self.{f} = Atomic(0)\n" for f in fields)
            extra.append(cst.parse_statement(
                f"class {cls}:\n    \"\"\"{original_node.name.value}'s byte fields, each an Atomic (made by "
                f"miscompile fix).\"\"\"\n\n    def __init__(self):\n{body}", config=config)
                .with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()]))
        return cst.FlattenSentinel([updated_node, *extra])

    def atomic_list(self, value: cst.BaseExpression) -> str:
        """``[False, False]`` -> ``[Atomic(False), Atomic(False)]``; ``[0] * N`` -> one Atomic per
        element (``[Atomic(0)] * N`` would be N names for one Atomic)."""
        if isinstance(value, cst.List):
            return "[" + ", ".join(f"Atomic({self.code(e.value)})" for e in value.elements) + "]"
        assert isinstance(value, cst.BinaryOperation)
        seq, count = (value.left, value.right) if isinstance(value.left, cst.List) else (value.right, value.left)
        items = seq.elements  # type: ignore[attr-defined]
        if len(items) == 1:
            return f"[Atomic({self.code(items[0].value)}) for _ in range({self.code(count)})]"
        return f"[Atomic(v) for v in {self.code(value)}]"

    def declares(self, targets: list[cst.BaseExpression], line: int) -> bool:
        """Whether a module-level assignment is the declaration of its racing variables."""
        scalars, locations = self.analysis.facts.scalars, self.analysis.facts.locations
        names = [n for t in targets for n in _target_names(t) if n in self.names and n in scalars]
        return bool(names) and all(locations[scalars[n]].line == line for n in names)

    def declarations(self, targets: list[cst.BaseExpression], value: cst.BaseExpression) -> list[str]:
        """``x, y = 0, 1`` / ``x = y = 0``: one declaration per name, racing ones made atomic."""
        lines: list[str] = []
        for target in targets:
            if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)):
                pairs = [(e.value, v.value) for e, v in zip(target.elements, value.elements)]
            else:
                pairs = [(target, value)]
            for name, item in pairs:
                text = self.code(item)
                lines.append(f"{self.code(name)} = {f'Atomic({text})' if self.racing(name) else text}")
        return lines

    def assign_from(self, target: cst.BaseExpression, source: str, line: int,
                    written: cst.BaseExpression | None = None) -> list[str]:
        """Store ``source`` into ``target`` (``written``: the target as rewritten, its index reads
        made atomic)."""
        text = self.code(written if written is not None else target)
        if self.racing(target):
            if self.is_byte_field(target):
                source = f"({source}) & 0xFF"  # a c_uint8 keeps the low byte of what is stored
            return [f"{text}.store({self.args(self.store_order, source)})"]
        if isinstance(target, (cst.Tuple, cst.List)):
            temps = [self.fresh(self.first_name([e.value])) for e in target.elements]
            lines = [f"{', '.join(temps)} = {source}"]
            inner = written.elements if isinstance(written, (cst.Tuple, cst.List)) else target.elements
            for element, temp, rewritten in zip(target.elements, temps, inner):
                lines += self.assign_from(element.value, temp, line, rewritten.value)
            return lines
        if any(n in self.names for n in _target_names(target, deep=True)) and written is None:
            self.problems.append((line, f"`{self.code(target)}` reads a racing variable inside an unpacking "
                                        "target (index with a local instead)"))
        return [f"{text} = {source}"]

    @staticmethod
    def first_name(targets: list[cst.BaseExpression]) -> str:
        names = [n for t in targets for n in _target_names(t)]
        return names[0] if names else "unpacked"

    def leave_AugAssign(self, original_node: cst.AugAssign, updated_node: cst.AugAssign):
        if not self.racing(original_node.target):
            return updated_node
        name = self.code(updated_node.target)
        value = self.analysis.module.code_for_node(updated_node.value)
        method = RMW.get(type(original_node.operator))
        if self.is_byte_field(original_node.target):  # wraps at 256: a load and a masked store
            operator = self.analysis.module.code_for_node(original_node.operator).strip().rstrip("=")
            load = f"{name}.load({self.args(self.load_order)})"
            return cst.Expr(cst.parse_expression(
                f"{name}.store({self.args(self.store_order, f'({load} {operator} ({value})) & 0xFF')})"))
        if method:
            return cst.Expr(cst.parse_expression(f"{name}.{method}({self.args(self.rmw_order, value)})"))
        operator = self.analysis.module.code_for_node(original_node.operator).strip().rstrip("=")
        load = f"{name}.load({self.args(self.load_order)})"
        return cst.Expr(cst.parse_expression(f"{name}.store({self.args(self.store_order, f'{load} {operator} ({value})')})"))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.analysis.facts.aliases.get("Atomic") == "miscompile.atomics.Atomic":
            return updated_node
        return after_imports(updated_node, [cst.parse_statement(IMPORT)])


def _target_names(target: cst.BaseExpression, deep: bool = False) -> list[str]:
    """The plain names an assignment target binds (``deep``: every name it mentions)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _target_names(e.value, deep)]
    return [n.value for n in _all_names(target)] if deep else []


def _all_names(node: cst.CSTNode) -> list[cst.Name]:
    found: list[cst.Name] = []

    class Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.append(name)

    node.visit(Collect())
    return found


def fix_source(source: str, path: str, order: str = "seq_cst") -> Fix:
    """Make the racing plain variables of ``source`` atomic; report what could not be fixed."""
    if order not in ORDERS:
        raise UsageError(f"unknown order {order!r} (use one of {', '.join(ORDERS)})")
    program = parse_program(source, path)
    races, _ = find_races(program)
    analysis = Concurrency.of(source, path)
    facts = analysis.facts
    names = {r.location for r in races if analysis.kind(r.location) == "scalar"}
    element_of = {f"{a.name}[{i}]": a.name for a in facts.arrays.values() for i in range(a.length)}
    attribute_of = {program.locations[loc].name: attr for info in program.instances for attr, loc in info.attrs}
    field_of = {f"{var}.{f}": var for var, fields in facts.instances.items() for f in fields
                if var not in facts.words}
    arrays = {element_of[r.location] for r in races if r.location in element_of}
    taken = {n.value for n in _all_names(analysis.module)}
    structs: dict[str, str] = {}
    for var in sorted({field_of[r.location] for r in races if r.location in field_of}):
        base = f"{facts.struct_classes[var]}Atomics"
        name, n = base, 2
        while name in taken:
            name, n = f"{base}{n}", n + 1
        taken.add(name)
        structs[var] = name
    attributes = {attribute_of[r.location] for r in races if r.location in attribute_of}
    fixed_locations = {loc.name for loc in program.locations if loc.name in names
                       or element_of.get(loc.name) in arrays or attribute_of.get(loc.name) in attributes
                       or field_of.get(loc.name) in structs}
    unfixable = tuple(r.location for r in races if r.location not in fixed_locations)
    if not fixed_locations:
        return Fix(path, source, source, (), unfixable, unfixable, program=program)
    rewriter = _MakeAtomic(analysis, names, order, arrays, attributes, structs)
    after = analysis.wrapper.visit(rewriter).code
    ordered_names = tuple(loc.name for loc in program.locations if loc.name in fixed_locations)
    problems = sorted(set(rewriter.problems))
    if not problems:
        try:
            fixed = parse_program(after, path)
        except SourceError as error:  # a rewrite this codemod does not know how to make: say where
            problems = [(error.line, f"the rewritten statement is not in the dialect: {error.message}")]
    if problems:
        return Fix(path, source, source, ordered_names, unfixable, tuple(r.location for r in races),
                   tuple(problems))
    remaining, _ = find_races(fixed)
    return Fix(path, source, after, ordered_names, unfixable, tuple(r.location for r in remaining), program=fixed)


# --------------------------------------------------------------------------- the lock remedy


@dataclass(frozen=True)
class LockAround:
    """The original program with one lock around each thread function's accesses to some variables."""

    after: str
    lock: str  # the new lock's name
    spans: tuple[tuple[str, int, int], ...]  # (function, first line, last line) in the original program


class _WrapInLock(cst.CSTTransformer):
    """Wrap, in each function, the top-level statements from the first to the last one that touches
    ``names`` in ``with LOCK:``, and declare the lock after the imports."""

    def __init__(self, analysis: Concurrency, names: set[str], lock: str, threading: str | None) -> None:
        super().__init__()
        self.analysis = analysis
        self.names = names
        self.lock = lock
        self.threading = threading  # the name `threading` is imported as, or None to import it
        self.spans: list[tuple[str, int, int]] = []

    def touches(self, stmt: cst.CSTNode) -> bool:
        return any(loc.base in self.names or (loc.kind == "object" and f".{loc.part}" in self.names)
                   for loc in self.analysis.effects(stmt).touches)

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        body = list(original_node.body.body)
        hits = [i for i, stmt in enumerate(body) if self.touches(stmt)]
        if not hits:
            return updated_node
        first, last = hits[0], hits[-1]
        self.spans.append((original_node.name.value, self.analysis.line(body[first]),
                           self.analysis.end_line(body[last])))
        inner = list(updated_node.body.body)
        block = cst.With(items=[cst.WithItem(cst.Name(self.lock))],
                         body=cst.IndentedBlock(body=[s.with_changes(leading_lines=[]) if i == 0 else s
                                                      for i, s in enumerate(inner[first:last + 1])]),
                         leading_lines=inner[first].leading_lines)
        return updated_node.with_changes(body=updated_node.body.with_changes(
            body=[*inner[:first], block, *inner[last + 1:]]))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        config = self.analysis.module.config_for_parsing
        new = [cst.parse_statement(f"{self.lock} = {self.threading or 'threading'}.Lock()\n", config=config)
               .with_changes(leading_lines=[cst.EmptyLine()])]
        if self.threading is None:
            new.insert(0, cst.parse_statement("import threading\n", config=config))
        return after_imports(updated_node, new)


def lock_around(source: str, path: str, names: set[str]) -> LockAround:
    """``source`` with a new lock held around every function's accesses to ``names``: the usual remedy
    for an atomicity bug (a check and an act another thread can come between)."""
    analysis = Concurrency.of(source, path)
    taken = {n.value for n in _all_names(analysis.module)}
    lock, n = "fix_lock", 2
    while lock in taken:
        lock, n = f"fix_lock{n}", n + 1
    threading = next((local for local, qual in analysis.facts.aliases.items() if qual == "threading"), None)
    wrapper = _WrapInLock(analysis, names, lock, threading)
    after = analysis.wrapper.visit(wrapper).code
    return LockAround(after, lock, tuple(wrapper.spans))

"""``fix``: make every racing location an ``Atomic`` and rewrite every access to it.

This is a LibCST codemod, not an optimisation: it runs the race detector,
then turns each racing plain variable ``x = 0`` into ``x = Atomic(0)``, reads
into ``x.load()``, stores into ``x.store(v)``, and ``x += v`` / ``x -= v``
into ``x.fetch_add(v)`` / ``x.fetch_sub(v)`` (one atomic read-modify-write,
which keeps the meaning of an increment that other threads race with). Other
augmented assignments become a load and a store. Everything else, comments
and formatting included, stays as it was.

Array elements and struct fields cannot be atomics in the dialect: they are
reported, and the caller decides (the CLI says to protect them with a lock).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from miscompile.errors import UsageError
from miscompile.frontend import parse_program
from miscompile.races import find_races

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

    @property
    def changed(self) -> bool:
        return self.before != self.after


class _MakeAtomic(cst.CSTTransformer):
    def __init__(self, analysis: Concurrency, names: set[str], order: str) -> None:
        super().__init__()
        self.analysis = analysis
        self.names = names
        self.load_order, self.store_order, self.rmw_order = ORDERS[order]
        self.depth = 0  # > 0 inside a function

    def args(self, order: str | None, *values: str) -> str:
        parts = list(values) + ([f'order="{order}"'] if order else [])
        return ", ".join(parts)

    def racing(self, node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Name) and node.value in self.names and not self.analysis.is_local(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        self.depth -= 1
        return updated_node

    def visit_Global(self, node: cst.Global) -> bool:
        return False  # ``global x`` names the variable, it does not read it

    def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
        return not self.racing(node.target)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if self.racing(original_node):
            return cst.parse_expression(f"{original_node.value}.load({self.args(self.load_order)})")
        return updated_node

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign):
        if len(original_node.targets) != 1 or not self.racing(original_node.targets[0].target):
            return updated_node
        name = original_node.targets[0].target.value  # type: ignore[attr-defined]
        value = self.analysis.module.code_for_node(updated_node.value)
        if self.depth == 0 and self.declaration(original_node):
            return updated_node.with_changes(value=cst.parse_expression(f"Atomic({value})"))
        return cst.Expr(cst.parse_expression(f"{name}.store({self.args(self.store_order, value)})"))

    def declaration(self, node: cst.Assign) -> bool:
        """Whether a module-level ``x = <literal>`` is the declaration (it comes before the first start)."""
        name = node.targets[0].target.value  # type: ignore[attr-defined]
        return self.analysis.line(node) == self.analysis.facts.locations[self.analysis.facts.scalars[name]].line

    def leave_AugAssign(self, original_node: cst.AugAssign, updated_node: cst.AugAssign):
        if not self.racing(original_node.target):
            return updated_node
        name = original_node.target.value  # type: ignore[attr-defined]
        value = self.analysis.module.code_for_node(updated_node.value)
        method = RMW.get(type(original_node.operator))
        if method:
            return cst.Expr(cst.parse_expression(f"{name}.{method}({self.args(self.rmw_order, value)})"))
        operator = self.analysis.module.code_for_node(original_node.operator).strip().rstrip("=")
        load = f"{name}.load({self.args(self.load_order)})"
        return cst.Expr(cst.parse_expression(f"{name}.store({self.args(self.store_order, f'{load} {operator} ({value})')})"))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.analysis.facts.aliases.get("Atomic") == "miscompile.atomics.Atomic":
            return updated_node
        body = list(updated_node.body)
        last_import = max((i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine)
                           and isinstance(s.body[0], (cst.Import, cst.ImportFrom))), default=-1)
        new_import = cst.parse_statement(IMPORT)
        if last_import < 0 and body:  # keep a module docstring first
            first = body[0]
            docstring = isinstance(first, cst.SimpleStatementLine) and isinstance(first.body[0], cst.Expr) \
                and isinstance(first.body[0].value, cst.SimpleString)
            last_import = 0 if docstring else -1
            new_import = new_import.with_changes(leading_lines=[cst.EmptyLine()])
        body.insert(last_import + 1, new_import)
        return updated_node.with_changes(body=body)


def fix_source(source: str, path: str, order: str = "seq_cst") -> Fix:
    """Make the racing plain variables of ``source`` atomic; report what could not be fixed."""
    if order not in ORDERS:
        raise UsageError(f"unknown order {order!r} (use one of {', '.join(ORDERS)})")
    program = parse_program(source, path)
    races, _ = find_races(program)
    analysis = Concurrency.of(source, path)
    names = {r.location for r in races if analysis.kind(r.location) == "scalar"}
    unfixable = tuple(r.location for r in races if r.location not in names)
    if not names:
        return Fix(path, source, source, (), unfixable, unfixable)
    after = analysis.wrapper.visit(_MakeAtomic(analysis, names, order)).code
    remaining, _ = find_races(parse_program(after, path))
    ordered_names = tuple(loc.name for loc in program.locations if loc.name in names)
    return Fix(path, source, after, ordered_names, unfixable, tuple(r.location for r in remaining))

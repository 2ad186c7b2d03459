"""``widen``: store one byte field by loading, patching and storing the whole word.

Older compilers (and C before C11) could implement ``flags.b1 = 1`` as "load
the machine word holding b1 and b2, replace b1's byte, store the word back".
Single-threaded that is the same store. But the word store also writes b2,
with the value it had when the word was loaded: if another thread stored b2 in
between, that store is lost. The two threads did not race before (each field
is its own memory location); after widening they race on the whole word, so
the pass is race-introducing. The rewritten program runs under CPython through
``miscompile.words``; a struct whose stores are widened is one memory location.
"""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from .base import Keeps, Pass, Rewrite, replace_with, with_thread_list
from .concurrency import Loc

IMPORT = "from miscompile.words import load_word, store_word\n"

_FIELDS = """import ctypes
import threading
{imports}

class Flags(ctypes.Structure):
    _fields_ = [("b1", ctypes.c_uint8), ("b2", ctypes.c_uint8)]


flags = Flags()


def set_b2(v):
{body}


t = threading.Thread(target=set_b2, args=(1,))
t.start()
t.join()
"""


class Widen(Pass):
    NAME = "widen"
    SUMMARY = "store a byte field as load word, replace the byte, store word"
    LEGALITY = "race-introducing"
    PRECONDITIONS = (
        "the field belongs to a ctypes.Structure with more than one byte field",
        ("every store to the struct's fields is a plain `s.f = e` or `s.f op= e` statement "
        "(a struct is widened everywhere or nowhere)"),
    )
    EXAMPLES = (
        Rewrite(
            before=_FIELDS.format(imports="", body="    flags.b2 = v"),
            after=_FIELDS.format(imports="\n" + IMPORT,
                                 body="    _word = load_word(flags)\n"
                                      "    store_word(flags, (_word & ~0xFF00) | ((v & 0xFF) << 8))"),
        ),
        Rewrite(
            before=_FIELDS.format(imports="", body="    flags.b1 += v"),
            after=_FIELDS.format(imports="\n" + IMPORT,
                                 body="    _word = load_word(flags)\n"
                                      "    store_word(flags, (_word & ~0xFF) | (((_word & 0xFF) + v) & 0xFF))"),
        ),
        Keeps(_FIELDS.format(imports="", body="    flags.b1, flags.b2 = v, v"),
              because="`flags.b1` is stored by a tuple assignment"),
        Keeps(_FIELDS.replace('("b1", ctypes.c_uint8), ', "").format(imports="", body="    flags.b2 = v"),
              because="`flags` has one field: its word holds nothing else"),
    )
    EXAMPLES += (with_thread_list(EXAMPLES[0]),)

    def visit_Module(self, node: cst.Module) -> bool:
        self.blocked = self.unwidenable(node)
        self.widened = False
        return True

    def unwidenable(self, module: cst.Module) -> set[str]:
        """Structs with a field store this pass cannot rewrite: they stay byte-wise everywhere."""
        blocked: set[str] = set()
        for target in m.findall(module, m.AssignTarget(target=m.Tuple() | m.List())):
            for element in target.target.elements:  # type: ignore[union-attr]
                loc = self.analysis.location(element.value)
                if loc is not None and loc.kind == "struct" and loc.base not in blocked:
                    blocked.add(loc.base)
                    self.decline(element.value, f"`{loc}` is stored by a tuple assignment")
        return blocked

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine,
                                  updated_node: cst.SimpleStatementLine):
        found = self.analysis.store(original_node) if self.function is not None else None
        if found is None or found[0].kind != "struct" or found[0].base in self.blocked:
            return updated_node
        loc, small = found
        fields = tuple(self.analysis.facts.instances[loc.base])
        if len(fields) == 1:
            self.decline(original_node, f"`{loc.base}` has one field: its word holds nothing else")
            return updated_node
        op = small.operator if isinstance(small, cst.AugAssign) else None
        return self.widen(updated_node, loc, fields.index(loc.part), small.value, op)  # type: ignore[attr-defined]

    def widen(self, updated: cst.SimpleStatementLine, loc: Loc, byte: int, value: cst.BaseExpression,
              op: cst.BaseAugOp | None) -> cst.FlattenSentinel:
        self.widened = True
        statements: list[cst.BaseStatement] = []
        value_code = self.code(value)
        if self.analysis.effects(value).touches or self.analysis.effects(value).barrier:
            temp = self.fresh(self.temp_name(str(loc)))  # evaluate it first, as the original did
            statements.append(self.statement(f"{temp} = {value_code}\n"))
            value_code = temp
        elif isinstance(value, (cst.BinaryOperation, cst.BooleanOperation, cst.Comparison, cst.IfExp,
                                cst.UnaryOperation)):
            value_code = f"({value_code})"
        word = self.fresh("_word")
        shift = 8 * byte
        if op is not None:  # the field's old value comes out of the loaded word
            old = f"{word} & 0xFF" if shift == 0 else f"({word} >> {shift}) & 0xFF"
            operator = self.code(op).strip().rstrip("=")
            value_code = f"({old}) {operator} {value_code}"
            value_code = f"({value_code})"
        new_byte = f"{value_code} & 0xFF" if shift == 0 else f"({value_code} & 0xFF) << {shift}"
        statements.append(self.statement(f"{word} = load_word({loc.base})\n"))
        statements.append(self.statement(f"store_word({loc.base}, ({word} & ~0x{0xFF << shift:X}) | ({new_byte}))\n"))
        return cst.FlattenSentinel(replace_with(statements, updated))

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if not self.widened or "load_word" in self.analysis.facts.aliases:
            return updated_node
        body = list(updated_node.body)
        last_import = max((i for i, s in enumerate(body) if isinstance(s, cst.SimpleStatementLine)
                           and isinstance(s.body[0], (cst.Import, cst.ImportFrom))), default=-1)
        new_import = self.statement(IMPORT).with_changes(leading_lines=[cst.EmptyLine()])
        body.insert(last_import + 1, new_import)
        return updated_node.with_changes(body=body)

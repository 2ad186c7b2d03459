"""herd7's AArch64 litmus tests to dialect programs, and dialect programs back to AArch64 tests.

Reading: a register that the initial state sets to a location (``0:X1=x``) holds
that location's address; ``[X1]`` is then ``x``. Registers are locals named by
their number (``W0`` and ``X0`` are one register, ``X0``); a register the final
condition names is copied at the end of its thread into ``Pn_REG``, so the
outcome shows it. A location some access reaches with an offset register
(``[X3,W2,SXTW]``, how herd7 writes an address dependency) is a one-element
list, read as ``x[W2]``; one that ``LDAR``/``STLR`` touch is an ``Atomic``, and
the plain ``LDR``/``STR`` on it are relaxed. The subset:

- ``MOV Wd,#1`` / ``MOV Wd,Wn``, ``ADD``/``SUB``/``EOR``/``AND``/``ORR Wd,Wn,Wm|#k``
  (``EOR W2,W0,W0`` makes the false dependency herd7's tests use);
- ``LDR Wd,[Xn]``, ``LDR Wd,[Xn,Wm,SXTW]``, ``STR Ws,[Xn]`` (``WZR`` is zero),
  ``LDAR`` (an acquire load), ``STLR`` (a release store);
- ``DMB SY``/``ISH`` (``fence()``), ``DMB LD``/``ISHLD`` (``fence("read")``),
  ``DMB ST``/``ISHST`` (``fence("write")``);
- the ARMv8.1 atomics ``SWP``, ``LDADD`` (and ``STADD``) and ``CAS``, with their ``A``,
  ``L`` and ``AL`` forms: ``exchange``, ``fetch_add`` and ``compare_exchange`` with the
  order ``relaxed``, ``acquire``, ``release``. One deviation: herd7 orders everything
  before an ``AL`` form before everything after it (``po; [A]; amo; [L]; po``), which
  the dialect's read-modify-writes (exclusive pairs, as compilers map C11) do not; so an
  ``AL`` form is written with a full fence on each side, which orders that and also the
  access's own read after what comes before it;
- forward branches: ``CBZ``/``CBNZ Wn,L`` and ``CMP Wn,#k`` with ``B.EQ``/``B.NE L``,
  up to a later label ``L:`` of the thread (an ``if`` around what they skip: a
  control dependency, as ``CBNZ W0,LC00`` then ``LC00:`` writes one).

Writing (``export``): a program whose threads are straight-line loads, stores,
fences and integer arithmetic becomes one AArch64 test: plain accesses
``LDR``/``STR``, acquire and seq_cst loads ``LDAR``, release and seq_cst stores
``STLR``, fences as ARM compiles them; a location read at a computed index is
reached through an offset register, so the dependency stays.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable

from .. import ir
from ..errors import SourceError, UsageError
from .program import integer_init, litmus_text, main_only_starts_and_joins, program_text, thread_function
from .syntax import Litmus
from .x86 import litmus_name

REGISTER = re.compile(r"[WX](\d+)|[WX]ZR", re.IGNORECASE)
MEMORY = re.compile(r"\[\s*([WX]\d+)\s*(?:,\s*([WX]\d+)\s*(?:,\s*[SU]XT[WX]\s*)?)?\]", re.IGNORECASE)
IMMEDIATE = re.compile(r"#(-?\d+)")
LABEL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):")
BARRIERS = {"SY": "fence()", "ISH": "fence()", "LD": 'fence("read")', "ISHLD": 'fence("read")',
            "ST": 'fence("write")', "ISHST": 'fence("write")'}
ARITHMETIC = {"ADD": "+", "SUB": "-", "EOR": "^", "AND": "&", "ORR": "|"}
SUPPORTED = ("MOV, ADD, SUB, EOR, AND, ORR, LDR, STR, LDAR, STLR, SWP, LDADD, STADD, CAS (and their A, L, AL "
             "forms), DMB SY/LD/ST (and ISH forms), CBZ, CBNZ, CMP with B.EQ/B.NE, labels")
#: The ARMv8.1 atomics: base mnemonic -> the dialect method
ATOMIC_OPS = {"SWP": "exchange", "LDADD": "fetch_add", "STADD": "fetch_add", "CAS": "compare_exchange"}
SUFFIX_ORDERS = {"": "relaxed", "A": "acquire", "L": "release", "AL": "acq_rel"}


def atomic_op(mnemonic: str) -> tuple[str, str] | None:
    """``SWPAL`` -> (``SWP``, ``AL``); None for anything else."""
    for base in sorted(ATOMIC_OPS, key=len, reverse=True):
        if mnemonic.startswith(base) and mnemonic[len(base):] in SUFFIX_ORDERS:
            return base, mnemonic[len(base):]
    return None


def register_name(text: str) -> str:
    """``W3`` / ``X3`` -> ``X3``; the zero register reads as 0."""
    match = REGISTER.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    return "0" if match.group(1) is None else f"X{match.group(1)}"


class Translator:
    """One AArch64 test to dialect source."""

    def __init__(self, litmus: Litmus) -> None:
        self.litmus = litmus
        self.locations: dict[str, int] = {}
        self.addresses: dict[int, dict[str, str]] = {}  # thread -> register -> the location it points to
        self.registers: dict[int, dict[str, int]] = {}  # thread -> register -> its initial value
        for (thread, name), value in litmus.init.items():
            if thread is None:
                if isinstance(value, str):
                    raise self.error(1, f"{name}={value}: a location's initial value is an integer")
                self.locations[name] = value
            elif isinstance(value, str):
                self.addresses.setdefault(thread, {})[self.reg_or_fail(name, 1)] = value
                self.locations.setdefault(value, 0)
            else:
                self.registers.setdefault(thread, {})[self.reg_or_fail(name, 1)] = value
        self.indexed: set[str] = set()  # reached with an offset: a one-element list
        self.atomic: set[str] = set()  # touched by LDAR/STLR: an Atomic

    def error(self, line: int, message: str) -> SourceError:
        return SourceError(self.litmus.path, line, 1, message)

    def reg_or_fail(self, text: str, line: int) -> str:
        try:
            return register_name(text)
        except ValueError:
            raise self.error(line, f"expected a register (W0, X1, WZR), found {text.strip()!r}") from None

    def parse(self, thread: int, line: int, text: str) -> tuple[str, list[str]]:
        label = LABEL.fullmatch(text.strip())
        if label is not None:
            return "LABEL", [label.group(1)]
        mnemonic, _, rest = text.strip().partition(" ")
        operands = [op.strip() for op in re.split(r",(?![^\[]*\])", rest)] if rest.strip() else []
        mnemonic = mnemonic.upper()
        for op in operands:
            if (m := MEMORY.fullmatch(op)) is not None:
                loc = self.address(thread, m.group(1), line)
                if m.group(2) is not None:
                    self.indexed.add(loc)
                if mnemonic in ("LDAR", "STLR") or atomic_op(mnemonic) is not None:
                    self.atomic.add(loc)
        return mnemonic, operands

    def address(self, thread: int, register: str, line: int) -> str:
        name = self.reg_or_fail(register, line)
        where = self.addresses.get(thread, {}).get(name)
        if where is None:
            raise self.error(line, f"{register} holds no location's address (give it one in the initial state: "
                                   f"{{ {thread}:{register}=x; }})")
        return where

    def source(self) -> str:
        litmus = self.litmus
        parsed = [[(line, *self.parse(t, line, text)) for line, text in thread] for t, thread in enumerate(litmus.threads)]
        for name in self.locations:
            if keyword.iskeyword(name) or name in ("threading", "Atomic", "fence") or re.fullmatch(r"P\d+.*", name):
                raise self.error(1, f"the location {name!r} cannot be a Python variable name here")
        observed = [(t, name) for t, name in litmus.observed() if t is not None]
        imports = ["Atomic"] if self.atomic else []
        if any(m == "DMB" or (atomic_op(m) or ("", ""))[1] == "AL" for thread in parsed for _, m, _ in thread):
            imports.append("fence")
        declarations = []
        for name, value in self.locations.items():
            item = f"Atomic({value})" if name in self.atomic else str(value)
            declarations.append(f"{name} = [{item}]" if name in self.indexed else f"{name} = {item}")
        declarations += [f"P{thread}_{name} = 0" for thread, name in observed]
        threads = [self.thread(index, code, [n for t, n in observed if t == index]) for index, code in enumerate(parsed)]
        return program_text(litmus, "AArch64", imports, declarations, threads)

    def thread(self, index: int, code: list[tuple[int, str, list[str]]], observed: list[str]) -> list[str]:
        registers = dict(self.registers.get(index, {}))
        stored: set[str] = set()
        body: list[str] = []
        depth = 1
        open_labels: list[str] = []  # the labels the enclosing ifs end at, innermost last
        compared: tuple[str, str] | None = None
        for position, (line, mnemonic, operands) in enumerate(code):
            if mnemonic == "LABEL":
                if open_labels and operands[0] == open_labels[-1]:
                    if body[-1].startswith("    " * (depth - 1) + "if "):
                        body.append("    " * depth + "pass")
                    open_labels.pop()
                    depth -= 1
                continue
            indent = "    " * depth
            if mnemonic in ("CBZ", "CBNZ", "B.EQ", "B.NE"):
                if mnemonic in ("CBZ", "CBNZ"):
                    if len(operands) != 2:
                        raise self.error(line, f"{mnemonic} takes a register and a label")
                    tested, target = self.value(operands[0], line, registers), operands[1]
                    test = f"{tested} != 0" if mnemonic == "CBZ" else f"{tested} == 0"  # run what it skips
                else:
                    if compared is None or len(operands) != 1:
                        raise self.error(line, f"{mnemonic} needs a CMP before it and one label")
                    target = operands[0]
                    test = f"{compared[0]} {'!=' if mnemonic == 'B.EQ' else '=='} {compared[1]}"
                later = [ops[0] for _, m, ops in code[position + 1:] if m == "LABEL"]
                if target not in later or (open_labels and later.index(target) > later.index(open_labels[-1])):
                    raise self.error(line, f"the label {target} must come later in the thread, inside any branch "
                                           "around it (only forward branches are read)")
                body.append(f"{indent}if {test}:")
                open_labels.append(target)
                depth += 1
                continue
            if mnemonic == "CMP":
                if len(operands) != 2:
                    raise self.error(line, "CMP takes a register and a register or #k")
                compared = (self.value(operands[0], line, registers), self.value(operands[1], line, registers))
                continue
            body += [indent + text for text in self.instruction(index, line, mnemonic, operands, registers, stored)]
        if open_labels:
            raise self.error(code[-1][0] if code else 1, f"the label {open_labels[-1]} never comes")
        copies = [(name, self.reg_or_fail(name, 1)) for name in observed]
        for _, register in copies:
            registers.setdefault(register, 0)
        return thread_function(index, registers, body, stored, copies)

    def value(self, text: str, line: int, registers: dict[str, int]) -> str:
        immediate = IMMEDIATE.fullmatch(text.strip())
        if immediate is not None:
            return immediate.group(1)
        name = self.reg_or_fail(text, line)
        if name != "0":
            registers.setdefault(name, 0)
        return name

    def instruction(self, thread: int, line: int, mnemonic: str, operands: list[str], registers: dict[str, int],
                    stored: set[str]) -> list[str]:
        def target(op: str) -> str:
            name = self.reg_or_fail(op, line)
            if name == "0":
                raise self.error(line, "the zero register cannot be written")
            registers.setdefault(name, 0)
            return name

        def place(op: str) -> tuple[str, str]:
            """(the location, how the program names it: x, x[W2])."""
            m = MEMORY.fullmatch(op)
            if m is None:
                raise self.error(line, f"expected a memory operand such as [X1], found {op!r}")
            loc = self.address(thread, m.group(1), line)
            if m.group(2) is not None:
                return loc, f"{loc}[{self.value(m.group(2), line, registers)}]"
            return loc, f"{loc}[0]" if loc in self.indexed else loc

        if mnemonic == "DMB" and len(operands) == 1 and operands[0].upper() in BARRIERS:
            return [BARRIERS[operands[0].upper()]]
        if (atomic := atomic_op(mnemonic)) is not None:
            return self.read_modify_write(atomic, line, operands, target, place, registers)
        if mnemonic == "MOV" and len(operands) == 2:
            return [f"{target(operands[0])} = {self.value(operands[1], line, registers)}"]
        if mnemonic in ARITHMETIC and len(operands) == 3:
            left, right = (self.value(op, line, registers) for op in operands[1:])
            return [f"{target(operands[0])} = {left} {ARITHMETIC[mnemonic]} {right}"]
        if mnemonic in ("LDR", "LDAR") and len(operands) == 2:
            loc, where = place(operands[1])
            dst = target(operands[0])
            if loc in self.atomic:
                return [f'{dst} = {where}.load(order="{"acquire" if mnemonic == "LDAR" else "relaxed"}")']
            return [f"{dst} = {where}"]
        if mnemonic in ("STR", "STLR") and len(operands) == 2:
            loc, where = place(operands[1])
            value = self.value(operands[0], line, registers)
            if loc in self.atomic:
                return [f'{where}.store({value}, order="{"release" if mnemonic == "STLR" else "relaxed"}")']
            stored.add(loc)
            return [f"{where} = {value}"]
        raise self.error(line, f"the AArch64 instruction {' '.join([mnemonic, ','.join(operands)]).strip()!r} is not "
                               f"supported here ({SUPPORTED})")


    def read_modify_write(self, atomic: tuple[str, str], line: int, operands: list[str],
                          target: Callable[[str], str], place: Callable[[str], tuple[str, str]],
                          registers: dict[str, int]) -> list[str]:
        """``SWP Ws,Wt,[Xn]``, ``LDADD Ws,Wt,[Xn]``, ``STADD Ws,[Xn]``, ``CAS Ws,Wt,[Xn]``."""
        base, suffix = atomic
        order = SUFFIX_ORDERS[suffix]
        arity = 2 if base == "STADD" else 3
        if len(operands) != arity:
            raise self.error(line, f"{base}{suffix} takes {arity} operands")
        _, where = place(operands[-1])
        method = ATOMIC_OPS[base]
        if base == "STADD":
            code = f'{where}.fetch_add({self.value(operands[0], line, registers)}, order="{order}")'
        elif base == "CAS":  # compares Ws with memory, stores Wt if equal; Ws receives the old value
            expected = self.reg_or_fail(operands[0], line)
            code = f'_, {target(operands[0])} = {where}.compare_exchange({expected if expected != "0" else 0}, ' \
                   f'{self.value(operands[1], line, registers)}, order="{order}")'
        else:
            code = f'{target(operands[1])} = {where}.{method}({self.value(operands[0], line, registers)}, ' \
                   f'order="{order}")'
        return ["fence()", code, "fence()"] if suffix == "AL" else [code]


def to_source(litmus: Litmus) -> str:
    """The dialect program that runs ``litmus`` (an AArch64 test)."""
    return Translator(litmus).source()


# --------------------------------------------------------------------------- writing

BINARY_OPS = {"+": "ADD", "-": "SUB", "^": "EOR", "&": "AND", "|": "ORR"}
FENCES = {"seq_cst": "DMB SY", "release": "DMB SY", "acq_rel": "DMB SY", "acquire": "DMB LD", "read": "DMB LD",
          "write": "DMB ST"}


def export(program: ir.Program, name: str) -> str:
    """``program`` as one AArch64 litmus test (raises ``UsageError`` when it is not straight-line
    code over integers)."""
    locations = {loc.index: litmus_name(loc.name) for loc in program.locations}
    init = integer_init(program, locations)
    writers = [_Thread(program, t, thread, locations) for t, thread in enumerate(program.threads[1:])]
    columns = [w.code() for w in writers]
    main_only_starts_and_joins(program)
    for t, writer in enumerate(writers):
        init += [f"{t}:{register}={location};" for location, register in writer.addresses.items()]
    return litmus_text("AArch64", name, program, init, columns, locations)


class _Thread:
    """One thread's code as AArch64 instructions: values in W registers, each location's address in
    an X register of its own (set in the initial state)."""

    def __init__(self, program: ir.Program, index: int, thread: ir.ThreadCode, locations: dict[int, str]) -> None:
        self.program = program
        self.thread = thread
        self.locations = locations
        self.values: dict[int, int] = {}  # dialect register -> W number
        self.addresses: dict[str, str] = {}  # location -> its X register
        self.next = 0
        self.out: list[str] = []

    def fail(self, instr: ir.Instr, what: str) -> UsageError:
        return UsageError(f"{self.program.path}:{instr.line}: {what} cannot be written as an AArch64 litmus "
                          "instruction (litmus tests are straight-line loads, stores, fences and arithmetic)")

    def fresh(self) -> int:
        self.next += 1
        return self.next - 1

    def reg(self, index: int) -> str:
        if index not in self.values:
            self.values[index] = self.fresh()
        return f"W{self.values[index]}"

    def operand(self, expr: ir.Expr, instr: ir.Instr) -> str:
        """A W register holding ``expr`` (constants and arithmetic computed into fresh ones)."""
        if isinstance(expr, ir.Reg):
            return self.reg(expr.index)
        if isinstance(expr, ir.Const) and type(expr.value) in (int, bool):
            r = f"W{self.fresh()}"
            self.out.append(f"MOV {r},#{int(expr.value)}")
            return r
        if isinstance(expr, ir.Binary) and expr.op in BINARY_OPS:
            left = self.operand(expr.left, instr)
            right = f"#{int(expr.right.value)}" if isinstance(expr.right, ir.Const) and type(expr.right.value) is int \
                and expr.op in "+-" else self.operand(expr.right, instr)
            r = f"W{self.fresh()}"
            self.out.append(f"{BINARY_OPS[expr.op]} {r},{left},{right}")
            return r
        raise self.fail(instr, "this computed value")

    def address(self, location: int) -> str:
        name = self.locations[location]
        if name not in self.addresses:
            self.addresses[name] = f"X{self.fresh()}"
        return self.addresses[name]

    def where(self, loc: ir.LocRef, instr: ir.Instr) -> str:
        if isinstance(loc, int):
            return f"[{self.address(loc)}]"
        if isinstance(loc, ir.Element):
            if isinstance(loc.index, ir.Const) and type(loc.index.value) is int:
                return f"[{self.address(loc.array.base + loc.index.value)}]"
            if loc.array.length == 1:  # x[r - r]: x[0] with an address dependency, as herd7 writes one
                return f"[{self.address(loc.array.base)},{self.operand(loc.index, instr)},SXTW]"
        raise self.fail(instr, "an element chosen at run time")

    def code(self) -> list[str]:
        for instr in self.thread.code:
            if isinstance(instr, ir.End):
                break
            if isinstance(instr, ir.Assign):
                if isinstance(instr.value, ir.Const) and instr.value.value is None:
                    continue  # the function's return value: bookkeeping
                source = self.operand(instr.value, instr)
                self.values[instr.dst] = int(source[1:])
            elif isinstance(instr, (ir.Load, ir.AtomicLoad)):
                acquire = isinstance(instr, ir.AtomicLoad) and instr.order in ("acquire", "seq_cst")
                place = self.where(instr.loc, instr)
                self.out.append(f"{'LDAR' if acquire else 'LDR'} {self.reg(instr.dst)},{place}")
            elif isinstance(instr, (ir.Store, ir.AtomicStore)):
                release = isinstance(instr, ir.AtomicStore) and instr.order in ("release", "seq_cst")
                value = self.operand(instr.value, instr)
                self.out.append(f"{'STLR' if release else 'STR'} {value},{self.where(instr.loc, instr)}")
            elif isinstance(instr, ir.Fence):
                if instr.kind in FENCES:
                    self.out.append(FENCES[instr.kind])
            else:
                raise self.fail(instr, type(instr).__name__.lower().replace("atomicrmw", "a read-modify-write"))
        return self.out

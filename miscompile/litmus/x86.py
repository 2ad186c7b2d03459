"""herd7's X86 litmus tests to dialect programs, and dialect programs back to X86 litmus tests.

Reading: each thread ``Pn`` becomes a function ``Pn`` whose registers are locals;
a register the final condition (or ``locations``) names is copied at the end of
its thread into a variable ``Pn_REG``, so the outcome shows it. A location that a
locked instruction touches (``XCHG``, ``LOCK ...``) becomes an ``Atomic``, and
the plain ``MOV``s on it relaxed loads and stores, which tso and pso treat as
``MOV``: into the buffer, from the buffer or memory. The subset:

- ``MOV [x],$1`` / ``MOV [x],EAX`` (store), ``MOV EAX,[x]`` (load),
  ``MOV EAX,$1`` / ``MOV EAX,EBX`` (registers);
- ``MFENCE`` (``fence()``), ``SFENCE`` (``fence("write")``), ``LFENCE``
  (``fence("read")``);
- ``XCHG [x],EAX`` (``exchange``), ``LOCK INC``/``DEC [x]``, ``LOCK ADD [x],$n``,
  ``LOCK XADD [x],EAX`` (``fetch_add``), ``LOCK CMPXCHG [x],EBX`` (compares with
  ``EAX``, as x86 does: ``compare_exchange``).

Writing (``export``): a program whose threads are straight-line loads, stores,
fences and read-modify-writes of integers becomes one X86 test whose
``locations`` are every shared variable and whose condition is
``forall (true)``, so herd7 lists every final state for comparison.
"""

from __future__ import annotations

import keyword
import re

from .. import ir
from ..errors import SourceError, UsageError
from .program import integer_init, litmus_text, main_only_starts_and_joins, program_text, thread_function
from .syntax import Litmus

REGISTER = re.compile(r"[A-Za-z][A-Za-z0-9]*")
MEMORY = re.compile(r"\[\s*([A-Za-z_][A-Za-z0-9_]*)\s*\]")
IMMEDIATE = re.compile(r"\$?(-?\d+)")
LOCKED = ("XCHG", "INC", "DEC", "ADD", "XADD", "CMPXCHG")


class Translator:
    """One X86 test to dialect source."""

    def __init__(self, litmus: Litmus) -> None:
        self.litmus = litmus
        self.atomic: set[str] = set()
        for (thread, name), value in litmus.init.items():
            if isinstance(value, str):
                where = name if thread is None else f"{thread}:{name}"
                raise self.error(1, f"{where}={value}: an X86 test's initial values are integers")
        self.locations: dict[str, int] = {name: value for (thread, name), value in litmus.init.items()  # type: ignore[misc]
                                          if thread is None}

    def error(self, line: int, message: str) -> SourceError:
        return SourceError(self.litmus.path, line, 1, message)

    def parse(self, line: int, text: str) -> tuple[str, list[str]]:
        words = text.replace(",", " , ").split()
        mnemonic = words[0].upper()
        rest = " ".join(words[1:])
        if mnemonic == "LOCK" and len(words) > 1:
            mnemonic = "LOCK " + words[1].upper()
            rest = " ".join(words[2:])
        operands = [op.strip() for op in rest.split(",")] if rest.strip() else []
        for op in operands:
            if (m := MEMORY.fullmatch(op)) is not None:
                self.locations.setdefault(m.group(1), 0)
                if mnemonic.startswith("LOCK") or mnemonic == "XCHG":
                    self.atomic.add(m.group(1))
        return mnemonic, operands

    def source(self) -> str:
        litmus = self.litmus
        parsed = [[(line, *self.parse(line, text)) for line, text in thread] for thread in litmus.threads]
        observed = [(t, name) for t, name in litmus.observed() if t is not None]
        for name in self.locations:
            if keyword.iskeyword(name) or name in ("threading", "Atomic", "fence"):
                raise self.error(1, f"the location {name!r} cannot be a Python variable name here")
        imports = []
        if self.atomic:
            imports.append("Atomic")
        if any(m in ("MFENCE", "SFENCE", "LFENCE") for thread in parsed for _, m, _ in thread):
            imports.append("fence")
        declarations = [f"{name} = Atomic({value})" if name in self.atomic else f"{name} = {value}"
                        for name, value in self.locations.items()]
        declarations += [f"P{thread}_{name} = {litmus.init.get((thread, name), 0)}" for thread, name in observed]
        threads = [self.thread(index, thread, [n for t, n in observed if t == index])
                   for index, thread in enumerate(parsed)]
        return program_text(litmus, "X86", imports, declarations, threads)

    def thread(self, index: int, code: list[tuple[int, str, list[str]]], observed: list[str]) -> list[str]:
        body: list[str] = []
        registers: dict[str, int] = {name: value for (t, name), value in self.litmus.init.items() if t == index}
        stored: set[str] = set()
        for line, mnemonic, operands in code:
            body += self.instruction(line, mnemonic, operands, registers, stored)
        for name in observed:
            registers.setdefault(name, 0)
        return thread_function(index, registers, ["    " + b for b in body], stored, [(n, n) for n in observed])

    def instruction(self, line: int, mnemonic: str, operands: list[str], registers: dict[str, int],
                    stored: set[str]) -> list[str]:
        def reg(op: str) -> str:
            if not REGISTER.fullmatch(op) or MEMORY.fullmatch(op):
                raise self.error(line, f"expected a register, found {op!r}")
            registers.setdefault(op, 0)
            return op

        def mem(op: str) -> str | None:
            m = MEMORY.fullmatch(op)
            return m.group(1) if m else None

        def value(op: str) -> str:
            m = IMMEDIATE.fullmatch(op)
            return m.group(1) if m and op.startswith("$") else reg(op)

        def store(loc: str, v: str) -> str:
            if loc in self.atomic:
                return f'{loc}.store({v}, order="relaxed")'
            stored.add(loc)
            return f"{loc} = {v}"

        def load(dst: str, loc: str) -> str:
            return f'{dst} = {loc}.load(order="relaxed")' if loc in self.atomic else f"{dst} = {loc}"

        if mnemonic == "MFENCE" and not operands:
            return ["fence()"]
        if mnemonic in ("SFENCE", "LFENCE") and not operands:
            return [f'fence("{"write" if mnemonic == "SFENCE" else "read"}")']
        if mnemonic == "MOV" and len(operands) == 2:
            dst, src = operands
            if (loc := mem(dst)) is not None:
                return [store(loc, value(src))]
            if (loc := mem(src)) is not None:
                return [load(reg(dst), loc)]
            return [f"{reg(dst)} = {value(src)}"]
        if mnemonic in ("XCHG", "LOCK XCHG") and len(operands) == 2:
            loc = mem(operands[0]) or mem(operands[1])
            other = operands[1] if mem(operands[0]) else operands[0]
            if loc is None:
                raise self.error(line, "XCHG needs a memory operand, e.g. XCHG [x],EAX")
            r = reg(other)
            return [f"{r} = {loc}.exchange({r})"]
        if mnemonic in ("LOCK INC", "LOCK DEC") and len(operands) == 1 and (loc := mem(operands[0])):
            return [f"{loc}.fetch_{'add' if mnemonic == 'LOCK INC' else 'sub'}(1)"]
        if mnemonic == "LOCK ADD" and len(operands) == 2 and (loc := mem(operands[0])):
            return [f"{loc}.fetch_add({value(operands[1])})"]
        if mnemonic == "LOCK XADD" and len(operands) == 2 and (loc := mem(operands[0])):
            r = reg(operands[1])
            return [f"{r} = {loc}.fetch_add({r})"]
        if mnemonic == "LOCK CMPXCHG" and len(operands) == 2 and (loc := mem(operands[0])):
            registers.setdefault("EAX", 0)
            return [f"_, EAX = {loc}.compare_exchange(EAX, {reg(operands[1])})"]
        raise self.error(line, f"the X86 instruction {' '.join([mnemonic, ','.join(operands)]).strip()!r} is not "
                               "supported here (MOV, MFENCE, SFENCE, LFENCE, XCHG, LOCK INC/DEC/ADD/XADD/CMPXCHG)")


def to_source(litmus: Litmus) -> str:
    """The dialect program that runs ``litmus`` (an X86 test)."""
    return Translator(litmus).source()


# --------------------------------------------------------------------------- writing

X86_REGISTERS = ("EAX", "EBX", "ECX", "EDX", "ESI", "EDI")


def litmus_name(name: str) -> str:
    """A location's name as a litmus identifier: ``flag[1]`` -> ``flag_1``, ``box.v`` -> ``box_v``."""
    return re.sub(r"\W", "_", name).strip("_")


def export(program: ir.Program, name: str) -> str:
    """``program`` as one X86 litmus test (raises ``UsageError`` when it is not straight-line code
    over integers)."""
    locations = {loc.index: litmus_name(loc.name) for loc in program.locations}
    init = integer_init(program, locations)
    columns = [_thread_code(program, thread, locations) for thread in program.threads[1:]]
    main_only_starts_and_joins(program)
    return litmus_text("X86", name, program, init, columns, locations)


def _thread_code(program: ir.Program, thread: ir.ThreadCode, locations: dict[int, str]) -> list[str]:
    registers: dict[int, str] = {}
    out: list[str] = []

    def fail(instr: ir.Instr, what: str) -> UsageError:
        return UsageError(f"{program.path}:{instr.line}: {what} cannot be written as an X86 litmus instruction "
                          "(litmus tests are straight-line loads, stores, fences and read-modify-writes)")

    def reg(index: int, instr: ir.Instr) -> str:
        if index not in registers:
            if len(registers) == len(X86_REGISTERS):
                raise fail(instr, "a seventh register")
            registers[index] = X86_REGISTERS[len(registers)]
        return registers[index]

    def operand(expr: ir.Expr, instr: ir.Instr) -> str:
        if isinstance(expr, ir.Const) and type(expr.value) in (int, bool):
            return f"${int(expr.value)}"
        if isinstance(expr, ir.Reg):
            return reg(expr.index, instr)
        raise fail(instr, "a computed value")

    def where(loc: ir.LocRef, instr: ir.Instr) -> str:
        if isinstance(loc, ir.Element) and isinstance(loc.index, ir.Const):
            return f"[{locations[loc.array.base + loc.index.value]}]"
        if isinstance(loc, int):
            return f"[{locations[loc]}]"
        raise fail(instr, "an element chosen at run time")

    def scratch(expr: ir.Expr, instr: ir.Instr) -> str:
        """A register holding ``expr`` (a fresh one loaded with a constant)."""
        if isinstance(expr, ir.Reg):
            return reg(expr.index, instr)
        r = reg(-len(out) - 1, instr)
        out.append(f"MOV {r},{operand(expr, instr)}")
        return r

    for instr in thread.code:
        if isinstance(instr, ir.End):
            break
        if isinstance(instr, ir.Assign):
            if isinstance(instr.value, ir.Const) and instr.value.value is None:
                continue  # the function's return value: bookkeeping
            out.append(f"MOV {reg(instr.dst, instr)},{operand(instr.value, instr)}")
        elif isinstance(instr, (ir.Load, ir.AtomicLoad)):
            out.append(f"MOV {reg(instr.dst, instr)},{where(instr.loc, instr)}")
        elif isinstance(instr, ir.Store) or (isinstance(instr, ir.AtomicStore) and instr.order != "seq_cst"):
            out.append(f"MOV {where(instr.loc, instr)},{operand(instr.value, instr)}")
        elif isinstance(instr, ir.AtomicStore):
            out.append(f"XCHG {where(instr.loc, instr)},{scratch(instr.value, instr)}")
        elif isinstance(instr, ir.Fence):
            out += {"seq_cst": ["MFENCE"], "write": ["SFENCE"], "read": ["LFENCE"]}.get(instr.kind, [])
        elif isinstance(instr, ir.AtomicRMW) and instr.op in ("exchange", "fetch_add", "fetch_sub"):
            value = instr.args[0]
            if instr.op == "fetch_sub":
                if not isinstance(value, ir.Const):
                    raise fail(instr, "fetch_sub of a register")
                value = ir.Const(-value.value)
            if instr.op != "exchange" and instr.dst is None and isinstance(value, ir.Const) and value.value in (1, -1):
                out.append(f"LOCK {'INC' if value.value == 1 else 'DEC'} {where(instr.loc, instr)}")
                continue
            r = scratch(value, instr) if instr.dst is None or isinstance(value, ir.Const) else None
            if r is None:  # the result goes to a register of its own: load the operand there first
                r = reg(instr.dst, instr)  # type: ignore[arg-type]
                out.append(f"MOV {r},{operand(value, instr)}")
            elif instr.dst is not None:
                registers[instr.dst] = r
            out.append(f"{'XCHG' if instr.op == 'exchange' else 'LOCK XADD'} {where(instr.loc, instr)},{r}")
        else:
            raise fail(instr, type(instr).__name__.lower().replace("atomicrmw", "this read-modify-write"))
    return out

"""The dialect program a litmus test becomes, whatever its architecture.

Both readers (``x86.py``, ``aarch64.py``) translate instructions; this module
writes the rest the same way for both: the header, the shared variables, one
function ``Pn`` per thread whose registers are locals and whose observed
registers are copied into ``Pn_REG`` at the end, and the threads started and
joined in order.
"""

from __future__ import annotations

from .. import ir
from ..errors import UsageError
from .syntax import Litmus


def program_text(litmus: Litmus, arch: str, imports: list[str], declarations: list[str],
                 threads: list[list[str]]) -> str:
    """The whole program: ``declarations`` are the shared variables' lines, ``threads`` each
    thread's function (see ``thread_function``)."""
    lines = [f'"""{litmus.name}: read from {litmus.path} (herd7 {arch} litmus format) by miscompile litmus."""',
             "", "import threading"]
    if imports:
        lines += ["", f"from miscompile.atomics import {', '.join(imports)}"]
    lines.append("")
    lines += declarations
    for function in threads:
        lines += ["", ""] + function
    lines += ["", ""]
    handles = [f"p{i}" for i in range(len(threads))]
    lines += [f'{h} = threading.Thread(target=P{i}, name="P{i}")' for i, h in enumerate(handles)]
    lines += [f"{h}.start()" for h in handles] + [f"{h}.join()" for h in handles]
    return "\n".join(lines) + "\n"


def thread_function(index: int, registers: dict[str, int], body: list[str], stored: set[str],
                    observed: list[tuple[str, str]]) -> list[str]:
    """``def Pn():`` with its registers set to their initial values, ``body`` (already indented),
    and each observed register (condition name, register) copied into ``Pn_NAME``."""
    globals_ = sorted(stored) + [f"P{index}_{name}" for name, _ in observed]
    head = [f"def P{index}():"]
    if globals_:
        head.append(f"    global {', '.join(globals_)}")
    head += [f"    {name} = {value}" for name, value in registers.items()]
    tail = [f"    P{index}_{name} = {register}" for name, register in observed]
    lines = head + body + tail
    return lines if len(lines) > 1 else lines + ["    pass"]


# --------------------------------------------------------------------------- writing a test


def integer_init(program: ir.Program, locations: dict[int, str]) -> list[str]:
    """``x=0;`` for each location (raises ``UsageError`` for one that holds no integer)."""
    init = []
    for loc in program.locations:
        if type(loc.initial) not in (int, bool) or loc.fields:
            raise UsageError(f"{program.path}: {loc.name} does not hold an integer: litmus tests hold integers")
        init.append(f"{locations[loc.index]}={int(loc.initial)};")
    return init


def main_only_starts_and_joins(program: ir.Program) -> None:
    for instr in program.threads[0].code:
        if not isinstance(instr, (ir.Start, ir.Join, ir.End, ir.Load, ir.Assign, ir.Print)):
            raise UsageError(f"{program.path}:{instr.line}: the main thread only starts and joins threads in a "
                             "litmus test (move this into a thread)")


def litmus_text(arch: str, name: str, program: ir.Program, init: list[str], columns: list[list[str]],
                locations: dict[int, str]) -> str:
    """The test: header, initial state, the thread table (one column per thread) and a
    ``forall (true)`` condition over every location, so herd7 lists every final state."""
    if not columns:
        raise UsageError(f"{program.path}: no threads to write as a litmus test")
    rows = max(len(c) for c in columns)
    table = [[f"P{i}" for i in range(len(columns))]] + \
        [[column[r] if r < len(column) else "" for column in columns] for r in range(rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(columns))]
    lines = [f"{arch} {name}", f'"exported by miscompile from {program.path}"', "{ " + " ".join(init) + " }"]
    lines += [" " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths)) + " ;" for row in table]
    lines.append("locations [" + "".join(f"{n};" for n in locations.values()) + "]")
    lines.append("forall (true)")
    return "\n".join(lines) + "\n"

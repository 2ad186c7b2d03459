"""The witness of one outcome, replayed step by step with the whole machine state after each step.

An outcome's witness is the list of choices that produced it. Replaying it and
recording, after every step, where each thread is, what each store buffer
holds, what main memory holds and who holds each lock lets a reader follow a
value from a buffer to memory to another thread's load. The views only lay
this out; everything here is data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import UsageError
from .evaluate import MISSING
from .ir import End, Location, Program
from .machine import (
    ATOMIC_LOAD,
    ATOMIC_RMW,
    ATOMIC_STORE,
    FINISHED,
    FLUSH,
    NOT_STARTED,
    READ,
    WRITE,
    Machine,
    State,
)
from .outcomes import Outcome
from .races import Race
from .sync import KINDS


def show_value(loc: Location, value: Any) -> str:
    """``x=1``, or for a whole word its fields: ``flags.b1=1 flags.b2=0``."""
    if loc.fields:
        return " ".join(f"{name}={byte}" for name, byte in loc.field_values(value))
    if value is MISSING:  # a dict key not in the dict, an attribute not stored yet
        return f"{loc.name} unset"
    return f"{loc.name}={value}"


@dataclass(frozen=True)
class Snapshot:
    """The machine between two steps, named for people."""

    where: tuple[tuple[str, str], ...]  # thread -> "line 27", "not started", "finished", "spinning"
    buffers: tuple[tuple[str, tuple[str, ...]], ...]  # thread -> its buffered stores, oldest first
    memory: tuple[tuple[str, str], ...]  # location -> "x=1"
    objects: tuple[tuple[str, str], ...]  # (object, what its kind says of it): "lock held by T1", ...


@dataclass(frozen=True)
class TraceStep:
    number: int
    thread: str
    action: str  # "run" or "flush"
    line: int | None
    text: str  # the source line run, or what the flush wrote
    accesses: tuple[str, ...]  # "read ready=True (memory)", "write data=42 (buffered)"
    after: Snapshot
    changed: frozenset[str]  # locations whose memory value this step changed
    touched: frozenset[str] = frozenset()  # locations this step read, wrote or flushed


@dataclass
class Trace:
    path: str
    model: str
    outcome: Outcome
    initial: Snapshot
    steps: list[TraceStep]
    passes: list[str] = field(default_factory=list)
    changed_lines: frozenset[int] = frozenset()  # lines a pass wrote, in the traced program
    #: The bound that cut a search this trace chose from, if any: the witness is still real,
    #: but "the first outcome the passes add" may then not be the first (or not gained at all).
    cut: str | None = None

    @property
    def relevant(self) -> frozenset[str]:
        """The locations some step touches: the only ones worth a column of memory."""
        return frozenset().union(*(step.touched | step.changed for step in self.steps))


def snapshot(machine: Machine, state: State) -> Snapshot:
    program = machine.program
    where = []
    for tid, thread in enumerate(state.threads):
        instr = machine.current_instr(state, tid)
        if thread.pc == NOT_STARTED:
            where.append((machine.names[tid], "not started"))
        elif thread.pc == FINISHED:
            where.append((machine.names[tid], "finished"))
        elif instr is None:
            where.append((machine.names[tid], "spinning"))
        else:
            where.append((machine.names[tid], f"line {instr.line}" if not isinstance(instr, End) else "ending"))
    buffers = tuple((machine.names[tid], tuple(show_value(program.locations[loc], value)
                                               for loc, value in machine.model.pending(state.buffers, tid)))
                    for tid in range(len(state.threads)))
    memory = tuple((loc.name, show_value(loc, value)) for loc, value in zip(program.locations, state.memory)
                   if loc.index not in machine.dict_orders)  # a dict's insertion order: its keys show it
    objects = tuple((obj.name, text) for obj, value in zip(program.objects, state.objects)
                    if (text := KINDS[obj.kind].describe(value, machine.names)) is not None)
    return Snapshot(tuple(where), buffers, memory, objects)


def describe_choice(machine: Machine, state: State, choice: tuple,
                    lines: list[str] | None = None) -> tuple[int | None, str, str | None]:
    """What ``choice`` does from ``state``: (its source line, its text, the location it flushes).
    A run step's text is the line it runs (``data = 42``); a flush's, what it writes where
    (``flush data=42 from writer's buffer to memory``)."""
    kind, tid, key = choice
    program = machine.program
    if kind == FLUSH:
        pending = machine.model.pending(state.buffers, tid)
        loc, value = next(((l, v) for l, v in pending if key < 0 or l == key), pending[0])
        location = program.locations[loc]
        return None, f"flush {show_value(location, value)} from {machine.names[tid]}'s buffer to memory", \
            location.name
    lines = program.source.splitlines() if lines is None else lines
    instr = machine.current_instr(state, tid)
    line = instr.line if instr is not None and not isinstance(instr, End) else None
    text = (lines[line - 1].strip() if line and 0 < line <= len(lines) else
            "(finishes)" if isinstance(instr, End) else "(spins)")
    return line, text, None


def trace_schedule(machine: Machine, schedule: tuple) -> tuple[Snapshot, list[TraceStep]]:
    """Replay ``schedule`` from the initial state, describing every step."""
    program = machine.program
    lines = program.source.splitlines()
    state = machine.initial()
    initial = snapshot(machine, state)
    steps: list[TraceStep] = []
    for number, choice in enumerate(schedule, 1):
        kind, tid, _ = choice
        name = machine.names[tid]
        log: list = []
        touched: set[str] = set()
        line, text, flushed = describe_choice(machine, state, choice, lines)
        if flushed is not None:
            touched.add(flushed)
        after = machine.apply(state, choice, log)
        accesses = describe_accesses(machine, state, after, log)
        touched.update(program.locations[event[2]].name for event in log if event[0] in ACCESSES)
        changed = frozenset(program.locations[i].name for i, (old, new) in enumerate(zip(state.memory, after.memory))
                            if old != new or type(old) is not type(new))
        steps.append(TraceStep(number, name, "flush" if kind == FLUSH else "run", line, text, accesses,
                               snapshot(machine, after), changed, frozenset(touched)))
        state = after
    return initial, steps


def race_witnesses(program: Program, races: list[Race]) -> list[list[TraceStep]]:
    """Each race's witness (a schedule of the sc machine) replayed step by step."""
    from .models import get_model

    machine = Machine(program, get_model("sc"))
    return [trace_schedule(machine, race.witness)[1] for race in races]


ACCESSES = (READ, WRITE, ATOMIC_LOAD, ATOMIC_STORE, ATOMIC_RMW)


def describe_accesses(machine: Machine, before: State, after: State, log: list) -> tuple[str, ...]:
    """What a step from ``before`` to ``after`` read and wrote, from its ``log``, for people."""
    return tuple(_describe_access(machine, before, after, event) for event in log if event[0] in ACCESSES)


def _describe_access(machine: Machine, before: State, after: State, event: tuple) -> str:
    """``read ready=True (memory)``, ``write data=42 (buffered)``, ``update n=0 -> n=1``."""
    kind, tid, loc = event[0], event[1], event[2]
    location = machine.program.locations[loc]
    old = machine.model.read(before.buffers, before.memory, tid, loc)
    new = machine.model.read(after.buffers, after.memory, tid, loc)
    if kind in (READ, ATOMIC_LOAD):
        own = loc in [l for l, _ in machine.model.pending(before.buffers, tid)]
        return f"read {show_value(location, old)} ({'own buffer' if own else 'memory'})"
    if kind is ATOMIC_RMW:
        return f"update {show_value(location, old)} -> {show_value(location, new)}"
    buffered = loc in [l for l, _ in machine.model.pending(after.buffers, tid)]
    return f"write {show_value(location, new)} ({'buffered' if buffered else 'to memory'})"


# --------------------------------------------------------------------------- choosing the outcome


def parse_match(text: str) -> dict[str, str]:
    """``"r=0, x=1"`` -> {"r": "0", "x": "1"}; also ``status=hang`` and ``@reader=0`` (printed lines)."""
    wanted: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, eq, value = part.partition("=")
        if not eq or not name.strip() or not value.strip():
            raise UsageError(f"--match takes location=value pairs separated by commas, e.g. 'r=0,x=1' (got {part!r})")
        wanted[name.strip()] = value.strip()
    if not wanted:
        raise UsageError("--match needs at least one location=value pair, e.g. 'r=0,x=1'")
    return wanted


def observable(outcome: Outcome) -> dict[str, str]:
    """What ``--match`` can name: final values, ``status``, and ``@thread`` for printed lines (joined by /)."""
    values = {name: str(value) for name, value in (outcome.final or ())}
    values["status"] = outcome.status
    values.update((f"@{thread}", "/".join(lines)) for thread, lines in outcome.output)
    return values


def matches(outcome: Outcome, wanted: dict[str, str]) -> bool:
    values = observable(outcome)
    return all(values.get(name, "" if name.startswith("@") else None) == value for name, value in wanted.items())


def select_outcome(outcomes: list[Outcome], *, match: str | None = None, number: int | None = None,
                   gained_over: set[Outcome] | None = None,
                   meaning: Callable[[Outcome], Outcome] = lambda outcome: outcome) -> Outcome:
    """The outcome to trace: by ``--match``, by its number in the table, else the first one gained
    (``meaning`` maps an outcome to the form ``gained_over`` holds: the original's lines)."""
    if not outcomes:
        raise UsageError("the search found no outcome to trace")
    if number is not None:
        if not 1 <= number <= len(outcomes):
            raise UsageError(f"--outcome {number} is out of range: there are {len(outcomes)} outcomes")
        return outcomes[number - 1]
    if match is not None:
        wanted = parse_match(match)
        known = {name for o in outcomes for name in observable(o)}
        unknown = sorted(name for name in set(wanted) - known if not name.startswith("@"))
        if unknown:
            raise UsageError(f"--match names {', '.join(unknown)}, which the outcomes do not have "
                             f"(they have {', '.join(sorted(known))})")
        found = [o for o in outcomes if matches(o, wanted)]
        if not found:
            raise UsageError(f"no outcome matches {match!r}")
        return found[0]
    if gained_over is not None:
        gained = [o for o in outcomes if meaning(o) not in gained_over]
        if gained:
            return gained[0]
    return outcomes[0]

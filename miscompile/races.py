"""Data-race detection over every sequentially consistent execution.

A data race (DESIGN.md): two accesses to one location from different threads,
at least one a write and at least one not atomic, unordered by happens-before
in some SC execution. Happens-before is program order plus synchronises-with
(lock release -> later acquire, release store -> acquire load that reads it,
start, join, Event set -> wait/is_set, Queue put -> get of that item).

Vector clocks grow with every step, which would make a spin loop's state
space infinite. The detector keeps the same information in a bounded form:
for every (thread, location, read/write) only the *latest* such access matters
(if it is ordered before a later access, so are all earlier ones of that
thread), so each thread and each synchronisation object carries a bit set of
"latest accesses I am ordered after". A new access clears its bit everywhere
except in its own thread: nobody else has synchronised with it yet. Joining
clocks becomes OR-ing bit sets. This knowledge is part of the explored state,
so the search is exact and still terminates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

from . import machine as m
from .bounds import DEFAULT_MAX_LOCAL_STEPS, Bounds, as_bounds
from .explore import Result, explore
from .ir import Program
from .models import get_model
from .sync import KINDS

ACQUIRING = frozenset({"acquire", "acq_rel", "seq_cst"})
RELEASING = frozenset({"release", "acq_rel", "seq_cst"})


class Access(NamedTuple):
    thread: str
    line: int
    kind: str  # "read" or "write"


class RacePair(NamedTuple):
    """One racing pair of accesses, the earlier one first."""

    location: str
    first: Access
    second: Access

    def thread_part(self, name: str) -> tuple:
        """Which of the two accesses thread ``name`` made (symmetry renames threads)."""
        return tuple((a.line, a.kind) if a.thread == name else None for a in (self.first, self.second))

    def renamed(self, new_name: Callable[[str], str], order: Callable[[str], int]) -> RacePair:
        return RacePair(self.location, self.first._replace(thread=new_name(self.first.thread)),
                        self.second._replace(thread=new_name(self.second.thread)))


@dataclass(frozen=True)
class Race:
    """All racing accesses to one location, with one witness schedule."""

    location: str
    accesses: tuple[Access, ...]
    pair: RacePair  # the pair the witness shows
    witness: tuple

    def to_json(self) -> dict[str, Any]:
        return {"location": self.location,
                "accesses": [{"thread": a.thread, "line": a.line, "kind": a.kind} for a in self.accesses]}


class Knowledge(NamedTuple):
    """Happens-before knowledge: bit sets of the latest accesses each party is ordered after."""

    threads: tuple[int, ...]
    objects: tuple  # per synchronisation object: what it has published, as its kind keeps it
    atomics: tuple[int, ...]  # per location: what an acquire reading its current value learns
    lines: tuple[int, ...]  # per (thread, location, kind) bit: the line of that latest access, 0 if none


class RaceSystem:
    """SC executions of a program, with happens-before tracking; races are reported as notes."""

    def __init__(self, program: Program, max_local_steps: int = DEFAULT_MAX_LOCAL_STEPS, reduce: bool = True) -> None:
        self.machine = m.Machine(program, get_model("sc"), max_local_steps=max_local_steps, reduce=reduce)
        self.program = program
        self.threads = len(program.threads)
        self.locations = len(program.locations)
        self.kinds = [KINDS[obj.kind] for obj in program.objects]
        #: With the machine's symmetry, states are stored with interchangeable threads sorted,
        #: what each thread knows moving with it (see ``miscompile.symmetry``).
        self.canonical = self._canonical if self.machine.canonical is not None else None
        self._movers: dict[tuple[int, ...], Callable[[int], int]] = {}

    def bit(self, thread: int, loc: int, write: bool) -> int:
        return (thread * self.locations + loc) * 2 + write

    # ------------------------------------------------------------------ System interface

    def initial(self) -> tuple[m.State, Knowledge]:
        p = self.program
        knowledge = Knowledge((0,) * self.threads, tuple(kind.no_knowledge() for kind in self.kinds),
                              (0,) * self.locations, (0,) * (self.threads * self.locations * 2))
        return self.machine.initial(), knowledge

    def enabled(self, state: tuple[m.State, Knowledge]) -> list[m.Choice]:
        return self.machine.enabled(state[0])

    def ample(self, state: tuple[m.State, Knowledge], choices: list[m.Choice]) -> list[m.Choice]:
        """A race is a property of the execution's partial order, which a reduced search keeps."""
        return self.machine.ample(state[0], choices)

    def transition(self, state: tuple[m.State, Knowledge], choice: m.Choice) -> tuple[Any, list[RacePair]]:
        log: list = []
        after = self.machine.apply(state[0], choice, log)
        knowledge, races = self.observe(state[1], log)
        return (after, knowledge), races

    def apply(self, state: tuple[m.State, Knowledge], choice: m.Choice) -> tuple[m.State, Knowledge]:
        return self.transition(state, choice)[0]

    def close(self, result: Result) -> None:
        self.machine.close(result)

    def _canonical(self, state: tuple[m.State, Knowledge]) -> tuple[m.State, Knowledge]:
        key, order = self.machine.key_and_order(state[0])
        return (key, state[1] if order is None else self._permute(state[1], order))

    def _permute(self, k: Knowledge, order: tuple[int, ...]) -> Knowledge:
        """``k`` with slot ``i`` knowing, and known as, what thread ``order[i]`` was: the bits of
        each (thread, location, kind) access move with their thread."""
        move = self._movers.get(order)
        if move is None:
            move = self._movers[order] = self._mover(order)
        width = self.locations * 2
        lines = list(k.lines)
        for slot, source in enumerate(order):
            if slot != source:
                lines[slot * width:(slot + 1) * width] = k.lines[source * width:(source + 1) * width]
        return Knowledge(tuple(move(k.threads[source]) for source in order),
                         tuple(kind.map_knowledge(v, move) for kind, v in zip(self.kinds, k.objects)),
                         tuple(move(v) for v in k.atomics), tuple(lines))

    def _mover(self, order: tuple[int, ...]) -> Callable[[int], int]:
        width = self.locations * 2
        block = (1 << width) - 1
        moves = [(slot * width, source * width) for slot, source in enumerate(order) if slot != source]
        staying = ~sum(block << to for to, _ in moves)

        def move(bits: int) -> int:
            out = bits & staying
            for to, source in moves:
                out |= ((bits >> source) & block) << to
            return out
        return move

    def ending(self, state: tuple[m.State, Knowledge]):
        return self.machine.ending(state[0])

    def hang(self, state: tuple[m.State, Knowledge]):
        return self.machine.hang(state[0])

    # ------------------------------------------------------------------ happens-before

    def observe(self, k: Knowledge, log: list) -> tuple[Knowledge, list[RacePair]]:
        if not log:
            return k, []
        known = list(k.threads)
        objects, atomics, lines, kinds = list(k.objects), list(k.atomics), list(k.lines), self.kinds
        races: list[RacePair] = []
        for event in log:
            kind, tid = event[0], event[1]
            if kind is m.READ or kind is m.WRITE:
                loc, line = event[2], event[3]
                write = kind is m.WRITE
                for other in range(self.threads):
                    if other == tid:
                        continue
                    for other_write in ((False, True) if write else (True,)):
                        b = self.bit(other, loc, other_write)
                        if lines[b] and not (known[tid] >> b) & 1:
                            races.append(self._pair(loc, other, lines[b], other_write, tid, line, write))
                b = self.bit(tid, loc, write)
                keep = ~(1 << b)
                known = [v & keep for v in known]
                objects = [kind.forget(v, keep) for kind, v in zip(kinds, objects)]
                atomics = [v & keep for v in atomics]
                known[tid] |= 1 << b
                lines[b] = line
            elif kind is m.ATOMIC_LOAD:
                if event[3] in ACQUIRING:
                    known[tid] |= atomics[event[2]]
            elif kind is m.ATOMIC_STORE:
                atomics[event[2]] = known[tid] if event[3] in RELEASING else 0
            elif kind is m.ATOMIC_RMW:
                loc, order = event[2], event[3]
                if order in ACQUIRING:
                    known[tid] |= atomics[loc]
                if order in RELEASING:  # an RMW continues the release sequence it read from
                    atomics[loc] |= known[tid]
            elif kind is m.SYNC:
                obj = event[2]
                known[tid], objects[obj] = kinds[obj].observe(event[3], known[tid], objects[obj])
            elif kind is m.START:
                known[event[2]] = known[tid]
            elif kind is m.JOIN:
                known[tid] |= known[event[2]]
        return Knowledge(tuple(known), tuple(objects), tuple(atomics), tuple(lines)), races

    def _pair(self, loc: int, first: int, first_line: int, first_write: bool, second: int, second_line: int,
              second_write: bool) -> RacePair:
        names = self.machine.names
        return RacePair(self.program.locations[loc].name,
                        Access(names[first], first_line, "write" if first_write else "read"),
                        Access(names[second], second_line, "write" if second_write else "read"))


def races_of(search: Result, program: Program) -> list[Race]:
    """Group the racing pairs a search found by location, in declaration order."""
    by_location: dict[str, list[tuple[RacePair, tuple]]] = {}
    for pair, witness in search.notes.items():
        by_location.setdefault(pair.location, []).append((pair, witness))
    order = {loc.name: loc.index for loc in program.locations}
    thread_order = {name: i for i, name in enumerate(program.thread_names)}
    races = []
    for location in sorted(by_location, key=order.__getitem__):
        pairs = sorted(by_location[location], key=lambda pw: (len(pw[1]), pw[0]))
        accesses = sorted({a for pair, _ in pairs for a in (pair.first, pair.second)},
                          key=lambda a: (thread_order[a.thread], a.line, a.kind))
        pair, witness = pairs[0]
        races.append(Race(location, tuple(accesses), pair, witness))
    return races


def find_races(program: Program, *, bounds: Bounds | None = None, max_states: int | None = None,
               progress=None) -> tuple[list[Race], Result]:
    """Every data race of ``program``, from an exhaustive search of its SC executions (within
    ``bounds``, or the defaults with ``max_states``)."""
    bounds = as_bounds(bounds, max_states)
    search = explore(RaceSystem(program, bounds.max_local_steps, reduce=bounds.reduce), bounds=bounds,
                     progress=progress)
    return races_of(search, program), search

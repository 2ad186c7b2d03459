"""The memory inspector's stepping model: where an execution stands, what can happen next, undo.

The program (after the passes, if any) is explored once under a machine model,
keeping the whole state graph (``miscompile.statespace``). A user then walks
one execution through it: at each state the enabled choices (a thread runs its
next line, or a store leaves a buffer), the outcomes still reachable from here,
and which of those the model or the pass adds over the baseline. Picking a
choice moves along an edge; undo pops it; an outcome can be aimed at, and the
choices that keep it reachable are marked, or played to its end along a
shortest way. The Textual app and the HTML page are two views of this; neither
computes anything of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..analysis import ProgressFactory, run_model
from ..bounds import Bounds
from ..errors import UsageError
from ..ir import End
from ..machine import FLUSH, Machine, State
from ..models import GRAPH_MODELS, get_model
from ..outcomes import Outcome
from ..statespace import StateSpace, explore_space
from ..sync import KINDS
from ..trace import describe_accesses, describe_choice, select_outcome, show_value, snapshot
from .subject import Subject


@dataclass(frozen=True)
class ThreadPanel:
    """One thread as the inspector shows it."""

    name: str
    where: str  # "line 27", "not started", "finished", "spinning"
    line: int | None  # the line it runs next (in the explored program), if any
    registers: tuple[tuple[str, str], ...]  # the program's own variables with a value: ("r", "0")
    buffer: tuple[tuple[str, str], ...]  # its buffered stores, oldest first: ("data", "data=42")
    output: tuple[str, ...]  # what it printed so far
    lines: tuple[int, int]  # the first and last line of its code: where its source is


@dataclass(frozen=True)
class Step:
    """One enabled choice, named for people, and where it leads."""

    choice: tuple  # the machine's choice
    thread: str
    kind: str  # "run" or "flush"
    line: int | None
    text: str  # the line it runs (``data = 42``), or what a flush writes
    target: int  # the state it leads to
    keeps: bool  # it keeps the aimed-at outcome reachable (True when none is aimed at)
    accesses: tuple[str, ...] = ()  # what a run step reads and writes: "read ready=True (memory)"

    @property
    def label(self) -> str:
        """``writer runs `data = 42` `` or ``flush data=42 from writer's buffer to memory``."""
        if self.kind == "flush":
            return self.text
        if self.text in ("(finishes)", "(spins)"):
            return f"{self.thread} {self.text[1:-1]}"
        return f"{self.thread} runs `{self.text}`" + (": " + "; ".join(self.accesses) if self.accesses else "")


@dataclass(frozen=True)
class OutcomeRow:
    number: int  # 1-based, as `explore` numbers the outcomes (the tool's order)
    outcome: Outcome
    reachable: bool  # from the current state
    added: bool  # the model (or the pass) adds it over the baseline


@dataclass
class Inspector:
    """A walk through ``space`` from its initial state, with an undo stack."""

    subject: Subject
    model: str
    machine: Machine
    space: StateSpace
    baseline: str  # what ``added`` is measured against: "sc", or "the original program"
    added: frozenset[int]  # indices of the outcomes the model or the pass adds over the baseline
    baseline_cut: str | None = None  # the bound that cut the baseline's search: ``added`` may then be too many
    history: list[tuple[int, Step]] = field(default_factory=list)  # (state before, step taken)
    current: int = 0
    target: int | None = None  # the outcome index aimed at (``aim``)
    #: per thread, the first and last line of its code (worked out once; ``standing_at`` shares it)
    spans: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.spans:
            for code in self.machine.program.threads:
                lines = [i.line for i in code.code if i.line and not isinstance(i, End)] or [code.line or 1]
                self.spans.append((min(lines), max(lines)))

    # ------------------------------------------------------------------ what the screen shows

    def source_lines(self) -> list[str]:
        """The explored program's text, line by line (after the passes, when there are any)."""
        return self.machine.program.source.splitlines()

    @property
    def complete(self) -> bool:
        """Both searches finished: every reachable set and every "added" mark is exact."""
        return self.space.complete and self.baseline_cut is None

    @property
    def written(self) -> frozenset[int]:
        """The lines the passes wrote, in the explored program."""
        return self.subject.line_map.written

    @property
    def state(self) -> State:
        return self.space.states[self.current]

    def steps(self) -> list[Step]:
        """The enabled choices here, in the machine's order (threads, then flushes)."""
        lines = self.machine.program.source.splitlines()
        bit = None if self.target is None else 1 << self.target
        steps = []
        for choice, target in self.space.edges[self.current]:
            line, text, _ = describe_choice(self.machine, self.state, choice, lines)
            accesses: tuple[str, ...] = ()
            if choice[0] != FLUSH:
                log: list = []
                after = self.machine.apply(self.state, choice, log)
                accesses = describe_accesses(self.machine, self.state, after, log)
            steps.append(Step(choice, self.machine.names[choice[1]], "flush" if choice[0] == FLUSH else "run",
                              line, text, target, bit is None or bool(self.space.reach[target] & bit), accesses))
        return steps

    def outcomes(self) -> list[OutcomeRow]:
        mask = self.space.reach[self.current]
        return [OutcomeRow(i + 1, o, bool(mask >> i & 1), i in self.added) for i, o in enumerate(self.space.outcomes)]

    def threads(self) -> list[ThreadPanel]:
        machine, state, program = self.machine, self.state, self.machine.program
        where = dict(snapshot(machine, state).where)
        panels = []
        for tid, thread in enumerate(state.threads):
            names = program.threads[tid].registers
            registers = tuple((name, _value(value)) for name, value in zip(names, thread.regs)
                              if name.isidentifier() and _bound(value))
            instr = machine.current_instr(state, tid) if thread.pc >= 0 else None
            line = instr.line if instr is not None and not isinstance(instr, End) else None
            buffer = tuple((program.locations[loc].name, show_value(program.locations[loc], value))
                           for loc, value in machine.model.pending(state.buffers, tid))
            panels.append(ThreadPanel(machine.names[tid], where[machine.names[tid]], line, registers, buffer,
                                      tuple(thread.output), self.spans[tid]))
        return panels

    def memory(self) -> list[tuple[str, str]]:
        """Main memory: (location, ``x=1``), dict orders left out (their keys show them)."""
        return list(snapshot(self.machine, self.state).memory)

    def objects(self) -> list[tuple[str, str, str]]:
        """Every synchronisation object: (name, kind, what it holds now, or ``-``)."""
        machine, state = self.machine, self.state
        return [(obj.name, obj.kind, KINDS[obj.kind].describe(value, machine.names) or "-")
                for obj, value in zip(machine.program.objects, state.objects)]

    def ended(self) -> Outcome | None:
        """The outcome the execution has reached here, if it has ended (or can only hang)."""
        index = self.space.ends.get(self.current)
        return None if index is None else self.space.outcomes[index]

    def standing_at(self, state: int) -> Inspector:
        """The same inspector standing at ``state`` with no history (the page shows every state)."""
        return replace(self, current=state, history=[])

    def log(self) -> list[str]:
        return [f"{n}. {step.label}" for n, (_, step) in enumerate(self.history, 1)]

    # ------------------------------------------------------------------ moving

    def pick(self, number: int) -> Step:
        """Take the ``number``-th enabled choice (1-based)."""
        steps = self.steps()
        if not 1 <= number <= len(steps):
            raise UsageError(f"there is no choice {number} here (there are {len(steps)})")
        return self._take(steps[number - 1])

    def _take(self, step: Step) -> Step:
        self.history.append((self.current, step))
        self.current = step.target
        return step

    def undo(self) -> Step | None:
        if not self.history:
            return None
        self.current, step = self.history.pop()
        return step

    def reset(self) -> None:
        self.history.clear()
        self.current = 0

    def aim(self, number: int | None) -> None:
        """Aim at outcome ``number`` (1-based; None: at none)."""
        if number is not None and not 1 <= number <= len(self.space.outcomes):
            raise UsageError(f"there is no outcome {number} (there are {len(self.space.outcomes)})")
        self.target = None if number is None else number - 1

    def play(self) -> list[Step]:
        """Take the steps of a shortest way from here to the aimed-at outcome. Raises
        ``UsageError`` when none is aimed at or it is no longer reachable (undo, or aim again)."""
        if self.target is None:
            raise UsageError("aim at an outcome first")
        try:
            route = self.space.route(self.current, self.target)
        except ValueError:
            raise UsageError(f"outcome {self.target + 1} can no longer happen from here") from None
        return [self._take(next(step for step in self.steps() if step.choice == choice)) for choice, _ in route]

    def load(self, number: int) -> None:
        """Start over with outcome ``number`` aimed at and its witness taken (for --outcome)."""
        self.reset()
        self.aim(number)
        self.play()


def _bound(value: Any) -> bool:
    from ..evaluate import MISSING, UNBOUND

    return value is not UNBOUND and value is not MISSING


def _value(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def inspect_program(subject: Subject, model: str, *, bounds: Bounds | None = None,
                    match: str | None = None, number: int | None = None,
                    progress: ProgressFactory | None = None) -> Inspector:
    """Explore ``subject.program`` under the machine ``model``, keeping its state graph, and stand
    at its start (or, with ``match``/``number``, at the end of that outcome's shortest witness)."""
    if model in GRAPH_MODELS:
        raise UsageError(f"inspect steps through a machine's states, and {model} is a model of execution graphs, "
                         f"not a machine: use sc, tso or pso (or `miscompile trace --model {model}` for a graph)")
    machine = Machine(subject.program, get_model(model), reduce=False)
    space = explore_space(machine, bounds=bounds,
                          progress=progress(f"exploring every state under {model}") if progress else None)
    if subject.transformation is not None:
        baseline, base = "the original program", run_model(subject.original, model, bounds=bounds)
    else:
        baseline, base = "sc", run_model(subject.program, "sc", bounds=bounds) if model != "sc" else None
    known = set(base.outcomes) if base is not None else None
    added = frozenset(i for i, o in enumerate(space.outcomes)
                      if known is not None and subject.line_map.outcome(o) not in known)
    inspector = Inspector(subject, model, machine, space, baseline, added,
                          baseline_cut=base.search.cut if base is not None else None)
    if match is not None or number is not None:
        chosen = select_outcome(space.outcomes, match=match, number=number)
        inspector.load(space.outcomes.index(chosen) + 1)
    return inspector

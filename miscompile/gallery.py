"""The curated demonstrations: each racy example, what a pass (or the hardware) adds, and its fix.

A demonstration holds when the racy program gains at least one outcome, one of
them matches what the lesson promises (``expect``, in ``trace --match`` form),
and the fixed twin gains nothing. Run under another model than its own, a
hardware lesson is skipped, and so is a compiler lesson that model already
shows without the pass (pso prints 0 for the broken flag with or without
``reorder``). Compiler demonstrations compare a program
before and after its passes under one model; hardware demonstrations compare
a model with sc. A twin is a hand-written example, or else the program's
``fix`` output (its racing variables made atomic).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .analysis import run_model
from .bounds import Bounds
from .comparison import compare_program
from .errors import UsageError
from .frontend import parse_program, read_source
from .outcomes import Outcome, ordered
from .trace import matches, parse_match

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@dataclass(frozen=True)
class Demonstration:
    example: str  # under examples/
    passes: tuple[str, ...]  # empty: a hardware demonstration (model against sc)
    model: str
    expect: str  # what one gained outcome must show, as for trace --match
    lesson: str
    twin: str | None = None  # the fixed version under examples/; None: made by `fix`

    @property
    def title(self) -> str:
        return self.example.removesuffix(".py") + (" + " + " + ".join(self.passes) if self.passes else "")


DEMONSTRATIONS: tuple[Demonstration, ...] = (
    Demonstration("broken_flag.py", ("hoist",), "sc", "status=hang",
                  "a flag read hoisted out of the loop is read once: the reader spins forever",
                  "broken_flag_atomic.py"),
    Demonstration("recursive_lock.py", ("scratch-store",), "sc", "status=assertion",
                  "a scratch 42 in `owner` lets thread 42 in while the owner is inside",
                  "recursive_lock_atomic.py"),
    Demonstration("byte_fields.py", ("widen",), "sc", "status=assertion",
                  "a widened byte store rewrites its neighbour: one field store is lost",
                  "byte_fields_locked.py"),
    Demonstration("no_sc_write.py", ("speculate",), "sc", "x=True,y=True",
                  "speculated stores justify each other: x = y = True out of nothing",
                  "no_sc_write_atomic.py"),
    Demonstration("broken_flag.py", ("reorder",), "sc", "@reader=0",
                  "two independent stores swapped: the reader prints 0 even under sc",
                  "broken_flag_atomic.py"),
    Demonstration("double_checked.py", ("reorder",), "sc", "@A=0",
                  "the flag is set before the value: a thread returns 0 even under sc"),
    Demonstration("publication.py", ("hoist-load",), "sc", "r=0",
                  "a load moved above its guard reads the data before the flag: r = 0"),
    Demonstration("bounds_check.py", ("rematerialize",), "sc", "status=error",
                  "the index is read again after the check: it is out of range"),
    Demonstration("conditional_lock.py", ("promote",), "sc", "counter=3",
                  "a counter kept in a register across conditional locking loses increments",
                  "conditional_lock_atomic.py"),
    Demonstration("peterson.py", (), "tso", "count=1",
                  "store buffers let both threads see the other's flag unset: both enter",
                  "peterson_exchange.py"),
    Demonstration("publication.py", (), "pso", "r=0",
                  "stores to different locations reach memory out of order: r = 0",
                  "publication_fenced.py"),
    Demonstration("litmus/sb.py", (), "tso", "r1=0,r2=0",
                  "each store waits in its buffer while the other thread loads: both read 0",
                  "litmus/sb_fence.py"),
)


@dataclass
class DemoResult:
    demo: Demonstration
    model: str
    twin: str  # the twin's name, or "fix(example)"
    gained: list[Outcome]
    twin_gained: list[Outcome]
    skipped: str | None = None  # why the demonstration cannot run under this model
    cut: str | None = None  # the bound that cut one of its searches: then it proves nothing either way

    @property
    def shows_lesson(self) -> bool:
        wanted = parse_match(self.demo.expect)
        return any(matches(o, wanted) for o in self.gained)

    @property
    def complete(self) -> bool:
        return self.cut is None

    @property
    def holds(self) -> bool:
        return self.skipped is not None or (self.shows_lesson and not self.twin_gained)

    def to_json(self) -> dict[str, Any]:
        return {"example": self.demo.example, "passes": list(self.demo.passes), "model": self.model,
                "twin": self.twin, "lesson": self.demo.lesson, "expect": self.demo.expect,
                "holds": self.holds, "complete": self.complete, "skipped": self.skipped,
                "gained": [o.to_json() for o in self.gained],
                "twin_gained": [o.to_json() for o in self.twin_gained]}


def gained_outcomes(path: str, source: str, passes: tuple[str, ...], model: str,
                    bounds: Bounds | None) -> tuple[list[Outcome], set[Outcome], str | None]:
    """What the passes add under ``model`` (or, without passes, what ``model`` adds over sc), the
    baseline, and the bound that cut a search, if one did."""
    if passes:
        comparison = compare_program(path, source, list(passes), [model], bounds=bounds, with_races=False)
        result = comparison.models[model]
        return result.gained, set(result.before.outcomes), result.cut
    program = parse_program(source, path)
    before = run_model(program, "sc", bounds=bounds)
    after = run_model(program, model, bounds=bounds)
    return ordered(set(after.outcomes) - set(before.outcomes)), set(before.outcomes), \
        before.search.cut or after.search.cut


def run_demonstration(demo: Demonstration, model: str | None = None, *,
                      bounds: Bounds | None = None) -> DemoResult:
    chosen = model or demo.model
    twin_name = demo.twin or f"fix({demo.example})"
    if not demo.passes and chosen != demo.model:
        return DemoResult(demo, chosen, twin_name, [], [], skipped=f"a lesson about {demo.model}")
    if not EXAMPLES.is_dir():
        raise UsageError(f"the gallery runs the programs in {EXAMPLES}, which this installation does not have "
                         "(install from a clone of the repository)")
    path = str(EXAMPLES / demo.example)
    source = read_source(path)
    if demo.twin is not None:
        twin_path = str(EXAMPLES / demo.twin)
        twin_source = read_source(twin_path)
    else:
        from transforms.fix import fix_source

        twin_path, twin_source = path, fix_source(source, path).after
    gained, before, cut = gained_outcomes(path, source, demo.passes, chosen, bounds)
    twin_gained, _, twin_cut = gained_outcomes(twin_path, twin_source, demo.passes, chosen, bounds)
    cut = cut or twin_cut
    wanted = parse_match(demo.expect)
    if chosen != demo.model and not any(matches(o, wanted) for o in gained) \
            and any(matches(o, wanted) for o in before):
        return DemoResult(demo, chosen, twin_name, gained, twin_gained,
                          skipped=f"{chosen} allows this without the pass", cut=cut)
    return DemoResult(demo, chosen, twin_name, gained, twin_gained, cut=cut)

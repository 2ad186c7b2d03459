"""The curated demonstrations: each racy example, what a pass (or the hardware) adds, and its fix.

A demonstration holds when the racy program gains at least one outcome, one of
them matches what the lesson promises (``expect``, in ``trace --match`` form),
and the fixed twin gains nothing. Two lessons say something else: ``never``
holds when no outcome of the model matches ``expect`` (out of thin air: rc11
forbids it and no hardware model shows it), and ``expect="undefined"`` holds
when a data race makes the program undefined under a language model (rc11) and
the twin is not. Run under another model than its own, a
hardware lesson is skipped, and so is a compiler lesson that model already
shows without the pass (pso prints 0 for the broken flag with or without
``reorder``). Compiler demonstrations compare a program
before and after its passes under one model; hardware demonstrations compare
a model with sc. A twin is a hand-written example, or else the program's
``fix`` output (its racing variables made atomic).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transforms.fix import fix_source

from ..analysis import run_model
from ..bounds import Bounds
from ..errors import UsageError
from ..frontend import parse_program, read_source
from ..outcomes import Outcome, ordered
from ..trace import matches, parse_match
from .comparison import compare_program

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True)
class Demonstration:
    example: str  # under examples/
    passes: tuple[str, ...]  # empty: a hardware demonstration (model against sc)
    model: str
    expect: str  # what one gained outcome must show, as for trace --match
    lesson: str
    twin: str | None = None  # the fixed version under examples/; None: made by `fix`
    never: bool = False  # the lesson is that no outcome of the model matches ``expect``
    fences: int | None = None  # the lesson is that this many fences (found by ``fences``) make it sc

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
    Demonstration("publication_write_fence.py", (), "arm", "seen=0",
                  "seed 001: a write fence alone does not publish on arm, whose loads are satisfied out of "
                  "order; both fences are needed", "publication_both_fences.py"),
    Demonstration("peterson_relaxed_exchange.py", (), "rc11", "r1=False,r3=False",
                  "seed 002: relaxed exchanges synchronise with nothing, so both threads enter; x86 never "
                  "shows it (its exchange is a locked instruction)", "peterson_acq_rel.py"),
    Demonstration("peterson.py", (), "rc11", "undefined",
                  "seed 002: Peterson with plain flags is a data race, so under C11 the program means nothing",
                  "peterson_acq_rel.py"),
    Demonstration("litmus/sb.py", (), "tso", "r1=0,r2=0",
                  "the fewest fences for SB under tso: two, one per thread between its store and its load",
                  fences=2),
    Demonstration("litmus/mp.py", (), "pso", "r1=1,r2=0",
                  "the fewest fences for MP under pso: one write fence between the writer's stores", fences=1),
    Demonstration("peterson.py", (), "tso", "count=1",
                  "the fewest fences for Peterson under tso: one, after the entry stores, before the loads",
                  fences=1),
    Demonstration("peterson.py", (), "pso", "count=1",
                  "the fewest fences for Peterson under pso: three (flag before turn, both before the loads, "
                  "the critical section's store before the exit store)", fences=3),
    Demonstration("publication.py", (), "pso", "r=0",
                  "the fewest fences for publication under pso: one write fence, data before the flag",
                  fences=1),
    Demonstration("publication_no_fence.py", (), "arm", "seen=0",
                  "seed 001, the fewest fences on arm: a write fence in the producer and a read fence in the "
                  "consumer", fences=2),
    Demonstration("out_of_thin_air.py", (), "rc11", "r1=42,r2=42",
                  "no value out of thin air: RC11 forbids r1 = r2 = 42 (po | rf is acyclic)", never=True),
    Demonstration("out_of_thin_air.py", (), "arm", "r1=42,r2=42",
                  "and no hardware shows it: ARM keeps each store after the load it depends on", never=True),
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
    #: under a language model: the locations whose races make the racy version, and the twin, undefined
    undefined: list[str] = field(default_factory=list)
    twin_undefined: list[str] = field(default_factory=list)
    #: for a ``never`` lesson: the model's outcomes that match what must never happen
    seen: list[Outcome] = field(default_factory=list)
    #: for a ``fences`` lesson: the fences found (the twin is the program with them)
    fences_found: list[str] = field(default_factory=list)

    @property
    def shows_lesson(self) -> bool:
        if self.demo.never:
            return not self.seen
        if self.demo.expect == "undefined":
            return bool(self.undefined)
        if self.demo.fences is not None and len(self.fences_found) != self.demo.fences:
            return False
        wanted = parse_match(self.demo.expect)
        return any(matches(o, wanted) for o in self.gained)

    @property
    def complete(self) -> bool:
        return self.cut is None

    @property
    def holds(self) -> bool:
        return self.skipped is not None or (self.shows_lesson and not self.twin_gained and not self.twin_undefined)

    def to_json(self) -> dict[str, Any]:
        return {"example": self.demo.example, "passes": list(self.demo.passes), "model": self.model,
                "twin": self.twin, "lesson": self.demo.lesson, "expect": self.demo.expect,
                "holds": self.holds, "complete": self.complete, "skipped": self.skipped,
                "gained": [o.to_json() for o in self.gained],
                "twin_gained": [o.to_json() for o in self.twin_gained],
                "never": self.demo.never, "seen": [o.to_json() for o in self.seen],
                "undefined": self.undefined, "twin_undefined": self.twin_undefined}


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
    twin_name = demo.twin or ("none" if demo.never else f"fix({demo.example})")
    if not demo.passes and chosen != demo.model:
        return DemoResult(demo, chosen, twin_name, [], [], skipped=f"a lesson about {demo.model}")
    if demo.never or demo.expect == "undefined":
        return _about_the_model(demo, chosen, twin_name, bounds)
    if demo.fences is not None:
        return _fewest_fences(demo, chosen, bounds)
    path = example_path(demo.example)
    source = read_source(path)
    if demo.twin is not None:
        twin_path = example_path(demo.twin)
        twin_source = read_source(twin_path)
    else:
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


def example_path(name: str) -> str:
    """Where an example the gallery runs is (raises ``UsageError`` when this installation has none)."""
    if not EXAMPLES.is_dir():
        raise UsageError(f"the gallery runs the programs in {EXAMPLES}, which this installation does not have "
                         "(install from a clone of the repository)")
    return str(EXAMPLES / name)


def _about_the_model(demo: Demonstration, model: str, twin_name: str, bounds: Bounds | None) -> DemoResult:
    """A ``never`` lesson (no outcome of ``model`` matches) or an ``undefined`` one (a race makes
    the racy version undefined under a language model, and not the twin)."""
    path = example_path(demo.example)
    run = run_model(parse_program(read_source(path), path), model, bounds=bounds)
    cut = run.search.cut
    if demo.never:
        wanted = parse_match(demo.expect)
        seen = [o for o in run.outcomes if matches(o, wanted)]
        return DemoResult(demo, model, twin_name, [], [], cut=cut, seen=seen)
    undefined = sorted({race.location for race in run.undefined})
    twin_undefined: list[str] = []
    if demo.twin is not None:
        twin_path = example_path(demo.twin)
        twin = run_model(parse_program(read_source(twin_path), twin_path), model, bounds=bounds)
        twin_undefined = sorted({race.location for race in twin.undefined})
        cut = cut or twin.search.cut
    return DemoResult(demo, model, twin_name, [], [], cut=cut, undefined=undefined, twin_undefined=twin_undefined)


def _fewest_fences(demo: Demonstration, model: str, bounds: Bounds | None) -> DemoResult:
    """A ``fences`` lesson: the racy program gains its non-sc outcomes; the twin is the program with
    the fewest fences ``fences`` finds, which must gain nothing, and there must be ``demo.fences``."""
    from .fencing import find_fences

    path = example_path(demo.example)
    search = find_fences(path, read_source(path), model, bounds=bounds)
    left = list(search.attempts[-1].remaining) if search.attempts else list(search.unwanted)
    placements = [str(p) for p in search.placements or ()]
    return DemoResult(demo, model, f"{len(placements)} fence(s)", search.unwanted, [] if search.found else left,
                      cut=None if search.complete else "states", fences_found=placements)

"""The ``miscompile`` command line. Thin: it parses options, calls the analysis, picks a view.

Heavy modules (rich, the explorer) are imported inside the commands so that
``miscompile --help`` starts fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from .bounds import DEFAULT_MAX_STATES, Bounds
from .models import GRAPH_MODELS, MODELS

#: Every model by name: the machines, then the axiomatic ones of the graph engine (miscompile.graphs)
KNOWN_MODELS = (*MODELS, *GRAPH_MODELS)


class ModelList(click.ParamType):
    """``all`` (sc, tso and pso), a model, or models separated by commas: ``sc,arm``."""

    name = "MODELS"

    def __init__(self, allowed: tuple[str, ...] = KNOWN_MODELS) -> None:
        self.allowed = allowed

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        parts = [part.strip() for part in str(value).split(",")]
        unknown = [part for part in parts if part not in (*self.allowed, "all")]
        if unknown or not all(parts):
            self.fail(f"{value!r}: use all or {', '.join(self.allowed)}, several separated by commas", param, ctx)
        return ",".join(parts)


MODEL_HELP = ("Memory models, separated by commas: sc (interleaving), tso (x86 FIFO store buffers), pso "
              "(per-location buffers), arm (ARMv8: loads and stores out of order, dependencies kept), rc11 "
              "(the C11 language model: a data race makes the program undefined); all is sc,tso,pso.")
EXIT_BAD_INPUT = 2  # the other statuses are the delivery's (miscompile.views.deliver)


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the tool's own errors into one ``file:line:col: message`` line and exit status 2."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .errors import MiscompileError, SourceError

        try:
            return command(*args, **kwargs)
        except MiscompileError as error:
            click.echo(str(error) if isinstance(error, SourceError) else f"miscompile: {error}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except RecursionError:
            click.echo("miscompile: the program is nested too deeply to analyse", err=True)
            sys.exit(EXIT_BAD_INPUT)
    return wrapper


bounds_option_list = [
    click.option("--no-reduce", is_flag=True,
                 help="Explore every interleaving, also those that only reorder independent steps "
                      "(the same outcomes and races, more states; for comparison)."),
    click.option("--max-states", type=click.IntRange(min=1), default=DEFAULT_MAX_STATES, show_default=True,
                 metavar="N", help="Stop each search after N states."),
    click.option("--max-seconds", type=click.FloatRange(min=0, min_open=True), default=None, metavar="S",
                 help="Stop each search after S seconds (default: no time bound)."),
    click.option("--max-memory", type=click.IntRange(min=64), default=None, metavar="MB",
                 help="Stop a search once this process holds MB megabytes (default: half the machine's "
                      "memory, at most 8192). A search cut by any bound prints what it found, marked "
                      "partial, and the command exits 3."),
]


def with_bounds(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --max-states, --max-seconds and --max-memory; the command receives one ``bounds``."""

    @functools.wraps(command)
    def wrapper(*args: Any, max_states: int, max_seconds: float | None, max_memory: int | None,
                no_reduce: bool, **kwargs: Any) -> Any:
        return command(*args, bounds=Bounds(max_states, max_seconds, max_memory, reduce=not no_reduce), **kwargs)

    for option in reversed(bounds_option_list):
        wrapper = option(wrapper)
    return wrapper


pass_option = click.option(
    "--pass", "-p", "passes", multiple=True, required=True, metavar="PASS",
    help="A pass to apply (repeat for several, applied in order). Options follow a colon: "
         "scratch-store:value=7. `miscompile passes` lists them.")
context_option = click.option(
    "--context", type=click.IntRange(min=0), default=3, show_default=True, metavar="N",
    help="Unchanged lines to show around each change (longer runs fold).")
full_option = click.option("--full", is_flag=True, help="Show the whole program, folding nothing.")
source_output_options = [
    click.option("--print", "print_only", is_flag=True, help="Print only the new source, to stdout."),
    click.option("-o", "--output", metavar="OUT", help="Write the new source to OUT."),
]


def with_source_output(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(source_output_options):
        command = option(command)
    return command


export_options = [
    click.option("--svg", metavar="FILE", help="Also save the view as an SVG image (100 columns wide)."),
    click.option("--html", metavar="FILE", help="Also save the view as an HTML page (100 columns wide)."),
]


def with_exports(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(export_options):
        command = option(command)
    return command


def optional_passes(verb: str, marked: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--pass for a command that can also work on the original program (it receives ``passes``)."""
    return click.option("--pass", "-p", "passes", multiple=True, metavar="PASS",
                        help=f"{verb} the program after these passes (repeatable)"
                             + (f"; the lines they wrote are marked {marked}." if marked else "."))


def outcome_options(verb: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--match and --outcome (the command receives ``match`` and ``number``, never both)."""

    def one_only(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is not None and ctx.params.get("match" if param.name == "number" else "number") is not None:
            raise click.UsageError("give --match or --outcome, not both")
        return value

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option("--outcome", "number", type=click.IntRange(min=1), metavar="N", callback=one_only,
                               help=f"{verb} outcome N, numbered as `explore FILE --model M` lists them.")(command)
        return click.option("--match", metavar="'r=0,x=1'", callback=one_only,
                            help=f"{verb} the first outcome whose final values match; status=hang and "
                                 "@thread=printed (lines joined by /) also work.")(command)
    return decorate


def channels(**chosen: Any) -> Any:
    """The delivery for the channels the options asked for (``miscompile.views.deliver.Output``)."""
    from .views.deliver import Output

    return Output(**chosen)


def report(title: str, **parts: Any) -> Any:
    from .views.deliver import Report

    return Report(title, **parts)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="miscompile")
def main() -> None:
    """See how optimisations that are legal for single-threaded code change what a racy
    threaded Python program can do, on SC, x86-TSO and PSO store-buffer machines.

    Programs are ordinary Python modules using threading, queue, ctypes byte fields and
    miscompile.atomics; they are interpreted, never imported or run.

    Start with `miscompile gallery`, or `miscompile compare examples/broken_flag.py --pass hoist`.

    Exit status: 0 done, 1 a finding (a race for `races`, a demonstration that does not
    hold for `gallery`, races `fix` cannot remove), 2 bad input or usage, 3 a search cut
    short by a bound (--max-states, --max-seconds, --max-memory): the partial result is
    still printed, marked as partial.
    """


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--model", "-m", type=ModelList(), default="all", show_default=True, help=MODEL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the documented schema); "
                                                      "for several files, one line per file and model.")
@click.option("--no-races", is_flag=True, help="Skip the data-race search.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="With several files and --json, explore this many files at once, each in a process.")
@with_bounds
@with_exports
@reports_errors
def explore(files: tuple[str, ...], model: str, as_json: bool, no_races: bool, jobs: int, bounds: Bounds,
            svg: str | None, html: str | None) -> None:
    """Explore every execution of FILE and list the possible outcomes.

    Each row is one outcome (final memory, printed lines, or stuck threads); each column a
    model. Rows that store buffers add over sequential consistency are highlighted. Exits 3
    when a bound cut a search short (its column is marked * and the result is partial).

    With several files and --json, prints one JSON object per line for each file and model
    (a file outside the dialect gives one {"program", "error"} line and exit status 2).
    """
    from .analysis import explore_program, model_names
    from .frontend import load_program

    if len(files) > 1:
        if not as_json:
            raise click.UsageError("several files need --json (one JSON line per file and model)")
        from .batch import explore_files
        from .views.deliver import deliver_lines

        deliver_lines(explore_files(list(files), model_names(model), bounds, with_races=not no_races, jobs=jobs))
    out = channels(as_json=as_json, svg=svg, html=html)
    program = load_program(files[0])
    with out.progress(bounds) as progress:
        exploration = explore_program(program, model_names(model), with_races=not no_races, bounds=bounds,
                                      progress=progress)
    from .views import explore_view

    out.deliver(report(f"miscompile explore {files[0]}", view=lambda: explore_view.ExplorationView(exploration),
                       data=exploration.to_json, complete=exploration.complete,
                       aside=lambda: [w.plain for w in explore_view.incomplete_warnings(exploration)]))


@main.command()
@click.argument("file")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the documented schema).")
@click.option("--model", "-m", type=click.Choice(["sc", "rc11"]), default="sc", show_default=True,
              help="Whose definition of a race: sc (unordered in some interleaving, fences order nothing) or "
                   "rc11 (unordered by RC11's happens-before in some consistent execution: release "
                   "sequences and fence-to-fence synchronisation count).")
@with_bounds
@reports_errors
def races(file: str, as_json: bool, model: str, bounds: Bounds) -> None:
    """Find the data races of FILE: conflicting accesses from two threads, at least one
    a plain write, that happens-before leaves unordered in some sequentially consistent
    execution (or, with --model rc11, in some RC11-consistent one). Exits with status 1
    when there is a race, 3 when none was found but a bound cut the search short.
    """
    from .frontend import load_program
    from .races import find_races
    from .views import explore_view, races_view

    out = channels(as_json=as_json)
    program = load_program(file)
    title = f"miscompile races {file}"
    if model == "rc11":
        from .analysis import run_model

        run = run_model(program, "rc11", bounds=bounds)
        found = run.undefined
        out.deliver(report(title, view=lambda: explore_view.RaceSummary(found, run.search.complete),
                           data=lambda: {"program": program.path, "model": "rc11",
                                         "races": [r.to_json() for r in found]},
                           finding=bool(found), complete=run.search.complete))
    with out.progress(bounds) as progress:
        found, search = find_races(program, bounds=bounds,
                                   progress=progress("looking for data races") if progress else None)
    from .trace import race_witnesses

    out.deliver(report(title, view=lambda: races_view.RaceReport(program, found, race_witnesses(program, found),
                                                                 search),
                       data=lambda: {"program": program.path, "races": [r.to_json() for r in found]},
                       aside=lambda: [] if search.complete else
                       [explore_view.partial_line("race search", search).plain],
                       finding=bool(found), complete=search.complete))


@main.command("passes")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the passes as JSON.")
@reports_errors
def passes_command(name: str | None, as_json: bool) -> None:
    """List the optimisation passes (name, legality, what each does), or explain one pass NAME.

    drf-safe passes keep the outcomes of every race-free program; race-introducing passes
    are correct for one thread but can add a data race to a race-free program.
    """
    from transforms.registry import all_passes, get_pass

    from .views import passes_view

    chosen = [get_pass(name)] if name else all_passes()
    channels(as_json=as_json).deliver(report(
        "miscompile passes",
        view=lambda: passes_view.PassDetail(chosen[0]) if name else passes_view.PassTable(chosen),
        data=lambda: [{"name": p.NAME, "legality": p.LEGALITY, "summary": p.SUMMARY,
                       "preconditions": list(p.PRECONDITIONS), "options": dict(p.OPTIONS)} for p in chosen]))


@main.command()
@click.argument("file")
@pass_option
@click.option("--diff", "diff_style", type=click.Choice(["side-by-side", "unified"]), default="side-by-side",
              show_default=True, help="How to show the change.")
@with_source_output
@context_option
@full_option
@with_exports
@reports_errors
def transform(file: str, passes: tuple[str, ...], diff_style: str, print_only: bool, output: str | None,
              context: int, full: bool, svg: str | None, html: str | None) -> None:
    """Apply optimisation passes to FILE and show the program before and after.

    Changed lines are highlighted (and marked -/+); every place a pass declined to
    rewrite is listed with its reason. The result is still a runnable program.
    """
    from transforms.pipeline import transform as run_passes

    from .frontend import read_source
    from .views import diff_view

    result = run_passes(read_source(file), file, list(passes))
    out = channels(svg=svg, html=html, print_only=print_only, output=output)
    out.deliver(report(f"miscompile transform {file}", source=result.after,
                       view=lambda: diff_view.TransformView(result, diff=diff_style, context=None if full else context),
                       aside=lambda: [str(decline) for decline in result.declines]))


@main.command()
@click.argument("file")
@pass_option
@click.option("--model", "-m", type=ModelList(), default="all", show_default=True, help=MODEL_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (the documented schema).")
@click.option("--no-races", is_flag=True, help="Skip the data-race searches.")
@click.option("--atomic", is_flag=True, help="Also compare the twin whose racing variables are atomics.")
@click.option("--fenced", is_flag=True, help="Also compare the twin with the fewest fences that make it "
                                            "sequentially consistent under the weakest machine asked for.")
@with_bounds
@context_option
@full_option
@with_exports
@reports_errors
def compare(file: str, passes: tuple[str, ...], model: str, as_json: bool, no_races: bool, atomic: bool,
            fenced: bool, bounds: Bounds, context: int, full: bool, svg: str | None, html: str | None) -> None:
    """Explore FILE before and after the passes and show which outcomes the passes add.

    Prints the source change, then every outcome by model and version: outcomes only the
    optimised program allows are marked new; ones it no longer produces are dimmed. With
    --atomic, the same comparison runs on FILE's fixed twin (see `fix`) to show what
    atomics take away. Exits 3 when a bound cut a search short: what is gained or lost is then
    said as "at least" or "unknown", never as a fact.
    """
    from .analysis import model_names
    from .app.comparison import compare_with_twin
    from .frontend import read_source
    from .views import compare_view

    out = channels(as_json=as_json, svg=svg, html=html)
    with out.progress(bounds) as progress:
        if atomic and fenced:
            raise click.UsageError("give --atomic or --fenced, not both")
        twin = "atomic" if atomic else "fenced" if fenced else None
        result = compare_with_twin(file, read_source(file), list(passes), model_names(model), twin=twin,
                                   bounds=bounds, with_races=not (no_races or as_json), progress=progress)
    out.deliver(report(f"miscompile compare {file}", data=result.to_json, complete=result.complete,
                       view=lambda: compare_view.view_of(result, context=None if full else context),
                       aside=lambda: [] if result.complete else
                       ["partial: a search stopped at a bound; outcomes may be missing (see \"complete\")"]))


@main.command()
@click.argument("file")
@click.option("--strategy", type=click.Choice(["atomics", "fences", "lock"]), default="atomics", show_default=True,
              help="atomics: make racing variables Atomic; fences: the fewest fences that make the program "
                   "sequentially consistent under the weakest machine of --model (races stay); lock: one lock "
                   "around each function's racing accesses.")
@click.option("--order", type=click.Choice(["seq_cst", "acquire-release", "relaxed"]), default="seq_cst",
              show_default=True, help="Memory order of the new atomic accesses.")
@click.option("--model", "-m", type=ModelList(), default="all", show_default=True,
              help="Models to explore the fixed program under: " + MODEL_HELP.split(": ", 1)[1])
@with_source_output
@with_bounds
@context_option
@full_option
@with_exports
@reports_errors
def fix(file: str, strategy: str, order: str, model: str, print_only: bool, output: str | None, bounds: Bounds,
        context: int, full: bool, svg: str | None, html: str | None) -> None:
    """Make every racing variable of FILE an Atomic and rewrite its accesses (x.load(),
    x.store(v), x.fetch_add(v) for x += v), keeping the rest of the program as it is.
    A racing list element makes the list a list of Atomics (flag[i].load()); a racing
    attribute becomes self.value = Atomic(...) in __init__ (counter.value.load()).

    The result is checked with the race detector and explored: a failure that survives
    the fix (an atomicity bug, such as check-then-act) is reported with a lock that removes
    it, verified before it is suggested. Exits 1 when races or failures remain or a statement
    cannot be rewritten (then nothing is written), 3 when a bound cut a search short.
    Racing byte fields of a ctypes.Structure make it a plain class with one Atomic per field.
    Dict keys cannot hold atomics: they are reported (protect them with a lock).
    """
    from transforms.fix import fix_source

    from .analysis import model_names
    from .app.fixing import check_fix
    from .frontend import read_source
    from .views import fix_view

    if strategy != "atomics":
        _fix_otherwise(file, strategy, model_names(model), bounds, channels(
            svg=svg, html=html, print_only=print_only, output=output), None if full else context)
    result = fix_source(read_source(file), file, order)
    check = check_fix(result, model_names(model), bounds)
    notes = [f"{file}:{line}: cannot rewrite this statement: {why}" for line, why in result.problems]
    if result.remaining:
        notes.append(f"warning: still racing: {', '.join(result.remaining)} (dict keys cannot hold atomics; "
                     "protect them with a lock)")
    # with a statement it cannot rewrite, nothing is written: the view says why
    out = channels(svg=svg, html=html, **({} if result.problems else {"print_only": print_only, "output": output}))
    out.deliver(report(f"miscompile fix {file}", source=None if result.problems else result.after,
                       view=lambda: fix_view.FixView(check, context=None if full else context),
                       aside=lambda: [text.plain for text in fix_view.lessons(check)], notes=notes,
                       finding=check.finding, complete=check.complete))


@main.command()
@click.argument("file")
@click.option("--model", "-m", type=click.Choice(list(KNOWN_MODELS)), default="sc", show_default=True,
              help="Memory model to explore under; under arm and rc11 the trace is the execution graph "
                   "(and --svg draws it).")
@optional_passes("Trace", "*")
@outcome_options("Trace")
@with_bounds
@with_exports
@reports_errors
def trace(file: str, model: str, passes: tuple[str, ...], match: str | None, number: int | None,
          bounds: Bounds, svg: str | None, html: str | None) -> None:
    """Replay how one outcome of FILE happens, step by step: what each thread runs, what it
    reads and writes, each store buffer, main memory and the lock holders after every step.

    Without --match or --outcome it traces the first outcome the passes add (or, without
    passes, the first outcome MODEL adds over sc), and otherwise the first outcome.

    Under arm and rc11 (models of execution graphs, not machines) it shows the outcome's
    execution graph: each thread's events, which write each read read (rf), the order of each
    location's writes (co), the writes a read came before (fr), and a sequential order of it
    when one exists; --svg draws the graph.
    """
    from .app.tracing import trace_any
    from .frontend import read_source
    from .views import graph_trace_view, trace_view

    result = trace_any(file, read_source(file), model, passes=list(passes), match=match, number=number,
                       bounds=bounds)
    graph = model in GRAPH_MODELS
    channels(svg=svg, html=html).deliver(report(
        f"miscompile trace {file}", complete=result.cut is None,
        view=lambda: graph_trace_view.GraphTraceView(result) if graph else trace_view.TraceView(result),
        svg=(lambda: graph_trace_view.graph_svg(result)) if graph else None))


@main.command()
@click.argument("file")
@click.option("--model", "-m", type=click.Choice(list(MODELS)), default="sc", show_default=True,
              help="The machine to step through: sc, tso (one FIFO store buffer per thread) or pso (one buffer "
                   "per thread and location).")
@optional_passes("Inspect", "+")
@outcome_options("Start at the end of the witness of")
@click.option("--html", metavar="OUT.html",
              help="Write the inspector as one self-contained web page (no network needed to open it) "
                   "instead of starting it in the terminal.")
@with_bounds
@reports_errors
def inspect(file: str, model: str, passes: tuple[str, ...], match: str | None, number: int | None,
            html: str | None, bounds: Bounds) -> None:
    """Step through executions of FILE on a store-buffer machine, choosing what happens next.

    The screen shows each thread (its source with the next line marked, its registers and
    store buffer), main memory, locks and other synchronisation objects, the choices enabled
    now (a thread runs its next line, or a buffered store reaches memory), the outcomes still
    reachable from here (! marks one the model, or the pass, adds over the baseline) and the
    steps taken.

    \b
    Keys:
      1-9, Enter  take that choice (Enter: the highlighted one)
      u           undo the last step
      o           pick an outcome to aim at (arrows, then Enter); the choices that
                  keep it reachable are marked
      p           play the rest of the aimed-at outcome's shortest witness
      r           reset to the start
      q           quit

    With --html OUT.html it writes the same inspector as a web page, with Step, Play, Undo
    and Reset buttons and clickable outcomes, for a course site.
    """
    from .app.inspector import inspect_program
    from .app.subject import study
    from .frontend import read_source

    out = channels(html=html)
    with out.progress(bounds) as progress:
        inspector = inspect_program(study(file, read_source(file), passes), model, bounds=bounds, match=match,
                                    number=number, progress=progress)
    if html:
        from .views.page import inspector_page

        out.deliver(report(f"miscompile inspect {file}", page=lambda: inspector_page(inspector),
                           complete=inspector.complete))
    if not sys.stdout.isatty():
        raise click.UsageError("the inspector needs a terminal; write a page with --html OUT.html instead")
    from .views.inspect_app import run_inspector

    run_inspector(inspector)


@main.command()
@click.argument("file")
@click.option("--model", "-m", type=ModelList(("tso", "pso", "arm")), default="tso,pso", show_default=True,
              help="The weak models to check, separated by commas: tso, pso, arm; all is tso,pso.")
@optional_passes("Check")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@with_bounds
@reports_errors
def robust(file: str, model: str, passes: tuple[str, ...], as_json: bool, bounds: Bounds) -> None:
    """Say whether FILE is robust under each model: every outcome it can reach there is also
    reachable under sc, so the weak machine can be reasoned about as if it were sequentially
    consistent. When it is not, each outcome only the weaker model allows is listed with the
    reorderings of its shortest witness: which store was still buffered when which load ran,
    or (pso) which store reached memory before an older one.

    Exits 0 when robust under every model, 1 when not, 3 when a bound cut a search short.
    """
    from .app.robustness import check_robust
    from .app.subject import study
    from .frontend import read_source
    from .views.robust_view import RobustnessView

    names = ["tso", "pso"] if model == "all" else [m for m in model.split(",") if m != "all"]
    out = channels(as_json=as_json)
    with out.progress(bounds) as progress:
        result = check_robust(study(file, read_source(file), passes), names, bounds=bounds, progress=progress)
    out.deliver(report(f"miscompile robust {file}", view=lambda: RobustnessView(result), data=result.to_json,
                       finding=not result.robust, complete=result.complete))


@main.command()
@click.argument("file")
@click.option("--model", "-m", type=click.Choice(["tso", "pso", "arm"]), required=True,
              help="The model to make the program sequentially consistent under: the machines tso and pso, or "
                   "arm (ARMv8's axioms; write = DMB ST, read = DMB LD, full = DMB SY).")
@click.option("--forbid", multiple=True, metavar="'r1=0,r2=0'",
              help="Remove only the outcomes matching this (repeatable; as trace --match); by default every "
                   "outcome sc does not allow.")
@click.option("--kinds", default=None, metavar="KINDS",
              help="The fence kinds to use, separated by commas: full, under pso and arm write (a store-store "
                   "fence, cheaper), under arm read; default all that can help.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object: the fences, the outcomes removed, "
                                                      "the candidate sets verified, the outcomes before and after.")
@with_source_output
@with_bounds
@context_option
@full_option
@with_exports
@reports_errors
def fences(file: str, model: str, forbid: tuple[str, ...], kinds: str | None, as_json: bool, print_only: bool,
           output: str | None, bounds: Bounds, context: int, full: bool, svg: str | None, html: str | None) -> None:
    """Find the fewest fences that make FILE sequentially consistent under MODEL (or that remove
    the outcomes given with --forbid), and show the program with them inserted.

    The search is exact: each outcome to remove has a witness, and a fence placed where that
    witness needs a store still buffered (or, under pso, stores leaving out of order) would cut
    it. The search takes a smallest set of placements that cuts every witness seen so far
    (then the cheapest: under pso a write fence costs 1 and a full fence 2), inserts it
    between statements (keeping comments and formatting), explores again, and repeats with
    any new witness until nothing to remove is left. So the set printed is verified, and no
    smaller set would do; it says how many candidate sets it explored. Under arm (whose
    witnesses are graphs) it tries sets by size and cost, verifying each, up to 4 fences.

    Exits 0 when a set was found (or none is needed), 1 when no set of fences removes an
    outcome, 3 when a bound cut a search short.
    """
    from .app.fencing import find_fences
    from .frontend import read_source
    from .views.fences_view import FencesView

    chosen_kinds = [k.strip() for k in kinds.split(",")] if kinds else None
    out = channels(as_json=as_json, svg=svg, html=html, print_only=print_only, output=output)
    with out.progress(bounds) as progress:
        search = find_fences(file, read_source(file), model, forbid=list(forbid), kinds=chosen_kinds, bounds=bounds,
                             progress=progress)
    out.deliver(report(f"miscompile fences {file}", source=search.after if search.found else None,
                       view=lambda: FencesView(search, context=None if full else context), data=search.to_json,
                       finding=not search.found, complete=search.complete))


@main.command()
@click.option("--model", "-m", type=click.Choice(list(KNOWN_MODELS)), default=None,
              help="Run every demonstration under this model instead of its own.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@with_bounds
@with_exports
@reports_errors
def gallery(model: str | None, as_json: bool, bounds: Bounds, svg: str | None, html: str | None) -> None:
    """Run the curated demonstrations: each racy example with the pass (or the store buffers)
    that breaks it, and its fixed twin. Exits with status 1 when a demonstration does not hold
    (3 when one could not be decided because a bound cut its search short).
    """
    from .app.gallery import DEMONSTRATIONS, run_demonstration
    from .views import gallery_view

    results = [run_demonstration(demo, model, bounds=bounds) for demo in DEMONSTRATIONS]
    channels(as_json=as_json, svg=svg, html=html).deliver(report(
        "miscompile gallery", view=lambda: gallery_view.GalleryView(results),
        data=lambda: [r.to_json() for r in results],
        finding=any(not r.holds and r.complete for r in results), complete=all(r.complete for r in results)))


@main.command("check-pass")
@click.argument("name", required=False)
@click.option("--all", "check_all", is_flag=True, help="Check every pass and print the classification table.")
@click.option("--examples", type=click.IntRange(min=1), default=200, show_default=True, metavar="N",
              help="How many race-free programs to try per pass.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed (the same seed finds the same "
                                                                     "programs).")
@click.option("--model", "-m", type=ModelList(), default="sc", show_default=True,
              help="Memory models to compare outcomes under, separated by commas; a verdict for each. Under "
                   "rc11 a pass that makes the race-free program racy (undefined) changes it too.")
@click.option("--shrink-steps", type=click.IntRange(min=0), default=None, metavar="N",
              help="How many programs to try while simplifying a counterexample (a count, not a time: "
                   "the same --seed always gives the same counterexample); default 300, and 40 under arm "
                   "and rc11, whose explorations cost more.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@with_exports
@reports_errors
def check_pass_command(name: str | None, check_all: bool, examples: int, seed: int, model: str,
                       shrink_steps: int | None, as_json: bool, svg: str | None, html: str | None) -> None:
    """Search generated race-free programs for one whose outcomes pass NAME changes.

    For a race-introducing pass it prints the shrunk counterexample (the program before and
    after, the evidence that it is race-free, the gained outcome and its witness) and exits 1.
    For a drf-safe pass it reports how many programs it checked and exits 0; a race-introducing
    pass with no counterexample among them is "not confirmed" (exit 0). With --all it prints
    the classification table and exits 1 only if a drf-safe pass changed a race-free program.
    """
    if check_all == bool(name):
        raise click.UsageError("name one pass, or give --all")
    from transforms.registry import get_pass, pass_names

    from .analysis import model_names
    from .app.check_pass import check_pass, explain
    from .views import check_pass_view

    names = pass_names() if check_all else [get_pass(name).NAME]  # type: ignore[arg-type]
    out = channels(as_json=as_json, svg=svg, html=html)
    checks = []
    with out.check_progress() as progress:
        for pass_name in names:
            for chosen in model_names(model):
                if progress is not None:
                    progress.start(f"checking {pass_name} under {chosen}", examples)
                steps = shrink_steps if shrink_steps is not None else 40 if chosen in GRAPH_MODELS else 300
                checks.append(check_pass(pass_name, examples=examples, seed=seed, model=chosen,
                                         shrink_steps=steps, progress=progress))
    single = not check_all and len(checks) == 1

    def view() -> Any:
        if check_all:
            return check_pass_view.PassCheckTable(checks)
        return check_pass_view.stacked([check_pass_view.PassCheckView(c, *explain(c)) for c in checks])

    # --all: a finding is a drf-safe pass that changed a race-free program; one pass: a counterexample
    finding = not all(c.consistent for c in checks) if check_all else \
        any(c.counterexample is not None for c in checks)
    out.deliver(report("miscompile check-pass " + ("--all" if check_all else str(name)), view=view,
                       data=lambda: checks[0].to_json() if single else [c.to_json() for c in checks],
                       finding=finding))


@main.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--model", "-m", type=ModelList(), default=None,
              help="The models to run the tests on, separated by commas (e.g. sc,tso,pso,arm,rc11); default: "
                   "the one the file's architecture names, tso for X86 and arm for AArch64.")
@click.option("--print", "print_only", is_flag=True, help="Print the dialect program each test becomes, and stop.")
@click.option("--export", "export_", is_flag=True,
              help="Read dialect programs (FILE.py) and print each as a litmus test for herd7 (see --arch).")
@click.option("--arch", type=click.Choice(["X86", "AArch64"], case_sensitive=False), default="X86", show_default=True,
              help="With --export, the architecture to write.")
@with_bounds
@reports_errors
def litmus(files: tuple[str, ...], model: str | None, print_only: bool, export_: bool, arch: str,
           bounds: Bounds) -> None:
    """Run herd7 litmus tests (X86: MOV, MFENCE, XCHG, LOCK INC/ADD/XADD/CMPXCHG; AArch64: LDR,
    STR, LDAR, STLR, DMB, dependencies through EOR/ADD, CBZ/CBNZ) as dialect programs and print
    herd7's result format: the final states, Ok/No, the witnesses and the Observation (Never,
    Sometimes, Always), once per model. With --export, do the opposite: write programs as
    litmus tests, so herd7 can check what miscompile says. Exits 3 when a bound cut a search
    short.
    """
    from pathlib import Path

    from .errors import MiscompileError
    from .frontend import load_program, parse_program, read_source
    from .litmus import default_model, export, judge, read_litmus, translate

    out = channels()
    title = "miscompile litmus"
    if export_:
        out.deliver(report(title, text="".join(export(load_program(file), Path(file).stem, arch) for file in files)))
    tests = [read_litmus(file, read_source(file)) for file in files]
    if print_only:
        out.deliver(report(title, text="".join(translate(test) for test in tests)))
    from .analysis import model_names, run_model
    from .views.litmus_view import herd_lines

    complete = True
    blocks = []
    for file, test in zip(files, tests):
        program = parse_program(translate(test), file)
        for name in model_names(model or default_model(test)):
            try:
                run = run_model(program, name, bounds=bounds)
            except MiscompileError as error:  # rc11 on a test with a hardware fence: that test only
                blocks.append(f"Test {test.name} Skipped\n{getattr(error, 'message', error)}\nModel {name}")
                continue
            verdict = judge(test, run.outcomes, run.search.complete)
            complete = complete and verdict.complete
            races = sorted({race.location for race in run.undefined})
            blocks.append("\n".join(herd_lines(verdict, name, races)))
    out.deliver(report(title, text="".join(block + "\n" for block in _blank_line_between(blocks)),
                       complete=complete))


def _fix_otherwise(file: str, strategy: str, models: list[str], bounds: Bounds, out: Any, context: int | None) -> None:
    """``fix --strategy fences`` or ``lock``: compute, then deliver (which exits)."""
    from .frontend import read_source
    from .views import fix_view

    source = read_source(file)
    if strategy == "fences":
        from .app.fencing import fence_twin
        from .frontend import parse_program
        from .races import find_races

        with out.progress(bounds) as progress:
            search = fence_twin(file, source, models, bounds=bounds, progress=progress)
        races = sorted({race.location for race in find_races(parse_program(source, file), bounds=bounds)[0]})
        out.deliver(report(f"miscompile fix {file}", source=search.after if search.found else None,
                           view=lambda: fix_view.FencedFixView(search, races, context=context),
                           finding=not search.found, complete=search.complete))
    from .app.fixing import fix_with_lock

    remedy = fix_with_lock(file, source, models, bounds)
    out.deliver(report(f"miscompile fix {file}", source=remedy.suggestion.after,
                       view=lambda: fix_view.LockFixView(remedy, source, file, context=context),
                       finding=not remedy.holds, complete=remedy.exploration.complete))


def _blank_line_between(blocks: list[str]) -> list[str]:
    return [("\n" if i else "") + block for i, block in enumerate(blocks)]


if __name__ == "__main__":  # pragma: no cover
    main()

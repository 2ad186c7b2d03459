"""``trace``: explore a program (maybe transformed) and lay out how one of its outcomes happens.

On a machine model the witness is replayed step by step (``miscompile.trace``);
on an axiomatic one it is rebuilt as an execution graph (``miscompile.graphs.trace``).
Without ``--match`` or ``--outcome`` the outcome is the first one the passes add
(without passes: the first one the model adds over sc), else the first. A machine
trace follows a shortest witness of it (breadth first), so it has no idle step.
"""

from __future__ import annotations

from ..analysis import ModelRun, run_model
from ..bounds import Bounds
from ..graphs.trace import GraphTrace, graph_trace
from ..models import GRAPH_MODELS
from ..outcomes import Outcome
from ..statespace import shortest_witness
from ..trace import Trace, select_outcome, trace_schedule
from .subject import Subject, study


def chosen_outcome(subject: Subject, model: str, run: ModelRun, *, match: str | None, number: int | None,
                   bounds: Bounds | None) -> tuple[Outcome, str | None]:
    """The outcome to follow in ``run`` (``subject.program`` under ``model``), and the bound that
    cut the baseline search it was chosen against, if one did."""
    baseline = None
    if match is None and number is None and (subject.transformation or model != "sc"):
        baseline = run_model(subject.original, model if subject.transformation else "sc", bounds=bounds)
    outcome = select_outcome(run.outcomes, match=match, number=number,
                             gained_over=set(baseline.outcomes) if baseline is not None else None,
                             meaning=subject.line_map.outcome)
    return outcome, baseline.search.cut if baseline is not None else None


def trace_program(path: str, source: str, model: str, *, passes: list[str] | None = None,
                  match: str | None = None, number: int | None = None,
                  bounds: Bounds | None = None) -> Trace:
    """The step-by-step trace of one outcome of ``source`` (after ``passes``) under a machine ``model``."""
    subject = study(path, source, passes or ())
    run = run_model(subject.program, model, bounds=bounds)
    outcome, baseline_cut = chosen_outcome(subject, model, run, match=match, number=number, bounds=bounds)
    witness = shortest_witness(run.machine, outcome, run.witness(outcome), reduce=run.machine.reduce)
    initial, steps = trace_schedule(run.machine, witness)
    return Trace(path, model, outcome, initial, steps, subject.passes, subject.line_map.written,
                 run.search.cut or baseline_cut)


def trace_graph(path: str, source: str, model: str, *, passes: list[str] | None = None, match: str | None = None,
                number: int | None = None, bounds: Bounds | None = None) -> GraphTrace:
    """The execution graph of one outcome of ``source`` (after ``passes``) under an axiomatic ``model``."""
    from ..explore import explore
    from ..graphs.system import GraphSystem

    subject = study(path, source, passes or ())
    system = GraphSystem(subject.program, model)
    search = explore(system, bounds=bounds)
    run = ModelRun(model, search, system.machine)
    outcome, baseline_cut = chosen_outcome(subject, model, run, match=match, number=number, bounds=bounds)
    return graph_trace(system, search, outcome, baseline_cut=baseline_cut, passes=subject.passes,
                       written=subject.line_map.written)


def trace_any(path: str, source: str, model: str, **options) -> Trace | GraphTrace:
    """``trace_graph`` under the axiomatic models, else ``trace_program``."""
    return (trace_graph if model in GRAPH_MODELS else trace_program)(path, source, model, **options)

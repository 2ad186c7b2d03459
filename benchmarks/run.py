"""Benchmarks: explore generated programs under each model; print one JSON object per case.

    python benchmarks/run.py                 # every case
    python benchmarks/run.py --only peterson --models tso
    python benchmarks/run.py --max-states 2000000 --timeout 300

Each case runs in a fresh subprocess so that its peak memory (max RSS) is its
own. Cases: store-buffering rings of 2..8 threads, Peterson's lock with 1..3
entries per thread, racy counters of 2..4 threads x 1..3 increments, the litmus
examples (``--only litmus_``), every program of examples/idioms (``--only
idiom_``) and ``compare examples/recursive_lock.py --pass scratch-store`` under
all three models (``--only compare_``, one line with model "all": the states of
its searches summed). Every line is {"case", "model", "reduced", "states", "transitions",
"outcomes", "complete", "seconds", "peak_mib", "engine"}; a case that exceeds
--timeout prints "timeout": true instead. ``--engine graphs`` explores the same
cases on the execution-graph engine (``--models sc,tso,pso,arm,rc11``; arm and rc11
only run there). ``--litmus-batch sc,tso,pso,arm,rc11`` times the AArch64 litmus suite
under those models in one process. ``--reduce both`` measures each case with
partial-order reduction and without.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path


def sb_ring(n: int) -> str:
    """Thread i stores x[i] then loads x[i+1]: (all zeros) needs store buffering."""
    lines = ["import threading", f"x = [0] * {n}", f"r = [0] * {n}"]
    for i in range(n):
        lines += [f"def t{i}():", f"    x[{i}] = 1", f"    r[{i}] = x[{(i + 1) % n}]"]
    lines += [f"h{i} = threading.Thread(target=t{i})" for i in range(n)]
    lines += [f"h{i}.start()" for i in range(n)] + [f"h{i}.join()" for i in range(n)]
    return "\n".join(lines) + "\n"


def peterson(entries: int) -> str:
    return f"""
import threading
flag = [False, False]
turn = 0
count = 0
def worker(me):
    global turn, count
    other = 1 - me
    for _ in range({entries}):
        flag[me] = True
        turn = other
        while flag[other] and turn == other:
            pass
        count += 1
        flag[me] = False
a = threading.Thread(target=worker, args=(0,))
b = threading.Thread(target=worker, args=(1,))
a.start()
b.start()
a.join()
b.join()
"""


def counter(threads: int, increments: int) -> str:
    lines = ["import threading", "counter = 0", "def work():", "    global counter",
             f"    for _ in range({increments}):", "        counter += 1"]
    lines += [f"t{i} = threading.Thread(target=work)" for i in range(threads)]
    lines += [f"t{i}.start()" for i in range(threads)] + [f"t{i}.join()" for i in range(threads)]
    return "\n".join(lines) + "\n"


IDIOMS = Path(__file__).resolve().parent.parent / "examples" / "idioms"
#: `miscompile compare FILE --pass PASS` under all three models, races included: one line, model "all"
COMPARES = {"compare_recursive_lock_scratch_store": ("recursive_lock.py", ["scratch-store"])}
CASES = {
    **{f"sb_ring_{n}": sb_ring(n) for n in range(2, 9)},
    **{f"peterson_{k}": peterson(k) for k in range(1, 4)},
    **{f"counter_{t}x{k}": counter(t, k) for t in (2, 3, 4) for k in (1, 2, 3)},
    **{f"litmus_{path.stem}": path.read_text() for path in sorted((IDIOMS.parent / "litmus").glob("*.py"))},
    **{f"idiom_{path.stem}": path.read_text() for path in sorted(IDIOMS.glob("*.py"))},
}


def measure_compare(case: str, max_states: int, reduce: bool) -> dict:
    """Run inside the child process: one `compare` (before and after the passes, every model,
    races included), its states and transitions summed over all its searches."""
    from miscompile.bounds import Bounds
    from miscompile.app.comparison import compare_program

    name, passes = COMPARES[case]
    path = IDIOMS.parent / name
    started = time.perf_counter()
    comparison = compare_program(str(path), path.read_text(), passes, ["sc", "tso", "pso"],
                                 bounds=Bounds(max_states=max_states, reduce=reduce))
    seconds = time.perf_counter() - started
    searches = [run.search for side in (comparison.before, comparison.after) for run in side.runs.values()]
    searches += [side.races.search for side in (comparison.before, comparison.after) if side.races is not None]
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"case": case, "model": "all", "reduced": reduce, "states": sum(s.states for s in searches),
            "transitions": sum(s.transitions for s in searches),
            "outcomes": sum(len(run.search.outcomes) for run in comparison.after.runs.values()),
            "complete": comparison.complete, "seconds": round(seconds, 3), "peak_mib": round(peak_kib / 1024, 1)}


def measure(case: str, model: str, max_states: int, reduce: bool, engine: str = "machine") -> dict:
    """Run inside the child process: explore one case, report figures."""
    if case in COMPARES:
        return measure_compare(case, max_states, reduce)
    from miscompile.analysis import run_model
    from miscompile.bounds import Bounds
    from miscompile.frontend import parse_program

    program = parse_program(CASES[case], f"{case}.py")
    started = time.perf_counter()
    if engine == "graphs":
        from miscompile.graphs import explore_graphs

        search = explore_graphs(program, model, bounds=Bounds(max_states=max_states, reduce=False))
    else:
        search = run_model(program, model, bounds=Bounds(max_states=max_states, reduce=reduce)).search
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"case": case, "model": model, "engine": engine, "reduced": reduce and engine == "machine",
            "states": search.states, "transitions": search.transitions, "outcomes": len(search.outcomes),
            "complete": search.complete, "seconds": round(seconds, 3), "peak_mib": round(peak_kib / 1024, 1)}


def litmus_batch(models: str) -> dict:
    """The AArch64 litmus suite under ``models`` in one process, as `miscompile litmus` runs it."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "miscompile", "litmus",
                           *map(str, sorted((IDIOMS.parent / "litmus" / "aarch64").glob("*.litmus"))),
                           "--model", models], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"case": "litmus_aarch64_batch", "model": models, "engine": "both", "tests": done.stdout.count("\nModel "),
            "exit": done.returncode, "seconds": round(seconds, 3), "peak_mib": round(peak_kib / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="run only cases whose name contains this")
    parser.add_argument("--models", default="sc,tso,pso")
    parser.add_argument("--max-states", type=int, default=1_000_000)  # the CLI default
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--reduce", choices=("on", "off", "both"), default="on",
                        help="partial-order reduction on, off (the full search), or both, one line each")
    parser.add_argument("--engine", choices=("machine", "graphs", "both"), default="machine",
                        help="the operational machine, the execution-graph engine (its states are partial "
                             "graphs; it also takes --models rc11), or both, one line each")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--litmus-batch", metavar="MODELS",
                        help="only time the AArch64 litmus suite under these models in one process "
                             "(e.g. sc,tso,pso,arm,rc11)")
    args = parser.parse_args()
    if args.litmus_batch:
        print(json.dumps(litmus_batch(args.litmus_batch)))
        return
    if args.child:
        print(json.dumps(measure(args.child[0], args.child[1], args.max_states, args.child[2] == "on", args.child[3])))
        return
    for case in [*CASES, *COMPARES]:
        if args.only and args.only not in case:
            continue
        for model in (args.models.split(",") if case in CASES else ["all"]):
            runs = [(engine, reduce) for engine in (("machine", "graphs") if args.engine == "both" else (args.engine,))
                    for reduce in (("on", "off") if args.reduce == "both" and engine == "machine" else
                                   (args.reduce if engine == "machine" else "off",))]
            if model in ("rc11", "arm"):
                runs = [("graphs", "off")]  # models of execution graphs: only the graph engine has them
            for engine, reduce in runs:
                command = [sys.executable, __file__, "--child", case, model, reduce, engine,
                           "--max-states", str(args.max_states)]
                fields = {"case": case, "model": model, "engine": engine, "reduced": reduce == "on"}
                try:
                    done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
                    line = done.stdout.strip() or json.dumps({**fields, "error": done.stderr[-500:]})
                except subprocess.TimeoutExpired:
                    line = json.dumps({**fields, "timeout": True, "seconds": args.timeout})
                print(line, flush=True)


if __name__ == "__main__":
    main()

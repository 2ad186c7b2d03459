"""Benchmark ``fences``: the fewest fences for generated programs, and what the search cost.

    python benchmarks/fences.py

One JSON line per case: {"case", "model", "fences", "cost", "candidate_sets_verified", "cut_sets",
"states_verified" (summed over the explorations of every candidate set), "complete", "seconds",
"peak_mib"}. Each case runs in a fresh subprocess, so its peak memory is its own. Cases: Peterson's
lock with 1 and 2 entries per thread under tso and pso, and store-buffering rings of 2 to 5
threads under tso.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CASES = [("peterson", 1, "tso"), ("peterson", 1, "pso"), ("peterson", 2, "tso"), ("peterson", 2, "pso"),
         ("sb_ring", 2, "tso"), ("sb_ring", 3, "tso"), ("sb_ring", 4, "tso"), ("sb_ring", 5, "tso")]


def measure(kind: str, size: int, model: str) -> dict:
    import run  # the benchmark suite's program generators

    from miscompile.app.fencing import find_fences

    source = run.peterson(size) if kind == "peterson" else run.sb_ring(size)
    started = time.perf_counter()
    search = find_fences(f"{kind}_{size}.py", source, model)
    return {"case": f"{kind}_{size}", "model": model, "fences": len(search.placements or ()), "cost": search.cost,
            "candidate_sets_verified": len(search.attempts), "cut_sets": len(search.cuts),
            "states_verified": sum(a.states for a in search.attempts), "complete": search.complete,
            "seconds": round(time.perf_counter() - started, 3),
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    if len(sys.argv) == 4:
        print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), sys.argv[3])))
        return
    for kind, size, model in CASES:
        done = subprocess.run([sys.executable, __file__, kind, str(size), model], capture_output=True, text=True)
        print(done.stdout.strip() if done.returncode == 0 else json.dumps(
            {"case": f"{kind}_{size}", "model": model, "error": done.stderr.strip().splitlines()[-1:]}))


if __name__ == "__main__":
    main()

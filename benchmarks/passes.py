"""Benchmark the passes: how long each takes on each example; one JSON object per line.

    python benchmarks/passes.py            # every example x every pass
    python benchmarks/passes.py --repeat 5

Each line is {"example", "pass", "changed", "declines", "seconds"} where
seconds is the best of --repeat runs of the whole pass (analysis, rewrite,
and the frontend check of the result). A last line sums it up per pass.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from miscompile.frontend import read_source  # noqa: E402
from transforms.pipeline import transform  # noqa: E402
from transforms.registry import pass_names  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    totals: dict[str, float] = {}
    for path in sorted((ROOT / "examples").rglob("*.py")):
        source = read_source(path)
        for name in pass_names():
            best = float("inf")
            for _ in range(args.repeat):
                start = time.perf_counter()
                result = transform(source, str(path), [name])
                best = min(best, time.perf_counter() - start)
            totals[name] = totals.get(name, 0.0) + best
            print(json.dumps({"example": str(path.relative_to(ROOT)), "pass": name, "changed": result.changed,
                              "declines": len(result.declines), "seconds": round(best, 4)}))
    print(json.dumps({"total_seconds_per_pass": {k: round(v, 3) for k, v in totals.items()}}))


if __name__ == "__main__":
    main()

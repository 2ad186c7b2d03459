"""Benchmark the inspector: time to its first screen, and the size of its page.

    python benchmarks/inspector.py                       # Peterson, 1..3 entries per thread, under tso
    python benchmarks/inspector.py --entries 2 --models tso,pso

Each case runs in a fresh subprocess (so its peak memory is its own) and prints one JSON
line: {"case", "model", "states", "transitions", "outcomes", "complete", "explore_seconds",
"first_screen_seconds" (from the start of the command's work to the Textual app's first
screen, headless), "page_seconds", "page_bytes", "page_mode", "peak_mib"}.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def measure(entries: int, model: str) -> dict:
    import asyncio

    from run import peterson  # the benchmark suite's own Peterson generator

    from miscompile.app.inspector import inspect_program
    from miscompile.app.subject import study
    from miscompile.views.inspect_app import InspectorApp
    from miscompile.views.page import inspector_page, page_data

    source = peterson(entries)
    started = time.perf_counter()
    inspector = inspect_program(study(f"peterson_{entries}.py", source), model)
    explored = time.perf_counter() - started
    first_screen = 0.0

    async def first() -> None:
        nonlocal first_screen
        async with InspectorApp(inspector).run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            first_screen = time.perf_counter() - started

    asyncio.run(first())
    page_started = time.perf_counter()
    page = inspector_page(inspector)
    page_seconds = time.perf_counter() - page_started
    space = inspector.space
    return {"case": f"peterson_{entries}", "model": model, "states": len(space.states),
            "transitions": sum(len(edges) for edges in space.edges), "outcomes": len(space.outcomes),
            "complete": inspector.complete, "explore_seconds": round(explored, 3),
            "first_screen_seconds": round(first_screen, 3), "page_seconds": round(page_seconds, 3),
            "page_bytes": len(page.encode()), "page_mode": page_data(inspector)["mode"],
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", default="1,2,3", help="entries per thread, separated by commas")
    parser.add_argument("--models", default="tso", help="models, separated by commas")
    parser.add_argument("--one", nargs=2, metavar=("ENTRIES", "MODEL"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        print(json.dumps(measure(int(options.one[0]), options.one[1])))
        return
    for entries in options.entries.split(","):
        for model in options.models.split(","):
            done = subprocess.run([sys.executable, __file__, "--one", entries, model], capture_output=True, text=True)
            print(done.stdout.strip() if done.returncode == 0 else json.dumps(
                {"case": f"peterson_{entries}", "model": model, "error": done.stderr.strip().splitlines()[-1:]}))


if __name__ == "__main__":
    main()

"""``hoist``: read a location the loop never writes once, before the loop.

Loop-invariant code motion. Single-threaded, a loop that never writes
``ready`` sees the same ``ready`` on every iteration, so one read before the
loop is enough. In a race-free program no other thread may write ``ready``
while the loop runs without synchronising, so the rewrite is drf-safe. In the
broken flag, the reader's ``while not ready: pass`` becomes a loop on a
register: if the first read sees False, it spins forever.
"""

from __future__ import annotations

import libcst as cst

from .base import Keeps, Pass, Rewrite, insert_before, with_thread_list
from .concurrency import ReplaceReads

_THREAD = """
t = threading.Thread(target={f})
t.start()
t.join()
"""


class Hoist(Pass):
    NAME = "hoist"
    SUMMARY = "read a location the loop never writes once, before the loop"
    LEGALITY = "drf-safe"
    PRECONDITIONS = (
        "the loop (test and body, and the helpers it calls) never writes the location",
        "the loop contains no synchronisation: no atomic, fence, lock, Event, Queue or thread operation",
        "the location is a plain variable, a struct field or an array element at a constant index",
    )
    EXAMPLES = (
        Rewrite(
            before="import threading\n\nready = False\n\n\ndef reader():\n    while not ready:\n        pass\n"
                   + _THREAD.format(f="reader"),
            after="import threading\n\nready = False\n\n\ndef reader():\n    _ready = ready\n"
                  "    while not _ready:\n        pass\n" + _THREAD.format(f="reader"),
        ),
        Rewrite(
            before="import threading\n\nlimit = 3\ntotal = 0\n\n\ndef work():\n    global total\n"
                   "    for i in range(4):\n        if i < limit:\n            total += i\n"
                   + _THREAD.format(f="work"),
            after="import threading\n\nlimit = 3\ntotal = 0\n\n\ndef work():\n    global total\n"
                  "    _limit = limit\n    for i in range(4):\n        if i < _limit:\n            total += i\n"
                  + _THREAD.format(f="work"),
        ),
        Keeps(
            "import threading\nfrom miscompile.atomics import Atomic\n\nready = Atomic(False)\n\n\n"
            "def reader():\n    while not ready.load():\n        pass\n" + _THREAD.format(f="reader"),
            because="`ready` is atomic",
        ),
        Keeps(
            "import threading\n\nlock = threading.Lock()\nready = False\n\n\ndef reader():\n"
            "    while True:\n        with lock:\n            if ready:\n                break\n"
            + _THREAD.format(f="reader"),
            because="`with lock:` synchronises",
        ),
        Keeps(
            "import threading\n\ncount = 0\n\n\ndef work():\n    global count\n    while count < 3:\n"
            "        count += 1\n" + _THREAD.format(f="work"),
            because="`count` is written in the loop",
        ),
        Keeps(
            "import threading\n\n\nclass Flag:\n    def __init__(self):\n        self.ready = False\n\n\n"
            "flag = Flag()\n\n\ndef reader():\n    while not flag.ready:\n        pass\n" + _THREAD.format(f="reader"),
            because="is an object attribute: the pass cannot tell which object it names",
        ),
    )
    EXAMPLES += (with_thread_list(EXAMPLES[0]),)

    def leave_While(self, original_node: cst.While, updated_node: cst.While):
        return self.hoist(original_node, updated_node)

    def leave_For(self, original_node: cst.For, updated_node: cst.For):
        return self.hoist(original_node, updated_node)

    def hoist(self, original: cst.While | cst.For, updated: cst.While | cst.For):
        if self.function is None:
            return updated  # module-level code only declares memory and starts and joins threads
        analysis = self.analysis
        effects = analysis.effects(original)
        if isinstance(original, cst.For):  # the iterable is evaluated once anyway
            effects = analysis.effects(original.body)
        if effects.sync:
            self.decline(original, effects.sync)
            return updated
        locals_ = analysis.local_names(self.function)
        hoisted: list[cst.BaseStatement] = []
        for loc in sorted(effects.reads):
            if effects.writes_to(loc):
                self.decline(original, f"`{loc}` is written in the loop")
            elif loc.part is None and loc.kind == "array":
                self.decline(original, f"`{loc}` has a computed index")
            elif loc.kind == "object":
                self.decline(original, f"`{loc}` is an object attribute: the pass cannot tell which object it names")
            else:
                name = self.fresh(self.temp_name(str(loc)))
                replacer = ReplaceReads(loc, cst.Name(name), locals_)
                updated = updated.visit(replacer)  # type: ignore[assignment]
                if replacer.count:
                    hoisted.append(self.statement(f"{name} = {loc}\n"))
        return cst.FlattenSentinel(insert_before(hoisted, updated)) if hoisted else updated

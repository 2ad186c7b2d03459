"""Hypothesis strategies that generate small threaded programs in the dialect, as source text.

    from hypothesis import given
    from miscompile.strategies import race_free_programs

    @given(race_free_programs())
    def test_my_pass_keeps_race_free_outcomes(source): ...

Every program declares the same small memory: plain variables, a word of two
byte fields, an atomic and a lock, so that every pass finds something to act
on (loops that read what they never write, plain stores, byte-field stores,
conditional stores, neighbouring accesses, guarded loads, copies into locals,
and counters updated in a loop around lock calls). Two to three threads each
run a few statements; the main thread starts and joins them, from variables of
their own or from a list of threads.

``race_free_programs()`` is race-free *by construction*. Each location has one
discipline:

- ``p0``, ``p1``, ``p2`` and the fields ``flags.b1``/``flags.b2`` are private
  to one thread (``flags.b1`` to the first, ``flags.b2`` to the second);
- ``g``, ``h`` and the object attribute ``box.v`` are only touched while holding ``lock`` (in ``with lock:``,
  or in a loop that locks ``if mt:`` with ``mt`` always true);
- ``a`` and ``a2`` are atomics (``seq_cst`` unless ``relaxed=True``; with two, release
  stores and acquire loads can pass messages, as in message passing and store buffering);
- ``ro`` and ``ro2`` are read-only: they start at 0, and their only stores
  sit under ``if ro:``, which no sequentially consistent execution takes.

``programs()`` draws the same statements with no discipline (any thread, any
location, anywhere): most of those programs race; filter them with
``miscompile.races.find_races`` when you need race-free ones
(``race_free_by_detection()`` does that). Both shrink toward fewer threads,
fewer and simpler statements and smaller constants.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

__all__ = ["programs", "race_free_by_detection", "race_free_programs", "single_thread_programs"]

HEADER = '''import ctypes
import threading

from miscompile.atomics import Atomic, fence


class Flags(ctypes.Structure):
    _fields_ = [("b1", ctypes.c_uint8), ("b2", ctypes.c_uint8)]


class Box:
    def __init__(self):
        self.v = 0


p0 = 0
p1 = 0
p2 = 0
g = 0
h = 0
ro = 0
ro2 = 0
flags = Flags()
box = Box()
a = Atomic(0)
a2 = Atomic(0)
lock = threading.Lock()


def twice(v):
    return v + v
'''

PLAIN = ("p0", "p1", "p2", "g", "h", "box.v", "ro", "ro2", "flags.b1", "flags.b2")
GLOBAL_NAMES = ("p0", "p1", "p2", "g", "h", "ro", "ro2")
LOCALS = ("r0", "r1")
ATOMICS = ("a", "a2")


class _Grammar:
    """Draws statements for one thread; ``race_free`` restricts which locations it may touch where."""

    def __init__(self, draw, thread: int, race_free: bool, relaxed: bool, statements: int = 3,
                 depth_limit: int = 2) -> None:
        self.draw = draw
        self.thread = thread
        self.race_free = race_free
        self.relaxed = relaxed
        self.depth_limit = depth_limit
        self.statements = statements
        self.uses_mt = False

    # ------------------------------------------------------------- which locations, where

    def private(self) -> list[str]:
        own = [f"p{self.thread}"]
        if self.thread < 2:
            own.append(f"flags.b{self.thread + 1}")
        return own

    def readable(self, locked: bool) -> list[str]:
        if not self.race_free:
            return list(PLAIN)
        return self.private() + ["ro", "ro2"] + (["g", "h", "box.v"] if locked else [])

    def writable(self, locked: bool) -> list[str]:
        if not self.race_free:
            return list(PLAIN)
        return self.private() + (["g", "h", "box.v"] if locked else [])

    def order(self, kind: str) -> str:
        if not self.relaxed:
            return ""
        choice = self.draw(st.sampled_from(["", "relaxed", "acquire" if kind == "load" else "release"]))
        return f'order="{choice}"' if choice else ""

    # ------------------------------------------------------------- expressions and statements

    def expression(self, locked: bool) -> str:
        leaf = st.one_of(st.integers(0, 2).map(str), st.sampled_from(LOCALS),
                         st.sampled_from(self.readable(locked)))
        left = self.draw(leaf)
        if not self.draw(st.booleans()):  # shrinks toward a single operand
            return left
        return f"{left} {self.draw(st.sampled_from(['+', '-', '==', '<']))} {self.draw(leaf)}"

    def simple(self, locked: bool) -> str:
        kinds = ["store", "load", "increment", "print", "atomic", "call"]
        if not locked:
            kinds += ["dead-store", "fence"]
        kind = self.draw(st.sampled_from(kinds))
        if kind == "store":
            return f"{self.draw(st.sampled_from(self.writable(locked)))} = {self.expression(locked)}"
        if kind == "load":
            return f"{self.draw(st.sampled_from(LOCALS))} = {self.draw(st.sampled_from(self.readable(locked)))}"
        if kind == "increment":
            target = self.draw(st.sampled_from(self.writable(locked) + list(LOCALS)))
            return f"{target} {self.draw(st.sampled_from(['+=', '-=']))} {self.draw(st.integers(1, 2))}"
        if kind == "print":
            return f"print({self.draw(st.sampled_from(LOCALS))})"
        if kind == "dead-store":  # never runs in an SC execution: ro stays 0
            return f"if ro:\n    {self.draw(st.sampled_from(['ro2', 'ro']))} = {self.draw(st.integers(1, 2))}"
        if kind == "fence":
            return "fence()"
        if kind == "call":  # a helper call: passes must not move accesses across it blindly
            return f"{self.draw(st.sampled_from(LOCALS))} = twice({self.expression(locked)})"
        op = self.draw(st.sampled_from(["load", "store", "fetch_add"]))
        atomic = self.draw(st.sampled_from(ATOMICS))
        if op == "load":
            order = self.order("load")
            return f"{self.draw(st.sampled_from(LOCALS))} = {atomic}.load({order})"
        if op == "store":
            order = self.order("store")
            return f"{atomic}.store({self.expression(locked)}{', ' + order if order else ''})"
        return f"{atomic}.fetch_add(1)"

    def block(self, depth: int = 0, locked: bool = False, size: tuple[int, int] | None = None) -> list[str]:
        """Statements for one block; an empty block draws zero statements and gets ``pass``."""
        lines: list[str] = []
        for _ in range(self.draw(st.integers(*(size or (1, self.statements))))):
            kinds = ["simple"] * 3
            if depth < self.depth_limit:
                kinds += ["if", "for", "while"] + ([] if locked else ["with", "conditional-lock"])
            kind = self.draw(st.sampled_from(kinds))
            if kind == "simple":
                lines += self.simple(locked).split("\n")
            elif kind == "if":
                lines.append(f"if {self.expression(locked)}:")
                lines += _indent(self.block(depth + 1, locked))
                if self.draw(st.booleans()):
                    lines.append("else:")
                    lines += _indent(self.block(depth + 1, locked))
            elif kind == "for":
                lines.append(f"for i{depth} in range({self.draw(st.integers(1, 2))}):")
                lines += _indent(self.block(depth + 1, locked))
            elif kind == "while":  # a local counter bounds it
                lines += [f"w{depth} = 0", f"while w{depth} < {self.draw(st.integers(1, 2))}:"]
                lines += _indent([*self.block(depth + 1, locked), f"w{depth} += 1"])
            elif kind == "with":
                lines.append("with lock:")
                lines += _indent(self.block(depth + 1, True))
            else:  # Boehm's loop: the lock is taken only `if mt:`, and mt is always true
                self.uses_mt = True
                lines.append(f"for i{depth} in range({self.draw(st.integers(1, 2))}):")
                more = [line for line in self.block(depth + 1, True, (0, 1)) if line != "pass"]
                inner = ["if mt:", "    lock.acquire()", "g += 1", *more, "if mt:", "    lock.release()"]
                lines += _indent(inner)
        return lines or ["pass"]


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


@st.composite
def _program(draw, race_free: bool, relaxed: bool, threads: tuple[int, int], statements: int, depth: int) -> str:
    count = draw(st.integers(*threads))
    parts = [HEADER]
    for t in range(count):
        grammar = _Grammar(draw, t, race_free, relaxed, statements, depth)
        body = grammar.block()
        text = "\n".join(body)
        assigned = [name for name in GLOBAL_NAMES if re.search(rf"^\s*{name}\s*[-+]?=", text, re.MULTILINE)]
        prologue = ([f"global {', '.join(assigned)}"] if assigned else [])
        prologue += [f"{r} = 0" for r in LOCALS if re.search(rf"\b{r}\b", text)]
        prologue += ["mt = True"] if grammar.uses_mt else []
        parts.append(f"\n\ndef t{t}():\n" + "\n".join(_indent(prologue + body)) + "\n")
    if draw(st.booleans()):  # threads in variables of their own
        names = [f"th{t}" for t in range(count)]
        main = [f"{n} = threading.Thread(target=t{t})" for t, n in enumerate(names)]
        main += [f"{n}.start()" for n in names] + [f"{n}.join()" for n in names]
    else:  # a list of threads, started and joined in loops
        main = ["threads = [" + ", ".join(f"threading.Thread(target=t{t})" for t in range(count)) + "]",
                "for th in threads:", "    th.start()", "for th in threads:", "    th.join()"]
    parts.append("\n\n" + "\n".join(main) + "\n")
    return "".join(parts)


def race_free_programs(*, relaxed: bool = False, threads: tuple[int, int] = (2, 3), statements: int = 3,
                       depth: int = 2) -> st.SearchStrategy[str]:
    """Programs with no data race by construction (see the module docstring for the disciplines).

    With ``relaxed=True`` atomic loads and stores may use relaxed, acquire and
    release orders: still race-free, but no longer sequentially consistent.
    ``statements`` bounds each block's length and ``depth`` the nesting of
    ``if``/``for``/``while``/``with``.
    """
    return _program(race_free=True, relaxed=relaxed, threads=threads, statements=statements, depth=depth)


def programs(*, relaxed: bool = True, threads: tuple[int, int] = (2, 3), statements: int = 3,
             depth: int = 2) -> st.SearchStrategy[str]:
    """Programs with no discipline: any thread may touch any location anywhere (most race)."""
    return _program(race_free=False, relaxed=relaxed, threads=threads, statements=statements, depth=depth)


def race_free_by_detection(*, threads: tuple[int, int] = (2, 3)) -> st.SearchStrategy[str]:
    """Unconstrained programs that the race detector finds race-free (slower: most draws are rejected)."""
    from .frontend import parse_program
    from .races import find_races

    def race_free(source: str) -> bool:
        races, search = find_races(parse_program(source, "generated.py"), max_states=50_000)
        return search.complete and not races

    return programs(threads=threads, statements=2, depth=1).filter(race_free)


def single_thread_programs() -> st.SearchStrategy[str]:
    """One worker thread (main only starts and joins it): exactly one outcome under sc."""
    return _program(race_free=False, relaxed=True, threads=(1, 1), statements=3, depth=2)

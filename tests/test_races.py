"""Happens-before edges of DESIGN.md, each shown by a race that appears or disappears."""

from __future__ import annotations

import pytest

from miscompile.races import find_races

from conftest import program

FLAG = """
import threading
from miscompile.atomics import Atomic
data = 0
flag = Atomic(0)
def writer():
    global data
    data = 1
    flag.store(1, order="STORE")
def reader():
    if flag.load(order="LOAD") == 1:
        print(data)
a = threading.Thread(target=writer)
b = threading.Thread(target=reader)
a.start()
b.start()
a.join()
b.join()
"""


@pytest.mark.parametrize("store,load,racy", [
    ("release", "acquire", False),
    ("seq_cst", "seq_cst", False),
    ("relaxed", "acquire", True),   # relaxed never synchronises ...
    ("release", "relaxed", True),
    ("relaxed", "relaxed", True),   # ... though the atomic itself never races
])
def test_release_acquire_orders_data_and_relaxed_does_not(store: str, load: str, racy: bool):
    races, _ = find_races(program(FLAG.replace("STORE", store).replace("LOAD", load)))
    assert [r.location for r in races] == (["data"] if racy else [])


def test_a_race_names_both_accesses_with_thread_line_and_kind():
    races, _ = find_races(program(FLAG.replace("STORE", "relaxed").replace("LOAD", "relaxed")))
    (race,) = races
    assert [(a.thread, a.line, a.kind) for a in race.accesses] == [("writer", 8, "write"), ("reader", 12, "read")]


def test_lock_release_orders_the_next_acquire_only_for_the_same_lock():
    source = """
import threading
a = threading.Lock()
b = threading.Lock()
x = 0
def one():
    global x
    with a:
        x += 1
def two():
    global x
    with LOCK:
        x += 1
p = threading.Thread(target=one)
q = threading.Thread(target=two)
p.start()
q.start()
p.join()
q.join()
"""
    assert find_races(program(source.replace("LOCK", "a")))[0] == []
    assert [r.location for r in find_races(program(source.replace("LOCK", "b")))[0]] == ["x"]


def test_the_main_thread_reading_before_join_races_and_after_join_does_not():
    source = """
import threading
x = 0
def f():
    global x
    x = 1
t = threading.Thread(target=f)
t.start()
BEFORE
t.join()
AFTER
"""
    assert [r.location for r in find_races(program(source.replace("BEFORE", "print(x)").replace("AFTER", "")))[0]] \
        == ["x"]
    assert find_races(program(source.replace("BEFORE", "").replace("AFTER", "print(x)")))[0] == []


def test_event_is_set_true_synchronises():
    source = """
import threading
x = 0
e = threading.Event()
def w():
    global x
    x = 1
    e.set()
def r():
    if e.is_set():
        print(x)
a = threading.Thread(target=w)
b = threading.Thread(target=r)
a.start()
b.start()
a.join()
b.join()
"""
    assert find_races(program(source))[0] == []

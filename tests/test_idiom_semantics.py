"""The idioms' semantics, one rule per test: try/except, Barrier, Queue's bounded
and task forms, Thread subclasses, timeouts. Expected sets come from CPython's
documented behaviour, reasoned out in each test."""

from __future__ import annotations

import pytest

from miscompile.errors import SourceError
from miscompile.exceptions import catches
from miscompile.frontend import parse_program
from miscompile.races import find_races

from conftest import finals, outcomes

HEADER = "import queue\nimport threading\n"


def statuses(source: str, model: str = "sc") -> set[str]:
    return {o.status for o in outcomes(source, model)}


def printed(source: str, thread: str = "main", model: str = "sc") -> set[tuple[str, ...]]:
    return {dict(o.output).get(thread, ()) for o in outcomes(source, model)}


def race_locations(source: str) -> list[str]:
    races, search = find_races(parse_program(source, "test.py"))
    assert search.complete
    return [r.location for r in races]


# ------------------------------------------------------------------ try / except


@pytest.mark.parametrize(("clause", "raised", "caught"), [
    (("Exception",), "ZeroDivisionError", True),
    (("ArithmeticError",), "ZeroDivisionError", True),
    (("LookupError",), "IndexError", True),
    (("ValueError",), "IndexError", False),
    (("RuntimeError",), "threading.BrokenBarrierError", True),
    (("_queue.Empty",), "queue.Full", False),
    ((), "AssertionError", True),
    (("Exception",), "AssertionError", True),
])
def test_except_clauses_follow_cpythons_class_hierarchy(clause, raised, caught):
    assert catches(clause, raised) is caught


def test_the_first_matching_clause_runs_then_else_is_skipped_and_finally_runs():
    source = HEADER + """
def f(d):
    try:
        print(10 // d)
    except ValueError:
        print("value")
    except ZeroDivisionError:
        print("zero")
    else:
        print("fine")
    finally:
        print("finally")
f(0)
f(5)
print("end")
"""
    assert printed(source) == {("zero", "finally", "2", "fine", "finally", "end")}


def test_an_exception_no_clause_takes_goes_on_unwinding_through_finally():
    source = HEADER + """
a = [0]
def worker():
    try:
        try:
            x = a[3]
        except ZeroDivisionError:
            print("wrong clause")
        finally:
            print("inner finally")
    except LookupError:
        print("outer caught")
    print("goes on")
t = threading.Thread(target=worker)
t.start()
t.join()
"""
    (outcome,) = outcomes(source)
    assert outcome.status == "ok"
    assert dict(outcome.output)["worker"] == ("inner finally", "outer caught", "goes on")


def test_an_uncaught_exception_still_ends_the_thread_with_its_message():
    source = HEADER + """
q = queue.Queue()
def worker():
    try:
        q.get_nowait()
    except ValueError:
        print("no")
t = threading.Thread(target=worker)
t.start()
t.join()
"""
    (outcome,) = outcomes(source)
    assert outcome.status == "error"
    assert outcome.failures[0].message == "_queue.Empty" and outcome.failures[0].line == 7


def test_an_exception_caught_inside_with_has_released_nothing_and_the_lock_stays_held():
    source = HEADER + """
lock = threading.Lock()
def worker():
    with lock:
        try:
            x = 1 // 0
        except ZeroDivisionError:
            print(lock.acquire(blocking=False))
t = threading.Thread(target=worker)
t.start()
t.join()
"""
    assert printed(source, "worker") == {("False",)}


def test_except_as_name_and_unknown_exception_types_are_reported():
    with pytest.raises(SourceError, match="except ... as e is not supported"):
        parse_program(HEADER + "def f():\n    try:\n        pass\n    except ValueError as e:\n        pass\nf()\n")
    with pytest.raises(SourceError, match="catching OSError is not supported here"):
        parse_program(HEADER + "def f():\n    try:\n        pass\n    except OSError:\n        pass\nf()\n")


# ------------------------------------------------------------------ Barrier


def test_a_barrier_with_fewer_threads_than_parties_deadlocks():
    source = HEADER + """
b = threading.Barrier(3)
def w():
    b.wait()
t1 = threading.Thread(target=w)
t2 = threading.Thread(target=w, name="w2")
t1.start()
t2.start()
t1.join()
"""
    (outcome,) = outcomes(source)
    assert outcome.status == "deadlock" and set(outcome.stuck) == {"main", "w", "w2"}


def test_barrier_wait_returns_distinct_arrival_indexes():
    source = HEADER + """
b = threading.Barrier(2)
first = -1
second = -1
def a():
    global first
    first = b.wait()
def c():
    global second
    second = b.wait()
ta = threading.Thread(target=a)
tc = threading.Thread(target=c)
ta.start()
tc.start()
ta.join()
tc.join()
"""
    assert finals(source, "sc", "first", "second") == {(0, 1), (1, 0)}


def test_barrier_orders_a_round_but_not_the_next_one():
    """Each thread writes its slot, waits, reads the other's slot (ordered: no race), then both
    write `late` after the barrier without synchronisation (a race)."""
    source = HEADER + """
b = threading.Barrier(2)
slot = [0, 0]
late = 0
seen = [0, 0]
def w(i):
    global late
    slot[i] = 1
    b.wait()
    seen[i] = slot[1 - i]
    late = i
t0 = threading.Thread(target=w, args=(0,))
t1 = threading.Thread(target=w, args=(1,))
t0.start()
t1.start()
t0.join()
t1.join()
"""
    assert race_locations(source) == ["late"]
    for model in ("sc", "tso", "pso"):
        assert finals(source, model, "seen[0]", "seen[1]") == {(1, 1)}


def test_a_barrier_reused_in_a_loop_orders_each_round():
    source = HEADER + """
b = threading.Barrier(2)
x = 0
got = 0
def writer():
    global x
    for r in range(2):
        x = r + 1
        b.wait()
        b.wait()
def reader():
    global got
    for r in range(2):
        b.wait()
        got = got + x
        b.wait()
tw = threading.Thread(target=writer)
tr = threading.Thread(target=reader)
tw.start()
tr.start()
tw.join()
tr.join()
"""
    assert race_locations(source) == []
    assert finals(source, "pso", "got") == {(3,)}


def test_an_uncaught_broken_barrier_is_an_error_outcome():
    source = HEADER + """
b = threading.Barrier(2)
def w():
    b.wait()
def stop():
    b.abort()
t = threading.Thread(target=w)
s = threading.Thread(target=stop)
t.start()
s.start()
t.join()
s.join()
"""
    assert {(o.status, o.failures[0].message) for o in outcomes(source)} == {
        ("error", "threading.BrokenBarrierError")}


# ------------------------------------------------------------------ Queue


def test_put_blocks_while_a_bounded_queue_is_full():
    source = HEADER + """
q = queue.Queue(maxsize=1)
def producer():
    q.put(1)
    q.put(2)
p = threading.Thread(target=producer)
p.start()
p.join()
"""
    (outcome,) = outcomes(source)
    assert outcome.status == "deadlock" and set(outcome.stuck) == {"main", "producer"}


def test_non_blocking_forms_raise_empty_and_full():
    source = HEADER + """
q = queue.Queue(1)
def f():
    try:
        q.get(block=False)
    except queue.Empty:
        print("empty")
    q.put_nowait(1)
    print(q.full(), q.qsize(), q.empty())
    try:
        q.put(2, timeout=0.5)
    except queue.Full:
        print("full")
f()
"""
    assert printed(source) == {("empty", "True 1 False", "full")}


def test_task_done_too_often_is_cpythons_value_error():
    source = HEADER + """
q = queue.Queue()
q.put(1)
q.get()
q.task_done()
q.task_done()
"""
    (outcome,) = outcomes(source)
    assert outcome.failures[0].message == "ValueError: task_done() called too many times"


def test_join_waits_for_every_task_done():
    source = HEADER + """
q = queue.Queue()
def worker():
    q.get()
    q.get()
    q.task_done()
t = threading.Thread(target=worker)
t.start()
q.put(1)
q.put(2)
q.join()
"""
    (outcome,) = outcomes(source)
    assert outcome.status == "deadlock" and outcome.stuck == ("main",)


# ------------------------------------------------------------------ Thread subclasses and timeouts


def test_a_thread_subclass_runs_run_with_its_own_attributes_and_name():
    source = HEADER + """
class W(threading.Thread):
    def __init__(self, k, label):
        super().__init__(name=label)
        self.k = k
    def run(self):
        print(threading.current_thread().name, self.k)
a = W(1, "one")
b = W(2, "two")
a.start()
b.start()
a.join()
b.join()
"""
    (outcome,) = outcomes(source)
    assert dict(outcome.output) == {"one": ("one 1",), "two": ("two 2",)}


def test_a_thread_subclass_without_run_is_reported():
    with pytest.raises(SourceError, match="has no run"):
        parse_program(HEADER + "class W(threading.Thread):\n    pass\nw = W()\nw.start()\n")


def test_acquire_with_a_timeout_may_give_up_while_the_lock_is_held():
    source = HEADER + """
lock = threading.Lock()
got = None
def holder():
    with lock:
        pass
def tryer():
    global got
    got = lock.acquire(timeout=1)
h = threading.Thread(target=holder)
t = threading.Thread(target=tryer)
h.start()
t.start()
t.join()
"""
    assert finals(source, "sc", "got") == {(True,), (False,)}


# ------------------------------------------------------------------ lists, values, helpers


def test_appends_are_atomic_so_none_is_lost_and_every_order_appears():
    source = HEADER + """
items = []
def add(v):
    items.append(v)
a = threading.Thread(target=add, args=(1,))
b = threading.Thread(target=add, args=(2,), name="add2")
a.start()
b.start()
a.join()
b.join()
print(items)
"""
    assert printed(source) == {("[1, 2]",), ("[2, 1]",)}
    assert race_locations(source) == []


def test_an_element_update_through_a_shared_list_can_still_be_lost():
    """`counts[0] += 1` reads the element and writes it in two atomic steps: a lost update, as in CPython."""
    source = HEADER + """
counts = [0]
counts.clear()
counts.append(0)
def bump():
    counts[0] += 1
a = threading.Thread(target=bump)
b = threading.Thread(target=bump, name="bump2")
a.start()
b.start()
a.join()
b.join()
print(counts[0])
"""
    assert printed(source) == {("1",), ("2",)}


@pytest.mark.parametrize(("code", "message"), [
    ("items.pop()", "IndexError: pop from empty list"),
    ("items.remove(3)", "ValueError: list.remove(x): x not in list"),
    ("print(items[2])", "IndexError: list index out of range"),
    ("items[5] = 1", "IndexError: list assignment index out of range"),
])
def test_list_errors_are_cpythons(code, message):
    source = HEADER + f"items = []\nitems.append(0)\nitems.pop()\n{code}\n"
    (outcome,) = outcomes(source)
    assert outcome.failures[0].message == message


def test_lists_and_tuples_print_as_cpython_prints_them():
    source = HEADER + """
a = [0, 0]
def f():
    return 1, "b"
pair = f()
print(a, pair, [None, True, "s"], sorted([3, 1, 2]), 2 in [1, 2], len(a), sum(a))
"""
    assert printed(source) == {("[0, 0] (1, 'b') [None, True, 's'] [1, 2, 3] True 2 0",)}


def test_for_over_a_shared_array_reads_each_element_when_its_turn_comes():
    """The reader's loop reads a[0] then a[1]; the writer sets a[1] then a[0]. Seeing the new a[0]
    and the old a[1] is impossible under sc (a[1] was written first) but possible under pso."""
    source = HEADER + """
a = [0, 0]
seen = [0, 0]
def writer():
    a[1] = 1
    a[0] = 1
def reader():
    for i, v in enumerate(a):
        seen[i] = v
w = threading.Thread(target=writer)
r = threading.Thread(target=reader)
w.start()
r.start()
w.join()
r.join()
"""
    assert (1, 0) not in finals(source, "sc", "seen[0]", "seen[1]")
    assert (1, 0) not in finals(source, "tso", "seen[0]", "seen[1]")
    assert (1, 0) in finals(source, "pso", "seen[0]", "seen[1]")


def test_nested_helpers_read_the_enclosing_locals_late_as_closures_do():
    source = HEADER + """
def f():
    k = 1
    def times(v):
        return v * k
    first = times(5)
    k = 3
    return first, times(5)
print(f())
"""
    assert printed(source) == {("(5, 15)",)}


def test_a_dataclass_instance_is_an_object_with_one_location_per_field():
    source = HEADER + """
from dataclasses import dataclass
@dataclass
class Point:
    x: int
    y: int = 7
p = Point(1)
def move():
    p.x += 1
t = threading.Thread(target=move)
t.start()
t.join()
"""
    assert finals(source, "sc", "p.x", "p.y") == {(2, 7)}


# ------------------------------------------------------------------ dicts


@pytest.mark.parametrize(("code", "message"), [
    ('print(d["zz"])', "KeyError: 'zz'"),
    ('del d["zz"]', "KeyError: 'zz'"),
    ('d.pop("zz")', "KeyError: 'zz'"),
    ("print(d[[1]])", "TypeError: unhashable type: 'list'"),
])
def test_dict_errors_are_cpythons(code, message):
    (outcome,) = outcomes(HEADER + f'd = {{"a": 1}}\n{code}\n')
    assert outcome.failures[0].message == message


def test_dict_methods_follow_cpython():
    source = HEADER + """
d = {"a": 1}
print(d.get("b"), d.get("b", 7), d.setdefault("b", 2), d.setdefault("b", 3), d.pop("a"), d.pop("a", -1))
d[1] = "one"
d[True] = "true"
print(d, len(d), 1 in d, "a" in d, list_of := None)
"""
    with pytest.raises(SourceError):  # := stays out
        outcomes(source)
    source = source.replace(", list_of := None", "")
    assert printed(source) == {("None 7 2 2 1 -1", "{'b': 2, 1: 'true'} 2 True False")}


def test_a_dict_that_changes_size_while_iterated_is_a_runtime_error():
    source = HEADER + """
d = {"a": 1, "b": 2}
for k in d:
    d["c"] = 3
"""
    (outcome,) = outcomes(source)
    assert outcome.failures[0].message == "RuntimeError: dictionary changed size during iteration"


def test_different_keys_do_not_race_and_one_key_does():
    source = HEADER + """
d = {}
def put(k):
    d[k] = 1
a = threading.Thread(target=put, args=("x",))
b = threading.Thread(target=put, args=("y",), name="put2")
a.start()
b.start()
a.join()
b.join()
print(len(d))
"""
    assert race_locations(source) == []
    assert race_locations(source.replace('args=("y",)', 'args=("x",)')) == ["d['x']"]


def test_a_key_the_program_cannot_name_makes_the_search_partial():
    from miscompile.analysis import run_model

    source = HEADER + "d = {}\nk = 0\ndef f(n):\n    d[n * 1000] = 1\nf(3)\n"
    run = run_model(parse_program(source, "test.py"), "sc")
    assert not run.search.complete


def test_comprehensions_and_loops_over_values_follow_cpython():
    source = HEADER + """
data = [3, 1, 2]
i = 99
squares = [i * i for i in data if i > 1]
pairs = [(k, v) for k, v in [(1, "a"), (2, "b")]]
for k, v in pairs:
    print(k, v)
for ch in "xy":
    print(ch)
print(squares, i, [n for n in range(3)], sorted(data))
"""
    assert printed(source) == {("1 a", "2 b", "x", "y", "[9, 4] 99 [0, 1, 2] [1, 2, 3]")}


def test_looping_over_a_non_iterable_is_cpythons_type_error():
    (outcome,) = outcomes("x = 5\nfor v in x:\n    pass\n")
    assert outcome.failures[0].message == "TypeError: 'int' object is not iterable"


# ------------------------------------------------------------------ ThreadPoolExecutor

POOL = "from concurrent.futures import ThreadPoolExecutor\n"


def test_submit_publishes_to_the_task_and_the_task_to_result():
    """main writes x, submits; the task reads x and writes y; main reads y after result(): ordered,
    no race. Reading y before result() races."""
    source = POOL + """
x = 0
y = 0
def task():
    global y
    y = x + 1
    return y
with ThreadPoolExecutor(max_workers=1) as pool:
    x = 5
    f = pool.submit(task)
    r = f.result()
    print(r, y)
"""
    assert race_locations(source) == []
    assert printed(source, model="pso") == {("6 6",)}
    early = source.replace("    r = f.result()\n    print(r, y)", "    print(y)\n    r = f.result()")
    assert race_locations(early) == ["y"]


def test_an_uncaught_task_exception_surfaces_in_the_thread_that_asks_for_the_result():
    source = POOL + """
def boom():
    return [0][1]
pool = ThreadPoolExecutor(max_workers=1)
f = pool.submit(boom)
f.result()
"""
    (outcome,) = outcomes(source.replace("[0][1]", "1 // 0"))
    assert outcome.status == "error"
    assert outcome.failures[0].thread == "main" and outcome.failures[0].message == \
        "ZeroDivisionError: integer division or modulo by zero"


def test_a_pool_never_shut_down_is_shut_down_when_main_ends():
    source = POOL + """
done = 0
def task():
    global done
    done = 1
pool = ThreadPoolExecutor(max_workers=2)
pool.submit(task)
"""
    assert finals(source, "sc", "done") == {(1,)}  # no deadlock: the workers end after the task


def test_submitting_after_shutdown_is_cpythons_runtime_error():
    source = POOL + """
def task():
    return 1
pool = ThreadPoolExecutor(max_workers=1)
pool.shutdown()
pool.submit(task)
"""
    (outcome,) = outcomes(source)
    assert outcome.failures[0].message == "RuntimeError: cannot schedule new futures after shutdown"


def test_pool_workers_take_tasks_oldest_first():
    """One worker: tasks run in submission order, whatever the interleaving."""
    source = POOL + """
order = []
def task(n):
    order.append(n)
with ThreadPoolExecutor(max_workers=1) as pool:
    for i in range(3):
        pool.submit(task, i)
print(order)
"""
    assert printed(source) == {("[0, 1, 2]",)}


# ------------------------------------------------------------------ objects made while the program runs


def test_a_method_on_an_object_held_in_a_variable_is_its_class_method():
    source = HEADER + """
class Cat:
    def speak(self):
        return "meow"
class Dog:
    def speak(self):
        return "woof"
def pick(n):
    if n:
        return Cat()
    return Dog()
def talk(n):
    print(pick(n).speak())
a = threading.Thread(target=talk, args=(1,))
b = threading.Thread(target=talk, args=(0,), name="talk0")
a.start()
b.start()
a.join()
b.join()
"""
    (outcome,) = outcomes(source)
    assert dict(outcome.output) == {"talk": ("meow",), "talk0": ("woof",)}


def test_an_attribute_of_none_is_cpythons_attribute_error():
    (outcome,) = outcomes(HEADER + "class C:\n    def __init__(self):\n        self.v = 1\nc = None\n"
                                   "def f():\n    print(c.v)\nt = threading.Thread(target=f)\nt.start()\n")
    assert outcome.failures[0].message == "AttributeError: 'NoneType' object has no attribute 'v'"


def test_a_site_reached_twice_by_one_thread_makes_the_search_partial():
    from miscompile.analysis import run_model

    source = HEADER + "class C:\n    pass\ndef f():\n    for i in range(2):\n        c = C()\n" \
                      "t = threading.Thread(target=f)\nt.start()\n"
    run = run_model(parse_program(source, "test.py"), "sc")
    assert not run.search.complete


def test_publishing_a_new_object_before_its_attribute_is_an_attribute_error_only_under_pso():
    source = HEADER + """
class Box:
    def __init__(self):
        self.v = 1
box = None
def make():
    global box
    box = Box()
def use():
    b = box
    if b is not None:
        print(b.v)
m = threading.Thread(target=make)
u = threading.Thread(target=use)
m.start()
u.start()
m.join()
u.join()
"""
    for model in ("sc", "tso"):
        assert statuses(source, model) == {"ok"}
    failures = {o.failures[0].message for o in outcomes(source, "pso") if o.failures}
    assert failures == {"AttributeError: 'Box' object has no attribute 'v'"}


def test_lists_and_dicts_local_to_a_thread_follow_cpython():
    source = HEADER + """
def work():
    seen = []
    counts = {}
    for w in ["a", "b", "a"]:
        seen.append(w)
        counts[w] = counts.get(w, 0) + 1
    last = seen.pop()
    counts.setdefault("z", 0)
    print(seen, last, counts, len(counts), "a" in counts, sorted(counts.items()))
t = threading.Thread(target=work)
t.start()
t.join()
"""
    assert printed(source, "work") == {("['a', 'b'] a {'a': 2, 'b': 1, 'z': 0} 3 True [('a', 2), ('b', 1), ('z', 0)]",)}


@pytest.mark.parametrize(("body", "message"), [
    ("    a = []\n    b = a\n    b.append(1)\n", "giving b this value while it is also changed in place"),
    ("    a = []\n    keep(a)\n    a.append(1)\n", "using a here while it is also changed in place"),
    ("    a = [0]\n    shared_copy = a\n    a[0] = 1\n", "using a here while it is also changed in place"),
])
def test_a_local_list_that_could_be_aliased_is_not_changed_in_place(body, message):
    """Locals hold lists by value; CPython's aliasing would make such a program print something else,
    so it is reported instead of explored wrongly."""
    with pytest.raises(SourceError, match=message):
        parse_program(HEADER + "def keep(x):\n    return 0\ndef f():\n" + body + "f()\n", "test.py")


def test_defaults_fill_missing_arguments_of_pool_tasks_and_methods_on_values():
    source = POOL + """
class Greeter:
    def greet(self, who, mark="!"):
        return who + mark
def task(n, step=10):
    return n + step
g = None
def make():
    global g
    g = Greeter()
with ThreadPoolExecutor(max_workers=1) as pool:
    f = pool.submit(task, 1)
    print(f.result())
make()
print(g.greet("hi"), g.greet("yo", "?"))
"""
    assert printed(source) == {("11", "hi! yo?")}


# ------------------------------------------------------------------ objects carrying their own primitives

OWN_LOCK = HEADER + """
class Counter:
    def __init__(self, limit):
        self.value = 0
        self._lock = threading.Lock()
        self.slots = threading.Semaphore(limit)

    def increment(self):
        with self.slots:
            {body}

def main():
    counter = Counter(1)
    threads = [threading.Thread(target=counter.increment) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(counter.value)

main()
"""


def test_an_objects_own_lock_orders_its_methods() -> None:
    """``with self._lock:`` around ``self.value += 1``: no update is lost, no race (CPython's Lock)."""
    source = OWN_LOCK.format(body="with self._lock:\n                self.value += 1")
    assert printed(source) == {("2",)}
    assert race_locations(source) == []
    assert "counter._lock" in [obj.name for obj in parse_program(source, "t.py").objects]


def test_a_semaphore_of_one_made_from_an_init_parameter_is_a_lock() -> None:
    """``threading.Semaphore(limit)`` with ``limit`` bound to 1 by ``Counter(1)`` admits one
    thread at a time; with the increment outside the lock it is still whole."""
    source = OWN_LOCK.format(body="self.value += 1")
    assert printed(source) == {("2",)}
    assert race_locations(source) == []


def test_without_the_lock_the_update_can_be_lost() -> None:
    """The same object without its lock (the semaphore made with 2 permits): 1 or 2, racing."""
    source = OWN_LOCK.format(body="self.value += 1").replace("Counter(1)", "Counter(2)")
    assert printed(source) == {("1",), ("2",)}
    assert race_locations(source) == ["counter.value"]


def test_thread_arguments_computed_from_the_loop_variable() -> None:
    """``args=(i * 10,)`` and ``kwargs={"first": i == 0}`` are computed as CPython computes them."""
    source = HEADER + """
def worker(n, first=False):
    print(n, first)

threads = [threading.Thread(target=worker, args=(i * 10,), kwargs={"first": i == 0 and not False})
           for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
"""
    assert printed(source, "worker") == {("0 True",)}
    assert printed(source, "worker#2") == {("10 False",)}


def test_objects_made_in_a_main_that_starts_threads_are_declarations() -> None:
    """``main()`` defines the threads; the object it makes before them is shared memory
    (``counter.value``), not code run after the first start."""
    source = HEADER + """
class Box:
    def __init__(self):
        self.value = 0

def bump(box):
    box.value += 1

def main():
    box = Box()
    t = threading.Thread(target=bump, args=(box,))
    t.start()
    t.join()
    print(box.value)

main()
"""
    program = parse_program(source, "t.py")
    assert [loc.name for loc in program.locations] == ["box.value"]
    assert printed(source) == {("1",)}


def test_a_long_loop_is_named_when_the_search_is_cut() -> None:
    """The classic ``for _ in range(100000): counter += 1`` cannot be explored whole; the
    partial result names the loop and suggests two iterations."""
    from miscompile.bounds import long_loops

    source = HEADER + "N = 1000\ncounter = 0\ndef f():\n    global counter\n    for _ in range(N):\n" \
                      "        counter += 1\n    for _ in range(3):\n        pass\n"
    assert long_loops(source) == [(7, 1000)]


def test_an_assert_message_reads_shared_memory_only_when_the_test_fails() -> None:
    """``assert counter == 2, f"lost: {counter}"``: the message is computed (a second load) only
    on failure, as CPython does; a lost update fails with the value the message read."""
    source = HEADER + """
counter = 0
def f():
    global counter
    counter += 1
ts = [threading.Thread(target=f) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
assert counter == 2, f"lost: {counter}"
"""
    found = outcomes(source, "sc")
    assert {o.status for o in found} == {"ok", "assertion"}
    failed = [o for o in found if o.status == "assertion"]
    assert all("lost: 1" in str(o.failures) for o in failed), failed

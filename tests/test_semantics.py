"""The semantics of DESIGN.md, one rule per test, on small programs."""

from __future__ import annotations

from miscompile.outcomes import Failure, Outcome

from conftest import finals, outcomes

HEADER = "import threading\nfrom miscompile.atomics import Atomic, fence\n"


def only(source: str, model: str = "sc") -> Outcome:
    found = outcomes(source, model)
    assert len(found) == 1, found
    return next(iter(found))


# ------------------------------------------------------------------ statuses


ASSERTS = HEADER + """x = 0
def f():
    global x
    x = 1
    assert x == 2, "x is not two"
t = threading.Thread(target=f)
t.start()
t.join()
"""


def test_a_failed_assert_ends_only_its_thread_and_the_program_ends_as_usual():
    outcome = only(ASSERTS, "sc")
    assert outcome.status == "assertion"
    assert outcome.failures == (Failure("f", 7, "x is not two", "assertion"),)
    assert outcome.stuck is None
    # the thread's end still drains its store buffer, and main joins it: final memory is the end's
    for model in ("tso", "pso"):
        assert {o.values()["x"] for o in outcomes(ASSERTS, model)} == {1}


def test_main_goes_on_after_a_thread_fails_joins_and_prints():
    """As in CPython: threading.excepthook reports the worker's exception, join() returns."""
    outcome = only(HEADER + """
x = 0
def f():
    global x
    x = 1
    assert x == 2
    x = 5
t = threading.Thread(target=f)
t.start()
t.join()
print("after join", x)
""")
    assert outcome.status == "assertion"
    assert outcome.output == (("main", ("after join 1",)),)
    assert outcome.failures[0].thread == "f" and outcome.failures[0].message == "assert x == 2"


def test_every_failed_thread_is_listed_and_the_status_is_the_first_ones():
    found = outcomes(HEADER + """
a = [0]
def f():
    assert False, "f fails"
def g():
    r = a[3]
t1 = threading.Thread(target=f)
t2 = threading.Thread(target=g)
t1.start()
t2.start()
t1.join()
t2.join()
""")
    (outcome,) = found
    assert outcome.status == "assertion"
    assert [(f.thread, f.line, f.status) for f in outcome.failures] == [("f", 6, "assertion"), ("g", 8, "error")]
    assert outcome.failures[1].message == "IndexError: list index out of range"


def test_a_failure_inside_with_releases_the_lock():
    """The exception unwinds through `with lock:`, so the other thread can still take the lock."""
    outcome = only(HEADER + """
lock = threading.Lock()
n = 0
def f():
    global n
    with lock:
        n += 1
        assert n == 100
def g():
    global n
    with lock:
        n += 10
t1 = threading.Thread(target=f)
t2 = threading.Thread(target=g)
t1.start()
t1.join()
t2.start()
t2.join()
""")
    assert outcome.status == "assertion" and outcome.stuck is None
    assert outcome.values() == {"n": 11}


def test_a_failure_in_main_ends_main_and_the_program_waits_for_its_threads():
    outcome = only(HEADER + """
x = 0
def f():
    global x
    x = 7
t = threading.Thread(target=f)
t.start()
assert False, "main gives up"
t.join()
""")
    assert outcome.status == "assertion" and outcome.failures[0].thread == "main"
    assert outcome.values() == {"x": 7} and outcome.stuck is None


def test_a_failure_then_a_deadlock_lists_the_stuck_threads():
    found = outcomes(HEADER + """
lock = threading.Lock()
def f():
    lock.acquire()
    assert False, "never releases"
def g():
    lock.acquire()
t1 = threading.Thread(target=f)
t2 = threading.Thread(target=g)
t1.start()
t1.join()
t2.start()
t2.join()
""")
    (outcome,) = found
    assert outcome.status == "assertion" and outcome.stuck == ("main", "g")
    assert outcome.to_json()["failures"] == [{"thread": "f", "line": 7, "message": "never releases"}]


def test_assert_without_message_reports_its_source():
    outcome = only("x = 1\nassert x == 2\n")
    assert outcome.status == "assertion"
    assert (outcome.failures[0].line, outcome.failures[0].message) == (2, "assert x == 2")


def test_runtime_errors_are_error_outcomes():
    outcome = only("a = [0, 0]\ni = 2\nr = 0\nr = a[i]\n")
    assert (outcome.status, outcome.failures[0].line) == ("error", 4)
    assert outcome.failures[0].message.startswith("IndexError")
    outcome = only("x = 0\nr = 1\nr = r // x\n")
    assert outcome.status == "error" and outcome.failures[0].message.startswith("ZeroDivisionError")


def test_unbound_local_is_an_error():
    outcome = only(HEADER + """
def f():
    if False:
        r = 1
    print(r)
t = threading.Thread(target=f)
t.start()
t.join()
""")
    assert outcome.status == "error" and "UnboundLocalError" in outcome.failures[0].message


def test_deadlock_lists_every_started_unfinished_thread_with_main_in_join():
    outcome = only(HEADER + """
lock = threading.Lock()
def f():
    lock.acquire()
    lock.acquire()
t = threading.Thread(target=f)
t.start()
t.join()
""")
    assert outcome.status == "deadlock"
    assert outcome.stuck == ("main", "f")
    assert outcome.final is None


def test_a_spin_that_can_never_exit_is_one_hang():
    found = outcomes(HEADER + """
flag = 0
def waiter():
    while flag == 0:
        pass
t = threading.Thread(target=waiter)
t.start()
t.join()
""")
    assert found == {Outcome("hang", stuck=("main", "waiter"))}


def test_a_spin_that_may_exit_is_not_a_hang():
    found = outcomes(HEADER + """
flag = 0
def waiter():
    while flag == 0:
        pass
def setter():
    global flag
    flag = 1
a = threading.Thread(target=waiter)
b = threading.Thread(target=setter)
a.start()
b.start()
a.join()
b.join()
""")
    assert {o.status for o in found} == {"ok"}


def test_a_purely_local_infinite_loop_is_a_hang():
    found = outcomes(HEADER + """
def f():
    while True:
        pass
t = threading.Thread(target=f)
t.start()
t.join()
""")
    assert {o.status for o in found} == {"hang"}


def message(outcome: Outcome) -> str:
    (failure,) = outcome.failures
    return failure.message


def test_misuse_raises_cpythons_runtime_errors():
    thread = HEADER + "x = 0\ndef f():\n    global x\n    x += 1\nt = threading.Thread(target=f)\n"
    twice = only(thread + "t.start()\nt.start()\n")
    assert message(twice) == "RuntimeError: threads can only be started once"
    assert twice.values() == {"x": 1}  # the thread ran once
    rerun = only(thread + "t.start()\nt.join()\nt.start()\n")
    assert message(rerun) == "RuntimeError: threads can only be started once" and rerun.values() == {"x": 1}
    never = only(thread + "t.join()\n")
    assert message(never) == "RuntimeError: cannot join thread before it is started"
    assert message(only(HEADER + "lock = threading.Lock()\nlock.release()\n")) == "RuntimeError: release unlocked lock"


# ------------------------------------------------------------------ memory models

SB_SELF = HEADER + """
x = 0
r = 0
def f():
    global x, r
    x = 1
    r = x
t = threading.Thread(target=f)
t.start()
t.join()
"""


def test_a_thread_reads_its_own_buffered_store():
    for model in ("sc", "tso", "pso"):
        assert finals(SB_SELF, model, "r") == {(1,)}


def test_seq_cst_store_acts_as_store_plus_fence_under_tso():
    source = HEADER + """
x = Atomic(0)
y = Atomic(0)
r1 = 0
r2 = 0
def a():
    global r1
    x.store(1)
    r1 = y.load()
def b():
    global r2
    y.store(1)
    r2 = x.load()
t1 = threading.Thread(target=a)
t2 = threading.Thread(target=b)
t1.start()
t2.start()
t1.join()
t2.join()
"""
    for model in ("sc", "tso", "pso"):
        assert (0, 0) not in finals(source, model, "r1", "r2")
    # relaxed stores are plain x86 stores: store buffering is back
    relaxed = source.replace("x.store(1)", 'x.store(1, order="relaxed")').replace(
        "y.store(1)", 'y.store(1, order="relaxed")')
    assert (0, 0) in finals(relaxed, "tso", "r1", "r2")


def test_release_store_orders_earlier_stores_under_pso():
    source = HEADER + """
data = 0
flag = Atomic(0)
r1 = 0
r2 = 0
def w():
    global data
    data = 1
    flag.store(1, order="ORDER")
def r():
    global r1, r2
    r1 = flag.load(order="acquire")
    r2 = data
a = threading.Thread(target=w)
b = threading.Thread(target=r)
a.start()
b.start()
a.join()
b.join()
"""
    assert (1, 0) not in finals(source.replace("ORDER", "release"), "pso", "r1", "r2")
    assert (1, 0) in finals(source.replace("ORDER", "relaxed"), "pso", "r1", "r2")


def test_rmw_results_and_compare_exchange_pair():
    source = HEADER + """
a = Atomic(5)
r = 0
ok = False
old = 0
ok, old = a.compare_exchange(5, 7)
r = a.fetch_add(3)
r = r * 100 + a.exchange(1)
"""
    assert finals(source, "tso", "a", "r", "ok", "old") == {(1, 710, True, 5)}


def test_queue_is_fifo_and_event_is_set_reports():
    source = HEADER + """
import queue
q = queue.Queue()
e = threading.Event()
def f():
    q.put(1)
    q.put(2)
    e.set()
t = threading.Thread(target=f)
t.start()
t.join()
print(q.get(), q.get(), e.is_set())
"""
    assert only(source).output == (("main", ("1 2 True",)),)


def test_non_blocking_acquire_returns_false_when_held():
    source = HEADER + """
lock = threading.Lock()
got = 0
def f():
    global got
    if lock.acquire(blocking=False):
        got += 1
        lock.release()
lock.acquire()
t = threading.Thread(target=f)
t.start()
t.join()
lock.release()
"""
    assert finals(source, "sc", "got") == {(0,)}


# ------------------------------------------------------------------ the frontend's lowering


def test_helpers_are_inlined_with_arguments_defaults_and_return_values():
    source = """
total = 0
def add(a, b=10):
    return a + b
def twice(v):
    return add(v) + add(v, b=1)
total = 0
r = twice(2)
total = r
"""
    assert finals(source, "sc", "total") == {(15,)}


def test_break_inside_with_releases_the_lock():
    source = HEADER + """
lock = threading.Lock()
n = 0
def f():
    global n
    while True:
        with lock:
            n += 1
            break
a = threading.Thread(target=f)
b = threading.Thread(target=f)
a.start()
b.start()
a.join()
b.join()
"""
    assert {o.status for o in outcomes(source)} == {"ok"}
    assert finals(source, "sc", "n") == {(2,)}


def test_and_short_circuits_so_the_right_side_is_not_loaded():
    # if `x and y` loaded y even when x is False, the reader would race with the writer of y
    from miscompile.races import find_races
    from conftest import program

    races, _ = find_races(program(HEADER + """
x = False
y = 0
r = 0
def reader():
    global r
    if x and y == 1:
        r = 1
def writer():
    global y
    y = 1
a = threading.Thread(target=reader)
b = threading.Thread(target=writer)
a.start()
b.start()
a.join()
b.join()
"""))
    assert races == []


def test_augmented_assignment_is_a_load_then_a_store():
    source = HEADER + """
x = 0
def f():
    global x
    x += 1
a = threading.Thread(target=f)
b = threading.Thread(target=f)
a.start()
b.start()
a.join()
b.join()
"""
    assert finals(source, "sc", "x") == {(1,), (2,)}


def test_thread_names_default_to_target_with_a_counter():
    source = HEADER + """
def f():
    print(1)
a = threading.Thread(target=f)
b = threading.Thread(target=f)
a.start()
b.start()
a.join()
b.join()
"""
    assert only(source).output == (("f", ("1",)), ("f#2", ("1",)))


def test_byte_fields_are_separate_locations_named_by_field():
    source = """
import ctypes
class S(ctypes.Structure):
    _fields_ = [("lo", ctypes.c_uint8), ("hi", ctypes.c_uint8)]
s = S()
s.hi = 3
s.lo = s.hi + 1
"""
    assert only(source).values() == {"s.lo": 4, "s.hi": 3}


def test_a_release_store_does_not_stall_its_thread_under_pso():
    """W's plain store of p and its release store of x can both still be buffered when it loads y.

    Under tso that is plain store buffering: W reads y=0 and R (whose store of y is fenced out
    before its load) reads p=0. A release store that stalled W until p reached memory would
    forbid (0, 0) under pso, making pso stronger than tso; it must only wait *in the buffer*.
    """
    source = HEADER + """
p = 0
x = Atomic(0)
y = Atomic(0)
r1 = 0
r2 = 0
def w():
    global p, r1
    p = 1
    x.store(1, order="release")
    r1 = y.load(order="acquire")
def r():
    global r2
    y.store(1, order="release")
    fence()
    r2 = p
a = threading.Thread(target=w)
b = threading.Thread(target=r)
a.start()
b.start()
a.join()
b.join()
"""
    assert (0, 0) not in finals(source, "sc", "r1", "r2")
    assert (0, 0) in finals(source, "tso", "r1", "r2")
    assert (0, 0) in finals(source, "pso", "r1", "r2")


def test_stores_after_a_release_store_stay_behind_it_under_pso():
    """The release store is a barrier in the buffer: a later plain store cannot pass it either,
    while two plain stores before it may still reach memory in either order."""
    source = HEADER + """
a = 0
b = 0
c = 0
f = Atomic(0)
def w():
    global a, b, c
    a = 1
    b = 1
    f.store(1, order="release")
    c = 1
def r():
    r1 = c
    r2 = f.load(order="acquire")
    r3 = b
    r4 = a
    print(r1, r2, r3, r4)
t1 = threading.Thread(target=w)
t2 = threading.Thread(target=r)
t1.start()
t2.start()
t1.join()
t2.join()
"""
    printed = {dict(o.output)["r"][0] for o in outcomes(source, "pso")}
    assert not any(p.startswith("1 0") for p in printed)  # c reached memory before f
    assert not any(p.split()[1] == "1" and "0" in p.split()[2:] for p in printed)  # f before a or b


def test_finally_runs_on_return_break_and_exceptions_and_the_exception_goes_on():
    source = HEADER + """
log = [0, 0, 0]
def f():
    for i in range(3):
        try:
            if i == 0:
                continue
            if i == 1:
                break
        finally:
            log[i] = 1
def g():
    try:
        return
    finally:
        log[2] += 10
def h():
    try:
        assert False, "boom"
    finally:
        print("cleaned")
t1 = threading.Thread(target=f)
t2 = threading.Thread(target=g)
t3 = threading.Thread(target=h)
t1.start()
t1.join()
t2.start()
t2.join()
t3.start()
t3.join()
"""
    (outcome,) = outcomes(source)
    assert outcome.values() == {"log[0]": 1, "log[1]": 1, "log[2]": 10}
    assert outcome.output == (("h", ("cleaned",)),)
    assert outcome.status == "assertion" and outcome.failures[0].message == "boom"


def test_none_strings_is_none_and_the_threads_own_name_and_ident():
    source = HEADER + """
owner = None
label = "start"
def worker():
    global owner, label
    me = threading.get_ident()
    if owner is None:
        owner = me
    label = threading.current_thread().name + ("!" if owner == me else "?")
t1 = threading.Thread(target=worker, name="T1")
t1.start()
t1.join()
print(owner is not None, label)
"""
    (outcome,) = outcomes(source)
    assert outcome.output == (("main", ("True T1!",)),)
    assert outcome.values()["label"] == "T1!"


def test_a_flat_state_shows_the_threads_memory_buffers_and_objects_it_was_made_from():
    """A state is one flat tuple; its properties give back each part, in order, and two states
    made from equal parts are equal (the visited set depends on it)."""
    from miscompile.machine import Layout, State, ThreadState

    layout = Layout(threads=2, locations=3)
    threads = (ThreadState(4, (1, "a"), ("printed",)), ThreadState(-1, (), ()))
    made = [State.make(layout, threads, (7, 8, 9), ((), ((0, 5),)), ("lock", "event")) for _ in range(2)]
    state = made[0]
    assert state.threads == threads and state.memory == (7, 8, 9)
    assert state.buffers == ((), ((0, 5),)) and state.objects == ("lock", "event")
    assert state.pc(0) == 4 and state.thread(1) == threads[1]
    assert made[0] == made[1] and hash(made[0]) == hash(made[1])

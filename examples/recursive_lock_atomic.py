"""The recursive lock with `owner` as a relaxed atomic: the racy read becomes a legal one.

Relaxed atomic accesses never race and impose no fences, so this costs what
the racy version cost. A compiler may not invent stores to an atomic, so no
scratch value can appear in `owner`. Outcomes are those of recursive_lock.py
in every model (sc, tso, pso): each thread enters or finds the lock busy,
never both inside; and there is no data race.
"""

import threading

from miscompile.atomics import Atomic

mtx = threading.Lock()
owner = Atomic(0)
count = 0
inside = 0


def try_enter(me):
    global count
    if owner.load(order="relaxed") == me:
        count += 1
        return True
    if mtx.acquire(blocking=False):
        owner.store(me, order="relaxed")
        return True
    return False


def leave(me):
    global count
    if count != 0:
        count -= 1
        return
    owner.store(0, order="relaxed")
    mtx.release()


def worker(me):
    global inside
    if try_enter(me):
        inside += 1
        assert inside == 1, "two threads inside the critical section"
        if try_enter(me):  # recursive entry by the owner
            leave(me)
        inside -= 1
        leave(me)
        print("entered")


t1 = threading.Thread(target=worker, args=(1,), name="T1")
t42 = threading.Thread(target=worker, args=(42,), name="T42")
t1.start()
t42.start()
t1.join()
t42.join()

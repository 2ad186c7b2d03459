"""A recursive lock built on a try-lock, with a "benign" racy read of `owner`.

`try_enter` first checks whether the calling thread already owns the lock,
reading `owner` without holding it. The argument for why this is fine is a
single-thread one: only the owner ever writes its own id into `owner`, and it
writes 0 before unlocking. Threads pass their ids; one of them is 42.

As written, no model lets both threads into the critical section: the
assertion never fails, and each thread enters or finds the lock busy
(sc, tso and pso: the same three outcomes). But `owner` is racy, and a
compiler may use it as scratch space (`owner = 42` just before `owner = me`):
then the thread whose id is 42 can see "its" id and walk in while the owner is
inside. recursive_lock_atomic.py makes `owner` a relaxed atomic.
"""

import threading

mtx = threading.Lock()
owner = 0
count = 0
inside = 0


def try_enter(me):
    global owner, count
    if owner == me:
        count += 1
        return True
    if mtx.acquire(blocking=False):
        owner = me
        return True
    return False


def leave(me):
    global owner, count
    if count != 0:
        count -= 1
        return
    owner = 0
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

"""Peterson's lock with `turn` as an atomic updated by `exchange`.

An exchange is a locked read-modify-write: it waits for the store buffer to
drain, so `flag[me] = True` is in memory before the thread reads the other's
flag. That repairs tso: count == 2 under sc and tso.

Under pso, count may still be 1: the critical section's store to `count`
and the exit store `flag[me] = False` go to different locations, so the flag
can reach memory first and let the other thread in to read a stale count.
`flag` and `count` still race; `turn` no longer does.
"""

import threading

from miscompile.atomics import Atomic

flag = [False, False]
turn = Atomic(0)
count = 0


def worker(me):
    global count
    other = 1 - me
    flag[me] = True
    turn.exchange(other)
    while flag[other] and turn.load() == other:
        pass
    count += 1  # critical section
    flag[me] = False


t0 = threading.Thread(target=worker, args=(0,), name="T0")
t1 = threading.Thread(target=worker, args=(1,), name="T1")
t0.start()
t1.start()
t0.join()
t1.join()

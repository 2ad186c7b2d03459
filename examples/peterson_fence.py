"""Peterson's lock with the classic x86 fix: one fence after the entry stores.

- sc: count == 2.
- tso: count == 2. The fence empties the store buffer before the thread
  reads the other's flag, which removes the store buffering that broke the
  plain version.
- pso: count may still be 1. Stores to different locations leave the buffer
  in any order, so `turn = other` can reach memory before `flag[me] = True`
  (the other thread then sees neither flag nor a turn that stops it), and the
  exit store `flag[me] = False` can overtake the store to `count`. pso needs
  fences between those stores too.

Fences do not make the program race-free: `flag`, `turn` and `count` still
race, because a fence creates no happens-before edge.
"""

import threading

from miscompile.atomics import fence

flag = [False, False]
turn = 0
count = 0


def worker(me):
    global turn, count
    other = 1 - me
    flag[me] = True
    turn = other
    fence()
    while flag[other] and turn == other:
        pass
    count += 1  # critical section
    flag[me] = False


t0 = threading.Thread(target=worker, args=(0,), name="T0")
t1 = threading.Thread(target=worker, args=(1,), name="T1")
t0.start()
t1.start()
t0.join()
t1.join()

"""Peterson's mutual exclusion with plain variables; each thread enters once and bumps `count`.

- sc: mutual exclusion holds, so count == 2.
- tso: count may be 1. Each thread's `flag[me] = True` can sit in its store
  buffer while it reads the other's flag from memory as False (store
  buffering), so both enter and one increment is lost.
- pso: count may be 1, for the same reason.

peterson_fence.py and peterson_exchange.py show two repairs. Every shared
variable here races: `flag`, `turn` and even `count`, because plain accesses
never create happens-before edges.
"""

import threading

flag = [False, False]
turn = 0
count = 0


def worker(me):
    global turn, count
    other = 1 - me
    flag[me] = True
    turn = other
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

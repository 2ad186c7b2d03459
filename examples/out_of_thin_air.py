"""The out-of-thin-air shape, with relaxed atomics.

Each thread copies 42 into the other variable only if it has already seen 42.
The C++ standard's wording does not rule out r1 == r2 == 42 (each read
justified by the other thread's write, which is justified by the read), though
it says implementations should not produce it. No store-buffer machine can:
under sc, tso and pso the only outcome is r1 == r2 == 0. The program has no
data race: relaxed atomics never race.
"""

import threading

from miscompile.atomics import Atomic

x = Atomic(0)
y = Atomic(0)
r1 = 0
r2 = 0


def first():
    global r1
    r1 = x.load(order="relaxed")
    if r1 == 42:
        y.store(r1, order="relaxed")


def second():
    global r2
    r2 = y.load(order="relaxed")
    if r2 == 42:
        x.store(42, order="relaxed")


t1 = threading.Thread(target=first)
t2 = threading.Thread(target=second)
t1.start()
t2.start()
t1.join()
t2.join()

"""MP with a C11 release fence between the writer's stores and an acquire fence between
the reader's loads.

Compiled as C11 compiles to hardware: on x86 both fences are no instruction
at all (tso needs none for MP); under pso the release fence keeps the stores in
order (SPARC's membar #StoreStore), so (r1, r2) = (1, 0) is forbidden under
sc, tso and pso.
"""

import threading

from miscompile.atomics import fence

x = 0
y = 0
r1 = 0
r2 = 0


def writer():
    global x, y
    x = 1
    fence("release")
    y = 1


def reader():
    global r1, r2
    r1 = y
    fence("acquire")
    r2 = x


a = threading.Thread(target=writer)
b = threading.Thread(target=reader)
a.start()
b.start()
a.join()
b.join()

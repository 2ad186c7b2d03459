"""The conditional-locking counter with an atomic counter: promotion cannot touch it.

`work(mt)` still takes the lock only `if mt:`, but `counter` is an Atomic and
each increment is one `fetch_add`. There is no race, and the count is 4 under
sc, tso and pso. A compiler may not keep an atomic in a register, so the
`promote` pass declines ("`counter` is atomic") and no increment is lost.
"""

import threading

from miscompile.atomics import Atomic

lock = threading.Lock()
counter = Atomic(0)


def work(mt):
    for _ in range(2):
        if mt:
            lock.acquire()
        counter.fetch_add(1)
        if mt:
            lock.release()


a = threading.Thread(target=work, args=(True,), name="A")
b = threading.Thread(target=work, args=(True,), name="B")
a.start()
b.start()
a.join()
b.join()
print(counter.load())

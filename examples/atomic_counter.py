"""The racy counter fixed with `fetch_add`: each increment is one indivisible step.

No data race, and the count is 4 under sc, tso and pso.
"""

import threading

from miscompile.atomics import Atomic

counter = Atomic(0)


def work():
    for _ in range(2):
        counter.fetch_add(1)


a = threading.Thread(target=work, name="A")
b = threading.Thread(target=work, name="B")
a.start()
b.start()
a.join()
b.join()
print(counter.load())

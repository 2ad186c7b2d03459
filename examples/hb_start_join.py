"""Happens-before through start and join: no lock needed.

The producer runs to completion and is joined before the consumer starts, so
the write to `data` happens-before the consumer's read (join, then start).
No data race; `seen == 42` and the main thread prints 42 under sc, tso and
pso.
"""

import threading

data = 0
seen = 0


def producer():
    global data
    data = 42


def consumer():
    global seen
    seen = data


p = threading.Thread(target=producer)
c = threading.Thread(target=consumer)
p.start()
p.join()
c.start()
c.join()
print(seen)

"""Publication through a relaxed flag between a release fence and an acquire fence.

The writer stores the data, issues a release fence, then sets the flag with a
relaxed store; the reader reads the flag relaxed and, having seen 1, issues an
acquire fence before reading the data. `seen` is the data it read (-1 when it
did not see the flag).

- sc, tso and pso: -1 or 42. Under pso the release fence keeps the data store
  before the flag store; tso keeps stores in order anyway.
- rc11: -1 or 42, and no data race: the release fence, the relaxed store the
  reader's relaxed load reads, and the acquire fence make the writer's store
  happen before the reader's load (fence-to-fence synchronisation).
- The sc race detector (`races`) still reports a race on `data`: fences create
  no happens-before edge there. `races --model rc11` reports none.
"""

import threading

from miscompile.atomics import Atomic, fence

data = 0
flag = Atomic(0)
seen = -1


def writer():
    global data
    data = 42
    fence("release")
    flag.store(1, order="relaxed")


def reader():
    global seen
    if flag.load(order="relaxed") == 1:
        fence("acquire")
        seen = data


a = threading.Thread(target=writer)
b = threading.Thread(target=reader)
a.start()
b.start()
a.join()
b.join()
print(seen)

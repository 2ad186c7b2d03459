"""Three workers each fill their own slot, meet at a barrier, then worker 0 adds
the slots up.

`Barrier.wait()` returns only when all three have arrived, and every write made
before the barrier happens-before every read after it: the sum is always 6 and
nothing races, under every model.
"""

import threading

N = 3
barrier = threading.Barrier(N)
results = [0, 0, 0]
total = 0


def worker(i):
    global total
    results[i] = i + 1
    barrier.wait()
    if i == 0:
        total = results[0] + results[1] + results[2]


threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(total)

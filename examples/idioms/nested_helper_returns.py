"""A worker with a nested helper that returns two values, unpacked by the caller.

`split` reads `base`, a local of the enclosing function, as a closure does.
Each worker writes only its own slots, so main prints [10, 11, 20, 21] and
nothing races.
"""

import threading

pairs = [0, 0, 0, 0]


def worker(i):
    base = (i + 1) * 10

    def split():
        return base, base + 1

    low, high = split()
    pairs[2 * i] = low
    pairs[2 * i + 1] = high


threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(pairs)

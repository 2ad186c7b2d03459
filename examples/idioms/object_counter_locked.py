"""A counter object passed to two workers, each incrementing it twice under a lock.

`Counter.increment` updates two attributes; the lock makes each call whole, so
both end at 4 under every model, and no attribute races.
"""

import threading


class Counter:
    def __init__(self, start=0):
        self.value = start
        self.updates = 0

    def increment(self, by):
        self.value += by
        self.updates += 1


counter = Counter()
lock = threading.Lock()


def worker(c, n):
    for i in range(n):
        with lock:
            c.increment(1)


threads = [threading.Thread(target=worker, args=(counter, 2)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter.value, counter.updates)

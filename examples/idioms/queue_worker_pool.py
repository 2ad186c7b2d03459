"""A pool of two workers fed by a queue, one `None` per worker to stop them,
results appended to a shared list.

Every job is taken by exactly one worker and every append lands, so the sorted
results are always [1, 4, 9]; which worker took which job varies.
"""

import queue
import threading

jobs = queue.Queue()
results = []


def worker():
    while True:
        n = jobs.get()
        if n is None:
            break
        results.append(n * n)


workers = [threading.Thread(target=worker) for _ in range(2)]
for w in workers:
    w.start()
for n in [1, 2, 3]:
    jobs.put(n)
for w in workers:
    jobs.put(None)
for w in workers:
    w.join()
print(sorted(results))

"""Threads as a `threading.Thread` subclass: `__init__` stores the work, `run`
does it, and the main thread reads each worker's `result` after joining it.

The shared total is updated under a lock and each `result` is written only by
its own thread before the join, so main always prints "3 2" and nothing races.
"""

import threading

total = 0
lock = threading.Lock()


class Worker(threading.Thread):
    def __init__(self, n):
        super().__init__()
        self.n = n
        self.result = 0

    def run(self):
        global total
        for _ in range(self.n):
            self.result += 1
        with lock:
            total += self.result


workers = [Worker(i) for i in range(3)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print(total, workers[2].result)

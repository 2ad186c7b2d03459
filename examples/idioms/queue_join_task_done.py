"""A worker thread takes jobs from a queue and adds them to a total; the main
thread waits with `jobs.join()` before reading the total.

`task_done()` after the update publishes it: `join()` returns only when every
job put has been marked done, so main always prints 3 and `done` does not race.
A `None` job tells the worker to stop.
"""

import queue
import threading

jobs = queue.Queue()
done = 0


def worker():
    global done
    while True:
        item = jobs.get()
        if item is None:
            break
        done += item
        jobs.task_done()


t = threading.Thread(target=worker)
t.start()
jobs.put(1)
jobs.put(2)
jobs.join()
print(done)
jobs.put(None)
t.join()

"""The same worker, but it marks each job done before adding it to the total.

`jobs.join()` can now return while the last addition is still to come, so the
main thread may read the total before it: it prints 1 or 3, and its read of
`done` races with the worker's update. The final total is always 3.
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
        jobs.task_done()
        done += item


t = threading.Thread(target=worker)
t.start()
jobs.put(1)
jobs.put(2)
jobs.join()
print(done)
jobs.put(None)
t.join()

"""A consumer that does not wait: `get_nowait()` raises `queue.Empty` when the
producer has not put its item yet, and the consumer records -1 instead.

Either order is possible, so `got` ends as 7 or -1; the main thread reads it
only after joining the consumer, so nothing races.
"""

import queue
import threading

jobs = queue.Queue()
got = 0


def producer():
    jobs.put(7)


def consumer():
    global got
    try:
        got = jobs.get_nowait()
    except queue.Empty:
        got = -1


c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
c.join()
p.join()
print(got)

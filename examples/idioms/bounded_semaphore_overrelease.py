"""A BoundedSemaphore released once more than it was acquired.

The worker takes the one slot and then releases it twice: the second release
raises CPython's `ValueError: Semaphore released too many times` in the worker
(an `error` outcome); main still joins and prints.
"""

import threading

slot = threading.BoundedSemaphore(1)


def worker():
    slot.acquire()
    slot.release()
    slot.release()


t = threading.Thread(target=worker)
t.start()
t.join()
print("done")

"""Releasing a lock that nobody holds is a `RuntimeError`; this worker catches it
and records the fact instead of dying.

A `threading.Lock` may be released by any thread, so the worker's `release()`
succeeds when it runs while `holder` holds the lock: the worker records
"released", and `holder`'s own release then fails, uncaught ("release unlocked
lock", an error outcome). Otherwise the worker records "not held".
"""

import threading

lock = threading.Lock()
status = "unknown"


def worker():
    global status
    try:
        lock.release()
        status = "released"
    except RuntimeError:
        status = "not held"


def holder():
    lock.acquire()
    lock.release()


w = threading.Thread(target=worker)
h = threading.Thread(target=holder)
w.start()
h.start()
w.join()
h.join()
print(status)

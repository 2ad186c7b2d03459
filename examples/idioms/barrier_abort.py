"""One thread waits at a two-party barrier; the other gives up and aborts it.

The second party never arrives, so the waiter can only leave through the
abort: whether the abort comes before its `wait()` or while it waits, `wait()`
raises `threading.BrokenBarrierError`, which it catches. It always prints
"broken", never "passed".
"""

import threading

barrier = threading.Barrier(2)


def waiter():
    try:
        barrier.wait()
        print("passed")
    except threading.BrokenBarrierError:
        print("broken")


def quitter():
    barrier.abort()


w = threading.Thread(target=waiter)
q = threading.Thread(target=quitter)
w.start()
q.start()
w.join()
q.join()

"""Four workers from a list comprehension add to a counter object under
`lock.acquire()` / `try` / `finally: lock.release()`; main peeks at the
counter without the lock while they run.

The locked updates are never lost: after the joins `counter.value` is always
0+1+2+3 = 6. The peek races with the workers' updates and sees the sum of
whichever of them have finished: anything from 0 to 6.
"""

import threading


class Counter:
    def __init__(self):
        self.value = 0


counter = Counter()
lock = threading.Lock()


def work(n):
    lock.acquire()
    try:
        counter.value += n
    finally:
        lock.release()


threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
peek = counter.value
for t in threads:
    t.join()
print(peek, counter.value)

"""Happens-before through an Event: `set()` happens-before the `wait()` that it wakes.

The consumer prints 42 under sc, tso and pso, and there is no data race.
"""

import threading

data = 0
done = threading.Event()


def producer():
    global data
    data = 42
    done.set()


def consumer():
    done.wait()
    print(data)


p = threading.Thread(target=producer)
c = threading.Thread(target=consumer)
c.start()
p.start()
p.join()
c.join()

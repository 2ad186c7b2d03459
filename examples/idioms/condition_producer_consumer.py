"""A consumer waits on a Condition until the producer has put an item.

`wait_for(lambda: ready)` re-checks the flag each time it is woken, so whether the
consumer or the producer runs first, it prints 42. `item` and `ready` are only
touched while holding the condition's lock: no race, the same under every model.
"""

import threading

cond = threading.Condition()
ready = False
item = 0


def producer():
    global ready, item
    with cond:
        item = 42
        ready = True
        cond.notify()


def consumer():
    with cond:
        cond.wait_for(lambda: ready)
        print(item)


c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
c.join()
p.join()

"""A lost wake-up: the consumer waits without checking a flag first.

If the producer notifies before the consumer starts waiting, nobody is waiting
then, the notification is lost, and the consumer waits forever: a deadlock
(main waits in join). Otherwise the consumer is woken and prints "woken".
Checking a predicate (`wait_for`, as in condition_producer_consumer.py) fixes it.
"""

import threading

cond = threading.Condition()


def producer():
    with cond:
        cond.notify()


def consumer():
    with cond:
        cond.wait()
        print("woken")


c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
c.join()
p.join()

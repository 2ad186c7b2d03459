"""A bounded queue of one slot between a producer and a consumer.

`put` blocks while the slot is full, so the producer can never run more than
one item ahead: once it has put its third item, the consumer has taken the
first two, and counted the first. The producer then reads `taken`, which only
the consumer writes: nothing orders that read with the consumer's later
updates, so it races and sees 1, 2 or 3. The consumer always prints 1 / 2 / 3.
"""

import queue
import threading

slot = queue.Queue(maxsize=1)
taken = 0


def producer():
    for i in range(1, 4):
        slot.put(i)
    print(taken)


def consumer():
    global taken
    for _ in range(3):
        item = slot.get()
        print(item)
        taken += 1


p = threading.Thread(target=producer)
c = threading.Thread(target=consumer)
p.start()
c.start()
p.join()
c.join()

"""The byte-field program with each store inside one lock: safe even when widened.

Each thread stores its own field while holding `lock`. Without any pass,
both stores survive (b1 == 1 and b2 == 1 under sc, tso and pso) and there is
no data race. After `widen` each store becomes a load and a store of the
whole word, but both happen inside the lock, so no other thread can store
the word in between: still no race, and nothing is lost.
"""

import ctypes
import threading


class Flags(ctypes.Structure):
    _fields_ = [("b1", ctypes.c_uint8), ("b2", ctypes.c_uint8)]


lock = threading.Lock()
flags = Flags()


def set_b1():
    with lock:
        flags.b1 = 1


def set_b2():
    with lock:
        flags.b2 = 1


t1 = threading.Thread(target=set_b1)
t2 = threading.Thread(target=set_b2)
t1.start()
t2.start()
t1.join()
t2.join()
assert flags.b1 == 1 and flags.b2 == 1, "a field store was lost"

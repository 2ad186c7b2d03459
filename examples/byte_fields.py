"""Two one-byte fields that share a machine word, each written by its own thread.

Each field is its own memory location (as in C11 and Java), so the threads do
not race and both stores survive: b1 == 1 and b2 == 1 under sc, tso and pso,
and the main thread's check holds.

An older compiler could implement `flags.b1 = 1` as "load the word, set the
byte, store the word". The `widen` pass does exactly that; then the two
threads race on the whole word and one field's store can be lost.
"""

import ctypes
import threading


class Flags(ctypes.Structure):
    _fields_ = [("b1", ctypes.c_uint8), ("b2", ctypes.c_uint8)]


flags = Flags()


def set_b1():
    flags.b1 = 1


def set_b2():
    flags.b2 = 1


t1 = threading.Thread(target=set_b1)
t2 = threading.Thread(target=set_b2)
t1.start()
t2.start()
t1.join()
t2.join()
assert flags.b1 == 1 and flags.b2 == 1, "a field store was lost"

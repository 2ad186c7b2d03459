"""2+2W: two threads each store to x and y, in opposite orders.

The final memory (x, y) = (1, 1) would need each thread's second store to
reach memory before the other thread's first one.
- sc: (1, 2), (2, 1) or (2, 2).
- tso: the same: stores reach memory in program order.
- pso: also (1, 1): stores to different locations leave the buffer in any order.
"""

import threading

x = 0
y = 0


def t1():
    global x, y
    x = 1
    y = 2


def t2():
    global x, y
    y = 1
    x = 2


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

"""SB where each thread reads its own store back before loading the other variable.

(r2, r4) = (0, 0) is forbidden under sc; tso and pso allow it: a thread's load
of its own variable is answered from its store buffer (r1 = r3 = 1 always), and
that does not drain the buffer.
"""

import threading

x = 0
y = 0
r1 = 0
r2 = 0
r3 = 0
r4 = 0


def t1():
    global x, r1, r2
    x = 1
    r1 = x
    r2 = y


def t2():
    global y, r3, r4
    y = 1
    r3 = y
    r4 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

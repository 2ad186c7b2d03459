"""ISA2: x = 1 then y = 1; a second thread sees y = 1 and writes z = 1; a third sees z = 1,
then loads x.

(r1, r2, r3) = (1, 1, 0) is forbidden under sc and tso (the first thread's
stores reach memory in order). pso allows it: y = 1 may reach memory before
x = 1. The other seven combinations happen everywhere.
"""

import threading

x = 0
y = 0
z = 0
r1 = 0
r2 = 0
r3 = 0


def t1():
    global x, y
    x = 1
    y = 1


def t2():
    global z, r1
    r1 = y
    z = 1


def t3():
    global r2, r3
    r2 = z
    r3 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
c = threading.Thread(target=t3)
a.start()
b.start()
c.start()
a.join()
b.join()
c.join()

"""RWC (read-to-write causality): x = 1; a second thread loads x then y; a third stores
y = 1, then loads x.

(r1, r2, r3) = (1, 0, 0) is forbidden under sc (the third thread's load of x
would come before x = 1, which the second thread saw before y = 1). tso and
pso allow it: the third thread's y = 1 waits in its buffer while it loads x.
"""

import threading

x = 0
y = 0
r1 = 0
r2 = 0
r3 = 0


def t1():
    global x
    x = 1


def t2():
    global r1, r2
    r1 = x
    r2 = y


def t3():
    global y, r3
    y = 1
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

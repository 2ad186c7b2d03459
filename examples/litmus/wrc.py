"""WRC (write-to-read causality): x = 1; a second thread sees it and writes y = 1; a third
sees y = 1, then loads x.

(r1, r2, r3) = (1, 1, 0) would break causality. sc, tso and pso forbid it: a
store reaches all other threads at once, and no thread here has a store
followed by a load it could overtake. The other seven combinations happen.
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
    global y, r1
    r1 = x
    y = 1


def t3():
    global r2, r3
    r2 = y
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

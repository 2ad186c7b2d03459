"""R: one thread stores x then y; the other stores y, then loads x.

(y, r1) = (2, 0) means the second thread's store to y landed after the
first thread's, yet its load of x missed the first thread's earlier store.
- sc: (1, 0), (1, 1) or (2, 1).
- tso: also (2, 0): the second thread's store to y waits in its buffer while
  its load of x reads memory.
- pso: also (2, 0).
"""

import threading

x = 0
y = 0
r1 = 0


def t1():
    global x, y
    x = 1
    y = 1


def t2():
    global y, r1
    y = 2
    r1 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

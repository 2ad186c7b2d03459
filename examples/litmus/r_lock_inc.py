"""R with a locked increment between the second thread's store and load.

(y, r1) = (2, 0) is forbidden under tso as under sc. pso still allows it: the
first thread's stores may reach memory out of order (y = 1 before x = 1).
"""

import threading

from miscompile.atomics import Atomic

x = 0
y = 0
z = Atomic(0)
r1 = 0


def t1():
    global x, y
    x = 1
    y = 1


def t2():
    global y, r1
    y = 2
    z.fetch_add(1)
    r1 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

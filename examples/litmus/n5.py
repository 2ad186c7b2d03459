"""n5 of the x86-TSO paper: each thread stores its own value to x and loads x back.

(r1, r2) = (2, 1) is forbidden everywhere: each would have to see the other's
store as the later one. (1, 1), (1, 2) and (2, 2) happen.
"""

import threading

x = 0
r1 = 0
r2 = 0


def t1():
    global x, r1
    x = 1
    r1 = x


def t2():
    global x, r2
    x = 2
    r2 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

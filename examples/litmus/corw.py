"""CoRW (coherence of a read and a later write): the first thread loads x then stores
x = 1; the second stores x = 2.

(r1, x) = (2, 2) is forbidden everywhere: having read 2, the first thread's
x = 1 comes after x = 2 and wins. (0, 1), (0, 2) and (2, 1) happen.
"""

import threading

x = 0
r1 = 0


def t1():
    global x, r1
    r1 = x
    x = 1


def t2():
    global x
    x = 2


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

"""CoRR (coherence of two reads): one thread stores x = 1; another loads x twice.

(r1, r2) = (1, 0) is forbidden everywhere: once a thread has seen a store to a
location it never sees an older value there. (0, 0), (0, 1) and (1, 1).
"""

import threading

x = 0
r1 = 0
r2 = 0


def t1():
    global x
    x = 1


def t2():
    global r1, r2
    r1 = x
    r2 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

"""CoWR (coherence of a write and a later read): the first thread stores x = 1 and loads
x; the second stores x = 2.

(r1, x) = (2, 1) is forbidden everywhere: reading 2 means x = 2 came after
x = 1, so x cannot end 1. (1, 1), (1, 2) and (2, 2) happen. Under tso and pso
the load may be answered from the thread's own buffer, which still gives 1.
"""

import threading

x = 0
r1 = 0


def t1():
    global x, r1
    x = 1
    r1 = x


def t2():
    global x
    x = 2


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

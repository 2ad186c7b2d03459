"""CoWW (coherence of two writes): the first thread stores x = 1 then x = 2; the second
stores x = 3.

x never ends 1: x = 2 follows x = 1 in every thread's view, also under pso,
whose buffers keep the stores to one location in order. x ends 2 or 3.
"""

import threading

x = 0


def t1():
    global x
    x = 1
    x = 2


def t2():
    global x
    x = 3


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

"""SB (store buffering): each thread stores to one variable, then loads the other.

- sc: (r1, r2) is (0, 1), (1, 0) or (1, 1): someone's store comes first.
- tso: also (0, 0): both stores wait in their buffers while both loads read
  memory. This is the one reordering x86 performs.
- pso: also (0, 0).
"""

import threading

x = 0
y = 0
r1 = 0
r2 = 0


def t1():
    global x, r1
    x = 1
    r1 = y


def t2():
    global y, r2
    y = 1
    r2 = x


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

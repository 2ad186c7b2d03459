"""MP (message passing): write data then flag; the reader loads flag then data.

- sc: (r1, r2) is (0, 0), (0, 1) or (1, 1); seeing the flag means seeing the data.
- tso: the same three: x86 keeps stores in order and loads in order.
- pso: also (1, 0): the flag's store can reach memory before the data's.
"""

import threading

x = 0
y = 0
r1 = 0
r2 = 0


def writer():
    global x, y
    x = 1
    y = 1


def reader():
    global r1, r2
    r1 = y
    r2 = x


a = threading.Thread(target=writer)
b = threading.Thread(target=reader)
a.start()
b.start()
a.join()
b.join()

"""No sequentially consistent execution writes anything, so there is no data race.

Each thread writes only if it first sees the other's write. With x and y
initially False, no interleaving ever performs a write, so the program is
race-free and x == y == False under sc, tso and pso.

A compiler that speculates the stores (`y = True`, then undo it if x was
false) makes x == y == True possible out of nothing: see the `speculate` pass.
"""

import threading

x = False
y = False


def first():
    global y
    if x:
        y = True


def second():
    global x
    if y:
        x = True


t1 = threading.Thread(target=first)
t2 = threading.Thread(target=second)
t1.start()
t2.start()
t1.join()
t2.join()

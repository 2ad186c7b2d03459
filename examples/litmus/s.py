"""S: the first thread stores x = 2 then y = 1; the second loads y, then stores x = 1.

(r1, x) = (1, 2) would need the second thread to see y = 1 and still have its
x = 1 overwritten by the first thread's earlier x = 2.
- sc: (0, 1), (0, 2) or (1, 1).
- tso: the same: the first thread's stores reach memory in order, so once y = 1
  is visible x = 2 is already in memory and the later x = 1 wins.
- pso: also (1, 2): y = 1 may reach memory before x = 2.
"""

import threading

x = 0
y = 0
r1 = 0


def t1():
    global x, y
    x = 2
    y = 1


def t2():
    global x, r1
    r1 = y
    x = 1


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

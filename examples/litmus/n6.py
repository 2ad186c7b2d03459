"""n6 of the x86-TSO paper: the first thread stores x = 1, loads x and then y; the second
stores y = 2 then x = 2.

(r1, r2, x) = (1, 0, 1) is forbidden under sc: r2 = 0 puts both of the second
thread's stores after the first thread's loads, so x = 2 is last. x86 (tso)
allows it: x = 1 waits in the first thread's buffer (and answers its load of
x) until after the second thread's stores. pso also allows (2, 0, 2): the
second thread's x = 2 may reach memory before its y = 2.
"""

import threading

x = 0
y = 0
r1 = 0
r2 = 0


def t1():
    global x, r1, r2
    x = 1
    r1 = x
    r2 = y


def t2():
    global x, y
    y = 2
    x = 2


a = threading.Thread(target=t1)
b = threading.Thread(target=t2)
a.start()
b.start()
a.join()
b.join()

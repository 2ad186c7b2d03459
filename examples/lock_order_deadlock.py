"""A lock-order deadlock: one thread takes a then b, the other b then a.

Under sc, tso and pso the program either finishes or deadlocks with both
workers blocked on their second lock and the main thread waiting in join().
There is no data race. (Run under CPython it almost always finishes: the
deadlock needs an unlucky switch between the two acquires.)
"""

import threading

a = threading.Lock()
b = threading.Lock()


def left():
    with a:
        with b:
            pass


def right():
    with b:
        with a:
            pass


t1 = threading.Thread(target=left)
t2 = threading.Thread(target=right)
t1.start()
t2.start()
t1.join()
t2.join()

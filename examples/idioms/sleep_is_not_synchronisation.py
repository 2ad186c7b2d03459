"""`time.sleep` to "let the writer go first" is not synchronisation.

The reader sleeps before reading, hoping the writer has stored 1 by then. A
sleep orders nothing: the reader may still read 0, under every model, and the
accesses to `x` race.
"""

import threading
import time

x = 0


def writer():
    global x
    x = 1


def reader():
    time.sleep(0.1)
    print(x)


w = threading.Thread(target=writer)
r = threading.Thread(target=reader)
r.start()
w.start()
w.join()
r.join()

"""The broken flag, fixed with an atomic flag: a release store paired with an acquire load.

The reader's acquire load that sees `True` synchronises with the writer's
release store, so `data = 42` happens-before `print(data)`: no data race, and
every model (sc, tso, pso) prints 42. Under pso the release store first waits
for the store to `data` to leave the buffer.
"""

import threading

from miscompile.atomics import Atomic

data = 0
ready = Atomic(False)


def writer():
    global data
    data = 42
    ready.store(True, order="release")


def reader():
    while not ready.load(order="acquire"):
        pass
    print(data)


t1 = threading.Thread(target=writer)
t2 = threading.Thread(target=reader)
t2.start()
t1.start()
t1.join()
t2.join()

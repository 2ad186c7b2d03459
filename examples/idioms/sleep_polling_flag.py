"""Waiting for a flag by polling with `time.sleep`, as scripts often do.

The sleep gives no ordering: `stop` is a plain variable read and written by two
threads, so it races. Under every model the poller eventually sees the store
(store buffers drain), so the program ends and prints "stopped"; with the
`hoist` pass, the read moves out of the loop and the poller can spin forever.
"""

import threading
import time

stop = False


def poller():
    while not stop:
        time.sleep(0.01)
    print("stopped")


def stopper():
    global stop
    stop = True


p = threading.Thread(target=poller)
s = threading.Thread(target=stopper)
p.start()
s.start()
p.join()
s.join()

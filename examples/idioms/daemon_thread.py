"""A daemon thread waits for a flag; the program ends when main does, and the daemon is stopped.

The main thread sets `stop` and returns without waiting: a daemon thread never
keeps CPython alive, so the program always ends (`ok`), whether or not the
poller saw the flag and recorded it (`seen` 0 or 1). `stop` and `seen` race.
"""

import threading

stop = False
seen = 0


def poller():
    global seen
    while not stop:
        pass
    seen = 1


t = threading.Thread(target=poller, daemon=True)
t.start()
stop = True

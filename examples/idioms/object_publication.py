"""An object's fields published through another field, with no synchronisation.

The writer sets `box.data` and then `box.ready`. Under sc and tso a reader that
sees `ready` also sees `data` (stores leave a thread in order), but pso may let
`ready` reach memory first: the reader then prints 0. Both fields race.
"""

import threading


class Box:
    def __init__(self):
        self.data = 0
        self.ready = False


box = Box()


def writer():
    box.data = 42
    box.ready = True


def reader():
    if box.ready:
        print(box.data)


w = threading.Thread(target=writer)
r = threading.Thread(target=reader)
w.start()
r.start()
w.join()
r.join()

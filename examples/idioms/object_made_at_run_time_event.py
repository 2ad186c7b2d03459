"""The same publication through a `threading.Event`: the producer makes the
object, stores it, and sets the event; the consumer waits for the event.

`set()` happens-before the `wait()` that returns, so the consumer always sees
the object whole and prints 42, under every model, with no race.
"""

import threading


class Config:
    def __init__(self, value):
        self.value = value


config = None
ready = threading.Event()


def producer():
    global config
    config = Config(42)
    ready.set()


def consumer():
    ready.wait()
    print(config.value)


p = threading.Thread(target=producer)
q = threading.Thread(target=consumer)
p.start()
q.start()
p.join()
q.join()

"""Seed 001's publication: a producer makes a `Config` object while the program
runs and publishes it through a global; a consumer uses it once it is there.

The object's attributes are stored by `__init__` before the global, so under
sc and tso a consumer that sees the object also sees its attributes. pso lets
the store of `config` reach memory before the store of `config.value`: the
consumer then reads an attribute that is not there yet, CPython's
`AttributeError`. `config` and the attribute race.
"""

import threading


class Config:
    def __init__(self, value):
        self.value = value

    def doubled(self):
        return self.value * 2


config = None


def producer():
    global config
    config = Config(21)


def consumer():
    c = config
    if c is not None:
        print(c.doubled())


p = threading.Thread(target=producer)
q = threading.Thread(target=consumer)
p.start()
q.start()
p.join()
q.join()

"""Two named `threading.Thread` subclasses increment a global without a lock.

`counter += 1` is a read and a write; when both threads read 0 before either
writes, one increment is lost. CPython's names come from `super().__init__`.
"""

import threading

counter = 0


class Incrementer(threading.Thread):
    def __init__(self, name):
        super().__init__(name=name)

    def run(self):
        global counter
        counter += 1


a = Incrementer("alpha")
b = Incrementer("beta")
a.start()
b.start()
a.join()
b.join()
print(counter)

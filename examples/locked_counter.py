"""Lock-protected increments: two threads add 1 twice each, every time under the lock.

No data race, and the main thread's check after both joins always holds:
counter == 4 under sc, tso and pso.
"""

import threading

lock = threading.Lock()
counter = 0


def work():
    global counter
    for _ in range(2):
        with lock:
            counter += 1


a = threading.Thread(target=work, name="A")
b = threading.Thread(target=work, name="B")
a.start()
b.start()
a.join()
b.join()
assert counter == 4, "an increment was lost"

"""The racy counter: two threads add 1 twice each with `counter += 1` and no lock.

`counter += 1` is a load then a store, so increments can be lost.
Under sc, tso and pso the final count is 2, 3 or 4: each thread's second
increment starts from at least its own first one, so it never drops below 2.
atomic_counter.py is the fix.
"""

import threading

counter = 0


def work():
    global counter
    for _ in range(2):
        counter += 1


a = threading.Thread(target=work, name="A")
b = threading.Thread(target=work, name="B")
a.start()
b.start()
a.join()
b.join()
print(counter)

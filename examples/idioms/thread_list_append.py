"""Threads built by appending in a loop, each started as soon as it is made, then all joined.

Each worker adds its number (0, 1, 2) under a lock: the total is always 3, under
every model, with no race.
"""

import threading

total = 0
lock = threading.Lock()


def worker(i):
    global total
    with lock:
        total += i


threads = []
for i in range(3):
    t = threading.Thread(target=worker, args=(i,))
    threads.append(t)
    t.start()
for t in threads:
    t.join()
print(total)

"""A semaphore lets at most two of three workers in at a time.

Each worker counts itself in (`inside += 1` under a lock), records the largest
number it saw inside, and counts itself out. The semaphore starts at 2, so at most
two are ever inside: `most` ends as 1 or 2 (2 when two overlap), never 3.
No data race: `inside` and `most` are only touched under `lock`.
"""

import threading

slots = threading.Semaphore(2)
lock = threading.Lock()
inside = 0
most = 0


def worker():
    global inside, most
    with slots:
        with lock:
            inside += 1
            if inside > most:
                most = inside
        with lock:
            inside -= 1


t1 = threading.Thread(target=worker)
t2 = threading.Thread(target=worker)
t3 = threading.Thread(target=worker)
t1.start()
t2.start()
t3.start()
t1.join()
t2.join()
t3.join()
print(most)

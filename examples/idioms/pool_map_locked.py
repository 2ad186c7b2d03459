"""`pool.map` over a list, with the shared total updated under a lock.

`map` returns the results in the order of the items whichever worker ran them,
so main prints [2, 4, 6]; the lock keeps every addition, so the total is
always 12, and nothing races.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

total = 0
lock = threading.Lock()


def double(n):
    global total
    with lock:
        total += 2 * n
    return 2 * n


with ThreadPoolExecutor(max_workers=2) as pool:
    doubled = list(pool.map(double, [1, 2, 3]))
print(doubled, total)

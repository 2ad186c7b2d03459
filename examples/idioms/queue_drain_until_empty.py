"""Two workers drain a queue filled before they start, stopping at
`queue.Empty`, and add what they take to a total under a lock.

Each item is taken once, so the total is always 6; the lock keeps `total`
from racing.
"""

import queue
import threading

items = queue.Queue()
for n in [1, 2, 3]:
    items.put(n)
total = 0
lock = threading.Lock()


def drain():
    global total
    while True:
        try:
            n = items.get_nowait()
        except queue.Empty:
            break
        with lock:
            total += n


threads = [threading.Thread(target=drain) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(total)

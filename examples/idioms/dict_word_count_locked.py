"""The same word count with the read and the write of each key under a lock.

No count is lost: "a" is always 2 and "b" 1, and nothing races. Which key
was inserted first still depends on which thread ran first, and `print`
shows a dict in insertion order.
"""

import threading

counts = {}
lock = threading.Lock()


def count(word):
    with lock:
        counts[word] = counts.get(word, 0) + 1


threads = [threading.Thread(target=count, args=(w,)) for w in ["a", "b", "a"]]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counts, sorted(counts.items()))

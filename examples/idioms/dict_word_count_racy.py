"""Counting words in a shared dict from several threads, without a lock.

`counts[word] = counts.get(word, 0) + 1` reads the key and then writes it: the
two threads counting "a" can both read 1 or both read nothing, and one count
is lost ("a" ends at 1 instead of 2). Each key is its own memory location, so
only `counts['a']` races; the order of the keys is the order they were first
inserted, which varies too.
"""

import threading

counts = {}


def count(word):
    counts[word] = counts.get(word, 0) + 1


threads = [threading.Thread(target=count, args=(w,)) for w in ["a", "b", "a"]]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counts)

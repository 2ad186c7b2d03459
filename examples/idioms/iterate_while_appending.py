"""Main iterates over a list while a worker appends to it.

CPython's list iterator reads the current length at each step, so the loop sees
the appended item if the append comes before the loop's last check: the sum is
1 or 3. Nothing is corrupted and the list operations do not race.
"""

import threading

items = [1]


def add():
    items.append(2)


t = threading.Thread(target=add)
t.start()
total = 0
for v in items:
    total += v
t.join()
print(total, len(items))

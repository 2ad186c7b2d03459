"""Electing a leader with `if "leader" not in registry:` and no lock.

Both threads can find the key absent before either inserts it, so both
believe they lead: `leaders` can end at 2. The registry ends with whichever
insert came last.
"""

import threading

registry = {}
leaders = [0, 0]


def elect(i, name):
    if "leader" not in registry:
        registry["leader"] = name
        leaders[i] = 1


a = threading.Thread(target=elect, args=(0, "A"))
b = threading.Thread(target=elect, args=(1, "B"))
a.start()
b.start()
a.join()
b.join()
print(registry["leader"], sum(leaders))

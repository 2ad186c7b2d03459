"""Two consumers each take the last job with `if jobs: jobs.pop()`.

Each `pop` is atomic, but the check and the pop are two steps: both consumers
can see the one job, and the second `pop` then fails with CPython's
`IndexError: pop from empty list`. Or one of them sees the list already empty
and takes nothing.
"""

import threading

jobs = [7]
taken = 0


def consumer():
    global taken
    if jobs:
        jobs.pop()
        taken += 1


a = threading.Thread(target=consumer)
b = threading.Thread(target=consumer, name="consumer#2")
a.start()
b.start()
a.join()
b.join()
print(taken)

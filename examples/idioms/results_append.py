"""Workers append their results to a shared list; main prints it after joining.

`list.append` is atomic in CPython, so no result is lost, but the order depends
on who runs first: every permutation of [0, 10, 20] can be printed, and
`sorted(results)` is always [0, 10, 20]. The list's operations do not race.
"""

import threading

results = []


def worker(n):
    results.append(n * 10)


threads = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(results)
print(sorted(results), len(results))

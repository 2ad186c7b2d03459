"""Each worker stores its answer in its own slot of a list made with
`[None] * N`; main prints the list after joining them.

No two threads write the same slot and main reads only after the joins, so it
always prints ['w0', 'w1', 'w2'] and nothing races.
"""

import threading

N = 3
answers = [None] * N


def worker(i):
    answers[i] = f"w{i}"


threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(answers)

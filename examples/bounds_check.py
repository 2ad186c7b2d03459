"""Read an index once, check it, then use it: safe as written, broken by `rematerialize`.

`reader` copies the shared `index` into a local, checks the bound on the local
and indexes `table` with the same local. The writer moves `index` out of
range. Whichever order the threads run in, the check and the use see one
value: the reader prints 10 (it read 0) or nothing (it read 5). The same
under sc, tso and pso.

`index` races: the reader reads it without synchronising. The
`rematerialize` pass drops the local and reads `index` again at each use, so
the check can see 0 and the indexing 5: an index out of range.
"""

import threading

index = 0
table = [10, 20]


def reader():
    i = index
    if i < 2:
        print(table[i])


def writer():
    global index
    index = 5


t1 = threading.Thread(target=reader)
t2 = threading.Thread(target=writer)
t1.start()
t2.start()
t1.join()
t2.join()

"""The broken flag: a writer publishes `data` and then raises `ready`; a reader spins on `ready`.

Nothing orders the two threads: `ready` is a plain variable, so both `data` and
`ready` race. What each model allows:

- sc: the reader prints 42. It can only leave the loop after `ready = True`,
  which comes after `data = 42` in the writer.
- tso: still 42. x86 store buffers are FIFO, so `data` reaches memory before
  `ready`.
- pso: the reader may print 0: the store to `ready` can leave the writer's
  buffer before the store to `data`.

A compiler may also break it: `hoist` reads `ready` once before the loop (the
reader may spin forever) and `reorder` swaps the two stores (0 even under sc).
The fixes are broken_flag_lock.py and broken_flag_atomic.py.
"""

import threading

data = 0
ready = False


def writer():
    global data, ready
    data = 42
    ready = True


def reader():
    while not ready:
        pass
    print(data)


t1 = threading.Thread(target=writer)
t2 = threading.Thread(target=reader)
t2.start()
t1.start()
t1.join()
t2.join()

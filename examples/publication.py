"""Publication without fences: construct `x`, then publish it through `ready`.

The consumer checks `ready` once; `r` stays -1 when it did not see the
publication. The bad outcome is `r == 0`: the handle is published but the data
behind it is not.

- sc: r is -1 or 1.
- tso: r is -1 or 1 (stores leave the buffer in order).
- pso: r may also be 0: the store to `ready` can reach memory before the
  store to `x`.

Both `x` and `ready` race. publication_fenced.py adds the fences.
"""

import threading

x = 0
ready = 0
r = -1


def producer():
    global x, ready
    x = 1
    ready = 1


def consumer():
    global r
    if ready == 1:
        r = x


t1 = threading.Thread(target=producer)
t2 = threading.Thread(target=consumer)
t1.start()
t2.start()
t1.join()
t2.join()

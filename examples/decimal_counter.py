"""A six-digit decimal counter kept in two three-digit words, incremented by two threads.

The counter is 999 (x_hi = 0, x_lo = 999). Each thread reads both words,
adds one with a carry, and writes both words back, as a compiler would for a
counter wider than a machine word. Two increments should give 1001, but the
words can mix: under sc, tso and pso the final value is 1, 1000, 1001 or
2000. 2000 arises when one thread stores its new high word, the other then
reads that high word with the old low word and carries again.
Both words race.
"""

import threading

x_hi = 0
x_lo = 999


def increment():
    global x_hi, x_lo
    hi = x_hi
    lo = x_lo
    lo += 1
    if lo == 1000:
        lo = 0
        hi += 1
    x_hi = hi
    x_lo = lo


blue = threading.Thread(target=increment, name="blue")
red = threading.Thread(target=increment, name="red")
blue.start()
red.start()
blue.join()
red.join()
print(x_hi * 1000 + x_lo)

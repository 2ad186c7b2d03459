"""Each worker fills its own slot of a list sized by a constant; main then
iterates the list, sums it and finds its largest element.

Every slot is written by one thread before the join that main waits for, so
main always prints 14 and 9, and nothing races.
"""

import threading

SIZE = 4
squares = [0] * SIZE


def fill(i):
    squares[i] = i * i


threads = [threading.Thread(target=fill, args=(i,)) for i in range(SIZE)]
for t in threads:
    t.start()
for t in threads:
    t.join()
total = 0
for value in squares:
    total += value
print(total, max(squares))
print(sum(squares) == total, len(squares), squares)

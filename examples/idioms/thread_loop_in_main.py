"""Threads made, appended and started in one loop inside main(), with computed arguments.

`main()` makes a `Tally` object (an attribute per parity), then four threads in
`for i in range(4)`: each gets `args=(i,)` and `kwargs={"even": i % 2 == 0}`
computed from the loop variable. Each worker adds its number to its parity's
attribute, without a lock.

Reasoning: workers 0 and 2 both do `tally.even_sum += i` (a read, then a
write), and so do 1 and 3 on `odd_sum`. Each pair can lose one update: even_sum
ends 2 (both applied, or only 0's lost, which changes nothing) or 0 (2's lost);
odd_sum ends 4 (1 + 3), 1 or 3. Every combination is possible: the two pairs touch
different attributes. Stores are not reordered with the loads before them on
any of the models, so tso and pso add nothing. Both attributes race.
"""

import threading


class Tally:
    def __init__(self):
        self.even_sum = 0
        self.odd_sum = 0


def add(tally, number, even=False):
    if even:
        tally.even_sum += number
    else:
        tally.odd_sum += number


def main():
    tally = Tally()
    threads = []
    for i in range(4):
        t = threading.Thread(target=add, args=(tally, i), kwargs={"even": i % 2 == 0})
        threads.append(t)
        t.start()
    for t in threads:
        t.join()
    print(tally.even_sum, tally.odd_sum)


main()

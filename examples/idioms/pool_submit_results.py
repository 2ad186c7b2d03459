"""A `ThreadPoolExecutor` of two workers runs four tasks submitted with
`submit`; main collects their results with `future.result()`.

Each result is returned through its future, so `results` is always
[0, 1, 4, 9]. The tasks also count themselves in a global without a lock: one
worker can read `done` as 0, stall while the other runs the three other tasks,
and then write 1, so `done` ends anywhere from 1 to 4, and it races.
"""

from concurrent.futures import ThreadPoolExecutor

done = 0


def square(n):
    global done
    done += 1
    return n * n


with ThreadPoolExecutor(max_workers=2) as pool:
    futures = [pool.submit(square, i) for i in range(4)]
    results = [f.result() for f in futures]
print(results, done)

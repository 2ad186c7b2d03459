"""A task that raises: the pool's worker records the exception in the task's
future, and `result()` raises it again in main, which catches it.

The worker itself goes on to run the next task, so main always prints the
caught error and then the second task's result, 5.
"""

from concurrent.futures import ThreadPoolExecutor


def divide(a, b):
    return a // b


with ThreadPoolExecutor(max_workers=1) as pool:
    bad = pool.submit(divide, 1, 0)
    good = pool.submit(divide, 10, 2)
    try:
        bad.result()
    except ZeroDivisionError:
        print("the task raised ZeroDivisionError")
    print(good.result())

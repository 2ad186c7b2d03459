"""Four workers made by a list comprehension, started and joined in loops, from main().

Each worker adds its own number to `total` under a lock, so the total is always
0 + 1 + 2 + 3 = 6, under every model, with no race.
"""

import threading

N = 4
total = 0
lock = threading.Lock()


def worker(i):
    global total
    with lock:
        total += i


def main():
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(total)


if __name__ == "__main__":
    main()

"""`lock.acquire()` then `try: ... finally: lock.release()`, with an assert inside.

Two workers add 1 and 2 twice each under the lock. When a worker's increment
makes the count exactly 3 its assert fails; the exception leaves through
`finally`, which releases the lock, so the other worker goes on and the program
ends. Orders: a,a,b,b or b,b,a,a reach 6 (ok); a then b hits 3 in b (final 4,
after a's second increment); b then a hits 3 in a (final 5). No race: every
access is under the lock.
"""

import threading

lock = threading.Lock()
count = 0


def work(n):
    global count
    for i in range(2):
        lock.acquire()
        try:
            count += n
            assert count != 3, "three"
        finally:
            lock.release()


a = threading.Thread(target=work, args=(1,), name="a")
b = threading.Thread(target=work, args=(2,), name="b")
a.start()
b.start()
a.join()
b.join()

"""A recursive lock: `transfer` holds `lock` and calls `deposit`, which takes it again.

With an RLock the second acquire by the same thread succeeds (a plain Lock would
deadlock here). Two threads each transfer once; every update to `total` happens
under the lock, so there is no race and the total is 2 under every model.
"""

import threading

lock = threading.RLock()
total = 0


def deposit():
    global total
    with lock:
        total += 1


def transfer():
    with lock:
        deposit()


a = threading.Thread(target=transfer)
b = threading.Thread(target=transfer)
a.start()
b.start()
a.join()
b.join()
print(total)

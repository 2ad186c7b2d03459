"""Recording which thread owns a resource with `threading.get_ident()`, as a
hand-made recursive lock does (seed 002).

Each worker claims the resource under a lock only if it is free and checks that
the owner it reads back is its own id. Exactly one worker claims it, so
`claims` is always 1, and the check never fails.
"""

import threading

owner = 0
claims = 0
lock = threading.Lock()


def worker():
    global owner, claims
    me = threading.get_ident()
    with lock:
        if owner == 0:
            owner = me
            claims += 1
        if owner == me:
            assert owner == threading.get_ident()


threads = [threading.Thread(target=worker) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(claims)

"""Double-checked initialisation: check a flag without the lock, initialise under it.

Two threads call `get()` and print what it returns.

- sc: both print 42.
- tso: both print 42 (the initialiser's stores reach memory in order).
- pso: a thread may print 0: the store to `initialized` can reach memory
  before the store to `value`, and the unlocked first check then skips the
  lock and reads the old value.

`value` and `initialized` race (the first check reads them outside the lock).
The `reorder` pass may swap the two stores inside the lock (any order is
legal single-threaded); then a thread may print 0 even under sc.
"""

import threading

lock = threading.Lock()
value = 0
initialized = False


def get():
    global initialized, value
    if not initialized:
        with lock:
            if not initialized:
                value = 42
                initialized = True
    return value


def user():
    print(get())


a = threading.Thread(target=user, name="A")
b = threading.Thread(target=user, name="B")
a.start()
b.start()
a.join()
b.join()

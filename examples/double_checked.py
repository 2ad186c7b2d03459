"""Double-checked initialisation: check a flag without the lock, initialise under it.

Two threads call `get()` and print what it returns.

- sc: both print 42.
- tso: both print 42 (the initialiser's stores reach memory in order).
- pso: a thread may print 0: the store to `initialized` can reach memory
  before the store to `value`, and the unlocked first check then skips the
  lock and reads the old value.

`initialized` and `value` race (the first check reads them outside the lock).
"""

import threading

lock = threading.Lock()
initialized = False
value = 0


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

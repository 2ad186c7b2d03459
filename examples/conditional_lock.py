"""Lock only when running threaded: correct as written, broken by `promote`.

`work(mt)` adds 1 to `counter` twice and takes the lock around each increment
only when `mt` is true, as a library does when it knows threads are running.
Both threads pass True, so every access to `counter` happens inside the lock:
there is no data race, and the final count is 4 under sc, tso and pso.

The `promote` pass keeps `counter` in a local for the whole loop: it loads it
before the loop, stores it after, and spills and reloads it around the lock
calls. The load before the loop and the store after it are outside the lock,
so increments can be lost (Boehm, "Threads cannot be implemented as a
library").
"""

import threading

lock = threading.Lock()
counter = 0


def work(mt):
    global counter
    for _ in range(2):
        if mt:
            lock.acquire()
        counter += 1
        if mt:
            lock.release()


a = threading.Thread(target=work, args=(True,), name="A")
b = threading.Thread(target=work, args=(True,), name="B")
a.start()
b.start()
a.join()
b.join()
print(counter)

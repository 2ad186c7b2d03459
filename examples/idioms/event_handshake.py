"""Publishing a result with `threading.Event`: the worker stores it, then sets
the event; main waits for the event before reading it.

`set()` happens-before the `wait()` that returns, so main always prints 42
under every model, and `result` does not race.
"""

import threading

result = 0
done = threading.Event()


def worker():
    global result
    result = 42
    done.set()


t = threading.Thread(target=worker)
t.start()
done.wait()
print(result)
t.join()

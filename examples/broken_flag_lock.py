"""The broken flag, fixed with a lock: both sides touch `data` and `ready` only while holding it.

Lock release happens-before the next acquire of the same lock, so whichever
critical section of the reader sees `ready` also sees `data = 42`, and there
is no data race. Every model (sc, tso, pso) prints 42: acquiring and
releasing a lock waits for the thread's store buffer to drain.
"""

import threading

lock = threading.Lock()
data = 0
ready = False


def writer():
    global data, ready
    with lock:
        data = 42
        ready = True


def reader():
    while True:
        with lock:
            if ready:
                print(data)
                break


t1 = threading.Thread(target=writer)
t2 = threading.Thread(target=reader)
t2.start()
t1.start()
t1.join()
t2.join()

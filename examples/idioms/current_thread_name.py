"""Threads that report their own name with `threading.current_thread().name`.

Each thread prints its own name once, so the output per thread is always the
same; the names are the ones given with `name=`, and main's is "MainThread".
"""

import threading


def report():
    print("running in", threading.current_thread().name)


threads = [threading.Thread(target=report, name=f"worker-{i}") for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("main is", threading.current_thread().name)

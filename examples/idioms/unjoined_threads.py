"""Threads started without a name and never joined; the program still waits for them.

CPython exits only when every non-daemon thread has finished, so both greetings
are always printed. `greeted` is incremented by both without a lock: a race, and
an increment can be lost (1 or 2).
"""

import threading

greeted = 0


def greet(name, punctuation="!"):
    global greeted
    print(f"hello {name}{punctuation}")
    greeted += 1


threading.Thread(target=greet, args=("ada",)).start()
threading.Thread(target=greet, kwargs={"name": "bob", "punctuation": "?"}).start()

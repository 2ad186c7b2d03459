"""The usual script layout: a `main()` called under `if __name__ == "__main__":`,
threads given keyword arguments and string names.

Each greeter prints its own line; the shared count is updated under a lock, so
main always prints 2.
"""

import threading

count = 0
lock = threading.Lock()


def greet(name, punctuation="."):
    global count
    print(f"hello {name}{punctuation}")
    with lock:
        count += 1


def main():
    a = threading.Thread(target=greet, kwargs={"name": "ada", "punctuation": "!"}, name="A")
    b = threading.Thread(target=greet, args=("bob",), name="B")
    a.start()
    b.start()
    a.join()
    b.join()
    print(count)


if __name__ == "__main__":
    main()

"""Lazy initialisation with `if config is None:` and no lock.

Both threads can find `config` still None before either sets it, and then both
run the setup: `setups` ends at 1 or 2. Both threads read a set-up config
either way, and `config` and `setups` race.
"""

import threading

config = None
setups = 0


def get_config():
    global config, setups
    if config is None:
        setups += 1
        config = "loaded"
    return config


def worker():
    assert get_config() == "loaded"


a = threading.Thread(target=worker)
b = threading.Thread(target=worker, name="worker#2")
a.start()
b.start()
a.join()
b.join()
print(setups)

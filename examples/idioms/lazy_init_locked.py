"""The same lazy initialisation, with the check and the setup under a lock.

Only the first thread to take the lock finds `config` None, so the setup runs
exactly once and nothing races.
"""

import threading

config = None
setups = 0
lock = threading.Lock()


def get_config():
    global config, setups
    with lock:
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

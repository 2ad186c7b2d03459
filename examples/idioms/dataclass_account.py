"""A `@dataclass` account shared by two spenders, each withdrawing under a lock
if the balance allows it.

The check and the withdrawal happen under one lock, so the balance never goes
below zero: with 100 and two withdrawals of 60, exactly one succeeds and the
balance ends at 40.
"""

import threading
from dataclasses import dataclass


@dataclass
class Account:
    balance: int
    owner: str = "ada"

    def withdraw(self, amount):
        if self.balance >= amount:
            self.balance -= amount
            return True
        return False


account = Account(100)
lock = threading.Lock()
granted = 0


def spend():
    global granted
    with lock:
        if account.withdraw(60):
            granted += 1


spenders = [threading.Thread(target=spend) for _ in range(2)]
for s in spenders:
    s.start()
for s in spenders:
    s.join()
print(account.owner, account.balance, granted)

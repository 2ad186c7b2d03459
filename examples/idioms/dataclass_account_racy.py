"""The same `@dataclass` account without the lock.

Both spenders can pass the balance check before either withdraws: the balance
then ends at -20, and both withdrawals are granted. Or the updates interleave
so that one is lost and the balance ends at 40 with both granted.
"""

import threading
from dataclasses import dataclass


@dataclass
class Account:
    balance: int

    def withdraw(self, amount):
        if self.balance >= amount:
            self.balance -= amount
            return True
        return False


account = Account(100)
granted = [False, False]


def spend(i):
    granted[i] = account.withdraw(60)


spenders = [threading.Thread(target=spend, args=(i,)) for i in range(2)]
for s in spenders:
    s.start()
for s in spenders:
    s.join()
print(account.balance, granted)

"""A bank account object; two threads withdraw through a bound method, with no lock.

Each withdrawal checks `self.balance >= amount` and then subtracts. Both threads
can pass the check before either subtracts, so the balance can end at -60 as
well as 20, under every model; `account.balance` races.
"""

import threading


class Account:
    def __init__(self, balance):
        self.balance = balance

    def withdraw(self, amount):
        if self.balance >= amount:
            self.balance -= amount


account = Account(100)
a = threading.Thread(target=account.withdraw, args=(80,), name="A")
b = threading.Thread(target=account.withdraw, args=(80,), name="B")
a.start()
b.start()
a.join()
b.join()
print(account.balance)

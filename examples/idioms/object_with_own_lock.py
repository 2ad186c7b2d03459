"""A bank account that carries its own lock, made in main() and used by bound methods.

Each `Account` holds `self._lock = threading.Lock()`, made in `__init__`, and
every method takes it with `with self._lock:`. `main()` makes the account,
starts a depositor and a withdrawer (bound methods as targets, the amount
passed with `kwargs=`) and joins them in a loop.

Reasoning: deposit(50) and withdraw(30) each run whole under the account's
lock. The withdrawal succeeds if it runs after the deposit (100 + 50 - 30 =
120), and also if it runs first (100 - 30 = 70, then + 50 = 120): the balance
is always 120. Whether the withdrawal saw 100 or 150 only shows in `seen`,
which records the balance the withdrawer found: 100 or 150. No attribute races.
"""

import threading


class Account:
    def __init__(self, balance):
        self.balance = balance
        self.seen = 0
        self._lock = threading.Lock()

    def deposit(self, amount):
        with self._lock:
            self.balance += amount

    def withdraw(self, amount):
        with self._lock:
            self.seen = self.balance
            if self.balance >= amount:
                self.balance -= amount


def main():
    account = Account(100)
    threads = [threading.Thread(target=account.deposit, kwargs={"amount": 50}),
               threading.Thread(target=account.withdraw, kwargs={"amount": 30})]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(account.balance, account.seen)


if __name__ == "__main__":
    main()

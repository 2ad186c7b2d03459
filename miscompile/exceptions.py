"""The exceptions a program can raise and catch, named as CPython names them.

A ``Fault`` carries CPython's last traceback line (``ValueError: Semaphore
released too many times``, ``_queue.Empty``); the part before the colon is the
exception's type. ``except`` clauses name types as the program writes them
(``queue.Empty``, ``ValueError``); ``catches`` decides, by CPython's class
hierarchy, whether a clause takes an exception.
"""

from __future__ import annotations

#: Each type the model raises (or a program may name) -> its base class.
BASES: dict[str, str] = {
    "BaseException": "",
    "Exception": "BaseException",
    "ArithmeticError": "Exception",
    "ZeroDivisionError": "ArithmeticError",
    "OverflowError": "ArithmeticError",
    "LookupError": "Exception",
    "IndexError": "LookupError",
    "KeyError": "LookupError",
    "TypeError": "Exception",
    "ValueError": "Exception",
    "AttributeError": "Exception",
    "AssertionError": "Exception",
    "RuntimeError": "Exception",
    "_queue.Empty": "Exception",
    "queue.Full": "Exception",
    "threading.BrokenBarrierError": "RuntimeError",
}
#: How a program names a type that lives in a module (``except queue.Empty``).
QUALIFIED = {"queue.Empty": "_queue.Empty", "queue.Full": "queue.Full",
             "threading.BrokenBarrierError": "threading.BrokenBarrierError"}


def type_of(status: str, message: str) -> str:
    """The type of an uncaught exception, from its outcome status and message."""
    if status == "assertion":
        return "AssertionError"
    return message.partition(":")[0]


def known(name: str) -> str | None:
    """The type an ``except`` clause names (a builtin's name or a qualified name), or None."""
    name = QUALIFIED.get(name, name)
    return name if name in BASES else None


def catches(clause: tuple[str, ...], raised: str) -> bool:
    """Whether ``except (clause...)`` takes an exception of type ``raised`` (an empty clause is a
    bare ``except:``, which takes everything)."""
    if not clause:
        return True
    kind = raised
    while kind:
        if kind in clause:
            return True
        kind = BASES.get(kind, "Exception" if kind != "Exception" else "")
    return False

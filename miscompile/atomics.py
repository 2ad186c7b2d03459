"""Atomic variables and fences for ordinary CPython programs.

Programs in the miscompile dialect import ``Atomic`` and ``fence`` from here, so
they run under ``python example.py`` exactly as written while the explorer
reads the same calls as C11-style atomic operations. Under CPython every
operation holds one lock, which makes each call indivisible and, because the
lock is shared, sequentially consistent whatever order is asked for: a real
runtime can always be stronger than the order it was given, never weaker.

The memory orders are validated so that a typo fails here and not only in the
explorer.
"""

from __future__ import annotations

import threading
from typing import Final

__all__ = ["Atomic", "fence", "FENCE_KINDS", "ORDERS"]

#: The memory orders, weakest first, as C11 names them.
ORDERS: Final = ("relaxed", "acquire", "release", "acq_rel", "seq_cst")

_LOAD_ORDERS: Final = frozenset({"relaxed", "acquire", "seq_cst"})
_STORE_ORDERS: Final = frozenset({"relaxed", "release", "seq_cst"})

# One lock for every atomic: it makes each operation indivisible and gives all
# of them one total order, which is what "seq_cst" promises.
_LOCK = threading.Lock()


def _check(order: str, allowed: frozenset[str] | tuple[str, ...], what: str) -> None:
    if order not in ORDERS:
        raise ValueError(f"unknown memory order {order!r}; expected one of {', '.join(ORDERS)}")
    if order not in allowed:
        raise ValueError(f"memory order {order!r} is not valid for {what}")


class Atomic:
    """A value (an int, bool, None or string: the dialect's immutable values) that threads may
    access concurrently without a data race."""

    __slots__ = ("_value",)

    def __init__(self, value: int | bool | str | None = 0) -> None:
        if not (value is None or isinstance(value, (int, str))):
            raise TypeError(f"Atomic holds an int, bool, None or string, not {type(value).__name__}")
        self._value = value

    def load(self, order: str = "seq_cst") -> int:
        _check(order, _LOAD_ORDERS, "a load")
        with _LOCK:
            return self._value

    def store(self, value: int, order: str = "seq_cst") -> None:
        _check(order, _STORE_ORDERS, "a store")
        with _LOCK:
            self._value = value

    def exchange(self, value: int, order: str = "seq_cst") -> int:
        _check(order, ORDERS, "exchange")
        with _LOCK:
            previous, self._value = self._value, value
            return previous

    def compare_exchange(self, expected: int, desired: int, order: str = "seq_cst") -> tuple[bool, int]:
        """Store ``desired`` if the value equals ``expected``; return ``(success, previous)``."""
        _check(order, ORDERS, "compare_exchange")
        with _LOCK:
            previous = self._value
            if previous == expected:
                self._value = desired
                return True, previous
            return False, previous

    def fetch_add(self, delta: int, order: str = "seq_cst") -> int:
        _check(order, ORDERS, "fetch_add")
        with _LOCK:
            previous = self._value
            self._value = previous + delta
            return previous

    def fetch_sub(self, delta: int, order: str = "seq_cst") -> int:
        _check(order, ORDERS, "fetch_sub")
        with _LOCK:
            previous = self._value
            self._value = previous - delta
            return previous

    def __repr__(self) -> str:
        return f"Atomic({self._value!r})"


#: What ``fence`` takes: a C11 order, or a hardware fence kind (``"write"``: earlier stores before
#: later stores, ARM's DMB ST; ``"read"``: earlier loads before later accesses, ARM's DMB LD).
FENCE_KINDS: Final = (*ORDERS, "write", "read")


def fence(kind: str = "seq_cst") -> None:
    """A memory fence: full by default (``"seq_cst"``: x86 MFENCE, ARM DMB SY), a C11 fence order,
    or ``"write"`` / ``"read"``. Under CPython, taking the shared lock is a full fence, which is
    at least as strong as any of them."""
    if kind not in FENCE_KINDS:
        raise ValueError(f"unknown fence kind {kind!r}; expected one of {', '.join(FENCE_KINDS)}")
    with _LOCK:
        pass

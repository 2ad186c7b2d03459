"""Whole-word access to a ``ctypes.Structure`` of byte fields, for programs the ``widen`` pass rewrote.

``widen`` turns ``flags.b1 = v`` into "load the word, replace one byte, store
the word", the way some older compilers implemented a store to a small field.
These two functions are that word access, so the rewritten program still runs
under CPython. Bytes pack little-endian: the first field is the lowest byte.
The explorer treats each call as one access to one memory location.
"""

from __future__ import annotations

import ctypes


def load_word(struct: ctypes.Structure) -> int:
    """All of ``struct``'s bytes as one unsigned little-endian integer."""
    return int.from_bytes(bytes(struct), "little")


def store_word(struct: ctypes.Structure, value: int) -> None:
    """Overwrite all of ``struct``'s bytes with ``value`` (little-endian, wrapped to the word's size)."""
    size = ctypes.sizeof(struct)
    data = (value % (1 << (8 * size))).to_bytes(size, "little")
    ctypes.memmove(ctypes.addressof(struct), data, size)

"""The synchronisation kinds, one module each, and the registry everything else consults.

Adding a kind is adding a module that defines ``KIND`` (a ``SyncKind``) and one
line here.
"""

from __future__ import annotations

from .base import Action, SyncKind
from .barrier import KIND as BARRIER
from .condition import KIND as CONDITION
from .event import KIND as EVENT
from .lock import KIND as LOCK
from .pool import KIND as POOL
from .queue import KIND as QUEUE
from .rlock import KIND as RLOCK
from .semaphore import BOUNDED as BOUNDED_SEMAPHORE
from .semaphore import KIND as SEMAPHORE

KINDS: dict[str, SyncKind] = {kind.name: kind for kind in (LOCK, RLOCK, SEMAPHORE, BOUNDED_SEMAPHORE, CONDITION,
                                                           EVENT, QUEUE, BARRIER, POOL)}
BY_CONSTRUCTOR: dict[str, SyncKind] = {kind.constructor: kind for kind in KINDS.values()}

__all__ = ["Action", "BY_CONSTRUCTOR", "KINDS", "SyncKind"]

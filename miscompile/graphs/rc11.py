"""RC11, the repaired C11 model (Lahav, Vafeiadis, Kang, Hur and Dreyer, PLDI 2017), as axioms.

Events carry a mode: plain variables are non-atomic (``na``); atomics carry
their order; fences theirs. With ``sb`` the program order (thread start and
join add synchronisation edges), ``mo`` the coherence order and ``fr`` from-read:

- ``rs = [W]; (sb|loc)?; [W⊒rlx]; (rf; rmw)*`` (release sequence);
- ``sw = [E⊒rel]; ([F]; sb)?; rs; rf; [R⊒rlx]; (sb; [F])?; [E⊒acq]``;
- ``hb = (sb | sw)+`` and ``eco = (rf | mo | fr)+``;
- coherence: ``hb; eco?`` is irreflexive;
- atomicity: nothing comes between a read-modify-write and the write it read;
- SC: ``psc`` is acyclic, where ``scb = sb | sb|≠loc; hb; sb|≠loc | hb|loc | mo | fr``,
  ``psc_base = ([E_sc] | [F_sc]; hb?); scb; ([E_sc] | hb?; [F_sc])`` and
  ``psc_F = [F_sc]; (hb | hb; eco; hb); [F_sc]``;
- no thin air: ``sb | rf`` is acyclic.

A data race is two accesses to one location from different threads, at least
one a write and one non-atomic, that ``hb`` leaves unordered: in RC11 such a
program has undefined behaviour. Relations are bit sets over the events (the
initial writes first), which keeps the checks simple and fast for litmus-sized
graphs.
"""

from __future__ import annotations

from .execution import INIT, Event, EventId, Graph

RELEASE = frozenset({"release", "acq_rel", "seq_cst"})
ACQUIRE = frozenset({"acquire", "acq_rel", "seq_cst"})

Rel = list[int]  # row i: the bit set of j with (i, j)


def _compose(a: Rel, b: Rel) -> Rel:
    out = []
    for row in a:
        acc = 0
        while row:  # one step per set bit (rows are sparse)
            low = row & -row
            acc |= b[low.bit_length() - 1]
            row ^= low
        out.append(acc)
    return out


def _union(*rels: Rel) -> Rel:
    return [sum_or(rows) for rows in zip(*rels)]


def sum_or(rows: tuple[int, ...]) -> int:
    acc = 0
    for r in rows:
        acc |= r
    return acc


def _closure(rel: Rel) -> Rel:
    """The transitive closure (Warshall on bit sets)."""
    out = list(rel)
    n = len(out)
    for k in range(n):
        row_k = out[k]
        if not row_k:
            continue  # nothing goes through k
        bit = 1 << k
        for i in range(n):
            if out[i] & bit:
                out[i] |= row_k
    return out


def _reflexive(rel: Rel) -> Rel:
    return [row | (1 << i) for i, row in enumerate(rel)]


def _restrict(rel: Rel, sources: int, targets: int) -> Rel:
    return [(row & targets) if sources >> i & 1 else 0 for i, row in enumerate(rel)]


def _acyclic(rel: Rel) -> bool:
    closed = _closure(rel)
    return not any(row >> i & 1 for i, row in enumerate(closed))


class Relations:
    """The derived relations of one graph."""

    def __init__(self, graph: Graph, initial: tuple) -> None:
        self.ids: list[EventId] = [(INIT, loc) for loc in range(len(initial))]
        self.events: list[Event] = [Event("W", loc, value, order="na") for loc, value in enumerate(initial)]
        for tid, events in enumerate(graph.events):
            for index, event in enumerate(events):
                self.ids.append((tid, index))
                self.events.append(event)
        self.index = {eid: i for i, eid in enumerate(self.ids)}
        n = len(self.ids)
        self.n = n
        events, index = self.events, self.index

        def mask(predicate) -> int:
            return sum(1 << i for i, e in enumerate(events) if predicate(i, e))

        self.initial = mask(lambda i, e: self.ids[i][0] == INIT)
        self.writes = mask(lambda i, e: e.writes)
        self.reads = mask(lambda i, e: e.reads)
        self.fences = mask(lambda i, e: e.kind == "F")
        self.atomic = mask(lambda i, e: e.kind in ("R", "W", "U") and e.order not in ("plain", "na"))
        self.releasing = mask(lambda i, e: e.kind in ("W", "U", "F") and e.order in RELEASE)
        self.acquiring = mask(lambda i, e: e.kind in ("R", "U", "F") and e.order in ACQUIRE)
        self.sc = mask(lambda i, e: e.kind in ("R", "W", "U") and e.order == "seq_cst")
        self.sc_fences = mask(lambda i, e: e.kind == "F" and e.order == "seq_cst")
        same_loc: dict[int, int] = {}
        for i, e in enumerate(events):
            if e.kind in ("R", "W", "U"):
                same_loc[e.loc] = same_loc.get(e.loc, 0) | (1 << i)
        self.loc_of = [same_loc.get(e.loc, 0) if e.kind in ("R", "W", "U") else 0 for e in events]

        sb = [0] * n  # program order, transitively; the initial writes before everything
        first_of = {}
        for tid, thread in enumerate(graph.events):
            members = [index[(tid, k)] for k in range(len(thread))]
            if members:
                first_of[tid] = members[0]
            for k, i in enumerate(members):
                sb[i] = sum(1 << j for j in members[k + 1:])
        everything = (1 << n) - 1
        for i in range(n):
            if self.initial >> i & 1:
                sb[i] = everything & ~self.initial
        self.sb = sb
        rf = [0] * n
        for i, e in enumerate(events):
            if e.reads and e.source is not None:
                rf[index[e.source]] |= 1 << i
        self.rf = rf
        mo = [0] * n
        position: dict[EventId, int] = {}
        for order in graph.co:
            for k, eid in enumerate(order):
                position[eid] = k
                mo[index[eid]] = sum(1 << index[later] for later in order[k + 1:])
        self.mo = mo
        fr = [0] * n
        for i, e in enumerate(events):
            if e.reads and e.source is not None:
                fr[i] = mo[index[e.source]] & ~(1 << i)
        self.fr = fr
        self.atomicity = all(not (e.kind == "U" and e.source is not None
                                  and position.get(self.ids[i], -1) != position[e.source] + 1)
                             for i, e in enumerate(events))
        # thread start and join synchronise
        start_join = [0] * n
        for i, e in enumerate(events):
            if e.kind == "S" and e.what == "start" and e.partner in first_of:
                start_join[i] |= 1 << first_of[e.partner]
            if e.kind == "S" and e.what == "join" and graph.events[e.partner]:
                start_join[index[(e.partner, len(graph.events[e.partner]) - 1)]] |= 1 << i
        rmw_targets = mask(lambda i, e: e.kind == "U")
        # rs = [W]; (sb|loc)?; [W⊒rlx]; (rf; rmw)*
        atomic_writes = self.writes & self.atomic
        sb_loc = [sb[i] & self.loc_of[i] for i in range(n)]
        step = _restrict(_reflexive(sb_loc), self.writes, atomic_writes)
        rf_rmw = _closure(_restrict(rf, everything, rmw_targets))
        rs = _compose(step, _reflexive(rf_rmw))
        # sw = [E⊒rel]; ([F]; sb)?; rs; rf; [R⊒rlx]; (sb; [F])?; [E⊒acq]
        fence_sb = _restrict(sb, self.fences, everything)
        before = _union(_reflexive([0] * n), fence_sb)
        before = _restrict(before, self.releasing, everything)
        middle = _restrict(_compose(rs, rf), everything, self.reads & self.atomic)
        sb_fence = _restrict(sb, everything, self.fences)
        after = _restrict(_union(_reflexive([0] * n), sb_fence), everything, self.acquiring)
        sw = _compose(_compose(before, middle), after)
        self.hb = _closure(_union(sb, sw, start_join))
        self.eco = _closure(_union(rf, mo, fr))

    def consistent(self) -> bool:
        n, hb, eco = self.n, self.hb, self.eco
        if not self.atomicity:
            return False
        coherence = _compose(hb, _reflexive(eco))
        if any(coherence[i] >> i & 1 for i in range(n)):
            return False
        if not _acyclic(_union(self.sb, self.rf)):
            return False
        if not (self.sc or self.sc_fences):
            return True  # psc relates seq_cst accesses and fences only: with none it is empty
        return _acyclic(self.psc())

    def psc(self) -> Rel:
        n, sb, hb, loc_of = self.n, self.sb, self.hb, self.loc_of
        everything = (1 << n) - 1
        sb_other = [sb[i] & ~loc_of[i] for i in range(n)]  # sb|≠loc (a fence has no location)
        scb = _union(sb, _compose(_compose(sb_other, hb), sb_other), [hb[i] & loc_of[i] for i in range(n)],
                     self.mo, self.fr)
        hb_refl = _reflexive(hb)
        left = _union(_restrict(_reflexive([0] * n), self.sc, everything),
                      _restrict(hb_refl, self.sc_fences, everything))
        right = _union(_restrict(_reflexive([0] * n), everything, self.sc),
                       _restrict(hb_refl, everything, self.sc_fences))
        base = _compose(_compose(left, scb), right)
        fence_part = _restrict(_union(hb, _compose(_compose(hb, self.eco), hb)), self.sc_fences, self.sc_fences)
        return _union(base, fence_part)

    def races_with(self, eid: EventId) -> list[EventId]:
        """The events that race with event ``eid``: same location, another thread, one of them a
        write and one non-atomic, unordered by hb."""
        i = self.index[eid]
        event = self.events[i]
        if event.kind not in ("R", "W", "U"):
            return []
        found = []
        for j in range(self.n):
            other = self.events[j]
            if j == i or self.ids[j][0] in (INIT, eid[0]) or other.kind not in ("R", "W", "U") \
                    or other.loc != event.loc or not (event.writes or other.writes):
                continue
            if (self.atomic >> i & 1) and (self.atomic >> j & 1):
                continue
            if not (self.hb[i] >> j & 1 or self.hb[j] >> i & 1):
                found.append(self.ids[j])
        return found


def consistent(graph: Graph, initial: tuple) -> bool:
    return Relations(graph, initial).consistent()

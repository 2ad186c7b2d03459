"""Symmetry reduction: threads that run the same code are interchangeable.

``threads = [Thread(target=work) for _ in range(4)]``, started in one loop and
joined in another, gives four threads with the same code. A state and the
state with two of them swapped (their places, registers, output, buffers, the
locks they hold, what the race detector knows of them) have the same futures
up to that swap, so a search stores one of them: the *canonical* one, where
the members are sorted. Such a set of threads is a *group*:

- the members' code is identical (their arguments are part of it, so
  ``Thread(target=worker, args=(i,))`` makes no group) and starts or joins no
  thread;
- one parent thread starts them in one block of consecutive ``start()`` steps
  and, if it joins them, joins them in one block; nothing else names them.

The parent's blocks name members one by one. While the parent is inside its
start block only the members already started are interchangeable. A join
block is made symmetric by its first ``join()`` waiting for every member of
the block (``Machine`` gives that step this condition when it reduces): the
parent does nothing between its joins, so passing them one by one or all
together reaches the same states afterwards, and every schedule of the
stronger rule is also a schedule of CPython's.

The search walks real states and only *stores* canonical ones (Emerson and
Sistla's quotient, combined with the stubborn sets of ``reduction`` as Emerson,
Jha and Peled do), so every witness it records is a real schedule. What it
found is then closed under renaming the members: an outcome in which ``work``
printed 1 and ``work#2`` printed 2 also exists the other way round. The
witness of such an image is the witness found, with the members' steps
relabelled after the parent's start steps are moved together (starting a
thread commutes with every step of the threads already running).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import ir

if TYPE_CHECKING:  # pragma: no cover
    from .explore import Result
    from .machine import Machine, State

RUN = 0  # as machine.py numbers its choices (kind, thread, key)


@dataclass(frozen=True)
class Group:
    """Threads that run the same code, started (and joined) together by one parent."""

    members: tuple[int, ...]  # in the order the parent starts them
    parent: int
    starts: range  # the parent's pcs of its start block
    joins: range  # the parent's pcs of its join block (empty when it never joins them)
    joined: tuple[int, ...]  # the members in the order the join block names them


def find_groups(program: ir.Program) -> tuple[Group, ...]:
    """The program's groups of interchangeable threads (see the module's docstring)."""
    starts: dict[int, list[tuple[int, int]]] = {}  # thread -> [(parent, pc)] of its Start
    joins: dict[int, list[tuple[int, int]]] = {}
    for tid, code in enumerate(program.threads):
        for pc, instr in enumerate(code.code):
            if isinstance(instr, ir.Start):
                starts.setdefault(instr.thread, []).append((tid, pc))
            elif isinstance(instr, ir.Join):
                joins.setdefault(instr.thread, []).append((tid, pc))
    alike: dict[Hashable, list[int]] = {}
    for tid, code in enumerate(program.threads[1:], start=1):
        if code.daemon or tid in joins and len(joins[tid]) > 1 or len(starts.get(tid, ())) != 1:
            continue
        if any(isinstance(instr, (ir.Start, ir.Join)) for instr in code.code):
            continue
        alike.setdefault((code.code, code.registers, code.unwind), []).append(tid)
    groups: list[Group] = []
    for threads in alike.values():
        by_block: dict[tuple[int, int], list[int]] = {}  # (parent, first pc of a run of starts) -> members
        for tid in sorted(threads, key=lambda t: starts[t][0]):
            parent, pc = starts[tid][0]
            run = next((key for key, members in by_block.items()
                        if key[0] == parent and key[1] + len(members) == pc), (parent, pc))
            by_block.setdefault(run, []).append(tid)
        for (parent, first), members in by_block.items():
            group = _group(program, parent, first, tuple(members), joins)
            if group is not None:
                groups.append(group)
    return tuple(groups)


def _group(program: ir.Program, parent: int, first: int, members: tuple[int, ...],
           joins: dict[int, list[tuple[int, int]]]) -> Group | None:
    """The group ``members`` make when its parent's code lets it (None otherwise)."""
    if len(members) < 2:
        return None
    start_block = range(first, first + len(members))
    joined = [joins[m][0] for m in members if m in joins]
    if joined and (len(joined) != len(members) or any(p != parent for p, _ in joined)):
        return None
    join_pcs = sorted(pc for _, pc in joined)
    join_block = range(join_pcs[0], join_pcs[-1] + 1) if join_pcs else range(0)
    if len(join_block) != len(join_pcs) or (join_pcs and join_block.start < start_block.stop):
        return None
    code = program.threads[parent]
    for pc, instr in enumerate(code.code):  # no way into a block's middle, no loop round a block
        targets = [instr.target] if isinstance(instr, (ir.Jump, ir.Branch, ir.Catch)) else []
        if code.unwind and 0 <= code.unwind[pc]:
            targets.append(code.unwind[pc])
        for target in targets:
            for block in (start_block, join_block):
                if block and (block.start < target < block.stop
                              or target <= block.start and pc >= block.start):
                    return None
    order = tuple(program.threads[parent].code[pc].thread for pc in join_block)  # type: ignore[attr-defined]
    return Group(members, parent, start_block, join_block, order)


class Symmetry:
    """Canonical states and renamed results for one machine's groups."""

    def __init__(self, machine: Machine, groups: tuple[Group, ...]) -> None:
        from .sync import KINDS, SyncKind

        self.machine = machine
        self.groups = groups
        self.model = machine.model
        self.kinds = [KINDS[obj.kind] for obj in machine.program.objects]
        self.thread_count = len(machine.program.threads)
        self.index_of = {name: i for i, name in enumerate(machine.names)}
        #: the objects whose kind's state can name a thread: only those are renamed
        self.naming = tuple(i for i, kind in enumerate(self.kinds)
                            if type(kind).rename_threads is not SyncKind.rename_threads)
        self.renamings_by_order: dict[tuple[int, ...], Callable[[int], int]] = {}
        self.gatherers: dict[tuple[int, ...], Callable[[tuple], tuple]] = {}

    def awaited(self) -> Iterator[tuple[int, int, tuple[int, ...]]]:
        """(parent, pc, members): the join steps that wait for every member not yet joined."""
        for group in self.groups:
            for position, pc in enumerate(group.joins):
                yield group.parent, pc, group.joined[position:]

    # ------------------------------------------------------------------ canonical states

    def order(self, state: State) -> tuple[int, ...] | None:
        """The permutation that sorts every group's interchangeable members (slot ``i`` takes
        thread ``order[i]``'s part), or None when they are sorted already."""
        order: list[int] | None = None
        layout = state[0]
        buffers, own = state[layout.buffers], self.model.own
        regs, output, raised = layout.regs, layout.output, layout.raised
        for group in self.groups:
            pc = state[1 + group.parent]
            members = group.members
            if group.starts.start < pc < group.starts.stop:
                members = members[:pc - group.starts.start]  # only those started so far
            keys = [hash((state[1 + m], state[regs + m], state[output + m], state[raised + m], own(buffers, m)))
                    for m in members]
            if keys != sorted(keys):
                ranked = sorted(range(len(members)), key=keys.__getitem__)
                if order is None:
                    order = list(range(self.thread_count))
                for slot, source in zip(members, ranked):
                    order[slot] = members[source]
        return None if order is None else tuple(order)

    def permute(self, state: State, order: tuple[int, ...]) -> State:
        """``state`` with slot ``i`` holding what thread ``order[i]`` held."""
        objects = state.objects
        if self.naming:
            rename = self.renamings_by_order.get(order)
            if rename is None:
                rename = self.renamings_by_order[order] = self.renaming(order)
            changed = list(objects)
            for i in self.naming:
                changed[i] = self.kinds[i].rename_threads(objects[i], rename)
            objects = tuple(changed)
        layout = state[0]
        gather = self.gatherers.get(order)
        if gather is None:  # which slot each slot of the permuted state comes from, fetched in C
            sources = list(range(len(state)))
            for part in (1, layout.regs, layout.output, layout.raised):  # each thread's pc, registers, ...
                for slot, source in enumerate(order):
                    sources[part + slot] = part + source
            gather = self.gatherers[order] = operator.itemgetter(*sources)
        slots = list(gather(state))
        slots[layout.buffers] = self.model.permute(state[layout.buffers], order)
        if self.naming:
            slots[layout.objects:] = objects
        return type(state)(slots)

    @staticmethod
    def renaming(order: tuple[int, ...]) -> Callable[[int], int]:
        """Thread number -> its slot after ``order``."""
        new_place = [0] * len(order)
        for slot, source in enumerate(order):
            new_place[source] = slot
        return new_place.__getitem__

    def canonical(self, state: State) -> State:
        order = self.order(state)
        return state if order is None else self.permute(state, order)

    # ------------------------------------------------------------------ closing results under renaming

    def renamings(self, member_part: Callable[[int], Hashable]) -> Iterator[dict[int, int]]:
        """Every renaming of the members (thread -> thread) that gives a *different* arrangement
        of what ``member_part`` says each member did, the identity first."""
        per_group = [list(_arrangements(group.members, member_part)) for group in self.groups]
        for combination in itertools.product(*per_group):
            merged: dict[int, int] = {}
            for mapping in combination:
                merged.update(mapping)
            yield merged

    def close(self, result: Result) -> None:
        """Add to ``result`` every renaming of its outcomes and notes, each with a real witness.
        Both are values with ``thread_part(name)`` (what that thread did in it) and
        ``renamed(new_name, order)`` (the same with threads renamed, kept in thread order)."""
        names, index = self.machine.names, self.index_of
        for table in (result.outcomes, result.notes):
            for item, witness in list(table.items()):
                for mapping in self.renamings(lambda tid: item.thread_part(names[tid])):
                    if all(source == target for source, target in mapping.items()):
                        continue
                    image = item.renamed(lambda name: names[mapping.get(index[name], index[name])],
                                         index.__getitem__)
                    if image not in table:
                        table[image] = self.relabel(witness, mapping)

    def relabel(self, witness: tuple, mapping: dict[int, int]) -> tuple:
        """The schedule that does what ``witness`` does with each member ``m`` in the part of
        ``mapping[m]``: the parent's start steps of each group are moved together (to where
        the first one was), then the members' steps are relabelled."""
        machine = self.machine
        block_of = {(group.parent, pc): group for group in self.groups for pc in group.starts}
        first_start: dict[Group, int] = {}
        moved: dict[int, Group] = {}
        state = machine.initial()
        for step, choice in enumerate(witness):
            kind, tid, _ = choice
            if kind == RUN:
                group = block_of.get((tid, state.pc(tid)))
                if group is not None:
                    first_start.setdefault(group, step)
                    moved[step] = group
            state = machine.apply(state, choice)
        schedule: list = []
        for step, choice in enumerate(witness):
            group = moved.get(step)
            if group is not None:
                if first_start[group] == step:
                    schedule.extend(witness[s] for s, g in sorted(moved.items()) if g is group)
                continue
            kind, tid, key = choice
            schedule.append((kind, mapping.get(tid, tid), key))
        return tuple(schedule)


def _arrangements(members: tuple[int, ...], member_part: Callable[[int], Hashable]) -> Iterable[dict[int, int]]:
    """The renamings of ``members`` that arrange their parts differently, the identity first:
    one per distinct permutation of the multiset of parts (members with equal parts are
    interchangeable already)."""
    parts = [member_part(m) for m in members]
    distinct = list(dict.fromkeys(parts))
    if len(distinct) == 1:
        return [{}]
    holders = {part: [m for m, p in zip(members, parts) if p == part] for part in distinct}
    arrangements: list[dict[int, int]] = []
    for slots in _multiset_permutations(parts):
        places = {part: [m for m, p in zip(members, slots) if p == part] for part in distinct}
        mapping: dict[int, int] = {}
        for part in distinct:
            mapping.update(zip(holders[part], places[part]))
        arrangements.append(mapping)
    return arrangements


def _multiset_permutations(items: list[Hashable]) -> Iterator[tuple[Hashable, ...]]:
    """Each distinct ordering of ``items`` once, ``items``' own order first."""
    counts: dict[Hashable, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    kinds = list(counts)
    chosen: list[Hashable] = []

    def extend() -> Iterator[tuple[Hashable, ...]]:
        if len(chosen) == len(items):
            yield tuple(chosen)
            return
        for kind in kinds:
            if counts[kind]:
                counts[kind] -= 1
                chosen.append(kind)
                yield from extend()
                chosen.pop()
                counts[kind] += 1

    first = tuple(items)
    yield first
    for ordering in extend():
        if ordering != first:
            yield ordering

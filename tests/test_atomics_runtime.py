"""miscompile.atomics is a real runtime: programs using it run correctly under CPython threads."""

from __future__ import annotations

import threading

import pytest

from miscompile.atomics import ORDERS, Atomic, fence


def run_threads(target, count: int) -> None:
    threads = [threading.Thread(target=target) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_fetch_add_from_many_threads_loses_nothing():
    counter = Atomic(0)

    def work():
        for _ in range(2000):
            counter.fetch_add(1, order="relaxed")
            counter.fetch_sub(1)
            counter.fetch_add(1)

    run_threads(work, 8)
    assert counter.load() == 8 * 2000


def test_compare_exchange_elects_exactly_one_winner():
    flag = Atomic(0)
    wins = Atomic(0)

    def contend():
        ok, previous = flag.compare_exchange(0, 1, order="acq_rel")
        if ok:
            assert previous == 0
            wins.fetch_add(1)
        else:
            assert previous == 1

    run_threads(contend, 16)
    assert (flag.load(), wins.load()) == (1, 1)


def test_exchange_returns_the_previous_value_to_each_thread_once():
    slot = Atomic(-1)
    seen: list[int] = []
    lock = threading.Lock()

    def swap(value: int) -> None:
        previous = slot.exchange(value)
        with lock:
            seen.append(previous)

    threads = [threading.Thread(target=swap, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # every value but the last one stored is handed out exactly once, plus the initial -1
    assert sorted(seen + [slot.load()]) == list(range(-1, 10))


def test_store_and_load_with_every_valid_order():
    a = Atomic(True)
    for order in ("relaxed", "release", "seq_cst"):
        a.store(7, order=order)
    for order in ("relaxed", "acquire", "seq_cst"):
        assert a.load(order=order) == 7
    for order in ORDERS:
        fence(order)
    fence("write")
    fence("read")
    with pytest.raises(ValueError):
        fence("full")


@pytest.mark.parametrize("call", [lambda a: a.load(order="release"), lambda a: a.store(1, order="acquire"),
                                  lambda a: a.load(order="acq_rel"), lambda a: a.fetch_add(1, order="fast")])
def test_invalid_orders_are_rejected(call):
    with pytest.raises(ValueError):
        call(Atomic(0))


def test_only_ints_and_bools():
    with pytest.raises(TypeError):
        Atomic(1.5)  # type: ignore[arg-type]

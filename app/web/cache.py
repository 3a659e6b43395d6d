"""A small LRU for what the pages compute once per topology revision (rendered diagrams,
select-box options): keys carry the revision, so a change never meets a stale value."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Lru(Generic[V]):
    """The most recently used values, by key, while their weights add up to at most ``budget``
    (by default each weighs 1: ``budget`` values); safe across threads (two requests may
    compute one value at once, and both get a right one). The newest value stays even alone
    over the budget."""

    def __init__(self, budget: int, weigh: Callable[[V], int] = lambda _value: 1) -> None:
        self._budget = budget
        self._weigh = weigh
        self._values: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key][0]
        value = compute()
        weight = self._weigh(value)
        with self._lock:
            if key in self._values:
                self._total -= self._values[key][1]
            self._values[key] = (value, weight)
            self._values.move_to_end(key)
            self._total += weight
            while self._total > self._budget and len(self._values) > 1:
                _, (_, dropped) = self._values.popitem(last=False)
                self._total -= dropped
        return value

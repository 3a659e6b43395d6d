"""The engine models kept in memory, one revision per topology, evicted by size (LRU).

A class of a hundred students each opening their own small topology, and a teacher's imported
account of ten thousand resources, share one budget in bytes: counting models would keep 32 of
either. A model's size is estimated once, when it is remembered, from what it holds (see
``model_bytes``), so the cache never walks the objects themselves.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import NamedTuple

from app.engine import Topology
from app.engine.topology import KINDS

# Calibrated with tracemalloc in a fresh interpreter (tests/db/test_model_cache.py checks it on
# generated tiers and the course templates): a model built from its rows, lookup index included,
# takes ~360-400 bytes per resource or part of one (a rule, an ACL entry, a route, an
# association, a private address), and ~8-9 KB more however small (the containers, the index).
BYTES_EMPTY = 8192
BYTES_PER_PART = 400


def model_bytes(model: Topology) -> int:
    """About how many bytes ``model`` takes in memory (within ~30% of tracemalloc's count).

    >>> model_bytes(Topology())
    8192
    """
    parts = sum(len(model.resources[kind]) for kind in KINDS)
    parts += sum(len(g.ingress) + len(g.egress) for g in model.security_groups.values())
    parts += sum(len(a.entries) + len(a.associations) for a in model.network_acls.values())
    parts += sum(len(r.routes) + len(r.associations) for r in model.route_tables.values())
    parts += sum(len(e.private_ip_addresses) for e in model.network_interfaces.values())
    return BYTES_EMPTY + BYTES_PER_PART * parts


class Cached(NamedTuple):
    revision: int
    model: Topology
    size: int


class ModelCache:
    """Topology id → its newest remembered model; the least recently used go first once the
    sizes add up to more than ``budget`` bytes. The last one remembered stays even alone over
    the budget (a model in use would otherwise be rebuilt at every request)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._models: OrderedDict[str, Cached] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def get(self, topology_id: str, revision: int) -> Topology | None:
        """The model of that revision, if kept (it becomes the most recently used)."""
        with self._lock:
            cached = self._models.get(topology_id)
            if cached is None or cached.revision != revision:
                return None
            self._models.move_to_end(topology_id)
            return cached.model

    def put(self, topology_id: str, revision: int, model: Topology) -> None:
        """Keep ``model``, unless a newer revision of the topology is already kept (a slow
        build of an older revision may finish after a change)."""
        size = model_bytes(model)
        with self._lock:
            old = self._models.get(topology_id)
            if old is not None and old.revision > revision:
                return
            if old is not None:
                self._total -= old.size
            self._models[topology_id] = Cached(revision, model, size)
            self._models.move_to_end(topology_id)
            self._total += size
            while self._total > self.budget and len(self._models) > 1:
                _, evicted = self._models.popitem(last=False)
                self._total -= evicted.size

    def pop(self, topology_id: str, default: None = None) -> Cached | None:
        """Forget the topology's model (it was deleted)."""
        with self._lock:
            cached = self._models.pop(topology_id, default)
            if cached is not None:
                self._total -= cached.size
            return cached

    def __contains__(self, topology_id: object) -> bool:
        return topology_id in self._models

    def __len__(self) -> int:
        return len(self._models)

    @property
    def total_bytes(self) -> int:
        return self._total

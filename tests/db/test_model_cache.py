"""The engine models kept between requests share a budget in bytes: a class's many small labs
all stay in memory, and a large import makes room for itself by evicting the least recently
used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from app.db import store as store_module
from app.db.model_cache import ModelCache, model_bytes
from app.db.store import Store
from app.engine import Topology, write_bundle
from app.engine.generator import generate
from app.engine.templates import apply_template

ROOT = Path(__file__).resolve().parents[2]


def counting_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every model the store builds from its rows from now on (by topology region, unused)."""
    builds: list[str] = []
    real = store_module.import_bundle

    def build(*args: Any, **kwargs: Any) -> Any:
        builds.append("built")
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module, "import_bundle", build)
    return builds


def lab(template: str) -> Topology:
    model = Topology(region="ap-northeast-1")
    apply_template(model, template)
    return model


MEASURE = """
import gc, json, sys, tracemalloc
from app.engine import Topology, import_bundle, write_bundle
from app.engine.generator import generate
from app.engine.templates import apply_template
from app.db.model_cache import model_bytes

kind, name = sys.argv[1], sys.argv[2]
if kind == "template":
    model = Topology(region="ap-northeast-1")
    apply_template(model, name)
else:
    model = generate(name)
bundle = json.loads(json.dumps(write_bundle(model)))
import_bundle(Topology(region=model.region), bundle, rules=False)  # warm the module caches
gc.collect()
tracemalloc.start(64)
built, _ = import_bundle(Topology(region=model.region), bundle, rules=False)
built.route_table_for(next(iter(built.subnets)))  # builds the lookup index
gc.collect()
measured = tracemalloc.get_traced_memory()[0]
tracemalloc.stop()
print(measured, model_bytes(built))
"""


@pytest.mark.parametrize(
    ("kind", "name"),
    [("template", "seed-001-nat"), ("template", "seed-002-ssh"), ("tier", "S"), ("tier", "M")],
    ids=["seed-001", "seed-002", "tier S", "tier M"],
)
def test_the_size_estimate_is_within_a_third_of_what_a_built_model_takes(
    kind: str, name: str
) -> None:
    """The budget means memory only if the estimate does: measure a model built as the store
    builds it (from its rows' documents, lookup index included). In a fresh interpreter: in the
    whole suite, other tests' threads allocate meanwhile and caches other tests filled make the
    same model look smaller, and neither is what a server's model costs."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, kind, name],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout.split()
    measured, estimate = int(out[0]), int(out[1])
    assert 0.7 <= measured / estimate <= 1.3, (measured, estimate)


def test_a_class_of_small_labs_all_stay_cached_within_the_budget(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forty students' labs (~20 KB each) in 1 MiB: none is rebuilt however they take turns.
    (Counting models, the old cache kept 32 and rebuilt the others at every turn.)"""
    store = Store(engine, cache_bytes=1024 * 1024)
    ids = [
        store.create_topology(name=f"student {n}", template="seed-001-nat")["id"] for n in range(40)
    ]
    builds = counting_builds(monkeypatch)
    first = {tid: store.model(tid)[1] for tid in ids}
    for tid in reversed(ids):
        assert store.model(tid)[1] is first[tid]
    assert builds == []
    assert store._cache.total_bytes <= 1024 * 1024


def test_a_large_model_evicts_the_least_recently_used_by_size(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = model_bytes(lab("seed-001-nat"))
    big = model_bytes(generate("S"))
    budget = 10 * small + big // 2  # ten labs fit; the big one needs room of about five
    store = Store(engine, cache_bytes=budget)
    ids = [
        store.create_topology(name=f"student {n}", template="seed-001-nat")["id"] for n in range(10)
    ]
    for tid in ids[:3]:
        store.model(tid)  # used again: no longer the least recently used
    large = store.create_topology(name="imported account")["id"]
    store.import_bundle(large, write_bundle(generate("S")))

    builds = counting_builds(monkeypatch)
    assert len(store.model(large)[1].instances) == len(generate("S").instances)
    assert builds == []  # the large one stays
    evicted = [tid for tid in ids if tid not in store._cache]
    assert evicted and evicted == ids[3 : 3 + len(evicted)]  # the least recently used went first
    assert len(evicted) < 10 and all(tid in store._cache for tid in ids[:3])
    assert store._cache.total_bytes <= budget
    store.model(evicted[0])
    assert builds == ["built"]  # an evicted lab is built again when next asked for


def test_a_model_larger_than_the_whole_budget_is_still_kept_while_it_is_the_newest() -> None:
    cache = ModelCache(budget=1000)
    model = lab("seed-002-ssh")
    cache.put("t1", 1, model)
    assert cache.get("t1", 1) is model
    cache.put("t2", 1, lab("seed-001-nat"))
    assert "t1" not in cache and cache.get("t2", 1) is not None


def test_an_older_revision_finishing_late_does_not_replace_the_newer_one() -> None:
    cache = ModelCache(budget=10**6)
    newer, older = lab("seed-002-ssh"), lab("seed-002-ssh")
    cache.put("t1", 3, newer)
    cache.put("t1", 2, older)
    assert cache.get("t1", 3) is newer and cache.get("t1", 2) is None
    assert cache.total_bytes == model_bytes(newer)

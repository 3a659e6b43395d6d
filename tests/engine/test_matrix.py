"""The reachability matrix agrees exactly with the single-path analysis on every pair."""

from __future__ import annotations

import multiprocessing

import pytest

from app.engine import analyze
from app.engine.generator import generate
from app.engine.matrix import reachability_matrix

from .lab import named, new_lab


def disagreements(
    tier: str, protocol: str, port: int | None, part: int, parts: int
) -> list[tuple[str, str]]:
    topology = generate(tier)
    matrix = reachability_matrix(topology, protocol, port)
    found = []
    for i, src in enumerate(matrix.instances):
        if i % parts != part:
            continue
        for j, dst in enumerate(matrix.instances):
            if src == dst:
                continue
            request = {"source": src, "destination": dst, "protocol": protocol}
            if port is not None:
                request["destination_port"] = port
            if analyze(topology, request).reachable != matrix.reachable[i][j]:
                found.append((src, dst))
    return found


@pytest.mark.parametrize(("protocol", "port"), [("tcp", 22), ("tcp", 3306), ("icmp", None)])
def test_every_pair_of_s_agrees(protocol: str, port: int | None) -> None:
    assert disagreements("S", protocol, port, 0, 1) == []


def test_every_pair_of_m_agrees() -> None:
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        found = pool.starmap(disagreements, [("M", "tcp", 22, part, 2) for part in range(2)])
    assert found == [[], []]


def test_the_matrix_decides_m_without_falling_back_to_the_tracer() -> None:
    matrix = reachability_matrix(generate("M"), "tcp", 22)
    assert matrix.fallbacks == 0
    assert len(matrix.instances) == 445


def test_the_seed_lab_matrix_reads_as_the_lab_teaches() -> None:
    lab = new_lab("seed-001-nat")
    matrix = reachability_matrix(lab, "tcp", 22)
    web = matrix.instances.index(named(lab, "instance", "web-server").instance_id)
    db = matrix.instances.index(named(lab, "instance", "db-server").instance_id)
    assert matrix.reachable[web][db] is True  # the bastion reaches the database
    assert matrix.reachable[db][web] is True  # both in the default group
    assert matrix.reachable[web][web] is None

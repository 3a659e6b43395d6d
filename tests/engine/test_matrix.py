"""The reachability matrix agrees exactly with the single-path analysis on every pair."""

from __future__ import annotations

import multiprocessing
import random
from typing import Any

import pytest

from app.engine import AwsError, Topology, analyze
from app.engine import operations as op
from app.engine.generator import generate
from app.engine.matrix import matrix_instances, reachability_matrix

from .lab import named, new_lab


def pair_reachable(
    topology: Topology, source: str, destination: str, protocol: str, port: int | None
) -> bool:
    """What the single-path analysis says of one pair."""
    request: dict[str, Any] = {"source": source, "destination": destination, "protocol": protocol}
    if port is not None:
        request["destination_port"] = port
    return analyze(topology, request).reachable


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
            if pair_reachable(topology, src, dst, protocol, port) != matrix.reachable[i][j]:
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


def test_rows_for_chosen_sources_are_the_matrix_rows_and_unknown_ones_are_refused() -> None:
    topology = generate("S")
    whole = reachability_matrix(topology, "tcp", [22, 3306])
    chosen = [whole.instances[3], whole.instances[0]]
    rows = reachability_matrix(topology, "tcp", [22, 3306], sources=chosen)
    assert rows.sources == chosen and rows.instances == whole.instances
    for n, source in enumerate(chosen):
        assert rows.reachable[n] == whole.reachable[whole.instances.index(source)]
        for port in (22, 3306):
            assert rows.by_port[port][n] == whole.by_port[port][whole.instances.index(source)]
    with pytest.raises(AwsError) as unknown:
        reachability_matrix(topology, "tcp", 22, sources=["i-0123456789abcdef0"])
    assert unknown.value.code == "InvalidInstanceID.NotFound"
    op.terminate_instances(topology, instance_id=chosen[0])
    with pytest.raises(AwsError) as terminated:
        reachability_matrix(topology, "tcp", 22, sources=[chosen[0]])
    assert terminated.value.code == "IncorrectInstanceState"


def test_a_random_sample_of_l_pairs_agrees_with_the_single_path_analysis() -> None:
    """Tier L has 4,500 instances (20 million pairs): 10,000 pairs of 10 random sources' rows."""
    topology = generate("L")
    rng = random.Random(7)
    instances = matrix_instances(topology)
    sources = rng.sample(instances, 10)
    for protocol, port in (("tcp", 22), ("tcp", 443), ("icmp", None)):
        rows = reachability_matrix(topology, protocol, port, sources=sources)
        checked = 0
        for n, source in enumerate(sources):
            for column in rng.sample(range(len(instances)), 334 if protocol == "tcp" else 333):
                destination = instances[column]
                if destination == source:
                    continue
                expected = pair_reachable(topology, source, destination, protocol, port)
                assert rows.reachable[n][column] == expected, (source, destination, protocol)
                checked += 1
        assert checked > 3000

"""The generator: deterministic tiers of the sizes issue 5 names, that import and round-trip."""

import json

import pytest

from app.engine import Topology, import_bundle, write_bundle
from app.engine.bundle import check_structure
from app.engine.generator import TIERS, generate


@pytest.mark.parametrize("tier", ["S", "M", "L"])
def test_a_tier_has_its_sizes_holds_together_and_round_trips(tier: str) -> None:
    topology = generate(tier)
    spec = TIERS[tier]
    interfaces = [
        e for e in topology.network_interfaces.values() if e.interface_type == "interface"
    ]
    assert len(topology.vpcs) == spec.vpcs and len(topology.subnets) == spec.subnets
    assert len(interfaces) == spec.enis
    assert len(topology.security_groups) == spec.security_groups + spec.vpcs  # + defaults
    assert len(topology.route_tables) == spec.route_tables
    assert len(topology.network_acls) == spec.nacls
    assert len(topology.nat_gateways) == spec.nat_gateways
    check_structure(topology)
    bundle = write_bundle(topology)
    again, _ = import_bundle(Topology(region=topology.region), json.loads(json.dumps(bundle)))
    assert write_bundle(again) == bundle


def test_the_same_seed_gives_the_same_topology() -> None:
    assert write_bundle(generate("M", seed=3)) == write_bundle(generate("M", seed=3))
    assert write_bundle(generate("M", seed=3)) != write_bundle(generate("M", seed=4))


def test_l_has_realistic_security_groups() -> None:
    topology = generate("L")
    rules = [
        r for g in topology.security_groups.values() if g.group_name != "default" for r in g.ingress
    ]
    groups = len(topology.security_groups) - len(topology.vpcs)
    assert 12 <= len(rules) / groups <= 16  # ~15 inbound rules each
    references = sum(1 for r in rules if r.group_id) / len(rules)
    assert 0.15 <= references <= 0.25  # ~20% reference another group
    assert len(topology.peerings) == 10

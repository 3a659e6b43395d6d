"""A fix offered must be the fix: following the suggested fix makes the same test pass.

Found by trying the troubleshooting challenges: a private instance whose NAT route was removed
was told to route to the internet gateway (which drops a sender without a public address), and a
stopped web server was told to get an Elastic IP (starting it gives it a public IP again)."""

from __future__ import annotations

from app.engine import Topology, analyze
from app.engine import operations as op
from app.engine.templates import apply_template


def nat_lab() -> Topology:
    t = Topology(region="ap-northeast-1")
    apply_template(t, "seed-001-nat")
    return t


def by_name(t: Topology, name: str) -> str:
    return next(i.instance_id for i in t.instances.values() if ("Name", name) in i.tags)


def test_a_private_instance_without_its_nat_route_is_told_to_route_to_the_nat_gateway() -> None:
    t = nat_lab()
    db = by_name(t, "db-server")
    nat = next(iter(t.nat_gateways.values()))
    private_rt = t.route_table_for(t.instances[db].subnet_id)
    assert private_rt is not None
    op.delete_route(t, route_table_id=private_rt.route_table_id, destination_cidr_block="0.0.0.0/0")
    request = {"source": db, "destination": "internet", "protocol": "tcp", "destination_port": 443}
    result = analyze(t, request)
    assert not result.reachable
    fix = result.explanations[0].fix_said
    assert fix is not None and fix.id == "fix.route.to_nat", fix
    assert fix.params["nat"] == nat.nat_gateway_id
    # Following it works; the internet gateway would not have.
    trial = t.copy()
    igw = next(iter(t.internet_gateways.values()))
    op.create_route(
        trial,
        route_table_id=private_rt.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.internet_gateway_id,
    )
    assert not analyze(trial, request).reachable
    op.create_route(
        t,
        route_table_id=private_rt.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        nat_gateway_id=nat.nat_gateway_id,
    )
    assert analyze(t, request).reachable


def test_a_public_instance_without_a_default_route_is_still_told_the_internet_gateway() -> None:
    t = nat_lab()
    web = by_name(t, "web-server")
    public_rt = t.route_table_for(t.instances[web].subnet_id)
    assert public_rt is not None
    op.delete_route(t, route_table_id=public_rt.route_table_id, destination_cidr_block="0.0.0.0/0")
    request = {"source": web, "destination": "internet", "protocol": "tcp", "destination_port": 443}
    fix = analyze(t, request).explanations[0].fix_said
    assert fix is not None and fix.id == "fix.route.to_igw", fix


def test_a_stopped_web_server_is_told_to_start_and_starting_it_is_enough() -> None:
    t = nat_lab()
    web = by_name(t, "web-server")
    op.stop_instances(t, instance_id=web)
    request = {"source": "internet", "destination": web, "protocol": "tcp", "destination_port": 22}
    result = analyze(t, request)
    assert not result.reachable
    fixes = [e.fix_said.id for e in result.explanations if e.fix_said is not None]
    assert fixes[0] == "fix.instance.start_for_public_ip", fixes
    assert "fix.igw.allocate_eip" not in fixes
    op.start_instances(t, instance_id=web)
    assert analyze(t, request).reachable

"""Troubleshooting challenges: faults drawn per student, each breaking a required flow, and
each recognised as repaired once the learner undoes its effect, whichever way."""

from __future__ import annotations

from collections import Counter

import pytest

from app.engine import AwsError, Topology, analyze
from app.engine import operations as op
from app.engine.faults import CODES, Fault, candidates, inject, repaired
from app.engine.templates import apply_template


def lab(template: str) -> Topology:
    t = Topology(region="ap-northeast-1")
    apply_template(t, template)
    return t


def by_name(t: Topology, name: str) -> str:
    return next(i.instance_id for i in t.instances.values() if ("Name", name) in i.tags)


def nat_lab_flows(t: Topology) -> list[bool]:
    """Seed 001's required flows: SSH and HTTP to the web server, MariaDB from it to the
    database, and the database's updates out through the NAT gateway."""
    web, db = by_name(t, "web-server"), by_name(t, "db-server")
    requests = [
        {"source": "internet", "destination": web, "protocol": "tcp", "destination_port": 22},
        {"source": "internet", "destination": web, "protocol": "tcp", "destination_port": 80},
        {"source": web, "destination": db, "protocol": "tcp", "destination_port": 3306},
        {"source": db, "destination": "internet", "protocol": "tcp", "destination_port": 443},
    ]
    return [analyze(t, r).reachable for r in requests]


def test_the_working_lab_passes_its_flows() -> None:
    assert nat_lab_flows(lab("seed-001-nat")) == [True, True, True, True]


def test_three_faults_each_break_a_flow_and_leave_the_original_untouched() -> None:
    original = lab("seed-001-nat")
    broken, faults = inject(original, 3, "student-1", nat_lab_flows)
    assert len(faults) == 3
    assert len({f.code for f in faults}) == 3  # three different lessons
    assert nat_lab_flows(original) == [True, True, True, True]
    assert not all(nat_lab_flows(broken))
    for fault in faults:
        assert fault.code in CODES
        assert str(fault.said)  # every fault can be said
        assert not repaired(broken, fault, nat_lab_flows, original)


def test_students_get_different_faults_and_the_same_student_the_same() -> None:
    original = lab("seed-001-nat")

    def drawn(student: str) -> tuple[tuple[str, str], ...]:
        return tuple((f.code, f.component) for f in inject(original, 3, student, nat_lab_flows)[1])

    assert drawn("student-0") == drawn("student-0")
    assert len({drawn(f"student-{n}") for n in range(6)}) > 1


def test_the_catalogue_offers_every_kind_of_fault_somewhere() -> None:
    """Every kind of fault the NAT lab can have breaks one of its flows on its own."""
    nat = lab("seed-001-nat")

    def breaks_a_flow(fault: Fault) -> bool:
        try:
            return not all(nat_lab_flows(broken_with(nat, fault)))
        except AwsError:  # AWS refuses it in this lab (the gateway has mapped addresses)
            return False

    found = Counter(c.fault.code for c in candidates(nat) if breaks_a_flow(c.fault))
    for code in (
        "route-removed",
        "route-blackhole",
        "nacl-no-ephemeral",
        "nacl-earlier-deny",
        "sg-rule-removed",
        "sg-wrong-port",
        "sg-wrong-source",
        "instance-stopped",
        "nat-in-private-subnet",
    ):
        assert code in found, (code, found)


def fault_of(t: Topology, code: str, **params: object) -> Fault:
    for c in candidates(t):
        if c.fault.code == code and all(c.fault.params.get(k) == v for k, v in params.items()):
            return c.fault
    raise AssertionError(f"no {code} candidate")


def broken_with(original: Topology, fault: Fault) -> Topology:
    trial = original.copy()
    next(c for c in candidates(original) if c.fault == fault).apply(trial)
    return trial


def test_a_stopped_instance_is_repaired_by_starting_it() -> None:
    original = lab("seed-001-nat")
    db = by_name(original, "db-server")
    fault = fault_of(original, "instance-stopped", instance=db)
    t = broken_with(original, fault)
    assert not repaired(t, fault, nat_lab_flows, original)
    op.start_instances(t, instance_id=db)
    assert repaired(t, fault, nat_lab_flows, original)


def test_a_blackholed_nat_route_is_repaired_by_a_new_nat_gateway_another_way() -> None:
    original = lab("seed-001-nat")
    fault = fault_of(original, "route-blackhole")
    t = broken_with(original, fault)
    assert nat_lab_flows(t)[3] is False  # the database's updates cannot go out
    public = next(n.subnet_id for n in original.nat_gateways.values())
    eip = op.allocate_address(t)
    nat = op.create_nat_gateway(t, subnet_id=public, allocation_id=eip.allocation_id)
    op.replace_route(
        t,
        route_table_id=fault.component,
        destination_cidr_block="0.0.0.0/0",
        nat_gateway_id=nat.nat_gateway_id,
    )
    assert repaired(t, fault, nat_lab_flows, original)


@pytest.mark.parametrize("code", ["sg-wrong-port", "sg-wrong-source", "sg-rule-removed"])
def test_a_security_group_fault_is_repaired_by_a_rule_that_admits_the_flow(code: str) -> None:
    original = lab("seed-001-nat")
    fault = fault_of(original, code, port=22)
    t = broken_with(original, fault)
    assert nat_lab_flows(t)[0] is False
    op.authorize(
        t,
        group_id=fault.component,
        ip_permissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "203.0.113.0/24"}],
            }
        ],
        egress=False,
    )
    assert repaired(t, fault, nat_lab_flows, original)


def test_a_fault_that_breaks_nothing_is_never_drawn() -> None:
    """Seed 002 has no NAT gateway and no appliance: none of those faults, and an SG fault
    only if the flows need the rule."""
    original = lab("seed-002-ssh")

    def flows(t: Topology) -> list[bool]:
        return [
            analyze(
                t,
                {"source": "internet", "destination": i, "protocol": "tcp", "destination_port": 22},
            ).reachable
            for i in sorted(t.instances)
        ]

    _, faults = inject(original, 20, "x", flows)
    codes = {f.code for f in faults}
    assert not codes & {"route-blackhole", "nat-in-private-subnet", "source-dest-check-on"}
    assert "igw-detached" not in codes  # AWS refuses to detach it while EIPs are mapped
    assert codes  # but there is something to break

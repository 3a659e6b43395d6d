"""Seed 001: a private database reached through a bastion and updating itself through NAT."""

from .lab import codes, named, new_lab, steps, trace


def test_ssh_from_the_web_server_to_the_database_is_allowed_by_the_default_group() -> None:
    lab = new_lab("seed-001-nat")
    web = named(lab, "instance", "web-server")
    db = named(lab, "instance", "db-server")

    result = trace(lab, web.instance_id, db.instance_id)

    assert result.reachable, codes(result)
    sg_in = [h for h in result.forward_path if h.component.type == "security-group"][1]
    rule = sg_in.details["security_group_rule"]
    assert rule["referenced_group"] == sg_in.component.id  # "default" admits its own members
    assert [t for t, _ in steps(result.forward_path)] == [
        "instance",
        "network-interface",
        "security-group",
        "network-acl",
        "route-table",
        "network-acl",
        "security-group",
        "network-interface",
        "instance",
    ]


def test_the_database_updates_itself_through_the_nat_gateway() -> None:
    lab = new_lab("seed-001-nat")
    db = named(lab, "instance", "db-server")
    nat = named(lab, "nat-gateway", "lab-nat")

    result = trace(lab, db.instance_id, "internet", port=443)

    assert result.reachable, codes(result)
    types = [t for t, _ in steps(result.forward_path)]
    assert types.index("nat-gateway") < types.index("internet-gateway")
    nat_hop = next(h for h in result.forward_path if h.component.type == "nat-gateway")
    assert nat_hop.action == "translated"
    assert nat_hop.inbound_header.source_ip == lab.primary_eni(db.instance_id).primary_ip
    assert nat_hop.outbound_header.source_ip == nat.private_ip
    assert 1024 <= nat_hop.outbound_header.source_port <= 65535
    assert {n["code"] for n in nat_hop.details["notes"]} == {
        "NGW_SOURCE_ADDRESS_REASSIGN",
        "REMAP_EPHEMERAL_PORT",
    }
    igw_hop = next(h for h in result.forward_path if h.component.type == "internet-gateway")
    assert igw_hop.outbound_header.source_ip == nat.public_ip
    back_nat = next(h for h in result.return_path if h.component.type == "nat-gateway")
    assert back_nat.outbound_header.destination_ip == nat_hop.inbound_header.source_ip
    assert back_nat.outbound_header.destination_port == nat_hop.inbound_header.source_port
    assert result.return_path[-1].component.id == db.instance_id


def test_the_internet_cannot_reach_the_private_database() -> None:
    lab = new_lab("seed-001-nat")
    db = named(lab, "instance", "db-server")

    result = trace(lab, "203.0.113.5", db.instance_id)

    assert not result.reachable
    assert codes(result) == ["IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"]
    assert (
        result.explanations[0].refs["network_interface"]["id"]
        == lab.primary_eni(db.instance_id).network_interface_id
    )


def test_the_nat_gateway_refuses_connections_from_outside() -> None:
    lab = new_lab("seed-001-nat")
    nat = named(lab, "nat-gateway", "lab-nat")

    result = trace(lab, "203.0.113.5", str(nat.public_ip))

    assert not result.reachable
    assert steps(result.forward_path)[-1] == ("nat-gateway", "blocked")
    assert codes(result) == ["NGW_REQUIRES_SOURCE_IN_VPC"]


def test_the_web_server_is_public_by_routing() -> None:
    lab = new_lab("seed-001-nat")
    web = named(lab, "instance", "web-server")
    assert trace(lab, "203.0.113.5", web.instance_id, port=80).reachable
    assert not trace(lab, "203.0.113.5", web.instance_id, port=443).reachable

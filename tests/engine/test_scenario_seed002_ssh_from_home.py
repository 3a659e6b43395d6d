"""Seed 002: SSH from home (203.0.113.5) to an instance with an Elastic IP in a public subnet."""

from app.engine import operations as op
from app.engine.instance_view import instance_view

from .lab import codes, named, new_lab, steps, trace


def test_ssh_from_home_reaches_the_instance_through_its_elastic_ip() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    eni = lab.primary_eni(instance.instance_id)
    eip = lab.eip_for(eni.network_interface_id, eni.primary_ip)

    result = trace(lab, "203.0.113.5", str(eip.public_ip))

    assert result.reachable, codes(result)
    assert steps(result.forward_path) == [
        ("internet-gateway", "translated"),
        ("network-acl", "allowed"),
        ("security-group", "allowed"),
        ("network-interface", "forwarded"),
        ("instance", "delivered"),
    ]
    igw = result.forward_path[0]
    assert str(igw.inbound_header.destination_ip) == str(eip.public_ip)
    assert str(igw.outbound_header.destination_ip) == "192.168.1.4"
    assert result.forward_path[2].details["security_group_rule"]["port_range"] == [22, 22]
    # Which rule it was, as data: the group that holds it and its place in the group's list.
    sg_rule = result.forward_path[2].details["security_group_rule"]
    group = lab.security_groups[sg_rule["group_id"]]
    assert group.ingress[sg_rule["index"]].from_port == 22
    assert result.forward_path[1].details["acl_rule"]["rule_number"] == 100


def test_the_reply_follows_the_default_route_and_is_translated_back() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0002")

    result = trace(lab, "internet", instance.instance_id, source_ip="203.0.113.5")

    assert result.reachable
    assert steps(result.return_path) == [
        ("instance", "sent"),
        ("network-interface", "forwarded"),
        ("security-group", "allowed"),
        ("network-acl", "allowed"),
        ("route-table", "forwarded"),
        ("internet-gateway", "translated"),
        ("internet", "delivered"),
    ]
    sg_hop = result.return_path[2]
    assert sg_hop.details["security_group_rule"]["reply"] is True  # stateful, no rule needed
    route = result.return_path[4].details["route"]
    assert route["destination"] == "0.0.0.0/0" and route["target"].startswith("igw-")
    igw_hop = result.return_path[5]
    assert str(igw_hop.inbound_header.source_ip) == "192.168.2.4"
    assert igw_hop.outbound_header.source_ip == result.forward_path[0].inbound_header.destination_ip


def test_the_instance_does_not_see_its_elastic_ip() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")

    view = instance_view(lab, instance.instance_id)

    assert "    inet 192.168.1.4/24 brd 192.168.1.255 scope global eth0" in view.ip_addr
    assert view.public_ip is not None
    assert not any(view.public_ip in line for line in view.ip_addr)
    assert view.ip_route == [
        "default via 192.168.1.1 dev eth0",
        "169.254.169.254 dev eth0",
        "192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.4",
    ]
    assert view.private_dns_name == "ip-192-168-1-4.ap-northeast-1.compute.internal"


def test_a_subnet_has_251_available_addresses_before_launch() -> None:
    from app.engine.bundle.write import subnet_json

    lab = new_lab("blank")
    vpc = op.create_vpc(lab, cidr_block="192.168.0.0/16")
    subnet = op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block="192.168.1.0/24")
    assert subnet_json(lab, subnet)["AvailableIpAddressCount"] == 251


def test_without_the_route_to_the_igw_the_request_arrives_but_the_reply_cannot_leave() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    main = lab.main_route_table(instance.vpc_id)
    op.delete_route(lab, route_table_id=main.route_table_id, destination_cidr_block="0.0.0.0/0")

    result = trace(lab, "203.0.113.5", instance.instance_id)

    assert not result.reachable
    assert result.forward_path[-1].action == "delivered"
    assert steps(result.return_path)[-1] == ("route-table", "blocked")
    [explanation] = result.explanations
    assert explanation.code == "NO_ROUTE_TO_DESTINATION"
    assert explanation.path == "return"
    igw = lab.internet_gateway_of(instance.vpc_id)
    assert explanation.suggested_fix == (
        f"Add the route 0.0.0.0/0 → {igw.internet_gateway_id} to {main.route_table_id}."
    )

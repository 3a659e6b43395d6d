"""The Reachability Analyzer's "blocked path": the analysis goes on past a block so every problem
shows at once, but what comes after a block is only what *would* happen once it is fixed."""

from app.engine import operations as op

from .lab import SSH, codes, named, new_lab, trace

DELIVERY_WORDS = ("receives", "reaches", "delivered", "arrives")


def after_block(path: list) -> list[bool]:
    return [h.after_block for h in path]


def claims_delivery(hop) -> bool:
    return any(word in hop.message for word in DELIVERY_WORDS)


def test_after_a_security_group_block_the_instance_would_receive_the_ping() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    sg = named(lab, "security-group", "ssh")

    result = trace(lab, "203.0.113.5", instance.instance_id, protocol="icmp")

    assert not result.reachable
    assert codes(result) == ["ENI_SG_RULES_MISMATCH"]
    blocked = next(h for h in result.forward_path if h.action == "blocked")
    assert blocked.component.id == sg.group_id and not blocked.after_block
    assert after_block(result.forward_path) == [False, False, False, True, True]
    assert after_block(result.return_path) == [True] * len(result.return_path)
    last = result.forward_path[-1]
    assert last.message == (
        f"Instance {instance.instance_id} would receive the packet if the earlier block were fixed."
    )
    would_be = [h for h in result.forward_path + result.return_path if h.after_block]
    assert all("would" in h.message and not claims_delivery(h) for h in would_be)
    assert result.return_path[-1].message == (
        "The reply would reach the internet host 203.0.113.5 if the earlier block were fixed."
    )


def test_hops_before_the_block_read_as_they_always_did() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    igw = lab.internet_gateway_of(instance.vpc_id)
    eni = lab.primary_eni(instance.instance_id)
    public = lab.public_ip_of(eni, eni.primary_ip)

    result = trace(lab, "203.0.113.5", instance.instance_id, protocol="icmp")

    assert result.forward_path[0].message == (
        f"Internet gateway {igw.internet_gateway_id} maps {public} to the private address "
        "192.168.1.4."
    )
    assert result.to_dict()["forward_path"][0]["after_block"] is False
    assert result.to_dict()["forward_path"][-1]["after_block"] is True


def test_a_passing_trace_has_no_would_be_hop() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")

    result = trace(lab, "203.0.113.5", instance.instance_id)

    assert result.reachable
    hops = result.to_dict()["forward_path"] + result.to_dict()["return_path"]
    assert [h["after_block"] for h in hops] == [False] * len(hops)
    assert not any("would" in h["message"] for h in hops)
    delivered = result.forward_path[-1]
    assert delivered.message == f"Instance {instance.instance_id} receives the packet."


def test_after_a_network_acl_block_a_second_block_is_its_own_problem_and_would_be() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    # A new custom network ACL denies everything until rules are added (VPC UG: vpc-network-acls).
    acl = op.create_network_acl(lab, vpc_id=instance.vpc_id)
    op.associate_subnet_with_acl(
        lab, network_acl_id=acl.network_acl_id, subnet_id=instance.subnet_id
    )

    result = trace(lab, "203.0.113.5", instance.instance_id, protocol="icmp")

    assert not result.reachable
    # Inbound, the group, and the reply outbound: three fixes, each one explanation.
    assert codes(result) == [
        "SUBNET_ACL_RESTRICTION",
        "ENI_SG_RULES_MISMATCH",
        "SUBNET_ACL_RESTRICTION",
    ]
    assert [(h.component.type, h.after_block) for h in result.blocked_hops] == [
        ("network-acl", False),
        ("security-group", True),
        ("network-acl", True),
    ]
    assert result.forward_path[-1].message.endswith("if the earlier blocks were fixed.")
    assert not any(claims_delivery(h) for h in result.return_path)


def test_a_stopped_instance_is_one_problem_not_two() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    op.stop_instances(lab, instance_id=instance.instance_id)

    result = trace(lab, "203.0.113.5", instance.instance_id)

    assert not result.reachable
    assert codes(result) == ["BAD_STATE"]
    assert result.explanations[0].component.id == instance.instance_id
    assert [h.component.id for h in result.blocked_hops] == [instance.instance_id]
    sends = result.return_path[0]
    assert (sends.component.id, sends.action, sends.after_block) == (
        instance.instance_id,
        "sent",
        True,
    )
    assert sends.message.startswith(f"Instance {instance.instance_id} would send the reply")


def test_a_stopped_source_is_one_problem_and_its_reply_would_come_back() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    op.stop_instances(lab, instance_id=instance.instance_id)

    result = trace(lab, instance.instance_id, "8.8.8.8", port=443)

    assert codes(result) == ["BAD_STATE"]
    assert result.forward_path[0].action == "blocked"
    assert after_block(result.forward_path)[1:] == [True] * (len(result.forward_path) - 1)
    assert result.return_path[-1].action == "delivered"
    assert result.return_path[-1].after_block


def test_an_unattached_interface_is_one_problem_not_two() -> None:
    lab = new_lab("seed-002-ssh")
    client = named(lab, "instance", "myinstance-0002")
    sg = named(lab, "security-group", "ssh")
    spare = op.create_network_interface(
        lab, subnet_id=named(lab, "instance", "myinstance-0001").subnet_id, groups=[sg.group_id]
    )
    op.authorize(lab, group_id=sg.group_id, ip_permissions=SSH, egress=True)

    result = trace(lab, client.instance_id, spare.network_interface_id)

    assert codes(result) == ["BAD_STATE_ATTACHMENT"]
    assert len(result.blocked_hops) == 1
    assert all(h.after_block for h in result.return_path)


def test_one_network_acl_shared_by_two_subnets_missing_one_rule_is_one_problem() -> None:
    lab = new_lab("seed-001-nat")
    db = named(lab, "instance", "db-server")
    acl = op.create_network_acl(lab, vpc_id=db.vpc_id)
    for egress, cidr in ((False, "0.0.0.0/0"), (True, "172.30.0.0/16")):
        op.create_network_acl_entry(
            lab,
            network_acl_id=acl.network_acl_id,
            rule_number=100,
            egress=egress,
            rule_action="allow",
            protocol="-1",
            cidr_block=cidr,
        )
    for subnet in ("public-subnet", "private-subnet"):
        op.associate_subnet_with_acl(
            lab, network_acl_id=acl.network_acl_id, subnet_id=named(lab, "subnet", subnet).subnet_id
        )

    # The database updates itself: out of its subnet, then out of the NAT gateway's subnet, the
    # one ACL lacks the same outbound rule. One rule fixes both crossings.
    result = trace(lab, db.instance_id, "8.8.8.8", port=443)

    assert codes(result) == ["SUBNET_ACL_RESTRICTION"]
    assert result.explanations[0].suggested_fix == (
        f"Add an outbound rule to {acl.network_acl_id}: 110 ALLOW tcp 443 to 0.0.0.0/0"
    )
    leaving = [
        h for h in result.forward_path if h.component.id == acl.network_acl_id and h.after_block
    ]
    assert [h.action for h in leaving] == ["allowed", "allowed"]  # into, then out of, the NAT
    assert "once the fix above is made" in leaving[-1].message

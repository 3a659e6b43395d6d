"""A custom NACL that allows SSH in and out but forgets the ephemeral ports: the reply dies."""

from app.engine import operations as op

from .lab import codes, named, new_lab, steps, trace


def custom_acl_on(lab, subnet_id: str, entries: list[dict]) -> str:
    vpc_id = lab.subnets[subnet_id].vpc_id
    acl = op.create_network_acl(lab, vpc_id=vpc_id)
    for entry in entries:
        op.create_network_acl_entry(lab, network_acl_id=acl.network_acl_id, **entry)
    op.associate_subnet_with_acl(lab, network_acl_id=acl.network_acl_id, subnet_id=subnet_id)
    return acl.network_acl_id


SSH_BOTH_WAYS = [
    {
        "rule_number": 100,
        "egress": False,
        "rule_action": "allow",
        "protocol": "tcp",
        "cidr_block": "0.0.0.0/0",
        "port_range": {"From": 22, "To": 22},
    },
    {
        "rule_number": 100,
        "egress": True,
        "rule_action": "allow",
        "protocol": "tcp",
        "cidr_block": "0.0.0.0/0",
        "port_range": {"From": 22, "To": 22},
    },
]


def test_the_reply_is_dropped_on_its_way_out_and_the_fix_names_the_ephemeral_ports() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    acl_id = custom_acl_on(lab, instance.subnet_id, SSH_BOTH_WAYS)

    result = trace(lab, "203.0.113.5", instance.instance_id)

    assert not result.reachable
    assert all(h.action != "blocked" for h in result.forward_path)
    assert ("network-acl", "blocked") in steps(result.return_path)
    [explanation] = result.explanations
    assert explanation.code == "SUBNET_ACL_RESTRICTION"
    assert (explanation.path, explanation.direction) == ("return", "egress")
    assert explanation.component.id == acl_id
    assert explanation.refs["subnet"] == {"id": instance.subnet_id}
    assert explanation.refs["acl_rule"] == {"rule_number": 32767, "rule_action": "deny"}
    assert "ephemeral ports (1024-65535)" in explanation.message
    assert explanation.suggested_fix == (
        f"Add an outbound rule to {acl_id}: 110 ALLOW tcp 1024-65535 to 0.0.0.0/0"
    )


def test_adding_the_ephemeral_rule_makes_it_reachable() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    acl_id = custom_acl_on(
        lab,
        instance.subnet_id,
        [
            *SSH_BOTH_WAYS,
            {
                "rule_number": 110,
                "egress": True,
                "rule_action": "allow",
                "protocol": "tcp",
                "cidr_block": "0.0.0.0/0",
                "port_range": {"From": 1024, "To": 65535},
            },
        ],
    )

    result = trace(lab, "203.0.113.5", instance.instance_id)

    assert result.reachable, codes(result)
    nacl_out = next(h for h in result.return_path if h.component.id == acl_id)
    assert nacl_out.details["acl_rule"]["label"] == "110 TCP 1024-65535 0.0.0.0/0 ALLOW"


def test_a_new_custom_nacl_blocks_everything_and_every_block_is_reported() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    custom_acl_on(lab, instance.subnet_id, [])

    result = trace(lab, "203.0.113.5", instance.instance_id)

    assert codes(result) == ["SUBNET_ACL_RESTRICTION", "SUBNET_ACL_RESTRICTION"]
    assert [(e.path, e.direction) for e in result.explanations] == [
        ("forward", "ingress"),
        ("return", "egress"),
    ]
    assert "100 ALLOW tcp 22 from 0.0.0.0/0" in result.explanations[0].suggested_fix


def test_an_explicit_deny_before_the_allow_wins() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    custom_acl_on(
        lab,
        instance.subnet_id,
        [
            {
                "rule_number": 50,
                "egress": False,
                "rule_action": "deny",
                "protocol": "-1",
                "cidr_block": "203.0.113.0/24",
            },
            {
                "rule_number": 100,
                "egress": False,
                "rule_action": "allow",
                "protocol": "-1",
                "cidr_block": "0.0.0.0/0",
            },
            {
                "rule_number": 100,
                "egress": True,
                "rule_action": "allow",
                "protocol": "-1",
                "cidr_block": "0.0.0.0/0",
            },
        ],
    )

    blocked = trace(lab, "203.0.113.5", instance.instance_id)
    assert blocked.explanations[0].refs["acl_rule"] == {"rule_number": 50, "rule_action": "deny"}
    assert trace(lab, "198.51.100.9", instance.instance_id).reachable

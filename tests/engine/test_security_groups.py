"""Security groups: union of allow rules, stateful, protocols and ports, group references."""

from ipaddress import IPv4Address

from app.engine import operations as op
from app.engine.packet import Header
from app.engine.security_group import evaluate_security_groups

from .lab import new_lab, public_vpc


def header(
    proto: str = "tcp",
    port: int | None = 22,
    src: str = "203.0.113.5",
    dst: str = "10.0.1.4",
    icmp_type: int | None = None,
) -> Header:
    return Header(
        IPv4Address(src),
        IPv4Address(dst),
        proto,
        49152 if proto != "icmp" else None,
        port if proto != "icmp" else None,
        icmp_type,
        0 if proto == "icmp" else None,
    )


def setup():
    lab = new_lab()
    parts = public_vpc(lab)
    web = op.create_security_group(
        lab, group_name="web", description="web", vpc_id=parts["vpc"].vpc_id
    )
    op.authorize(
        lab,
        group_id=web.group_id,
        egress=False,
        ip_permissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 80,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    return lab, parts, web


def test_the_rules_of_all_groups_form_one_union() -> None:
    lab, parts, web = setup()
    groups = (parts["sg"].group_id, web.group_id)
    ssh = evaluate_security_groups(lab, groups, header(port=22), "ingress", parts["vpc"].vpc_id)
    https = evaluate_security_groups(lab, groups, header(port=443), "ingress", parts["vpc"].vpc_id)
    other = evaluate_security_groups(lab, groups, header(port=8080), "ingress", parts["vpc"].vpc_id)
    assert ssh.allowed and ssh.group.group_id == parts["sg"].group_id
    assert https.allowed and https.group.group_id == web.group_id
    assert not other.allowed and other.reason == "no-rule"


def test_a_group_without_inbound_rules_says_so() -> None:
    lab, parts, _ = setup()
    empty = op.create_security_group(
        lab, group_name="empty", description="x", vpc_id=parts["vpc"].vpc_id
    )
    decision = evaluate_security_groups(
        lab, (empty.group_id,), header(), "ingress", parts["vpc"].vpc_id
    )
    assert decision.reason == "no-rules"


def test_a_new_group_allows_all_outbound() -> None:
    lab, parts, web = setup()
    decision = evaluate_security_groups(
        lab,
        (web.group_id,),
        header(src="10.0.1.4", dst="8.8.8.8", port=53, proto="udp"),
        "egress",
        parts["vpc"].vpc_id,
    )
    assert decision.allowed and decision.rule.protocol == "-1"


def test_icmp_rules_match_type_and_code() -> None:
    lab, parts, web = setup()
    op.authorize(
        lab,
        group_id=web.group_id,
        egress=False,
        ip_permissions=[
            {
                "IpProtocol": "icmp",
                "FromPort": 8,
                "ToPort": -1,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    echo = header(proto="icmp", icmp_type=8)
    unreachable = header(proto="icmp", icmp_type=3)
    vpc_id = parts["vpc"].vpc_id
    assert evaluate_security_groups(lab, (web.group_id,), echo, "ingress", vpc_id).allowed
    assert not evaluate_security_groups(
        lab, (web.group_id,), unreachable, "ingress", vpc_id
    ).allowed


def test_a_group_reference_matches_members_private_addresses_only() -> None:
    lab, parts, web = setup()
    member = op.run_instances(
        lab,
        subnet_id=parts["subnet"].subnet_id,
        security_group_ids=[web.group_id],
        associate_public_ip_address=True,
    )
    db = op.create_security_group(
        lab, group_name="db", description="db", vpc_id=parts["vpc"].vpc_id
    )
    op.authorize(
        lab,
        group_id=db.group_id,
        egress=False,
        ip_permissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 3306,
                "ToPort": 3306,
                "UserIdGroupPairs": [{"GroupId": web.group_id}],
            }
        ],
    )
    eni = lab.primary_eni(member.instance_id)
    public = lab.public_ip_of(eni, eni.primary_ip)
    vpc_id = parts["vpc"].vpc_id
    private_src = header(port=3306, src=str(eni.primary_ip))
    public_src = header(port=3306, src=str(public))
    assert evaluate_security_groups(lab, (db.group_id,), private_src, "ingress", vpc_id).allowed
    assert not evaluate_security_groups(lab, (db.group_id,), public_src, "ingress", vpc_id).allowed

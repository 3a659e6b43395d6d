"""What security groups and network ACLs do not filter: the Amazon DNS server (VPC base + 2 and
169.254.169.253, while enableDnsSupport is on), instance metadata (169.254.169.254) and the
Amazon Time Sync Service (169.254.169.123), reached from inside the instance's own VPC only."""

import pytest

from app.engine import AwsError
from app.engine import operations as op

from .lab import codes, named, new_lab, steps, trace
from .test_scenario_peering import peer, vpc_with_instance

ALL = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]


def locked_down():
    """Seed 002 with no outbound rule in the instance's group and a custom network ACL that
    denies everything on its subnet: nothing else leaves the instance."""
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    sg = named(lab, "security-group", "ssh")
    op.revoke(lab, group_id=sg.group_id, ip_permissions=ALL, egress=True)
    acl = op.create_network_acl(lab, vpc_id=instance.vpc_id)
    op.associate_subnet_with_acl(
        lab, network_acl_id=acl.network_acl_id, subnet_id=instance.subnet_id
    )
    assert not trace(lab, instance.instance_id, "8.8.8.8", protocol="udp", port=53).reachable
    return lab, instance


@pytest.mark.parametrize(
    ("address", "protocol", "port", "kind"),
    [
        ("192.168.0.2", "udp", 53, "amazon-dns"),  # myvpc is 192.168.0.0/16: base + 2
        ("169.254.169.253", "udp", 53, "amazon-dns"),
        ("169.254.169.254", "tcp", 80, "instance-metadata"),
        ("169.254.169.123", "udp", 123, "time-sync"),
    ],
)
def test_the_service_answers_whatever_the_groups_and_acls_say(
    address: str, protocol: str, port: int, kind: str
) -> None:
    lab, instance = locked_down()

    result = trace(lab, instance.instance_id, address, protocol=protocol, port=port)

    assert result.reachable, codes(result)
    assert steps(result.forward_path) == [
        ("instance", "sent"),
        ("network-interface", "forwarded"),
        (kind, "delivered"),
    ]
    assert steps(result.return_path) == [
        (kind, "sent"),
        ("network-interface", "forwarded"),
        ("instance", "delivered"),
    ]
    service = result.forward_path[-1]
    assert service.component.id == address
    assert "Security groups and network ACLs do not filter" in service.message


def test_with_dns_resolution_off_the_dns_server_does_not_answer() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    op.modify_vpc_attribute(lab, vpc_id=instance.vpc_id, enable_dns_support=False)

    for address in ("192.168.0.2", "169.254.169.253"):
        result = trace(lab, instance.instance_id, address, protocol="udp", port=53)

        assert not result.reachable
        assert codes(result) == ["NO_PATH"]
        [explanation] = result.explanations
        assert (explanation.component.type, explanation.component.id) == ("amazon-dns", address)
        assert explanation.refs == {"vpc": {"id": instance.vpc_id}}
        assert "enableDnsSupport" in explanation.message
        assert explanation.suggested_fix.startswith(f"Turn on DNS resolution for {instance.vpc_id}")
        assert result.return_path == []

    op.modify_vpc_attribute(lab, vpc_id=instance.vpc_id, enable_dns_support=True)
    assert trace(lab, instance.instance_id, "192.168.0.2", protocol="udp", port=53).reachable


def test_the_dns_server_of_a_peered_vpc_is_not_reachable_through_peering() -> None:
    lab = new_lab()
    a, ia, _ = vpc_with_instance(lab, "10.1.0.0/16")
    b, ib, _ = vpc_with_instance(lab, "10.2.0.0/16")
    peer(lab, a, b)
    assert trace(lab, ia.instance_id, ib.instance_id).reachable

    result = trace(lab, ia.instance_id, "10.2.0.2", protocol="udp", port=53)

    assert codes(result) == ["NO_PATH"]
    [explanation] = result.explanations
    assert explanation.component.type == "amazon-dns"
    assert explanation.refs == {"vpc": {"id": b.vpc_id}, "source_vpc": {"id": a.vpc_id}}
    assert "10.1.0.2" in explanation.suggested_fix  # its own VPC's server
    # Its own VPC's server, and the link-local address, answer.
    assert trace(lab, ia.instance_id, "10.1.0.2", protocol="udp", port=53).reachable


def test_from_the_internet_neither_the_dns_server_nor_metadata_is_reachable() -> None:
    lab = new_lab("seed-002-ssh")

    for address, kind in (("192.168.0.2", "amazon-dns"), ("169.254.169.254", "instance-metadata")):
        result = trace(lab, "203.0.113.5", address, protocol="udp", port=53)

        assert codes(result) == ["NO_PATH"]
        assert [h.component.type for h in result.forward_path] == [kind]
        assert "never a host on the internet" in result.explanations[0].message


def test_a_service_answers_only_its_own_protocol() -> None:
    """*(Our choice)*: metadata over HTTP, DNS on 53, NTP on 123; no ping."""
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")

    result = trace(lab, instance.instance_id, "169.254.169.254", protocol="icmp")

    assert codes(result) == ["NO_PATH"]
    assert "HTTP (TCP port 80)" in result.explanations[0].message


def test_another_link_local_address_is_not_modelled_and_never_reaches_the_internet() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")

    result = trace(lab, instance.instance_id, "169.254.1.1", port=80)

    assert codes(result) == ["UNSUPPORTED_COMPONENT"]
    assert "internet" not in [h.component.type for h in result.forward_path]


def test_a_service_is_never_the_source() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")

    with pytest.raises(AwsError) as refused:
        trace(lab, "169.254.169.254", instance.instance_id, port=22)

    assert refused.value.code == "InvalidParameterValue"
    assert "instance metadata service" in refused.value.message

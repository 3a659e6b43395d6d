"""Addressing: sizes, the five reserved addresses, lowest-free assignment, no overlaps."""

from ipaddress import IPv4Address, IPv4Network

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine import AwsError
from app.engine import operations as op
from app.engine.addressing import is_reserved, reserved_addresses, usable_count

from .lab import new_lab


@pytest.mark.parametrize(("prefix", "usable"), [(24, 251), (28, 11), (16, 65531)])
def test_usable_addresses_are_size_minus_five(prefix: int, usable: int) -> None:
    assert usable_count(IPv4Network(f"10.0.0.0/{prefix}")) == usable


def test_the_five_reserved_addresses_are_never_assigned() -> None:
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    subnet = op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block="10.0.5.0/28")
    for reserved in reserved_addresses(subnet.cidr_block):
        with pytest.raises(AwsError) as error:
            op.create_network_interface(
                lab, subnet_id=subnet.subnet_id, private_ip_address=str(reserved)
            )
        assert error.value.code == "InvalidParameterValue"
        assert "reserves" in error.value.message


def test_automatic_assignment_takes_the_lowest_free_address() -> None:
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    subnet = op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block="10.0.1.0/24")
    op.create_network_interface(lab, subnet_id=subnet.subnet_id, private_ip_address="10.0.1.4")
    eni = op.create_network_interface(lab, subnet_id=subnet.subnet_id)
    assert str(eni.primary_ip) == "10.0.1.5"


def test_a_full_subnet_refuses_with_insufficient_free_addresses() -> None:
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    subnet = op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block="10.0.1.0/28")
    for _ in range(11):
        op.create_network_interface(lab, subnet_id=subnet.subnet_id)
    with pytest.raises(AwsError) as error:
        op.create_network_interface(lab, subnet_id=subnet.subnet_id)
    assert error.value.code == "InsufficientFreeAddressesInSubnet"


@st.composite
def subnet_plans(draw: st.DrawFn) -> tuple[int, list[str | None]]:
    prefix = draw(st.integers(min_value=24, max_value=28))
    size = 2 ** (32 - prefix)
    requests = draw(
        st.lists(
            st.one_of(
                st.none(),
                st.integers(min_value=0, max_value=size - 1).map(lambda offset: f"10.0.0.{offset}"),
            ),
            max_size=20,
        )
    )
    return prefix, requests


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(subnet_plans())
def test_assigned_addresses_are_inside_unreserved_and_unique(plan) -> None:
    prefix, requests = plan
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    subnet = op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block=f"10.0.0.0/{prefix}")
    for requested in requests:
        try:
            op.create_network_interface(
                lab, subnet_id=subnet.subnet_id, private_ip_address=requested
            )
        except AwsError as error:
            assert error.code in (
                "InvalidParameterValue",
                "InvalidIPAddress.InUse",
                "InsufficientFreeAddressesInSubnet",
            )
    assigned = [a for e in lab.enis_in_subnet(subnet.subnet_id) for a in e.addresses]
    assert len(assigned) == len(set(assigned))
    assert all(a in subnet.cidr_block for a in assigned)
    assert not any(is_reserved(subnet.cidr_block, a) for a in assigned)
    assert len(assigned) <= usable_count(subnet.cidr_block)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 255), st.integers(20, 28)), max_size=25))
def test_subnets_of_a_vpc_never_overlap(blocks: list[tuple[int, int]]) -> None:
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    for third, prefix in blocks:
        network = IPv4Network(f"10.0.{third}.0/{prefix}", strict=False)
        try:
            op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block=str(network))
        except AwsError as error:
            assert error.code == "InvalidSubnet.Conflict"
    subnets = [s.cidr_block for s in lab.subnets_of(vpc.vpc_id)]
    for i, a in enumerate(subnets):
        assert a.subnet_of(IPv4Network("10.0.0.0/16"))
        for b in subnets[i + 1 :]:
            assert not a.overlaps(b)


def test_host_bits_set_is_refused_with_a_hint() -> None:
    lab = new_lab()
    with pytest.raises(AwsError) as error:
        op.create_vpc(lab, cidr_block="10.0.0.1/16")
    assert error.value.code == "InvalidParameterValue"
    assert "10.0.0.0/16" in error.value.message


@pytest.mark.parametrize("cidr", ["10.0.0.0/15", "10.0.0.0/29", "169.254.0.0/16"])
def test_vpc_blocks_outside_16_to_28_are_invalid_range(cidr: str) -> None:
    lab = new_lab()
    with pytest.raises(AwsError) as error:
        op.create_vpc(lab, cidr_block=cidr)
    assert error.value.code == "InvalidVpc.Range"


@pytest.mark.parametrize(
    "cidr", ["10.0.0.0/33", "2001:db8::/56", "010.0.0.0/16", "10.0.0/16", "nonsense", ""]
)
def test_a_malformed_block_is_an_invalid_parameter_value_not_a_range(cidr: str) -> None:
    """AWS: "Value (…) for parameter cidrBlock is invalid. This is not a valid CIDR block."""
    lab = new_lab()
    with pytest.raises(AwsError) as error:
        op.create_vpc(lab, cidr_block=cidr)
    assert error.value.code == "InvalidParameterValue"
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    with pytest.raises(AwsError) as error:
        op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block=cidr)
    assert error.value.code == "InvalidParameterValue"
    with pytest.raises(AwsError) as error:
        op.associate_vpc_cidr_block(lab, vpc_id=vpc.vpc_id, cidr_block=cidr)
    assert error.value.code == "InvalidParameterValue"


def test_is_reserved_knows_the_broadcast_address() -> None:
    net = IPv4Network("192.168.1.0/24")
    assert is_reserved(net, IPv4Address("192.168.1.255"))
    assert not is_reserved(net, IPv4Address("192.168.1.4"))

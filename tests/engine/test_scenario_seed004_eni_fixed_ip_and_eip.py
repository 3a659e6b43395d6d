"""Seed 004: an ENI created with the fixed private IP 10.0.1.11, an Elastic IP on it, SSH."""

import pytest

from app.engine import AwsError
from app.engine import operations as op

from .lab import SSH, codes, new_lab, steps, trace


def build() -> tuple:
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    igw = op.create_internet_gateway(lab)
    op.attach_internet_gateway(lab, internet_gateway_id=igw.internet_gateway_id, vpc_id=vpc.vpc_id)
    subnet = op.create_subnet(
        lab, vpc_id=vpc.vpc_id, cidr_block="10.0.1.0/24", availability_zone="ap-northeast-1a"
    )
    rtb = op.create_route_table(lab, vpc_id=vpc.vpc_id)
    op.create_route(
        lab,
        route_table_id=rtb.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.internet_gateway_id,
    )
    op.associate_route_table(lab, route_table_id=rtb.route_table_id, subnet_id=subnet.subnet_id)
    sg = op.create_security_group(lab, group_name="web-sg", description="ssh", vpc_id=vpc.vpc_id)
    op.authorize(lab, group_id=sg.group_id, ip_permissions=SSH, egress=False)
    eni = op.create_network_interface(
        lab, subnet_id=subnet.subnet_id, private_ip_address="10.0.1.11", groups=[sg.group_id]
    )
    eip = op.allocate_address(lab)
    op.associate_address(
        lab, allocation_id=eip.allocation_id, network_interface_id=eni.network_interface_id
    )
    instance = op.run_instances(lab, network_interface_id=eni.network_interface_id)
    return lab, eni, eip, instance


def test_ssh_reaches_the_fixed_address_through_the_elastic_ip() -> None:
    lab, eni, eip, instance = build()

    result = trace(lab, "203.0.113.5", str(eip.public_ip))

    assert result.reachable, codes(result)
    assert str(result.forward_path[0].outbound_header.destination_ip) == "10.0.1.11"
    assert result.forward_path[-1].component.id == instance.instance_id
    assert lab.primary_eni(instance.instance_id).network_interface_id == eni.network_interface_id


def test_the_reply_leaves_by_the_default_route_from_the_fixed_address() -> None:
    lab, _, eip, _ = build()
    result = trace(lab, "203.0.113.5", str(eip.public_ip))
    assert steps(result.return_path)[4] == ("route-table", "forwarded")
    igw = result.return_path[5]
    assert str(igw.inbound_header.source_ip) == "10.0.1.11"
    assert igw.outbound_header.source_ip == eip.public_ip


def test_the_fixed_address_cannot_be_taken_twice() -> None:
    lab, eni, _, _ = build()
    with pytest.raises(AwsError) as error:
        op.create_network_interface(lab, subnet_id=eni.subnet_id, private_ip_address="10.0.1.11")
    assert error.value.code == "InvalidIPAddress.InUse"

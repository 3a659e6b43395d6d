"""Every refusal carries the AWS error code and a sentence a learner can act on."""

from collections.abc import Callable
from typing import Any

import pytest

from app.engine import AwsError
from app.engine import operations as op

from .lab import SSH, named, new_lab, public_vpc


def lab_with_parts() -> tuple[Any, dict[str, Any]]:
    lab = new_lab()
    return lab, public_vpc(lab)


def refused(code: str, action: Callable[[], Any]) -> AwsError:
    with pytest.raises(AwsError) as error:
        action()
    assert error.value.code == code, error.value.message
    assert error.value.message.endswith((".", ")", "'")), error.value.message
    return error.value


def test_vpc_quota_is_five() -> None:
    lab = new_lab()
    for i in range(5):
        op.create_vpc(lab, cidr_block=f"10.{i}.0.0/16")
    refused("VpcLimitExceeded", lambda: op.create_vpc(lab, cidr_block="10.9.0.0/16"))


def test_a_subnet_outside_its_vpc_is_invalid_range() -> None:
    lab, parts = lab_with_parts()
    error = refused(
        "InvalidSubnet.Range",
        lambda: op.create_subnet(lab, vpc_id=parts["vpc"].vpc_id, cidr_block="10.1.0.0/24"),
    )
    assert "10.0.0.0/16" in error.message


def test_an_overlapping_subnet_is_a_conflict_naming_the_other() -> None:
    lab, parts = lab_with_parts()
    error = refused(
        "InvalidSubnet.Conflict",
        lambda: op.create_subnet(lab, vpc_id=parts["vpc"].vpc_id, cidr_block="10.0.1.128/25"),
    )
    assert parts["subnet"].subnet_id in error.message


def test_an_az_of_another_region_is_refused() -> None:
    lab, parts = lab_with_parts()
    refused(
        "InvalidParameterValue",
        lambda: op.create_subnet(
            lab,
            vpc_id=parts["vpc"].vpc_id,
            cidr_block="10.0.9.0/24",
            availability_zone="us-east-1a",
        ),
    )


def test_unknown_ids_are_not_found_with_the_resource_kind_in_the_code() -> None:
    lab, _ = lab_with_parts()
    refused(
        "InvalidVpcID.NotFound",
        lambda: op.create_subnet(lab, vpc_id="vpc-0000000000000000", cidr_block="10.0.0.0/24"),
    )
    refused("InvalidSubnetID.NotFound", lambda: op.run_instances(lab, subnet_id="subnet-0"))
    refused("InvalidGroup.NotFound", lambda: op.delete_security_group(lab, group_id="sg-0"))
    refused("InvalidAllocationID.NotFound", lambda: op.release_address(lab, allocation_id="x"))
    refused("InvalidInstanceID.NotFound", lambda: op.stop_instances(lab, instance_id="i-0"))


def test_deleting_things_in_use_is_a_dependency_violation() -> None:
    lab, parts = lab_with_parts()
    op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, security_group_ids=[parts["sg"].group_id]
    )
    refused("DependencyViolation", lambda: op.delete_vpc(lab, vpc_id=parts["vpc"].vpc_id))
    refused(
        "DependencyViolation", lambda: op.delete_subnet(lab, subnet_id=parts["subnet"].subnet_id)
    )
    refused(
        "DependencyViolation", lambda: op.delete_security_group(lab, group_id=parts["sg"].group_id)
    )
    refused(
        "DependencyViolation",
        lambda: op.delete_internet_gateway(
            lab, internet_gateway_id=parts["igw"].internet_gateway_id
        ),
    )
    refused(
        "DependencyViolation",
        lambda: op.delete_route_table(lab, route_table_id=parts["rtb"].route_table_id),
    )


def test_detaching_the_igw_while_public_addresses_are_mapped_is_refused() -> None:
    lab, parts = lab_with_parts()
    op.run_instances(lab, subnet_id=parts["subnet"].subnet_id, associate_public_ip_address=True)
    refused(
        "DependencyViolation",
        lambda: op.detach_internet_gateway(
            lab, internet_gateway_id=parts["igw"].internet_gateway_id, vpc_id=parts["vpc"].vpc_id
        ),
    )


def test_a_vpc_takes_one_internet_gateway() -> None:
    lab, parts = lab_with_parts()
    second = op.create_internet_gateway(lab)
    refused(
        "Resource.AlreadyAssociated",
        lambda: op.attach_internet_gateway(
            lab, internet_gateway_id=second.internet_gateway_id, vpc_id=parts["vpc"].vpc_id
        ),
    )


def test_routes_obey_aws_rules() -> None:
    lab, parts = lab_with_parts()
    rtb_id = parts["rtb"].route_table_id
    igw_id = parts["igw"].internet_gateway_id
    refused(
        "RouteAlreadyExists",
        lambda: op.create_route(
            lab, route_table_id=rtb_id, destination_cidr_block="0.0.0.0/0", gateway_id=igw_id
        ),
    )
    refused(
        "InvalidParameterValue",
        lambda: op.delete_route(lab, route_table_id=rtb_id, destination_cidr_block="10.0.0.0/16"),
    )
    refused(
        "InvalidRoute.NotFound",
        lambda: op.delete_route(lab, route_table_id=rtb_id, destination_cidr_block="8.8.8.0/24"),
    )
    refused(
        "InvalidParameterValue",
        lambda: op.create_route(
            lab, route_table_id=rtb_id, destination_cidr_block="10.0.1.0/24", gateway_id=igw_id
        ),
    )
    refused(
        "InvalidParameterValue",
        lambda: op.create_route(
            lab, route_table_id=rtb_id, destination_cidr_block="169.254.169.0/24", gateway_id=igw_id
        ),
    )
    refused(
        "MissingParameter",
        lambda: op.create_route(lab, route_table_id=rtb_id, destination_cidr_block="8.8.8.0/24"),
    )
    loose = op.create_internet_gateway(lab)
    refused(
        "Gateway.NotAttached",
        lambda: op.create_route(
            lab,
            route_table_id=rtb_id,
            destination_cidr_block="8.8.8.0/24",
            gateway_id=loose.internet_gateway_id,
        ),
    )


def test_routes_per_table_quota_is_fifty() -> None:
    lab, parts = lab_with_parts()
    rtb_id = parts["rtb"].route_table_id
    igw_id = parts["igw"].internet_gateway_id
    for i in range(48):  # local + 0.0.0.0/0 are already there
        op.create_route(
            lab, route_table_id=rtb_id, destination_cidr_block=f"20.{i}.0.0/16", gateway_id=igw_id
        )
    refused(
        "RouteLimitExceeded",
        lambda: op.create_route(
            lab, route_table_id=rtb_id, destination_cidr_block="30.0.0.0/16", gateway_id=igw_id
        ),
    )


def test_a_subnet_has_one_explicit_route_table() -> None:
    lab, parts = lab_with_parts()
    a = op.create_route_table(lab, vpc_id=parts["vpc"].vpc_id)
    b = op.create_route_table(lab, vpc_id=parts["vpc"].vpc_id)
    op.associate_route_table(
        lab, route_table_id=a.route_table_id, subnet_id=parts["subnet"].subnet_id
    )
    refused(
        "Resource.AlreadyAssociated",
        lambda: op.associate_route_table(
            lab, route_table_id=b.route_table_id, subnet_id=parts["subnet"].subnet_id
        ),
    )
    moved = op.associate_subnet(
        lab, route_table_id=b.route_table_id, subnet_id=parts["subnet"].subnet_id
    )
    assert lab.route_table_for(parts["subnet"].subnet_id).route_table_id == b.route_table_id
    assert moved.subnet_id == parts["subnet"].subnet_id


def test_the_main_route_table_can_be_replaced_but_not_deleted() -> None:
    lab, parts = lab_with_parts()
    old_main = parts["rtb"].route_table_id
    other = op.create_route_table(lab, vpc_id=parts["vpc"].vpc_id)
    op.set_main_route_table(lab, route_table_id=other.route_table_id)
    assert lab.main_route_table(parts["vpc"].vpc_id).route_table_id == other.route_table_id
    op.delete_route_table(lab, route_table_id=old_main)
    refused(
        "DependencyViolation",
        lambda: op.delete_route_table(lab, route_table_id=other.route_table_id),
    )


def test_security_group_rules_are_checked() -> None:
    lab, parts = lab_with_parts()
    sg_id = parts["sg"].group_id
    refused(
        "InvalidPermission.Duplicate",
        lambda: op.authorize(lab, group_id=sg_id, ip_permissions=SSH, egress=False),
    )
    refused(
        "InvalidPermission.NotFound",
        lambda: op.revoke(
            lab,
            group_id=sg_id,
            egress=False,
            ip_permissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 80,
                    "ToPort": 80,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                }
            ],
        ),
    )
    refused(
        "InvalidParameterValue",
        lambda: op.authorize(
            lab,
            group_id=sg_id,
            egress=False,
            ip_permissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 90,
                    "ToPort": 80,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                }
            ],
        ),
    )
    refused(
        "InvalidGroup.Duplicate",
        lambda: op.create_security_group(
            lab, group_name="ssh", description="again", vpc_id=parts["vpc"].vpc_id
        ),
    )
    default = next(g for g in lab.security_groups.values() if g.is_default)
    refused("CannotDelete", lambda: op.delete_security_group(lab, group_id=default.group_id))


def test_sixty_rules_per_direction() -> None:
    lab, parts = lab_with_parts()
    sg_id = parts["sg"].group_id
    for port in range(1000, 1059):
        op.authorize(
            lab,
            group_id=sg_id,
            egress=False,
            ip_permissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": port,
                    "ToPort": port,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                }
            ],
        )
    refused(
        "RulesPerSecurityGroupLimitExceeded",
        lambda: op.authorize(
            lab,
            group_id=sg_id,
            egress=False,
            ip_permissions=[
                {
                    "IpProtocol": "tcp",
                    "FromPort": 2000,
                    "ToPort": 2000,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                }
            ],
        ),
    )


def test_five_security_groups_per_interface() -> None:
    lab, parts = lab_with_parts()
    groups = [
        op.create_security_group(
            lab, group_name=f"g{i}", description="x", vpc_id=parts["vpc"].vpc_id
        ).group_id
        for i in range(6)
    ]
    refused(
        "SecurityGroupsPerInterfaceLimitExceeded",
        lambda: op.create_network_interface(
            lab, subnet_id=parts["subnet"].subnet_id, groups=groups
        ),
    )


def test_nacl_entries_are_checked() -> None:
    lab, parts = lab_with_parts()
    acl = op.create_network_acl(lab, vpc_id=parts["vpc"].vpc_id)
    entry = {
        "rule_number": 100,
        "egress": False,
        "rule_action": "allow",
        "protocol": "tcp",
        "cidr_block": "0.0.0.0/0",
        "port_range": {"From": 22, "To": 22},
    }
    op.create_network_acl_entry(lab, network_acl_id=acl.network_acl_id, **entry)
    refused(
        "NetworkAclEntryAlreadyExists",
        lambda: op.create_network_acl_entry(lab, network_acl_id=acl.network_acl_id, **entry),
    )
    op.create_network_acl_entry(
        lab, network_acl_id=acl.network_acl_id, **{**entry, "egress": True}
    )  # same number, other direction
    refused(
        "InvalidParameterValue",
        lambda: op.create_network_acl_entry(
            lab, network_acl_id=acl.network_acl_id, **{**entry, "rule_number": 32767}
        ),
    )
    refused(
        "MissingParameter",
        lambda: op.create_network_acl_entry(
            lab,
            network_acl_id=acl.network_acl_id,
            **{**entry, "rule_number": 5, "port_range": None},
        ),
    )
    refused(
        "InvalidNetworkAclEntry.NotFound",
        lambda: op.delete_network_acl_entry(
            lab, network_acl_id=acl.network_acl_id, rule_number=7, egress=False
        ),
    )
    refused(
        "InvalidParameterValue",
        lambda: op.delete_network_acl_entry(
            lab, network_acl_id=acl.network_acl_id, rule_number=32767, egress=False
        ),
    )
    default = lab.default_network_acl(parts["vpc"].vpc_id)
    refused(
        "InvalidParameterValue",
        lambda: op.delete_network_acl(lab, network_acl_id=default.network_acl_id),
    )


def test_twenty_nacl_rules_per_direction() -> None:
    lab, parts = lab_with_parts()
    acl = op.create_network_acl(lab, vpc_id=parts["vpc"].vpc_id)
    for number in range(1, 21):
        op.create_network_acl_entry(
            lab,
            network_acl_id=acl.network_acl_id,
            rule_number=number,
            egress=False,
            rule_action="allow",
            protocol="-1",
            cidr_block="0.0.0.0/0",
        )
    refused(
        "NetworkAclEntryLimitExceeded",
        lambda: op.create_network_acl_entry(
            lab,
            network_acl_id=acl.network_acl_id,
            rule_number=21,
            egress=False,
            rule_action="allow",
            protocol="-1",
            cidr_block="0.0.0.0/0",
        ),
    )


def test_elastic_ips_follow_aws_rules() -> None:
    lab, parts = lab_with_parts()
    instance = op.run_instances(lab, subnet_id=parts["subnet"].subnet_id)
    eip = op.allocate_address(lab)
    op.associate_address(lab, allocation_id=eip.allocation_id, instance_id=instance.instance_id)
    refused(
        "InvalidIPAddress.InUse", lambda: op.release_address(lab, allocation_id=eip.allocation_id)
    )
    refused(
        "Resource.AlreadyAssociated",
        lambda: op.associate_address(
            lab,
            allocation_id=eip.allocation_id,
            instance_id=instance.instance_id,
            allow_reassociation=False,
        ),
    )
    for _ in range(4):
        op.allocate_address(lab)
    refused("AddressLimitExceeded", lambda: op.allocate_address(lab))


def test_an_elastic_ip_needs_an_internet_gateway_on_the_vpc() -> None:
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.5.0.0/16")
    subnet = op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block="10.5.1.0/24")
    instance = op.run_instances(lab, subnet_id=subnet.subnet_id)
    eip = op.allocate_address(lab)
    refused(
        "Gateway.NotAttached",
        lambda: op.associate_address(
            lab, allocation_id=eip.allocation_id, instance_id=instance.instance_id
        ),
    )


def test_a_public_nat_gateway_needs_an_elastic_ip() -> None:
    lab, parts = lab_with_parts()
    refused(
        "MissingParameter", lambda: op.create_nat_gateway(lab, subnet_id=parts["subnet"].subnet_id)
    )


def test_interfaces_and_instances_follow_aws_rules() -> None:
    lab, parts = lab_with_parts()
    instance = op.run_instances(lab, subnet_id=parts["subnet"].subnet_id)
    primary = lab.primary_eni(instance.instance_id)
    refused(
        "OperationNotPermitted",
        lambda: op.detach_network_interface(lab, network_interface_id=primary.network_interface_id),
    )
    refused(
        "InvalidNetworkInterface.InUse",
        lambda: op.delete_network_interface(lab, network_interface_id=primary.network_interface_id),
    )
    refused(
        "InvalidParameterValue",
        lambda: op.unassign_private_ip_addresses(
            lab,
            network_interface_id=primary.network_interface_id,
            private_ip_addresses=[str(primary.primary_ip)],
        ),
    )
    refused(
        "IncorrectInstanceState",
        lambda: op.start_instances(
            lab,
            instance_id=op.terminate_instances(lab, instance_id=instance.instance_id).instance_id,
        ),
    )


def test_peering_needs_non_overlapping_blocks() -> None:
    lab = new_lab()
    a = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    b = op.create_vpc(lab, cidr_block="10.0.128.0/17")
    refused(
        "InvalidParameterValue",
        lambda: op.create_vpc_peering_connection(lab, vpc_id=a.vpc_id, peer_vpc_id=b.vpc_id),
    )


def test_a_secondary_ip_is_added_and_removed() -> None:
    lab, parts = lab_with_parts()
    eni = op.create_network_interface(lab, subnet_id=parts["subnet"].subnet_id)
    eni = op.assign_private_ip_addresses(
        lab, network_interface_id=eni.network_interface_id, private_ip_addresses=["10.0.1.50"]
    )
    assert [str(a) for a in eni.addresses] == ["10.0.1.4", "10.0.1.50"]
    eni = op.unassign_private_ip_addresses(
        lab, network_interface_id=eni.network_interface_id, private_ip_addresses=["10.0.1.50"]
    )
    assert [str(a) for a in eni.addresses] == ["10.0.1.4"]


def test_disassociating_an_eip_gives_back_an_auto_assigned_public_ip() -> None:
    lab, parts = lab_with_parts()
    instance = op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, associate_public_ip_address=True
    )
    eni = lab.primary_eni(instance.instance_id)
    auto = lab.public_ip_of(eni, eni.primary_ip)
    eip = op.allocate_address(lab)
    op.associate_address(lab, allocation_id=eip.allocation_id, instance_id=instance.instance_id)
    eni = lab.primary_eni(instance.instance_id)
    assert lab.public_ip_of(eni, eni.primary_ip) == eip.public_ip
    assert all(ip.public_ip is None for ip in eni.private_ip_addresses)  # auto IP released
    op.disassociate_address(lab, allocation_id=eip.allocation_id)
    eni = lab.primary_eni(instance.instance_id)
    fresh = lab.public_ip_of(eni, eni.primary_ip)
    assert fresh is not None and fresh not in (auto, eip.public_ip)


def test_a_vpc_with_only_its_implicit_resources_can_be_deleted() -> None:
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    assert len(lab.route_tables) == len(lab.network_acls) == len(lab.security_groups) == 1
    op.delete_vpc(lab, vpc_id=vpc.vpc_id)
    # Only the account-region's default DHCP options set outlives it, as in AWS.
    assert [type(r).__name__ for r in lab] == ["DhcpOptions"]


def test_templates_build_without_refusals() -> None:
    for template in ("default-vpc", "seed-002-ssh", "seed-001-nat"):
        lab = new_lab(template)
        assert lab.vpcs
    default = new_lab("default-vpc")
    vpc = next(iter(default.vpcs.values()))
    assert vpc.is_default and str(vpc.cidr_block) == "172.31.0.0/16"
    assert all(
        s.map_public_ip_on_launch and s.cidr_block.prefixlen == 20 for s in default.subnets.values()
    )
    assert len({s.availability_zone for s in default.subnets.values()}) == len(default.subnets)
    named(new_lab("seed-002-ssh"), "internet-gateway", "mygateway")

"""Requests AWS refuses that the lab used to accept silently (issue 9, item 7).

A security group without a description, a network ACL entry without a CIDR block, launching
with an existing network interface and instance-level groups or a private IP, and an import
body that is not a describe-* bundle.
"""

from typing import Any

import pytest

from app.engine import AwsError, InvalidBundle, Topology, import_bundle, write_bundle
from app.engine import operations as op

from .lab import new_lab, public_vpc


@pytest.mark.parametrize("description", ["", "   ", None])
def test_create_security_group_without_a_description_is_missing_parameter(
    description: Any,
) -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    before = write_bundle(lab)
    with pytest.raises(AwsError) as error:
        op.create_security_group(
            lab, group_name="web", description=description, vpc_id=parts["vpc"].vpc_id
        )
    assert error.value.code == "MissingParameter"
    assert "description" in error.value.message
    assert write_bundle(lab) == before


def test_a_security_group_keeps_the_description_it_was_given() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    sg = op.create_security_group(
        lab, group_name="web", description="HTTP from anywhere", vpc_id=parts["vpc"].vpc_id
    )
    assert sg.description == "HTTP from anywhere"


ENTRY = {
    "rule_number": 100,
    "egress": False,
    "rule_action": "allow",
    "protocol": "tcp",
    "port_range": {"From": 22, "To": 22},
}


@pytest.mark.parametrize("cidr_block", ["", " ", None])
@pytest.mark.parametrize(
    "operation",
    [op.create_network_acl_entry, op.replace_network_acl_entry],
    ids=["create", "replace"],
)
def test_a_network_acl_entry_without_a_cidr_block_is_missing_parameter(
    operation: Any, cidr_block: Any
) -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    acl = op.create_network_acl(lab, vpc_id=parts["vpc"].vpc_id)
    op.create_network_acl_entry(
        lab, network_acl_id=acl.network_acl_id, **ENTRY, cidr_block="203.0.113.5/32"
    )
    before = write_bundle(lab)
    with pytest.raises(AwsError) as error:
        operation(lab, network_acl_id=acl.network_acl_id, **ENTRY, cidr_block=cidr_block)
    assert error.value.code == "MissingParameter"
    assert "CidrBlock" in error.value.message
    assert write_bundle(lab) == before  # the entry is not widened to 0.0.0.0/0


def _free_interface(lab: Topology) -> tuple[dict[str, Any], str]:
    parts = public_vpc(lab)
    eni = op.create_network_interface(
        lab, subnet_id=parts["subnet"].subnet_id, groups=[parts["sg"].group_id]
    )
    return parts, eni.network_interface_id


@pytest.mark.parametrize("parameter", ["security_group_ids", "private_ip_address"])
def test_run_instances_with_an_existing_interface_and_instance_level_settings_is_refused(
    parameter: str,
) -> None:
    lab = new_lab()
    parts, eni_id = _free_interface(lab)
    value = [parts["sg"].group_id] if parameter == "security_group_ids" else "10.0.1.20"
    before = write_bundle(lab)
    with pytest.raises(AwsError) as error:
        op.run_instances(lab, network_interface_id=eni_id, **{parameter: value})
    assert error.value.code == "InvalidParameterCombination"
    assert eni_id in error.value.message
    assert write_bundle(lab) == before
    assert lab.network_interfaces[eni_id].attachment is None


def test_run_instances_with_an_existing_interface_uses_its_groups() -> None:
    lab = new_lab()
    parts, eni_id = _free_interface(lab)
    instance = op.run_instances(lab, network_interface_id=eni_id)
    eni = lab.primary_eni(instance.instance_id)
    assert eni is not None and eni.groups == (parts["sg"].group_id,)


@pytest.mark.parametrize("body", [{}, {"vpcs": []}, {"Items": [{"VpcId": "vpc-1"}]}])
def test_an_import_body_with_none_of_the_bundle_keys_is_refused_naming_them(
    body: dict[str, Any],
) -> None:
    existing = new_lab("seed-002-ssh")
    before = write_bundle(existing)
    with pytest.raises(InvalidBundle) as error:
        import_bundle(existing, body)
    assert error.value.code == "MissingParameter"
    for key in ("Vpcs", "Subnets", "SecurityGroups", "Reservations", "VpcPeeringConnections"):
        assert key in error.value.message
    assert write_bundle(existing) == before


def test_a_bundle_with_one_known_key_still_imports() -> None:
    _, counts = import_bundle(
        Topology(), {"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}
    )
    assert counts["Vpcs"] == 1

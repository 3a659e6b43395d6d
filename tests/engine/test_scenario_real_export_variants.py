"""Real exports load as AWS means them: fields that exports trim, print otherwise, or case
differently (issue 9, item 5). Each test takes the seed 001 lab (a private database that reaches
the internet through a NAT gateway), exports it, changes the export as real ones are changed,
and checks the import still means what AWS means."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from app.engine import InvalidBundle, Topology, import_bundle, write_bundle
from app.engine import operations as op

from .lab import named, new_lab, trace


def seed_001_export() -> tuple[Topology, dict[str, Any]]:
    lab = new_lab("seed-001-nat")
    return lab, write_bundle(lab)


def reimport(bundle: dict[str, Any]) -> Topology:
    topology, _ = import_bundle(Topology(region="ap-northeast-1"), bundle)
    return topology


def db_updates_through_the_nat(topology: Topology) -> bool:
    db = named(topology, "instance", "db-server")
    return trace(topology, db.instance_id, "8.8.8.8", port=443).reachable


def nat_interface(bundle: dict[str, Any]) -> dict[str, Any]:
    eni_id = bundle["NatGateways"][0]["NatGatewayAddresses"][0]["NetworkInterfaceId"]
    return next(e for e in bundle["NetworkInterfaces"] if e["NetworkInterfaceId"] == eni_id)


def test_a_nat_gateway_interface_printed_in_use_without_attachment_still_carries_replies() -> None:
    _, bundle = seed_001_export()
    eni = nat_interface(bundle)
    eni.pop("Attachment", None)
    eni["Status"] = "in-use"
    topology = reimport(bundle)
    assert db_updates_through_the_nat(topology)
    assert topology.network_interfaces[eni["NetworkInterfaceId"]].attachment is not None


def test_an_available_nat_gateway_works_whatever_its_interface_record_says() -> None:
    _, bundle = seed_001_export()
    eni = nat_interface(bundle)
    eni.pop("Attachment", None)
    eni.pop("Status", None)
    eni["InterfaceType"] = "interface"
    eni["SourceDestCheck"] = True
    eni["Groups"] = [{"GroupId": bundle["SecurityGroups"][0]["GroupId"], "GroupName": "x"}]
    topology = reimport(bundle)
    result = trace(
        topology, named(topology, "instance", "db-server").instance_id, "8.8.8.8", port=443
    )
    assert result.reachable, [e.message for e in result.explanations]


def test_an_instance_interface_without_attachment_belongs_to_the_instance_that_lists_it() -> None:
    lab, bundle = seed_001_export()
    web = named(lab, "instance", "web-server")
    web_eni = lab.primary_eni(web.instance_id)
    assert web_eni is not None
    for eni in bundle["NetworkInterfaces"]:
        if eni["NetworkInterfaceId"] == web_eni.network_interface_id:
            eni.pop("Attachment")
            eni["Status"] = "in-use"
    for reservation in bundle["Reservations"]:
        for instance in reservation["Instances"]:
            for nested in instance["NetworkInterfaces"]:
                nested.pop("Attachment", None)
    topology = reimport(bundle)
    assert topology.primary_eni(web.instance_id) is not None
    assert trace(topology, "203.0.113.5", web.instance_id, port=80).reachable


def test_states_in_any_case_and_as_bare_strings_mean_the_same() -> None:
    _, bundle = seed_001_export()
    bundle["NatGateways"][0]["State"] = "Available"
    for reservation in bundle["Reservations"]:
        for instance in reservation["Instances"]:
            instance["State"] = {"Code": 16, "Name": "Running"}
    for igw in bundle["InternetGateways"]:
        for attachment in igw["Attachments"]:
            attachment["State"] = "Available"
    for vpc in bundle["Vpcs"]:
        for assoc in vpc["CidrBlockAssociationSet"]:
            assoc["CidrBlockState"] = "associated"  # a bare string, not {"State": …}
    for table in bundle["RouteTables"]:
        for assoc in table["Associations"]:
            assoc["AssociationState"] = "ASSOCIATED"
    topology = reimport(bundle)
    assert db_updates_through_the_nat(topology)
    assert trace(
        topology, "203.0.113.5", named(topology, "instance", "web-server").instance_id, port=80
    ).reachable


def test_missing_tags_and_null_tags_are_no_tags() -> None:
    _, bundle = seed_001_export()
    for key, items in bundle.items():
        for item in items:
            if key == "Reservations":
                for instance in item["Instances"]:
                    instance.pop("Tags", None)
            elif "Tags" in item:
                item["Tags"] = None
    topology = reimport(bundle)
    assert all(resource.tags == () for resource in topology if hasattr(resource, "tags"))


def test_associations_without_ids_get_stable_ids_that_the_console_can_use() -> None:
    _, bundle = seed_001_export()
    for table in bundle["RouteTables"]:
        for assoc in table["Associations"]:
            assoc.pop("RouteTableAssociationId", None)
    for acl in bundle["NetworkAcls"]:
        for assoc in acl["Associations"]:
            assoc.pop("NetworkAclAssociationId", None)
    first, again = reimport(copy.deepcopy(bundle)), reimport(copy.deepcopy(bundle))
    ids = [a.association_id for t in first.route_tables.values() for a in t.associations]
    assert all(i.startswith("rtbassoc-") for i in ids) and len(set(ids)) == len(ids)
    assert ids == [a.association_id for t in again.route_tables.values() for a in t.associations]
    acl_ids = [a.association_id for n in first.network_acls.values() for a in n.associations]
    assert all(i.startswith("aclassoc-") for i in acl_ids)
    private_rt = named(first, "route-table", "private-rt")
    op.disassociate_route_table(first, association_id=private_rt.associations[0].association_id)
    assert not first.route_tables[private_rt.route_table_id].associations


@pytest.mark.parametrize(
    ("field", "value"),
    [("IpRanges", ["0.0.0.0/0"]), ("UserIdGroupPairs", ["sg-1"]), ("IpRanges", "0.0.0.0/0")],
)
def test_a_permission_list_that_is_not_of_objects_is_refused_naming_the_group(
    field: str, value: Any
) -> None:
    _, bundle = seed_001_export()
    group = bundle["SecurityGroups"][0]
    group["IpPermissions"] = [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, field: value}]
    with pytest.raises(InvalidBundle) as refused:
        reimport(bundle)
    assert refused.value.resource_id == group["GroupId"]
    assert field in refused.value.message


def test_a_nacl_port_range_that_is_not_a_number_is_refused_naming_the_acl() -> None:
    _, bundle = seed_001_export()
    acl = bundle["NetworkAcls"][0]
    acl["Entries"].append(
        {
            "RuleNumber": 50,
            "Egress": False,
            "RuleAction": "allow",
            "Protocol": "6",
            "CidrBlock": "0.0.0.0/0",
            "PortRange": {"From": "twenty-two", "To": 22},
        }
    )
    with pytest.raises(InvalidBundle) as refused:
        reimport(bundle)
    assert refused.value.resource_id == acl["NetworkAclId"]

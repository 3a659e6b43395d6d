"""The describe-* bundle: round-trips, tolerates real exports, refuses broken ones whole."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine import InvalidBundle, Topology, import_bundle, write_bundle
from app.engine import operations as op

from .lab import new_lab
from .test_scenario_real_export import FIXTURES


def roundtrip(topology: Topology) -> tuple[dict, dict]:
    first = write_bundle(topology)
    again, _ = import_bundle(Topology(region=topology.region), json.loads(json.dumps(first)))
    return first, write_bundle(again)


@pytest.mark.parametrize("template", ["default-vpc", "seed-002-ssh", "seed-001-nat"])
def test_export_import_export_is_identical(template: str) -> None:
    first, second = roundtrip(new_lab(template))
    assert first == second


def test_a_real_export_round_trips_and_counts_per_type() -> None:
    bundle: dict = {}
    for path in sorted((FIXTURES / "us-east-2").glob("*.json")):
        bundle.update(json.loads(path.read_text()))
    topology, counts = import_bundle(Topology(region="us-east-2"), bundle)
    assert counts["Vpcs"] == 2 and counts["Subnets"] == 4 and counts["NetworkInterfaces"] == 4
    first, second = roundtrip(topology)
    assert first == second
    instance = next(
        i
        for r in first["Reservations"]
        for i in r["Instances"]
        if i["InstanceId"] == "i-01602d9efaed4409a"
    )
    assert instance["PublicIpAddress"] == "13.59.144.125"
    routes = next(r for r in first["RouteTables"] if r["RouteTableId"] == "rtb-06227a9df13216f67")[
        "Routes"
    ]
    assert {
        "DestinationCidrBlock": "203.0.113.0/24",
        "TransitGatewayId": "tgw-06b348adabd13452d",
        "Origin": "CreateRoute",
        "State": "active",
    } in routes


def test_the_exported_shape_is_what_the_aws_cli_prints() -> None:
    bundle = write_bundle(new_lab("seed-002-ssh"))
    subnet = bundle["Subnets"][0]
    assert {
        "SubnetId",
        "VpcId",
        "CidrBlock",
        "AvailabilityZone",
        "AvailableIpAddressCount",
        "MapPublicIpOnLaunch",
        "State",
    } <= set(subnet)
    assert subnet["SubnetId"].startswith("subnet-") and len(subnet["SubnetId"]) == 24
    sg = next(g for g in bundle["SecurityGroups"] if g["GroupName"] == "ssh")
    assert sg["IpPermissions"][0]["IpRanges"] == [{"CidrIp": "0.0.0.0/0", "Description": "SSH"}]
    assert bundle["Addresses"][0]["AllocationId"].startswith("eipalloc-")


def test_implicit_resources_are_created_when_the_bundle_lacks_them() -> None:
    bundle = {
        "Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
        "Subnets": [
            {
                "SubnetId": "subnet-1",
                "VpcId": "vpc-1",
                "CidrBlock": "10.0.1.0/24",
                "AvailabilityZone": "ap-northeast-1a",
            }
        ],
    }
    topology, _ = import_bundle(Topology(), bundle)
    assert topology.main_route_table("vpc-1") is not None
    assert topology.default_network_acl("vpc-1") is not None
    assert any(g.is_default for g in topology.security_groups.values())
    assert topology.route_table_for("subnet-1").routes[0].target_type == "local"


def test_unknown_fields_disassociated_blocks_and_ipv6_are_ignored() -> None:
    bundle = {
        "Vpcs": [
            {
                "VpcId": "vpc-1",
                "CidrBlock": "10.0.0.0/16",
                "Frobnicate": {"x": 1},
                "CidrBlockAssociationSet": [
                    {"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}},
                    {"CidrBlock": "10.9.0.0/16", "CidrBlockState": {"State": "disassociated"}},
                ],
                "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600::/56"}],
            }
        ],
        "RouteTables": [
            {
                "RouteTableId": "rtb-1",
                "VpcId": "vpc-1",
                "Associations": [{"Main": True}],
                "Routes": [
                    {"DestinationIpv6CidrBlock": "::/0", "GatewayId": "igw-gone"},
                    {
                        "DestinationCidrBlock": "0.0.0.0/0",
                        "GatewayId": "igw-deleted",
                        "State": "blackhole",
                    },
                    {
                        "DestinationCidrBlock": "192.168.0.0/16",
                        "GatewayId": "vgw-1234",
                        "State": "active",
                    },
                ],
            }
        ],
    }
    topology, _ = import_bundle(Topology(), bundle)
    assert [str(b) for b in topology.vpcs["vpc-1"].cidr_blocks] == ["10.0.0.0/16"]
    routes = {str(r.destination): r for r in topology.route_tables["rtb-1"].routes}
    assert set(routes) == {"10.0.0.0/16", "0.0.0.0/0", "192.168.0.0/16"}
    assert routes["192.168.0.0/16"].target_type == "gateway"
    exported = write_bundle(topology)["RouteTables"][0]["Routes"]
    assert {
        "DestinationCidrBlock": "0.0.0.0/0",
        "GatewayId": "igw-deleted",
        "Origin": "CreateRoute",
        "State": "blackhole",
    } in exported


BROKEN = [
    (
        {
            "Subnets": [
                {
                    "SubnetId": "subnet-x",
                    "VpcId": "vpc-nope",
                    "CidrBlock": "10.0.0.0/24",
                    "AvailabilityZone": "ap-northeast-1a",
                }
            ]
        },
        "subnet-x",
        "InvalidVpcID.NotFound",
    ),
    (
        {
            "Subnets": [
                {
                    "SubnetId": "subnet-a",
                    "VpcId": "vpc-1",
                    "CidrBlock": "10.0.0.0/24",
                    "AvailabilityZone": "ap-northeast-1a",
                },
                {
                    "SubnetId": "subnet-b",
                    "VpcId": "vpc-1",
                    "CidrBlock": "10.0.0.128/25",
                    "AvailabilityZone": "ap-northeast-1a",
                },
            ]
        },
        "subnet-b",
        "InvalidSubnet.Conflict",
    ),
    (
        {
            "NetworkInterfaces": [
                {
                    "NetworkInterfaceId": "eni-x",
                    "SubnetId": "subnet-zz",
                    "VpcId": "vpc-1",
                    "PrivateIpAddress": "10.0.0.9",
                }
            ]
        },
        "eni-x",
        "InvalidSubnetID.NotFound",
    ),
    (
        {
            "Subnets": [
                {
                    "SubnetId": "subnet-o",
                    "VpcId": "vpc-1",
                    "CidrBlock": "10.1.0.0/24",
                    "AvailabilityZone": "ap-northeast-1a",
                }
            ]
        },
        "subnet-o",
        "InvalidSubnet.Range",
    ),
    (
        {
            "Subnets": [
                {
                    "SubnetId": "subnet-c",
                    "VpcId": "vpc-1",
                    "CidrBlock": "not-a-cidr",
                    "AvailabilityZone": "ap-northeast-1a",
                }
            ]
        },
        "subnet-c",
        "InvalidParameterValue",
    ),
]


@pytest.mark.parametrize(("extra", "offender", "code"), BROKEN)
def test_a_broken_bundle_is_refused_whole_naming_the_offender(extra, offender, code) -> None:
    base = {"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}
    existing = new_lab("seed-002-ssh")
    before = write_bundle(existing)
    with pytest.raises(InvalidBundle) as error:
        import_bundle(existing, {**base, **extra})
    assert error.value.code == code
    assert error.value.resource_id == offender
    assert offender in error.value.message
    assert write_bundle(existing) == before  # nothing half-imported


def test_importing_an_id_that_exists_is_refused() -> None:
    existing = new_lab("seed-002-ssh")
    bundle = write_bundle(existing)
    with pytest.raises(InvalidBundle) as error:
        import_bundle(existing, {"Vpcs": bundle["Vpcs"]})
    assert "already exists" in error.value.message


@pytest.mark.parametrize(
    "garbage", [[], "x", {"Vpcs": "nope"}, {"Vpcs": [1]}, {"Vpcs": [{"CidrBlock": "10.0.0.0/16"}]}]
)
def test_garbage_is_an_error_not_a_crash(garbage) -> None:
    with pytest.raises(InvalidBundle):
        import_bundle(Topology(), garbage)


def test_a_bundle_from_instances_alone_brings_their_interfaces() -> None:
    bundle = write_bundle(new_lab("seed-002-ssh"))
    without = copy.deepcopy(bundle)
    without["NetworkInterfaces"] = []
    topology, _ = import_bundle(Topology(), without)
    assert len(topology.network_interfaces) == 2
    assert all(e.instance_id for e in topology.network_interfaces.values())


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.sampled_from(["subnet", "instance", "eip", "sg", "nacl", "rtb"]), max_size=12),
    st.integers(0, 1000),
)
def test_random_labs_round_trip(actions: list[str], seed: int) -> None:
    lab = new_lab("seed-001-nat", seed=seed)
    vpc = next(iter(lab.vpcs.values()))
    subnets = list(lab.subnets.values())
    for n, action in enumerate(actions):
        if action == "subnet":
            op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block=f"172.30.{10 + n}.0/24")
        elif action == "instance":
            op.run_instances(
                lab, subnet_id=subnets[n % 2].subnet_id, associate_public_ip_address=n % 2 == 0
            )
        elif action == "eip" and len(lab.addresses) < 5:
            op.allocate_address(lab)
        elif action == "sg":
            sg = op.create_security_group(
                lab, group_name=f"g{n}", description="x", vpc_id=vpc.vpc_id
            )
            op.authorize(
                lab,
                group_id=sg.group_id,
                egress=False,
                ip_permissions=[
                    {
                        "IpProtocol": "tcp",
                        "FromPort": n,
                        "ToPort": n + 10,
                        "UserIdGroupPairs": [{"GroupId": sg.group_id}],
                        "IpRanges": [{"CidrIp": "10.0.0.0/8"}],
                    }
                ],
            )
        elif action == "nacl":
            acl = op.create_network_acl(lab, vpc_id=vpc.vpc_id)
            op.create_network_acl_entry(
                lab,
                network_acl_id=acl.network_acl_id,
                rule_number=n + 1,
                egress=True,
                rule_action="deny",
                protocol="icmp",
                cidr_block="0.0.0.0/0",
                icmp_type_code={"Type": 8, "Code": -1},
            )
        elif action == "rtb":
            op.create_route_table(lab, vpc_id=vpc.vpc_id)
    first, second = roundtrip(lab)
    assert first == second


@pytest.mark.parametrize("template", ["default-vpc", "seed-002-ssh", "seed-001-nat"])
def test_reading_what_was_written_gives_the_same_model(template: str) -> None:
    """The store persists describe-* documents, so this is what every reload relies on."""
    lab = new_lab(template)
    again, _ = import_bundle(Topology(region=lab.region), write_bundle(lab))
    assert again.deep_equal(lab)

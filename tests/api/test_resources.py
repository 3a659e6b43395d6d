"""Every collection: create as the AWS call does, describe in the CLI's shape, delete, refuse."""

import pytest
from fastapi.testclient import TestClient

from .lab import Lab

COLLECTIONS = [
    ("dhcp-options", "DhcpOptions", "DhcpOptionsId"),
    ("vpcs", "Vpcs", "VpcId"),
    ("subnets", "Subnets", "SubnetId"),
    ("route-tables", "RouteTables", "RouteTableId"),
    ("internet-gateways", "InternetGateways", "InternetGatewayId"),
    ("nat-gateways", "NatGateways", "NatGatewayId"),
    ("security-groups", "SecurityGroups", "GroupId"),
    ("network-acls", "NetworkAcls", "NetworkAclId"),
    ("network-interfaces", "NetworkInterfaces", "NetworkInterfaceId"),
    ("instances", "Reservations", "InstanceId"),
    ("addresses", "Addresses", "AllocationId"),
    ("vpc-peering-connections", "VpcPeeringConnections", "VpcPeeringConnectionId"),
]
NOT_FOUND = {
    "dhcp-options": "InvalidDhcpOptionID.NotFound",
    "vpcs": "InvalidVpcID.NotFound",
    "subnets": "InvalidSubnetID.NotFound",
    "route-tables": "InvalidRouteTableID.NotFound",
    "internet-gateways": "InvalidInternetGatewayID.NotFound",
    "nat-gateways": "NatGatewayNotFound",
    "security-groups": "InvalidGroup.NotFound",
    "network-acls": "InvalidNetworkAclID.NotFound",
    "network-interfaces": "InvalidNetworkInterfaceID.NotFound",
    "instances": "InvalidInstanceID.NotFound",
    "addresses": "InvalidAllocationID.NotFound",
    "vpc-peering-connections": "InvalidVpcPeeringConnectionID.NotFound",
}


@pytest.mark.parametrize(("path", "key", "id_field"), COLLECTIONS)
def test_collections_answer_the_describe_shape_and_404_unknown_ids(
    client: TestClient, path: str, key: str, id_field: str
) -> None:
    lab = Lab(client, "seed-001-nat")
    listed = lab.ok("GET", path)
    assert list(listed) == [key]
    items = listed[key] if path != "instances" else [i for r in listed[key] for i in r["Instances"]]
    for item in items:
        assert lab.ok("GET", f"{path}/{item[id_field]}")[id_field] == item[id_field]
    lab.fails("GET", f"{path}/nope-123", None, 404, NOT_FOUND[path])
    lab.fails("DELETE", f"{path}/nope-123", None, 404, NOT_FOUND[path])
    other = "/api/v1/topologies/missing/" + path
    assert client.get(other).json()["error"]["code"] == "InvalidTopologyID.NotFound"


def test_build_seed_002_over_http_and_delete_it_in_reverse(client: TestClient) -> None:
    lab = Lab(client)
    vpc = lab.ok(
        "POST",
        "vpcs",
        {"CidrBlock": "192.168.0.0/16", "Tags": [{"Key": "Name", "Value": "myvpc"}]},
        201,
    )
    assert vpc["VpcId"].startswith("vpc-") and len(vpc["VpcId"]) == 21
    subnet = lab.ok(
        "POST",
        "subnets",
        {
            "VpcId": vpc["VpcId"],
            "CidrBlock": "192.168.1.0/24",
            "AvailabilityZone": "ap-northeast-1b",
        },
        201,
    )
    assert subnet["AvailableIpAddressCount"] == 251
    igw = lab.ok("POST", "internet-gateways", {"Tags": [{"Key": "Name", "Value": "gw"}]}, 201)
    lab.ok("POST", f"internet-gateways/{igw['InternetGatewayId']}/attach", {"VpcId": vpc["VpcId"]})
    main = lab.items("route-tables", "RouteTables")[0]
    lab.ok(
        "POST",
        f"route-tables/{main['RouteTableId']}/routes",
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw["InternetGatewayId"]},
        201,
    )
    sg = lab.ok(
        "POST",
        "security-groups",
        {"GroupName": "ssh", "Description": "ssh", "VpcId": vpc["VpcId"]},
        201,
    )
    lab.ok(
        "POST",
        f"security-groups/{sg['GroupId']}/authorize-ingress",
        {
            "IpPermissions": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 22,
                    "ToPort": 22,
                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
                }
            ]
        },
    )
    instance = lab.ok(
        "POST",
        "instances",
        {
            "SubnetId": subnet["SubnetId"],
            "PrivateIpAddress": "192.168.1.4",
            "SecurityGroupIds": [sg["GroupId"]],
            "KeyName": "mykeypair",
        },
        201,
    )
    assert instance["PrivateIpAddress"] == "192.168.1.4"
    assert instance["State"] == {"Code": 16, "Name": "running"}
    eip = lab.ok("POST", "addresses", {"Domain": "vpc"}, 201)
    associated = lab.ok(
        "POST", f"addresses/{eip['AllocationId']}/associate", {"InstanceId": instance["InstanceId"]}
    )
    assert associated["InstanceId"] == instance["InstanceId"]
    described = lab.ok("GET", f"instances/{instance['InstanceId']}")
    assert described["PublicIpAddress"] == eip["PublicIp"]

    lab.fails("DELETE", f"vpcs/{vpc['VpcId']}", None, 409, "DependencyViolation")
    lab.fails("DELETE", f"addresses/{eip['AllocationId']}", None, 409, "InvalidIPAddress.InUse")
    lab.ok("POST", f"addresses/{eip['AllocationId']}/disassociate")
    lab.ok("DELETE", f"addresses/{eip['AllocationId']}", status=204)
    lab.ok("DELETE", f"instances/{instance['InstanceId']}", status=204)
    assert lab.ok("GET", f"instances/{instance['InstanceId']}")["State"]["Name"] == "terminated"
    lab.ok("DELETE", f"subnets/{subnet['SubnetId']}", status=204)
    lab.ok("DELETE", f"security-groups/{sg['GroupId']}", status=204)
    lab.ok("POST", f"internet-gateways/{igw['InternetGatewayId']}/detach", {"VpcId": vpc["VpcId"]})
    lab.ok("DELETE", f"internet-gateways/{igw['InternetGatewayId']}", status=204)
    lab.ok("DELETE", f"vpcs/{vpc['VpcId']}", status=204)
    assert lab.items("vpcs", "Vpcs") == [] and lab.items("route-tables", "RouteTables") == []


def test_create_refusals_carry_aws_codes(client: TestClient) -> None:
    lab = Lab(client)
    vpc_id = lab.vpc()
    lab.fails("POST", "vpcs", {"CidrBlock": "10.0.0.0/8"}, 400, "InvalidVpc.Range")
    lab.fails(
        "POST", "subnets", {"VpcId": vpc_id, "CidrBlock": "10.9.0.0/24"}, 400, "InvalidSubnet.Range"
    )
    lab.ok("POST", "subnets", {"VpcId": vpc_id, "CidrBlock": "10.0.1.0/24"}, 201)
    error = lab.fails(
        "POST",
        "subnets",
        {"VpcId": vpc_id, "CidrBlock": "10.0.1.0/25"},
        409,
        "InvalidSubnet.Conflict",
    )
    assert "overlaps" in error["message"]
    lab.fails(
        "POST",
        "subnets",
        {"VpcId": "vpc-nope", "CidrBlock": "10.0.2.0/24"},
        404,
        "InvalidVpcID.NotFound",
    )
    lab.fails(
        "POST",
        "security-groups",
        {"GroupName": "default", "Description": "x", "VpcId": vpc_id},
        400,
        "InvalidParameterValue",
    )
    lab.ok(
        "POST", "security-groups", {"GroupName": "web", "Description": "x", "VpcId": vpc_id}, 201
    )
    lab.fails(
        "POST",
        "security-groups",
        {"GroupName": "web", "Description": "x", "VpcId": vpc_id},
        409,
        "InvalidGroup.Duplicate",
    )
    lab.fails("POST", "nat-gateways", {"SubnetId": "subnet-nope"}, 404, "InvalidSubnetID.NotFound")
    lab.fails("POST", "instances", {"ImageId": "ami-1"}, 400, "MissingParameter")
    lab.fails(
        "POST", "vpcs", {"CidrBlock": "10.1.0.0/16", "Colour": "blue"}, 422, "InvalidParameterValue"
    )
    for i in range(2, 6):
        lab.vpc(f"10.{i}.0.0/16")
    lab.fails("POST", "vpcs", {"CidrBlock": "10.7.0.0/16"}, 400, "VpcLimitExceeded")
    for _ in range(5):
        lab.ok("POST", "addresses", None, 201)
    lab.fails("POST", "addresses", None, 400, "AddressLimitExceeded")


def test_a_refused_change_writes_nothing(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    before = lab.ok("GET", "export")
    revision = lab.revision()
    vpc_id = lab.items("vpcs", "Vpcs")[0]["VpcId"]
    lab.fails(
        "POST",
        "subnets",
        {"VpcId": vpc_id, "CidrBlock": "192.168.1.0/24"},
        409,
        "InvalidSubnet.Conflict",
    )
    assert lab.revision() == revision
    assert lab.ok("GET", "export") == before


def test_every_change_increments_the_revision(client: TestClient) -> None:
    lab = Lab(client)
    first = lab.revision()
    lab.vpc()
    assert lab.revision() == first + 1

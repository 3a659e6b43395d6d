"""A seed 001 lab created over the JSON API, with its resources' ids by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

HX = {"HX-Request": "true"}


@dataclass
class Ids:
    topology: str
    vpc: str
    public: str
    private: str
    web: str
    db: str
    web_eni: str
    nat: str
    igw: str
    public_rt: str
    private_rt: str
    main_rt: str
    acl: str
    web_sg: str
    default_sg: str


def seed_001(client: TestClient) -> Ids:
    topology = client.post(
        "/api/v1/topologies", json={"name": "web tests", "template": "seed-001-nat"}
    ).json()["id"]

    def items(path: str, key: str) -> list[dict[str, Any]]:
        return client.get(f"/api/v1/topologies/{topology}/{path}").json()[key]  # type: ignore

    def named(path: str, key: str, name: str, id_field: str) -> str:
        for item in items(path, key):
            if {"Key": "Name", "Value": name} in (item.get("Tags") or []):
                return item[id_field]  # type: ignore[no-any-return]
        raise AssertionError(name)

    instances = [i for r in items("instances", "Reservations") for i in r["Instances"]]
    by_name = {t["Value"]: i for i in instances for t in i["Tags"] if t["Key"] == "Name"}
    tables = items("route-tables", "RouteTables")
    groups = items("security-groups", "SecurityGroups")
    return Ids(
        topology=topology,
        vpc=items("vpcs", "Vpcs")[0]["VpcId"],
        public=named("subnets", "Subnets", "public-subnet", "SubnetId"),
        private=named("subnets", "Subnets", "private-subnet", "SubnetId"),
        web=by_name["web-server"]["InstanceId"],
        db=by_name["db-server"]["InstanceId"],
        web_eni=by_name["web-server"]["NetworkInterfaces"][0]["NetworkInterfaceId"],
        nat=items("nat-gateways", "NatGateways")[0]["NatGatewayId"],
        igw=items("internet-gateways", "InternetGateways")[0]["InternetGatewayId"],
        public_rt=named("route-tables", "RouteTables", "public-rt", "RouteTableId"),
        private_rt=named("route-tables", "RouteTables", "private-rt", "RouteTableId"),
        main_rt=next(
            t["RouteTableId"] for t in tables if any(a["Main"] for a in t["Associations"])
        ),
        acl=items("network-acls", "NetworkAcls")[0]["NetworkAclId"],
        web_sg=next(g["GroupId"] for g in groups if g["GroupName"] == "web"),
        default_sg=next(g["GroupId"] for g in groups if g["GroupName"] == "default"),
    )


ID_FIELDS = (
    ("DhcpOptions", "DhcpOptionsId"),
    ("Vpcs", "VpcId"),
    ("Subnets", "SubnetId"),
    ("RouteTables", "RouteTableId"),
    ("InternetGateways", "InternetGatewayId"),
    ("NatGateways", "NatGatewayId"),
    ("SecurityGroups", "GroupId"),
    ("NetworkAcls", "NetworkAclId"),
    ("NetworkInterfaces", "NetworkInterfaceId"),
    ("Addresses", "AllocationId"),
    ("VpcPeeringConnections", "VpcPeeringConnectionId"),
)


def every_resource_id(export: dict[str, Any]) -> list[str]:
    """Every resource id of an exported bundle, instances included."""
    ids = [item[field] for key, field in ID_FIELDS for item in export.get(key, [])]
    return ids + [i["InstanceId"] for r in export.get("Reservations", []) for i in r["Instances"]]

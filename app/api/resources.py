"""One collection per AWS resource type, in the describe-* representation.

``GET`` a collection answers the describe-* shape (``{"Subnets": [...]}``), ``POST`` creates
from the parameters of the matching AWS create call, ``GET|DELETE`` one resource by id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Response

from app.db.store import Store
from app.engine import Topology
from app.engine import operations as op
from app.engine.bundle.write import reservation_json, resource_json
from app.engine.kinds import KINDS, Kind
from app.engine.topology import resource_id

from .deps import ResourceId, StoreDep, TopologyId
from .schemas import (
    AllocateAddress,
    DhcpOptionsCreate,
    NatGatewayCreate,
    NetworkInterfaceCreate,
    PeeringCreate,
    RunInstances,
    SecurityGroupCreate,
    SubnetCreate,
    TagsOnly,
    VpcCreate,
    VpcScoped,
    tags,
)

router = APIRouter(tags=["resources"])


def render(model: Topology, kind: str, rid: str) -> dict[str, Any]:
    return resource_json(model, kind, model.get(kind, rid))


def created(
    store: Store, topology_id: str, kind: str, action: Callable[[Topology], Any]
) -> dict[str, Any]:
    """Run a create operation and answer the new resource as describe-* prints it."""
    resource, model = store.change(topology_id, action)
    return render(model, kind, resource_id(resource))


def _register(kind: Kind) -> None:
    key = kind.bundle_key
    label = kind.noun

    def list_items(topology_id: TopologyId, store: StoreDep) -> dict[str, Any]:
        _, model = store.model(topology_id)
        items = sorted(model.resources[kind.name].values(), key=resource_id)
        if kind.name == "instance":
            return {key: [reservation_json(model, [i]) for i in items]}
        return {key: [resource_json(model, kind.name, r) for r in items]}

    def get_item(
        topology_id: TopologyId, resource_id: ResourceId, store: StoreDep
    ) -> dict[str, Any]:
        _, model = store.model(topology_id)
        return render(model, kind.name, resource_id)

    def delete_item(topology_id: TopologyId, resource_id: ResourceId, store: StoreDep) -> Response:
        store.change(
            topology_id,
            lambda t: op.delete_resource(t, kind=kind.name, resource_id=resource_id),
        )
        return Response(status_code=204)

    name = kind.collection.replace("-", "_")
    router.add_api_route(
        f"/topologies/{{topology_id}}/{kind.collection}",
        list_items,
        methods=["GET"],
        operation_id=f"list_{name}",
        summary=f"Describe {label}s ({key})",
    )
    router.add_api_route(
        f"/topologies/{{topology_id}}/{kind.collection}/{{resource_id}}",
        get_item,
        methods=["GET"],
        operation_id=f"get_{name}",
        summary=f"Describe one {label}",
    )
    router.add_api_route(
        f"/topologies/{{topology_id}}/{kind.collection}/{{resource_id}}",
        delete_item,
        methods=["DELETE"],
        status_code=204,
        operation_id=f"delete_{name}",
        summary=f"{kind.delete_verb} a {label}",
        response_class=Response,
    )


for _kind in KINDS:
    _register(_kind)


@router.post("/topologies/{topology_id}/dhcp-options", status_code=201)
def create_dhcp_options(
    topology_id: TopologyId, body: DhcpOptionsCreate, store: StoreDep
) -> dict[str, Any]:
    """CreateDhcpOptions: domain-name, domain-name-servers (up to four, or AmazonProvidedDNS),
    ntp-servers, netbios-name-servers, netbios-node-type; used once associated with a VPC."""
    return created(
        store,
        topology_id,
        "dhcp-options",
        lambda t: op.create_dhcp_options(
            t,
            dhcp_configurations=[c.model_dump() for c in body.DhcpConfigurations],
            tags=tags(body.Tags),
        ),
    )


@router.post("/topologies/{topology_id}/vpcs", status_code=201)
def create_vpc(topology_id: TopologyId, body: VpcCreate, store: StoreDep) -> dict[str, Any]:
    """CreateVpc: with its main route table, default network ACL and default security group."""
    return created(
        store,
        topology_id,
        "vpc",
        lambda t: op.create_vpc(
            t,
            cidr_block=body.CidrBlock,
            instance_tenancy=body.InstanceTenancy,
            tags=tags(body.Tags),
        ),
    )


@router.post("/topologies/{topology_id}/subnets", status_code=201)
def create_subnet(topology_id: TopologyId, body: SubnetCreate, store: StoreDep) -> dict[str, Any]:
    """CreateSubnet: inside the VPC's CIDR, in one Availability Zone, overlapping no other."""
    return created(
        store,
        topology_id,
        "subnet",
        lambda t: op.create_subnet(
            t,
            vpc_id=body.VpcId,
            cidr_block=body.CidrBlock,
            availability_zone=body.AvailabilityZone,
            map_public_ip_on_launch=body.MapPublicIpOnLaunch,
            tags=tags(body.Tags),
        ),
    )


@router.post("/topologies/{topology_id}/route-tables", status_code=201)
def create_route_table(topology_id: TopologyId, body: VpcScoped, store: StoreDep) -> dict[str, Any]:
    """CreateRouteTable: a new table holds only the local route(s)."""
    return created(
        store,
        topology_id,
        "route-table",
        lambda t: op.create_route_table(t, vpc_id=body.VpcId, tags=tags(body.Tags)),
    )


@router.post("/topologies/{topology_id}/internet-gateways", status_code=201)
def create_internet_gateway(
    topology_id: TopologyId, store: StoreDep, body: TagsOnly | None = None
) -> dict[str, Any]:
    """CreateInternetGateway: detached until attached to a VPC."""
    return created(
        store,
        topology_id,
        "internet-gateway",
        lambda t: op.create_internet_gateway(t, tags=tags(body.Tags) if body else None),
    )


@router.post("/topologies/{topology_id}/nat-gateways", status_code=201)
def create_nat_gateway(
    topology_id: TopologyId, body: NatGatewayCreate, store: StoreDep
) -> dict[str, Any]:
    """CreateNatGateway: in a (public) subnet; a public one needs an Elastic IP."""
    return created(
        store,
        topology_id,
        "nat-gateway",
        lambda t: op.create_nat_gateway(
            t,
            subnet_id=body.SubnetId,
            allocation_id=body.AllocationId,
            connectivity_type=body.ConnectivityType,
            private_ip_address=body.PrivateIpAddress,
            tags=tags(body.Tags),
        ),
    )


@router.post("/topologies/{topology_id}/security-groups", status_code=201)
def create_security_group(
    topology_id: TopologyId, body: SecurityGroupCreate, store: StoreDep
) -> dict[str, Any]:
    """CreateSecurityGroup (a name and a description): no inbound rule, one outbound allow-all."""
    return created(
        store,
        topology_id,
        "security-group",
        lambda t: op.create_security_group(
            t,
            group_name=body.GroupName,
            description=body.Description,
            vpc_id=body.VpcId,
            tags=tags(body.Tags),
        ),
    )


@router.post("/topologies/{topology_id}/network-acls", status_code=201)
def create_network_acl(topology_id: TopologyId, body: VpcScoped, store: StoreDep) -> dict[str, Any]:
    """CreateNetworkAcl: a new custom NACL denies everything until entries are added."""
    return created(
        store,
        topology_id,
        "network-acl",
        lambda t: op.create_network_acl(t, vpc_id=body.VpcId, tags=tags(body.Tags)),
    )


@router.post("/topologies/{topology_id}/network-interfaces", status_code=201)
def create_network_interface(
    topology_id: TopologyId, body: NetworkInterfaceCreate, store: StoreDep
) -> dict[str, Any]:
    """CreateNetworkInterface: a fixed private IP, or the lowest free one."""
    return created(
        store,
        topology_id,
        "network-interface",
        lambda t: op.create_network_interface(
            t,
            subnet_id=body.SubnetId,
            private_ip_address=body.PrivateIpAddress,
            groups=body.Groups,
            description=body.Description,
            secondary_private_ip_address_count=body.SecondaryPrivateIpAddressCount,
            source_dest_check=body.SourceDestCheck,
            tags=tags(body.Tags),
        ),
    )


@router.post("/topologies/{topology_id}/instances", status_code=201)
def run_instances(topology_id: TopologyId, body: RunInstances, store: StoreDep) -> dict[str, Any]:
    """RunInstances (one instance): a new primary ENI in the subnet, or an existing ENI with
    its own groups and address."""
    return created(
        store,
        topology_id,
        "instance",
        lambda t: op.run_instances(
            t,
            subnet_id=body.SubnetId,
            image_id=body.ImageId,
            instance_type=body.InstanceType,
            key_name=body.KeyName,
            security_group_ids=body.SecurityGroupIds,
            private_ip_address=body.PrivateIpAddress,
            associate_public_ip_address=body.AssociatePublicIpAddress,
            network_interface_id=body.NetworkInterfaceId,
            tags=tags(body.Tags),
        ),
    )


@router.post("/topologies/{topology_id}/addresses", status_code=201)
def allocate_address(
    topology_id: TopologyId, store: StoreDep, body: AllocateAddress | None = None
) -> dict[str, Any]:
    """AllocateAddress: an Elastic IP for the account (five per region by default)."""
    return created(
        store,
        topology_id,
        "address",
        lambda t: op.allocate_address(t, tags=tags(body.Tags) if body else None),
    )


@router.post("/topologies/{topology_id}/vpc-peering-connections", status_code=201)
def create_vpc_peering_connection(
    topology_id: TopologyId, body: PeeringCreate, store: StoreDep
) -> dict[str, Any]:
    """CreateVpcPeeringConnection: pending until accepted."""
    return created(
        store,
        topology_id,
        "vpc-peering-connection",
        lambda t: op.create_vpc_peering_connection(
            t, vpc_id=body.VpcId, peer_vpc_id=body.PeerVpcId, tags=tags(body.Tags)
        ),
    )

"""AWS actions that are not plain create/delete: verbs and sub-resources named after the action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from app.db.store import Store
from app.engine import Topology
from app.engine import operations as op
from app.engine.instance_view import instance_view
from app.i18n import negotiate, reading, said_view

from .deps import ResourceId, StoreDep, TopologyId
from .resources import render
from .schemas import (
    AssociateAddress,
    AssociationRef,
    AttachInterface,
    CidrBlock,
    DhcpOptionsRef,
    InterfaceAttributes,
    NetworkAclEntry,
    NetworkAclEntryRef,
    Permissions,
    PrivateIps,
    RouteSpec,
    SubnetAttributes,
    SubnetRef,
    VpcAttributes,
    VpcRef,
)

router = APIRouter(tags=["actions"])
T = "/topologies/{topology_id}"


def act(
    store: Store, topology_id: str, kind: str, rid: str, action: Callable[[Topology], Any]
) -> dict[str, Any]:
    """Run an action on the resource the URL names, and answer it as describe-* prints it.

    The URL's resource is looked up inside the same write transaction, before the action: an
    unknown id, or one of another kind, is a 404 that writes nothing (an action that finds its
    target in the body would otherwise change it and only then fail to answer).
    """

    def on_the_named_resource(topology: Topology) -> Any:
        topology.get(kind, rid)
        return action(topology)

    _, model = store.change(topology_id, on_the_named_resource)
    return render(model, kind, rid)


# ---- VPC and subnet -------------------------------------------------------------------------
@router.post(T + "/vpcs/{resource_id}/associate-cidr-block")
def associate_vpc_cidr_block(
    topology_id: TopologyId, resource_id: ResourceId, body: CidrBlock, store: StoreDep
) -> dict[str, Any]:
    """AssociateVpcCidrBlock: a secondary block; every route table gets its local route."""
    return act(
        store,
        topology_id,
        "vpc",
        resource_id,
        lambda t: op.associate_vpc_cidr_block(t, vpc_id=resource_id, cidr_block=body.CidrBlock),
    )


@router.post(T + "/vpcs/{resource_id}/associate-dhcp-options")
def associate_dhcp_options(
    topology_id: TopologyId, resource_id: ResourceId, body: DhcpOptionsRef, store: StoreDep
) -> dict[str, Any]:
    """AssociateDhcpOptions: the VPC's instances use the set; ``default`` means no options."""
    return act(
        store,
        topology_id,
        "vpc",
        resource_id,
        lambda t: op.associate_dhcp_options(
            t, dhcp_options_id=body.DhcpOptionsId, vpc_id=resource_id
        ),
    )


@router.post(T + "/vpcs/{resource_id}/modify-attribute")
def modify_vpc_attribute(
    topology_id: TopologyId, resource_id: ResourceId, body: VpcAttributes, store: StoreDep
) -> dict[str, Any]:
    """ModifyVpcAttribute: DNS support and DNS hostnames."""
    return act(
        store,
        topology_id,
        "vpc",
        resource_id,
        lambda t: op.modify_vpc_attribute(
            t,
            vpc_id=resource_id,
            enable_dns_support=body.EnableDnsSupport,
            enable_dns_hostnames=body.EnableDnsHostnames,
        ),
    )


@router.post(T + "/subnets/{resource_id}/modify-attribute")
def modify_subnet_attribute(
    topology_id: TopologyId, resource_id: ResourceId, body: SubnetAttributes, store: StoreDep
) -> dict[str, Any]:
    """ModifySubnetAttribute: auto-assign public IPv4 on launch."""
    return act(
        store,
        topology_id,
        "subnet",
        resource_id,
        lambda t: op.modify_subnet_attribute(
            t, subnet_id=resource_id, map_public_ip_on_launch=body.MapPublicIpOnLaunch
        ),
    )


# ---- route tables ---------------------------------------------------------------------------
@router.post(T + "/route-tables/{resource_id}/routes", status_code=201)
def create_route(
    topology_id: TopologyId, resource_id: ResourceId, body: RouteSpec, store: StoreDep
) -> dict[str, Any]:
    """CreateRoute: to an internet gateway, NAT gateway, ENI, instance or peering connection."""
    return act(
        store,
        topology_id,
        "route-table",
        resource_id,
        lambda t: op.create_route(
            t,
            route_table_id=resource_id,
            destination_cidr_block=body.DestinationCidrBlock,
            **body.targets(),
        ),
    )


@router.put(T + "/route-tables/{resource_id}/routes")
def replace_route(
    topology_id: TopologyId, resource_id: ResourceId, body: RouteSpec, store: StoreDep
) -> dict[str, Any]:
    """ReplaceRoute: the same destination, another target."""
    return act(
        store,
        topology_id,
        "route-table",
        resource_id,
        lambda t: op.replace_route(
            t,
            route_table_id=resource_id,
            destination_cidr_block=body.DestinationCidrBlock,
            **body.targets(),
        ),
    )


@router.delete(T + "/route-tables/{resource_id}/routes")
def delete_route(
    topology_id: TopologyId,
    resource_id: ResourceId,
    store: StoreDep,
    destination_cidr_block: Annotated[
        str, Query(alias="DestinationCidrBlock", max_length=64, examples=["0.0.0.0/0"])
    ],
) -> dict[str, Any]:
    """DeleteRoute (the local route cannot be deleted)."""
    return act(
        store,
        topology_id,
        "route-table",
        resource_id,
        lambda t: op.delete_route(
            t, route_table_id=resource_id, destination_cidr_block=destination_cidr_block
        ),
    )


@router.post(T + "/route-tables/{resource_id}/associate")
def associate_route_table(
    topology_id: TopologyId, resource_id: ResourceId, body: SubnetRef, store: StoreDep
) -> dict[str, Any]:
    """AssociateRouteTable: the subnet uses this table instead of the main one."""
    return act(
        store,
        topology_id,
        "route-table",
        resource_id,
        lambda t: op.associate_route_table(t, route_table_id=resource_id, subnet_id=body.SubnetId),
    )


@router.post(T + "/route-tables/{resource_id}/disassociate")
def disassociate_route_table(
    topology_id: TopologyId, resource_id: ResourceId, body: AssociationRef, store: StoreDep
) -> dict[str, Any]:
    """DisassociateRouteTable: the subnet falls back to the main table."""
    return act(
        store,
        topology_id,
        "route-table",
        resource_id,
        lambda t: op.disassociate_route_table(
            t, association_id=body.AssociationId, route_table_id=resource_id
        ),
    )


@router.post(T + "/route-tables/{resource_id}/replace-association")
def replace_route_table_association(
    topology_id: TopologyId, resource_id: ResourceId, body: AssociationRef, store: StoreDep
) -> dict[str, Any]:
    """ReplaceRouteTableAssociation: move an association (a subnet's or the main one) here."""
    return act(
        store,
        topology_id,
        "route-table",
        resource_id,
        lambda t: op.replace_route_table_association(
            t, association_id=body.AssociationId, route_table_id=resource_id
        ),
    )


@router.post(T + "/route-tables/{resource_id}/set-main")
def set_main_route_table(
    topology_id: TopologyId, resource_id: ResourceId, store: StoreDep
) -> dict[str, Any]:
    """Make this table the VPC's main route table."""
    return act(
        store,
        topology_id,
        "route-table",
        resource_id,
        lambda t: op.set_main_route_table(t, route_table_id=resource_id),
    )


# ---- internet gateway -----------------------------------------------------------------------
@router.post(T + "/internet-gateways/{resource_id}/attach")
def attach_internet_gateway(
    topology_id: TopologyId, resource_id: ResourceId, body: VpcRef, store: StoreDep
) -> dict[str, Any]:
    """AttachInternetGateway: one per VPC."""
    return act(
        store,
        topology_id,
        "internet-gateway",
        resource_id,
        lambda t: op.attach_internet_gateway(t, internet_gateway_id=resource_id, vpc_id=body.VpcId),
    )


@router.post(T + "/internet-gateways/{resource_id}/detach")
def detach_internet_gateway(
    topology_id: TopologyId, resource_id: ResourceId, body: VpcRef, store: StoreDep
) -> dict[str, Any]:
    """DetachInternetGateway: refused while public addresses are mapped in the VPC."""
    return act(
        store,
        topology_id,
        "internet-gateway",
        resource_id,
        lambda t: op.detach_internet_gateway(t, internet_gateway_id=resource_id, vpc_id=body.VpcId),
    )


# ---- security groups ------------------------------------------------------------------------
def _sg_route(action_name: str, egress: bool, authorize: bool) -> None:
    verb = "Authorize" if authorize else "Revoke"
    way = "Egress" if egress else "Ingress"

    def handler(
        topology_id: TopologyId, resource_id: ResourceId, body: Permissions, store: StoreDep
    ) -> dict[str, Any]:
        operation = op.authorize if authorize else op.revoke
        return act(
            store,
            topology_id,
            "security-group",
            resource_id,
            lambda t: operation(
                t, group_id=resource_id, ip_permissions=body.as_aws(), egress=egress
            ),
        )

    router.add_api_route(
        T + f"/security-groups/{{resource_id}}/{action_name}",
        handler,
        methods=["POST"],
        operation_id=action_name.replace("-", "_"),
        summary=f"{verb}SecurityGroup{way}",
    )


_sg_route("authorize-ingress", egress=False, authorize=True)
_sg_route("revoke-ingress", egress=False, authorize=False)
_sg_route("authorize-egress", egress=True, authorize=True)
_sg_route("revoke-egress", egress=True, authorize=False)


# ---- network ACLs ---------------------------------------------------------------------------
@router.post(T + "/network-acls/{resource_id}/entries", status_code=201)
def create_network_acl_entry(
    topology_id: TopologyId, resource_id: ResourceId, body: NetworkAclEntry, store: StoreDep
) -> dict[str, Any]:
    """CreateNetworkAclEntry: one numbered rule per direction."""
    return act(
        store,
        topology_id,
        "network-acl",
        resource_id,
        lambda t: op.create_network_acl_entry(t, network_acl_id=resource_id, **body.fields()),
    )


@router.put(T + "/network-acls/{resource_id}/entries")
def replace_network_acl_entry(
    topology_id: TopologyId, resource_id: ResourceId, body: NetworkAclEntry, store: StoreDep
) -> dict[str, Any]:
    """ReplaceNetworkAclEntry."""
    return act(
        store,
        topology_id,
        "network-acl",
        resource_id,
        lambda t: op.replace_network_acl_entry(t, network_acl_id=resource_id, **body.fields()),
    )


@router.post(T + "/network-acls/{resource_id}/delete-entry")
def delete_network_acl_entry(
    topology_id: TopologyId, resource_id: ResourceId, body: NetworkAclEntryRef, store: StoreDep
) -> dict[str, Any]:
    """DeleteNetworkAclEntry (the * rule stays)."""
    return act(
        store,
        topology_id,
        "network-acl",
        resource_id,
        lambda t: op.delete_network_acl_entry(
            t, network_acl_id=resource_id, rule_number=body.RuleNumber, egress=body.Egress
        ),
    )


@router.post(T + "/network-acls/{resource_id}/associate")
def associate_network_acl(
    topology_id: TopologyId, resource_id: ResourceId, body: SubnetRef, store: StoreDep
) -> dict[str, Any]:
    """ReplaceNetworkAclAssociation for a subnet: the subnet now uses this NACL."""
    return act(
        store,
        topology_id,
        "network-acl",
        resource_id,
        lambda t: op.associate_subnet_with_acl(
            t, network_acl_id=resource_id, subnet_id=body.SubnetId
        ),
    )


# ---- Elastic IPs ----------------------------------------------------------------------------
@router.post(T + "/addresses/{resource_id}/associate")
def associate_address(
    topology_id: TopologyId, resource_id: ResourceId, body: AssociateAddress, store: StoreDep
) -> dict[str, Any]:
    """AssociateAddress: with an instance's primary IP, or one private IP of an ENI."""
    return act(
        store,
        topology_id,
        "address",
        resource_id,
        lambda t: op.associate_address(
            t,
            allocation_id=resource_id,
            instance_id=body.InstanceId,
            network_interface_id=body.NetworkInterfaceId,
            private_ip_address=body.PrivateIpAddress,
            allow_reassociation=body.AllowReassociation,
        ),
    )


@router.post(T + "/addresses/{resource_id}/disassociate")
def disassociate_address(
    topology_id: TopologyId, resource_id: ResourceId, store: StoreDep
) -> dict[str, Any]:
    """DisassociateAddress."""
    return act(
        store,
        topology_id,
        "address",
        resource_id,
        lambda t: op.disassociate_address(t, allocation_id=resource_id),
    )


# ---- instances ------------------------------------------------------------------------------
def _instance_route(action_name: str, operation: Callable[..., Any], doc: str) -> None:
    def handler(
        topology_id: TopologyId, resource_id: ResourceId, store: StoreDep
    ) -> dict[str, Any]:
        return act(
            store,
            topology_id,
            "instance",
            resource_id,
            lambda t: operation(t, instance_id=resource_id),
        )

    router.add_api_route(
        T + f"/instances/{{resource_id}}/{action_name}",
        handler,
        methods=["POST"],
        operation_id=f"{action_name}_instance",
        summary=doc,
    )


_instance_route("start", op.start_instances, "StartInstances: a new public IP if it had one")
_instance_route("stop", op.stop_instances, "StopInstances: the auto-assigned public IP is released")
_instance_route("terminate", op.terminate_instances, "TerminateInstances")


@router.get(T + "/instances/{resource_id}/view")
def view_instance(
    topology_id: TopologyId, resource_id: ResourceId, store: StoreDep, request: Request
) -> dict[str, Any]:
    """What the instance itself sees: ip addr, ip route, DNS names (never its public IP)."""
    _, model = store.model(topology_id)
    view = instance_view(model, resource_id).to_dict()
    with reading(negotiate(None, request.headers.get("accept-language"))):
        return said_view(view)  # its notes in the reader's language, as analyses' messages


# ---- network interfaces ---------------------------------------------------------------------
@router.post(T + "/network-interfaces/{resource_id}/assign-private-ip-addresses")
def assign_private_ip_addresses(
    topology_id: TopologyId, resource_id: ResourceId, body: PrivateIps, store: StoreDep
) -> dict[str, Any]:
    """AssignPrivateIpAddresses: secondary private IPs, given or the lowest free ones."""
    return act(
        store,
        topology_id,
        "network-interface",
        resource_id,
        lambda t: op.assign_private_ip_addresses(
            t,
            network_interface_id=resource_id,
            private_ip_addresses=body.PrivateIpAddresses,
            secondary_private_ip_address_count=body.SecondaryPrivateIpAddressCount,
        ),
    )


@router.post(T + "/network-interfaces/{resource_id}/unassign-private-ip-addresses")
def unassign_private_ip_addresses(
    topology_id: TopologyId, resource_id: ResourceId, body: PrivateIps, store: StoreDep
) -> dict[str, Any]:
    """UnassignPrivateIpAddresses (the primary private IP stays)."""
    return act(
        store,
        topology_id,
        "network-interface",
        resource_id,
        lambda t: op.unassign_private_ip_addresses(
            t, network_interface_id=resource_id, private_ip_addresses=body.PrivateIpAddresses
        ),
    )


@router.post(T + "/network-interfaces/{resource_id}/attach")
def attach_network_interface(
    topology_id: TopologyId, resource_id: ResourceId, body: AttachInterface, store: StoreDep
) -> dict[str, Any]:
    """AttachNetworkInterface: to an instance in the same AZ."""
    return act(
        store,
        topology_id,
        "network-interface",
        resource_id,
        lambda t: op.attach_network_interface(
            t,
            network_interface_id=resource_id,
            instance_id=body.InstanceId,
            device_index=body.DeviceIndex,
        ),
    )


@router.post(T + "/network-interfaces/{resource_id}/detach")
def detach_network_interface(
    topology_id: TopologyId, resource_id: ResourceId, store: StoreDep
) -> dict[str, Any]:
    """DetachNetworkInterface (not the primary one)."""
    return act(
        store,
        topology_id,
        "network-interface",
        resource_id,
        lambda t: op.detach_network_interface(t, network_interface_id=resource_id),
    )


@router.post(T + "/network-interfaces/{resource_id}/modify-attribute")
def modify_network_interface_attribute(
    topology_id: TopologyId, resource_id: ResourceId, body: InterfaceAttributes, store: StoreDep
) -> dict[str, Any]:
    """ModifyNetworkInterfaceAttribute: source/destination check, security groups."""
    return act(
        store,
        topology_id,
        "network-interface",
        resource_id,
        lambda t: op.modify_network_interface_attribute(
            t,
            network_interface_id=resource_id,
            source_dest_check=body.SourceDestCheck,
            groups=body.Groups,
            description=body.Description,
        ),
    )


# ---- peering --------------------------------------------------------------------------------
@router.post(T + "/vpc-peering-connections/{resource_id}/accept")
def accept_vpc_peering_connection(
    topology_id: TopologyId, resource_id: ResourceId, store: StoreDep
) -> dict[str, Any]:
    """AcceptVpcPeeringConnection: it carries traffic once active."""
    return act(
        store,
        topology_id,
        "vpc-peering-connection",
        resource_id,
        lambda t: op.accept_vpc_peering_connection(t, vpc_peering_connection_id=resource_id),
    )


@router.post(T + "/vpc-peering-connections/{resource_id}/reject")
def reject_vpc_peering_connection(
    topology_id: TopologyId, resource_id: ResourceId, store: StoreDep
) -> dict[str, Any]:
    """RejectVpcPeeringConnection."""
    return act(
        store,
        topology_id,
        "vpc-peering-connection",
        resource_id,
        lambda t: op.reject_vpc_peering_connection(t, vpc_peering_connection_id=resource_id),
    )

"""Creating, changing and deleting resources as the EC2 API does, refusing with its error codes.

Every function takes the topology and keyword arguments named after the AWS parameters
(snake_case), checks AWS's rules, and changes the topology. Callers that must not half-write
(the service) run an operation on ``topology.copy()`` and keep the copy only on success.
"""

from typing import Any

from ..errors import AwsError
from ..kinds import KIND
from ..messages import message, text
from ..topology import Topology
from .address import allocate_address, associate_address, disassociate_address, release_address
from .dhcp_options import associate_dhcp_options, create_dhcp_options, delete_dhcp_options
from .gateway import (
    attach_internet_gateway,
    create_internet_gateway,
    create_nat_gateway,
    delete_internet_gateway,
    delete_nat_gateway,
    detach_internet_gateway,
)
from .instance import run_instances, start_instances, stop_instances, terminate_instances
from .network_acl import (
    associate_subnet_with_acl,
    create_network_acl,
    create_network_acl_entry,
    delete_network_acl,
    delete_network_acl_entry,
    replace_network_acl_association,
    replace_network_acl_entry,
)
from .network_interface import (
    assign_private_ip_addresses,
    attach_network_interface,
    create_network_interface,
    delete_network_interface,
    detach_network_interface,
    modify_network_interface_attribute,
    unassign_private_ip_addresses,
)
from .peering import (
    accept_vpc_peering_connection,
    create_vpc_peering_connection,
    delete_vpc_peering_connection,
    reject_vpc_peering_connection,
)
from .route_table import (
    associate_route_table,
    associate_subnet,
    create_route,
    create_route_table,
    delete_route,
    delete_route_table,
    disassociate_route_table,
    replace_route,
    replace_route_table_association,
    set_main_route_table,
)
from .security_group import authorize, create_security_group, delete_security_group, revoke
from .subnet import create_subnet, delete_subnet, modify_subnet_attribute
from .vpc import associate_vpc_cidr_block, create_vpc, delete_vpc, modify_vpc_attribute, rename

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.operations.delete_resource.InvalidParameterValue", "'{kind}' is not a kind of resource."
)

__all__ = [
    "accept_vpc_peering_connection",
    "allocate_address",
    "assign_private_ip_addresses",
    "associate_address",
    "associate_dhcp_options",
    "associate_route_table",
    "associate_subnet",
    "associate_subnet_with_acl",
    "associate_vpc_cidr_block",
    "attach_internet_gateway",
    "attach_network_interface",
    "authorize",
    "create_dhcp_options",
    "create_internet_gateway",
    "create_nat_gateway",
    "create_network_acl",
    "create_network_acl_entry",
    "create_network_interface",
    "create_route",
    "create_route_table",
    "create_security_group",
    "create_subnet",
    "create_vpc",
    "create_vpc_peering_connection",
    "delete_dhcp_options",
    "delete_internet_gateway",
    "delete_nat_gateway",
    "delete_network_acl",
    "delete_network_acl_entry",
    "delete_network_interface",
    "delete_resource",
    "delete_route",
    "delete_route_table",
    "delete_security_group",
    "delete_subnet",
    "delete_vpc",
    "delete_vpc_peering_connection",
    "detach_internet_gateway",
    "detach_network_interface",
    "disassociate_address",
    "disassociate_route_table",
    "modify_network_interface_attribute",
    "modify_subnet_attribute",
    "modify_vpc_attribute",
    "reject_vpc_peering_connection",
    "release_address",
    "rename",
    "replace_network_acl_association",
    "replace_network_acl_entry",
    "replace_route",
    "replace_route_table_association",
    "revoke",
    "run_instances",
    "set_main_route_table",
    "start_instances",
    "stop_instances",
    "terminate_instances",
    "unassign_private_ip_addresses",
]


# How each kind is deleted (the console's Delete, Terminate or Release), by kind name.
_DELETES: dict[str, Any] = {
    "dhcp-options": delete_dhcp_options,
    "vpc": delete_vpc,
    "subnet": delete_subnet,
    "route-table": delete_route_table,
    "internet-gateway": delete_internet_gateway,
    "nat-gateway": delete_nat_gateway,
    "security-group": delete_security_group,
    "network-acl": delete_network_acl,
    "network-interface": delete_network_interface,
    "instance": terminate_instances,
    "address": release_address,
    "vpc-peering-connection": delete_vpc_peering_connection,
}


def delete_resource(topology: Topology, *, kind: str, resource_id: str) -> Any:
    """Delete (terminate, release) one resource of any kind, with that kind's AWS rules."""
    if kind not in _DELETES:
        raise AwsError(
            "InvalidParameterValue",
            message("error.operations.delete_resource.InvalidParameterValue", kind=kind),
        )
    return _DELETES[kind](topology, **{KIND[kind].id_field: resource_id})

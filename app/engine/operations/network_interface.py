"""Network interface operations: create with a fixed or automatic IP, secondary IPs, attach."""

from __future__ import annotations

import dataclasses
from ipaddress import IPv4Address
from typing import Any

from ..addressing import check_requested_address, lowest_free, parse_address
from ..messages import message, text
from ..model import Attachment, NetworkInterface, PrivateIpAddress, Subnet
from ..topology import Topology
from ..wording import state_word
from ._rules import parse_tags, refuse, require, within_quota
from .address import free_addresses

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text("word.an_aws_service", "an AWS service")
text(
    "error.network_interface.assign_private_ip_addresses.MissingParameter",
    "Give the addresses to add or how many to add.",
)
text(
    "error.network_interface.assign_private_ip_addresses.PrivateIpAddressLimitExceeded",
    "A network interface has at most 50 private IPs in the lab.",
)
text(
    "error.network_interface.attach_network_interface.IncorrectInstanceState",
    "Instance {instance_id} is {state}.",
)
text(
    "error.network_interface.attach_network_interface.InvalidNetworkInterface.InUse",
    "{network_interface_id} is already attached to {instance_id}.",
)
text(
    "error.network_interface.attach_network_interface.InvalidParameterValue",
    "The device index of an added interface is 1 to 15 (0 is the primary interface).",
)
text(
    "error.network_interface.attach_network_interface.InvalidParameterValue.2",
    "{network_interface_id} is in {availability_zone} but {instance_id} runs in "
    "{availability_zone2}; an instance's interfaces share its AZ.",
)
text(
    "error.network_interface.attach_network_interface.InvalidParameterValue.3",
    "All interfaces of an instance must be in the same VPC.",
)
text(
    "error.network_interface.attach_network_interface.InvalidParameterValue.4",
    "Device index {device_index} of {instance_id} is already used by {network_interface_id}.",
)
text(
    "error.network_interface.check_groups.InvalidParameterValue",
    "Security groups are a list of ids.",
)
text(
    "error.network_interface.check_groups.InvalidParameterValue.2",
    "{group_id} belongs to {vpc_id}, not to {vpc_id2}.",
)
text(
    "error.network_interface.create_network_interface.InvalidParameterValue",
    "The number of secondary private IPs is 0 to 49.",
)
text(
    "error.network_interface.delete_network_interface.InvalidNetworkInterface.InUse",
    "{network_interface_id} is attached to {value}; detach it first.",
)
text(
    "error.network_interface.detach_network_interface.InvalidAttachmentID.NotFound",
    "{network_interface_id} is not attached to anything.",
)
text(
    "error.network_interface.detach_network_interface.OperationNotPermitted",
    "{network_interface_id} is managed by AWS ({description}).",
)
text(
    "error.network_interface.detach_network_interface.OperationNotPermitted.2",
    "{network_interface_id} is the primary interface (device index 0) of {instance_id}; it "
    "cannot be detached.",
)
text(
    "error.network_interface.modify_network_interface_attribute.InvalidParameterValue",
    "A network interface needs at least one security group.",
)
text(
    "error.network_interface.modify_network_interface_attribute.MissingParameter",
    "Nothing to change was given.",
)
text(
    "error.network_interface.unassign_private_ip_addresses.InvalidParameterValue",
    "{address} is not assigned to {network_interface_id}.",
)
text(
    "error.network_interface.unassign_private_ip_addresses.InvalidParameterValue.2",
    "{address} is the primary private IP of {network_interface_id}; it stays for the "
    "interface's life.",
)
text(
    "error.network_interface.unassign_private_ip_addresses.MissingParameter",
    "Give the secondary private IPs to remove.",
)


def mac_for(eni_id: str) -> str:
    """A stable, locally administered MAC address derived from the ENI id."""
    digits = eni_id.split("-")[-1][-10:].rjust(10, "0")
    return "02:" + ":".join(digits[i : i + 2] for i in range(0, 10, 2))


def check_groups(topology: Topology, vpc_id: str, groups: Any) -> tuple[str, ...]:
    """SGs of the ENI's VPC, at most five (VPC UG: amazon-vpc-limits)."""
    if groups is None:
        default = next(
            (g for g in topology.security_groups.values() if g.vpc_id == vpc_id and g.is_default),
            None,
        )
        return (default.group_id,) if default else ()
    require(
        isinstance(groups, list | tuple),
        "InvalidParameterValue",
        message("error.network_interface.check_groups.InvalidParameterValue"),
    )
    unique = tuple(dict.fromkeys(str(g) for g in groups))
    within_quota("sgs_per_eni", len(unique))
    for group_id in unique:
        sg = topology.get("security-group", group_id)
        require(
            sg.vpc_id == vpc_id,
            "InvalidParameterValue",
            message(
                "error.network_interface.check_groups.InvalidParameterValue.2",
                group_id=group_id,
                vpc_id=sg.vpc_id,
                vpc_id2=vpc_id,
            ),
        )
    return unique


def _pick_addresses(
    topology: Topology, subnet: Subnet, requested: list[str], count: int
) -> list[IPv4Address]:
    used = set(topology.used_addresses(subnet.subnet_id))
    chosen: list[IPv4Address] = []
    for requested_text in requested:
        address = parse_address(requested_text, what="private IP address")
        check_requested_address(subnet.cidr_block, address, used, subnet.subnet_id)
        used.add(address)
        chosen.append(address)
    for _ in range(count):
        address = lowest_free(subnet.cidr_block, used, subnet.subnet_id)
        used.add(address)
        chosen.append(address)
    return chosen


def own_interfaces(topology: Topology) -> int:
    """The interfaces that count against the "network interfaces per Region" quota.

    *(Our choice: the lab counts the interfaces the account creates, not those AWS manages for
    a NAT gateway; the quota page does not say how service-managed ones count.)*
    """
    return sum(
        1
        for eni in topology.network_interfaces.values()
        if eni.interface_type == "interface" and not eni.requester_managed
    )


def create_network_interface(
    topology: Topology,
    *,
    subnet_id: str,
    private_ip_address: str | None = None,
    groups: Any = None,
    description: str = "",
    secondary_private_ip_address_count: int = 0,
    source_dest_check: bool = True,
    tags: Any = None,
) -> NetworkInterface:
    """An ENI; its primary private IP is fixed for its life (EC2 UG: using-eni).

    Without ``private_ip_address`` the subnet's DHCP picks the lowest free address *(our choice)*.
    """
    subnet: Subnet = topology.get("subnet", subnet_id)
    within_quota("enis", own_interfaces(topology) + 1)
    require(
        isinstance(secondary_private_ip_address_count, int)
        and 0 <= secondary_private_ip_address_count <= 49,
        "InvalidParameterValue",
        message("error.network_interface.create_network_interface.InvalidParameterValue"),
    )
    group_ids = check_groups(topology, subnet.vpc_id, groups)
    addresses = _pick_addresses(
        topology,
        subnet,
        [private_ip_address] if private_ip_address else [],
        (0 if private_ip_address else 1) + secondary_private_ip_address_count,
    )
    eni_id = topology.ids.new("network-interface")
    eni = NetworkInterface(
        network_interface_id=eni_id,
        subnet_id=subnet_id,
        vpc_id=subnet.vpc_id,
        availability_zone=subnet.availability_zone,
        private_ip_addresses=tuple(
            PrivateIpAddress(a, primary=i == 0) for i, a in enumerate(addresses)
        ),
        groups=group_ids,
        source_dest_check=source_dest_check,
        description=description or "",
        mac_address=mac_for(eni_id),
        tags=parse_tags(tags),
    )
    return topology.put(eni)  # type: ignore[no-any-return]


def delete_network_interface(topology: Topology, *, network_interface_id: str) -> None:
    eni: NetworkInterface = topology.get("network-interface", network_interface_id)
    if eni.attachment is not None:
        raise refuse(
            "InvalidNetworkInterface.InUse",
            message(
                "error.network_interface.delete_network_interface.InvalidNetworkInterface.InUse",
                network_interface_id=network_interface_id,
                value=eni.instance_id or message("word.an_aws_service"),
            ),
        )
    free_addresses(topology, network_interface_id)
    topology.remove("network-interface", network_interface_id)


def assign_private_ip_addresses(
    topology: Topology,
    *,
    network_interface_id: str,
    private_ip_addresses: list[str] | None = None,
    secondary_private_ip_address_count: int = 0,
) -> NetworkInterface:
    eni: NetworkInterface = topology.get("network-interface", network_interface_id)
    subnet = topology.subnets[eni.subnet_id]
    requested = list(private_ip_addresses or [])
    require(
        bool(requested) or secondary_private_ip_address_count > 0,
        "MissingParameter",
        message("error.network_interface.assign_private_ip_addresses.MissingParameter"),
    )
    require(
        len(eni.private_ip_addresses) + len(requested) + secondary_private_ip_address_count <= 50,
        "PrivateIpAddressLimitExceeded",
        message(
            "error.network_interface.assign_private_ip_addresses.PrivateIpAddressLimitExceeded"
        ),
    )
    added = _pick_addresses(topology, subnet, requested, secondary_private_ip_address_count)
    return topology.put(
        dataclasses.replace(  # type: ignore[no-any-return]
            eni,
            private_ip_addresses=eni.private_ip_addresses
            + tuple(PrivateIpAddress(a) for a in added),
        )
    )


def unassign_private_ip_addresses(
    topology: Topology, *, network_interface_id: str, private_ip_addresses: list[str]
) -> NetworkInterface:
    """Remove secondary IPs; the primary one stays for the ENI's life. EIPs on them are freed."""
    eni: NetworkInterface = topology.get("network-interface", network_interface_id)
    gone = {parse_address(a, what="private IP address") for a in private_ip_addresses or []}
    require(
        bool(gone),
        "MissingParameter",
        message("error.network_interface.unassign_private_ip_addresses.MissingParameter"),
    )
    for address in gone:
        require(
            address in eni.addresses,
            "InvalidParameterValue",
            message(
                "error.network_interface.unassign_private_ip_addresses.InvalidParameterValue",
                address=address,
                network_interface_id=network_interface_id,
            ),
        )
        require(
            address != eni.primary_ip,
            "InvalidParameterValue",
            message(
                "error.network_interface.unassign_private_ip_addresses.InvalidParameterValue.2",
                address=address,
                network_interface_id=network_interface_id,
            ),
        )
    free_addresses(topology, network_interface_id, gone)
    return topology.put(
        dataclasses.replace(  # type: ignore[no-any-return]
            eni,
            private_ip_addresses=tuple(
                ip for ip in eni.private_ip_addresses if ip.address not in gone
            ),
        )
    )


def attach_network_interface(
    topology: Topology, *, network_interface_id: str, instance_id: str, device_index: int
) -> NetworkInterface:
    """A further ENI for an instance, in a subnet of the same AZ (EC2 UG: using-eni)."""
    eni: NetworkInterface = topology.get("network-interface", network_interface_id)
    instance = topology.get("instance", instance_id)
    require(
        instance.state not in ("terminated", "shutting-down"),
        "IncorrectInstanceState",
        message(
            "error.network_interface.attach_network_interface.IncorrectInstanceState",
            instance_id=instance_id,
            state=state_word(instance.state),
        ),
    )
    if eni.attachment is not None:
        raise refuse(
            "InvalidNetworkInterface.InUse",
            message(
                "error.network_interface.attach_network_interface.InvalidNetworkInterface.InUse",
                network_interface_id=network_interface_id,
                instance_id=eni.instance_id,
            ),
        )
    require(
        isinstance(device_index, int) and 1 <= device_index <= 15,
        "InvalidParameterValue",
        message("error.network_interface.attach_network_interface.InvalidParameterValue"),
    )
    require(
        eni.availability_zone == instance.availability_zone,
        "InvalidParameterValue",
        message(
            "error.network_interface.attach_network_interface.InvalidParameterValue.2",
            network_interface_id=network_interface_id,
            availability_zone=eni.availability_zone,
            instance_id=instance_id,
            availability_zone2=instance.availability_zone,
        ),
    )
    for other in topology.enis_of_instance(instance_id):
        require(
            other.vpc_id == eni.vpc_id,
            "InvalidParameterValue",
            message("error.network_interface.attach_network_interface.InvalidParameterValue.3"),
        )
        if other.attachment and other.attachment.device_index == device_index:
            raise refuse(
                "InvalidParameterValue",
                message(
                    "error.network_interface.attach_network_interface.InvalidParameterValue.4",
                    device_index=device_index,
                    instance_id=instance_id,
                    network_interface_id=other.network_interface_id,
                ),
            )
    attachment = Attachment(
        topology.ids.new("eni-attachment"), device_index, instance_id, delete_on_termination=False
    )
    return topology.put(dataclasses.replace(eni, attachment=attachment))  # type: ignore


def detach_network_interface(topology: Topology, *, network_interface_id: str) -> NetworkInterface:
    eni: NetworkInterface = topology.get("network-interface", network_interface_id)
    if eni.attachment is None:
        raise refuse(
            "InvalidAttachmentID.NotFound",
            message(
                "error.network_interface.detach_network_interface.InvalidAttachmentID.NotFound",
                network_interface_id=network_interface_id,
            ),
        )
    if eni.requester_managed:
        raise refuse(
            "OperationNotPermitted",
            message(
                "error.network_interface.detach_network_interface.OperationNotPermitted",
                network_interface_id=network_interface_id,
                description=eni.description,
            ),
        )
    if eni.attachment.device_index == 0:
        raise refuse(
            "OperationNotPermitted",
            message(
                "error.network_interface.detach_network_interface.OperationNotPermitted.2",
                network_interface_id=network_interface_id,
                instance_id=eni.instance_id,
            ),
        )
    return topology.put(dataclasses.replace(eni, attachment=None))  # type: ignore


def modify_network_interface_attribute(
    topology: Topology,
    *,
    network_interface_id: str,
    source_dest_check: bool | None = None,
    groups: Any = None,
    description: str | None = None,
) -> NetworkInterface:
    eni: NetworkInterface = topology.get("network-interface", network_interface_id)
    changes: dict[str, Any] = {}
    if source_dest_check is not None:
        changes["source_dest_check"] = source_dest_check
    if groups is not None:
        require(
            bool(groups),
            "InvalidParameterValue",
            message(
                "error.network_interface.modify_network_interface_attribute.InvalidParameterValue"
            ),
        )
        changes["groups"] = check_groups(topology, eni.vpc_id, groups)
    if description is not None:
        changes["description"] = description
    require(
        bool(changes),
        "MissingParameter",
        message("error.network_interface.modify_network_interface_attribute.MissingParameter"),
    )
    return topology.put(dataclasses.replace(eni, **changes))  # type: ignore[no-any-return]

"""Public IPv4: the sandbox's address pool, Elastic IPs (allocate, associate, release)."""

from __future__ import annotations

import dataclasses
from ipaddress import IPv4Address
from typing import Any

from ..addressing import parse_address
from ..messages import message, text
from ..model import Address, NetworkInterface, PrivateIpAddress
from ..regions import PUBLIC_POOL
from ..topology import Topology
from ._rules import parse_tags, refuse, require, within_quota

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.address.associate_address.Gateway.NotAttached",
    "{vpc_id} has no internet gateway attached; attach one before associating an Elastic IP.",
)
text(
    "error.address.associate_address.InvalidInstanceID",
    "Instance {instance_id} has no network interface.",
)
text(
    "error.address.associate_address.InvalidParameterCombination",
    "Give either an instance or a network interface, not both.",
)
text(
    "error.address.associate_address.InvalidParameterValue",
    "A NAT gateway's network interface is managed by AWS.",
)
text(
    "error.address.associate_address.InvalidParameterValue.2",
    "{private} is not a private IP of {network_interface_id}.",
)
text(
    "error.address.associate_address.Resource.AlreadyAssociated",
    "{public_ip} is already associated with {network_interface_id}.",
)
text(
    "error.address.disassociate_address.InvalidAssociationID.NotFound",
    "{public_ip} is not associated with anything.",
)
text(
    "error.address.disassociate_address.InvalidAssociationID.NotFound.2",
    "The association '{association_id}' does not exist.",
)
text(
    "error.address.disassociate_address.InvalidIPAddress.InUse",
    "{public_ip} belongs to a NAT gateway; delete the NAT gateway to free it.",
)
text("error.address.new_public_ip.AddressLimitExceeded", "The sandbox has no public address left.")
text(
    "error.address.release_address.InvalidIPAddress.InUse",
    "{public_ip} is associated with {network_interface_id}; disassociate it before releasing it.",
)


def public_addresses_in_use(topology: Topology) -> set[IPv4Address]:
    used = {a.public_ip for a in topology.addresses.values()}
    used |= {n.public_ip for n in topology.nat_gateways.values() if n.public_ip is not None}
    for eni in topology.network_interfaces.values():
        used |= {ip.public_ip for ip in eni.private_ip_addresses if ip.public_ip is not None}
    return used


def new_public_ip(topology: Topology) -> IPv4Address:
    """A free address of the pool, drawn from the topology's id source (repeatable if seeded)."""
    used = public_addresses_in_use(topology)
    size = PUBLIC_POOL.num_addresses
    start = topology.ids.choice_index(size - 2) + 1
    for step in range(size):
        candidate = PUBLIC_POOL.network_address + (start + step) % size
        if candidate not in used and candidate not in (
            PUBLIC_POOL.network_address,
            PUBLIC_POOL.broadcast_address,
        ):
            return candidate
    raise refuse(
        "AddressLimitExceeded", message("error.address.new_public_ip.AddressLimitExceeded")
    )


def set_auto_public_ip(
    eni: NetworkInterface, private_ip: IPv4Address, public_ip: IPv4Address | None
) -> NetworkInterface:
    return dataclasses.replace(
        eni,
        private_ip_addresses=tuple(
            PrivateIpAddress(
                ip.address, ip.primary, public_ip if ip.address == private_ip else ip.public_ip
            )
            for ip in eni.private_ip_addresses
        ),
    )


def without_public_ips(eni: NetworkInterface) -> NetworkInterface:
    """The ENI with its auto-assigned public IPs released (stop, terminate)."""
    return dataclasses.replace(
        eni,
        private_ip_addresses=tuple(
            dataclasses.replace(ip, public_ip=None) for ip in eni.private_ip_addresses
        ),
    )


def disassociated(eip: Address) -> Address:
    return dataclasses.replace(eip, association_id=None, network_interface_id=None, private_ip=None)


def free_addresses(
    topology: Topology, network_interface_id: str, private_ips: set[IPv4Address] | None = None
) -> None:
    """Disassociate the Elastic IPs of an ENI (only those on ``private_ips`` if given): what
    AWS does when the addresses they map to go away."""
    for eip in list(topology.addresses.values()):
        if eip.network_interface_id == network_interface_id and (
            private_ips is None or eip.private_ip in private_ips
        ):
            topology.put(disassociated(eip))


def allocate_address(topology: Topology, *, tags: Any = None) -> Address:
    """An Elastic IP for the account (VPC UG: vpc-eips); five per region by default."""
    within_quota("eips", len(topology.addresses) + 1)
    eip = Address(
        allocation_id=topology.ids.new("address"),
        public_ip=new_public_ip(topology),
        tags=parse_tags(tags),
    )
    return topology.put(eip)  # type: ignore[no-any-return]


def associate_address(
    topology: Topology,
    *,
    allocation_id: str,
    instance_id: str | None = None,
    network_interface_id: str | None = None,
    private_ip_address: str | None = None,
    allow_reassociation: bool = True,
) -> Address:
    """Map the EIP to one private IP; an auto-assigned public IP there is released (EC2 UG)."""
    eip: Address = topology.get("address", allocation_id)
    require(
        bool(instance_id) != bool(network_interface_id),
        "InvalidParameterCombination",
        message("error.address.associate_address.InvalidParameterCombination"),
    )
    if instance_id:
        instance = topology.get("instance", instance_id)
        eni = topology.primary_eni(instance.instance_id)
        require(
            eni is not None,
            "InvalidInstanceID",
            message("error.address.associate_address.InvalidInstanceID", instance_id=instance_id),
        )
        assert eni is not None
    else:
        eni = topology.get("network-interface", network_interface_id or "")
    require(
        topology.nat_gateway_of_eni(eni.network_interface_id) is None,
        "InvalidParameterValue",
        message("error.address.associate_address.InvalidParameterValue"),
    )
    private = (
        parse_address(private_ip_address, what="private IP address")
        if private_ip_address
        else eni.primary_ip
    )
    require(
        private in eni.addresses,
        "InvalidParameterValue",
        message(
            "error.address.associate_address.InvalidParameterValue.2",
            private=private,
            network_interface_id=eni.network_interface_id,
        ),
    )
    require(
        topology.internet_gateway_of(eni.vpc_id) is not None,
        "Gateway.NotAttached",
        message("error.address.associate_address.Gateway.NotAttached", vpc_id=eni.vpc_id),
    )
    if eip.association_id and not allow_reassociation:
        raise refuse(
            "Resource.AlreadyAssociated",
            message(
                "error.address.associate_address.Resource.AlreadyAssociated",
                public_ip=eip.public_ip,
                network_interface_id=eip.network_interface_id,
            ),
        )
    if eip.association_id:
        _release_association(topology, eip)
        eni = topology.network_interfaces[eni.network_interface_id]
    other = topology.eip_for(eni.network_interface_id, private)
    if other is not None and other.allocation_id != eip.allocation_id:
        _release_association(topology, other)
        eni = topology.network_interfaces[eni.network_interface_id]
    topology.put(set_auto_public_ip(eni, private, None))
    eip = topology.addresses[eip.allocation_id]
    return topology.put(
        dataclasses.replace(  # type: ignore[no-any-return]
            eip,
            association_id=topology.ids.new("eip-association"),
            network_interface_id=eni.network_interface_id,
            private_ip=private,
        )
    )


def _release_association(topology: Topology, eip: Address) -> None:
    """Disassociate; the primary IP of a single-ENI instance launched with a public IP gets a
    new auto-assigned one (EC2 UG: using-instance-addressing)."""
    eni = topology.network_interfaces.get(eip.network_interface_id or "")
    topology.put(disassociated(eip))
    if eni is None or eip.private_ip != eni.primary_ip or eni.instance_id is None:
        return
    instance = topology.instances.get(eni.instance_id)
    if (
        instance is not None
        and instance.associate_public_ip
        and instance.state == "running"
        and len(topology.enis_of_instance(instance.instance_id)) == 1
    ):
        topology.put(set_auto_public_ip(eni, eni.primary_ip, new_public_ip(topology)))


def disassociate_address(
    topology: Topology, *, allocation_id: str | None = None, association_id: str | None = None
) -> Address:
    if association_id and not allocation_id:
        found = next(
            (a for a in topology.addresses.values() if a.association_id == association_id), None
        )
        if found is None:
            raise refuse(
                "InvalidAssociationID.NotFound",
                message(
                    "error.address.disassociate_address.InvalidAssociationID.NotFound.2",
                    association_id=association_id,
                ),
            )
        eip = found
    else:
        eip = topology.get("address", allocation_id or "")
    require(
        eip.association_id is not None,
        "InvalidAssociationID.NotFound",
        message(
            "error.address.disassociate_address.InvalidAssociationID.NotFound",
            public_ip=eip.public_ip,
        ),
    )
    require(
        topology.nat_gateway_of_eni(eip.network_interface_id or "") is None,
        "InvalidIPAddress.InUse",
        message(
            "error.address.disassociate_address.InvalidIPAddress.InUse", public_ip=eip.public_ip
        ),
    )
    _release_association(topology, eip)
    return topology.addresses[eip.allocation_id]


def release_address(topology: Topology, *, allocation_id: str) -> None:
    """Refused while associated (VPC UG: vpc-eips)."""
    eip: Address = topology.get("address", allocation_id)
    if eip.association_id is not None:
        raise refuse(
            "InvalidIPAddress.InUse",
            message(
                "error.address.release_address.InvalidIPAddress.InUse",
                public_ip=eip.public_ip,
                network_interface_id=eip.network_interface_id,
            ),
        )
    topology.remove("address", allocation_id)

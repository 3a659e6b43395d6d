"""Internet gateways (one per VPC) and NAT gateways (in a subnet, with an ENI and an EIP)."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..addressing import check_requested_address, lowest_free, parse_address
from ..messages import message, text
from ..model import (
    Attachment,
    InternetGateway,
    NatGateway,
    NetworkInterface,
    PrivateIpAddress,
)
from ..topology import Topology
from ._rules import parse_tags, refuse, require, within_quota
from .address import disassociated

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.gateway.attach_internet_gateway.Resource.AlreadyAssociated",
    "{internet_gateway_id} is already attached to {vpc_id}.",
)
text(
    "error.gateway.attach_internet_gateway.Resource.AlreadyAssociated.2",
    "{vpc_id} already has the internet gateway {internet_gateway_id}; a VPC has at most one.",
)
text(
    "error.gateway.create_nat_gateway.Gateway.NotAttached",
    "{vpc_id} has no internet gateway attached; a public NAT gateway sends through one, so "
    "attach it first.",
)
text(
    "error.gateway.create_nat_gateway.InvalidParameterCombination",
    "A private NAT gateway has no Elastic IP.",
)
text(
    "error.gateway.create_nat_gateway.InvalidParameterValue",
    "ConnectivityType must be 'public' or 'private'.",
)
text(
    "error.gateway.create_nat_gateway.MissingParameter",
    "A public NAT gateway needs an Elastic IP: allocate one and give its allocation id.",
)
text(
    "error.gateway.create_nat_gateway.Resource.AlreadyAssociated",
    "The Elastic IP {public_ip} is already associated with {network_interface_id}.",
)
text(
    "error.gateway.delete_internet_gateway.DependencyViolation",
    "{internet_gateway_id} is attached to {vpc_id}; detach it first.",
)
text(
    "error.gateway.detach_internet_gateway.DependencyViolation",
    "{vpc_id} still has public addresses mapped ({items}); disassociate the Elastic IPs and "
    "stop or terminate the instances with public IPs first.",
)
text(
    "error.gateway.detach_internet_gateway.Gateway.NotAttached",
    "{internet_gateway_id} is not attached to {vpc_id}.",
)


def create_internet_gateway(topology: Topology, *, tags: Any = None) -> InternetGateway:
    igw = InternetGateway(
        internet_gateway_id=topology.ids.new("internet-gateway"), tags=parse_tags(tags)
    )
    return topology.put(igw)  # type: ignore[no-any-return]


def attach_internet_gateway(
    topology: Topology, *, internet_gateway_id: str, vpc_id: str
) -> InternetGateway:
    """At most one IGW per VPC, one VPC per IGW (VPC UG: VPC_Internet_Gateway)."""
    igw: InternetGateway = topology.get("internet-gateway", internet_gateway_id)
    topology.get("vpc", vpc_id)
    if igw.vpc_id is not None:
        raise refuse(
            "Resource.AlreadyAssociated",
            message(
                "error.gateway.attach_internet_gateway.Resource.AlreadyAssociated",
                internet_gateway_id=internet_gateway_id,
                vpc_id=igw.vpc_id,
            ),
        )
    existing = topology.internet_gateway_of(vpc_id)
    if existing is not None:
        raise refuse(
            "Resource.AlreadyAssociated",
            message(
                "error.gateway.attach_internet_gateway.Resource.AlreadyAssociated.2",
                vpc_id=vpc_id,
                internet_gateway_id=existing.internet_gateway_id,
            ),
        )
    return topology.put(dataclasses.replace(igw, vpc_id=vpc_id))  # type: ignore[no-any-return]


def detach_internet_gateway(
    topology: Topology, *, internet_gateway_id: str, vpc_id: str
) -> InternetGateway:
    """Refused while public addresses are mapped in the VPC (AWS: DependencyViolation)."""
    igw: InternetGateway = topology.get("internet-gateway", internet_gateway_id)
    if igw.vpc_id != vpc_id:
        raise refuse(
            "Gateway.NotAttached",
            message(
                "error.gateway.detach_internet_gateway.Gateway.NotAttached",
                internet_gateway_id=internet_gateway_id,
                vpc_id=vpc_id,
            ),
        )
    mapped = [
        e.network_interface_id
        for e in topology.network_interfaces.values()
        if e.vpc_id == vpc_id
        and any(topology.public_ip_of(e, ip) is not None for ip in e.addresses)
    ]
    if mapped:
        raise refuse(
            "DependencyViolation",
            message(
                "error.gateway.detach_internet_gateway.DependencyViolation",
                vpc_id=vpc_id,
                items=", ".join(mapped[:5]),
            ),
        )
    return topology.put(dataclasses.replace(igw, vpc_id=None))  # type: ignore[no-any-return]


def delete_internet_gateway(topology: Topology, *, internet_gateway_id: str) -> None:
    igw: InternetGateway = topology.get("internet-gateway", internet_gateway_id)
    if igw.vpc_id is not None:
        raise refuse(
            "DependencyViolation",
            message(
                "error.gateway.delete_internet_gateway.DependencyViolation",
                internet_gateway_id=internet_gateway_id,
                vpc_id=igw.vpc_id,
            ),
        )
    topology.remove("internet-gateway", internet_gateway_id)


def create_nat_gateway(
    topology: Topology,
    *,
    subnet_id: str,
    allocation_id: str | None = None,
    connectivity_type: str = "public",
    private_ip_address: str | None = None,
    tags: Any = None,
) -> NatGateway:
    """A NAT gateway: its ENI takes a private IP of the subnet; a public one needs an EIP.

    *(Our choice: it is ``available`` at once; AWS takes a few minutes.)*
    """
    subnet = topology.get("subnet", subnet_id)
    require(
        connectivity_type in ("public", "private"),
        "InvalidParameterValue",
        message("error.gateway.create_nat_gateway.InvalidParameterValue"),
    )
    eip = None
    if connectivity_type == "public":
        require(
            bool(allocation_id),
            "MissingParameter",
            message("error.gateway.create_nat_gateway.MissingParameter"),
        )
        eip = topology.get("address", allocation_id or "")
        require(
            topology.internet_gateway_of(subnet.vpc_id) is not None,
            "Gateway.NotAttached",
            message("error.gateway.create_nat_gateway.Gateway.NotAttached", vpc_id=subnet.vpc_id),
        )
        if eip.association_id is not None:
            raise refuse(
                "Resource.AlreadyAssociated",
                message(
                    "error.gateway.create_nat_gateway.Resource.AlreadyAssociated",
                    public_ip=eip.public_ip,
                    network_interface_id=eip.network_interface_id,
                ),
            )
    else:
        require(
            not allocation_id,
            "InvalidParameterCombination",
            message("error.gateway.create_nat_gateway.InvalidParameterCombination"),
        )
    in_az = sum(
        1
        for n in topology.nat_gateways.values()
        if n.state == "available"
        and topology.subnets.get(n.subnet_id) is not None
        and topology.subnets[n.subnet_id].availability_zone == subnet.availability_zone
    )
    within_quota("nat_gateways_per_az", in_az + 1)
    used = topology.used_addresses(subnet_id)
    if private_ip_address:
        private = parse_address(private_ip_address, what="private IP address")
        check_requested_address(subnet.cidr_block, private, used, subnet_id)
    else:
        private = lowest_free(subnet.cidr_block, used, subnet_id)
    nat_id = topology.ids.new("nat-gateway")
    eni = NetworkInterface(
        network_interface_id=topology.ids.new("network-interface"),
        subnet_id=subnet_id,
        vpc_id=subnet.vpc_id,
        availability_zone=subnet.availability_zone,
        private_ip_addresses=(PrivateIpAddress(private, primary=True),),
        source_dest_check=False,
        attachment=Attachment(topology.ids.new("eni-attachment"), device_index=1),
        interface_type="nat_gateway",
        requester_managed=True,
        description=f"Interface for NAT Gateway {nat_id}",
    )
    nat = NatGateway(
        nat_gateway_id=nat_id,
        subnet_id=subnet_id,
        vpc_id=subnet.vpc_id,
        network_interface_id=eni.network_interface_id,
        private_ip=private,
        connectivity_type=connectivity_type,
        allocation_id=eip.allocation_id if eip else None,
        public_ip=eip.public_ip if eip else None,
        tags=parse_tags(tags),
    )
    topology.put(eni)
    topology.put(nat)
    if eip is not None:
        topology.put(
            dataclasses.replace(
                eip,
                association_id=topology.ids.new("eip-association"),
                network_interface_id=eni.network_interface_id,
                private_ip=private,
            )
        )
    return nat


def delete_nat_gateway(topology: Topology, *, nat_gateway_id: str) -> NatGateway:
    """The gateway turns ``deleted``, frees its ENI and EIP; routes to it become blackholes."""
    nat: NatGateway = topology.get("nat-gateway", nat_gateway_id)
    if nat.state == "deleted":
        return nat
    if nat.allocation_id and nat.allocation_id in topology.addresses:
        topology.put(disassociated(topology.addresses[nat.allocation_id]))
    if nat.network_interface_id in topology.network_interfaces:
        topology.remove("network-interface", nat.network_interface_id)
    return topology.put(dataclasses.replace(nat, state="deleted"))  # type: ignore[no-any-return]

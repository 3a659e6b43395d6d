"""What an instance itself sees: its addresses, ``ip route``, its DNS names — never its public IP.

Sources: VPC UG VPC_Internet_Gateway ("the instance is aware only of its private IP");
seed 002's ``ip addr`` / ``ip route`` output; EC2 UG ec2-instance-naming for DNS names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .addressing import INSTANCE_METADATA
from .regions import private_dns_name, public_dns_name
from .topology import Topology


@dataclass(frozen=True)
class InstanceView:
    instance_id: str
    state: str
    interfaces: list[dict[str, Any]]
    ip_addr: list[str]
    ip_route: list[str]
    private_dns_name: str | None
    public_dns_name: str | None
    public_ip: str | None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def instance_view(topology: Topology, instance_id: str) -> InstanceView:
    """``ip addr`` and ``ip route`` as Amazon Linux prints them, plus the DNS names.

    The default gateway is the VPC router at the subnet's base + 1; 169.254.169.254 (instance
    metadata) is on-link; the subnet itself is a kernel route.
    """
    instance = topology.get("instance", instance_id)
    enis = topology.enis_of_instance(instance_id)
    ip_addr: list[str] = []
    ip_route: list[str] = []
    interfaces: list[dict[str, Any]] = []
    for index, eni in enumerate(enis):
        dev = f"eth{eni.attachment.device_index if eni.attachment else index}"
        subnet = topology.subnets[eni.subnet_id]
        net = subnet.cidr_block
        ip_addr.append(f"{index + 2}: {dev}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9001")
        ip_addr.append(f"    link/ether {eni.mac_address or '02:00:00:00:00:00'}")
        for ip in eni.private_ip_addresses:
            extra = "" if ip.primary else " secondary"
            ip_addr.append(
                f"    inet {ip.address}/{net.prefixlen} brd {net.broadcast_address} "
                f"scope global{extra} {dev}"
            )
        if index == 0:
            ip_route.append(f"default via {subnet.router_address} dev {dev}")
            ip_route.append(f"{INSTANCE_METADATA} dev {dev}")
        ip_route.append(f"{net} dev {dev} proto kernel scope link src {eni.primary_ip}")
        interfaces.append(
            {
                "device": dev,
                "network_interface_id": eni.network_interface_id,
                "subnet_id": eni.subnet_id,
                "private_ips": [str(a) for a in eni.addresses],
            }
        )
    primary = enis[0] if enis else None
    vpc = topology.vpcs.get(instance.vpc_id)
    public = topology.public_ip_of(primary, primary.primary_ip) if primary else None
    dns = bool(vpc and vpc.enable_dns_support)
    notes = []
    if public is not None:
        notes.append(
            f"The public address {public} is not configured on any interface: the "
            "internet gateway maps it to the private address (1:1 NAT), so the "
            "instance never sees it."
        )
    return InstanceView(
        instance_id=instance_id,
        state=instance.state,
        interfaces=interfaces,
        ip_addr=ip_addr if instance.state == "running" else [],
        ip_route=ip_route if instance.state == "running" else [],
        private_dns_name=private_dns_name(topology.region, primary.primary_ip)
        if primary and dns
        else None,
        public_dns_name=public_dns_name(topology.region, public)
        if public is not None and dns and vpc and vpc.enable_dns_hostnames
        else None,
        public_ip=str(public) if public is not None else None,
        notes=notes,
    )

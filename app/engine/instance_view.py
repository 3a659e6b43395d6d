"""What an instance itself sees: its addresses, ``ip route``, its DNS names — never its public IP.

Sources: VPC UG VPC_Internet_Gateway ("the instance is aware only of its private IP");
seed 002's ``ip addr`` / ``ip route`` output; EC2 UG ec2-instance-naming for DNS names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Address
from typing import Any

from .addressing import INSTANCE_METADATA
from .messages import Message, message, text
from .model import AMAZON_PROVIDED_DNS, DhcpOptions, Vpc
from .regions import private_dns_name, public_dns_name
from .topology import Topology

text(
    "note.public_ip_not_configured",
    "The public address {public} is not configured on any interface: the internet gateway maps "
    "it to the private address (1:1 NAT), so the instance never sees it.",
)
text(
    "note.no_dhcp_options",
    "The VPC has no DHCP options set ('default' means none): DHCP gives no domain name and no "
    "DNS server, so the instance cannot resolve names unless one is configured on it.",
)
text(
    "note.dns_support_off",
    "DNS resolution is off for {vpc} (enableDnsSupport), so the Amazon DNS server at {address} "
    "does not answer.",
)
text("note.no_dns_server", "The DHCP options set {options} names no DNS server.")
text(
    "note.short_name_resolves",
    "The short name {short} resolves: the search domain completes it to {internal}.",
)
text(
    "note.short_name_unknown",
    "The search domain completes {short} to {name}, a name the Amazon DNS server does not "
    "know: use {internal}, or a DNS server of your own that holds {domain} (AWS: custom host "
    "names need your own DNS server).",
)


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
    resolv_conf: list[str] = field(default_factory=list)
    dhcp_options_id: str | None = None
    ntp_servers: list[str] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The view as JSON: ``notes`` in English, ``note_messages`` as ids and parameters."""
        data = dict(self.__dict__)
        data["notes"] = [str(note) for note in self.notes]
        data["note_messages"] = [note.to_dict() for note in self.notes]
        return data


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
        notes.append(message("note.public_ip_not_configured", public=public))
    options = topology.dhcp_options.get(vpc.dhcp_options_id or "") if vpc else None
    resolv_conf, dns_notes = _resolv_conf(
        topology, vpc, options, primary.primary_ip if primary else None
    )
    notes += dns_notes
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
        resolv_conf=resolv_conf if instance.state == "running" else [],
        dhcp_options_id=options.dhcp_options_id if options else None,
        ntp_servers=list(options.values("ntp-servers")) if options else [],
        notes=notes,
    )


def _resolv_conf(
    topology: Topology,
    vpc: Vpc | None,
    options: DhcpOptions | None,
    address: IPv4Address | None,
) -> tuple[list[str], list[Message]]:
    """``/etc/resolv.conf`` as the VPC's DHCP options set writes it, and what a learner should
    know about it (VPC UG: DHCPOptionSet; AmazonDNS-concepts)."""
    if vpc is None or options is None:
        return [], [message("note.no_dhcp_options")]
    lines: list[str] = []
    notes: list[Message] = []
    domain = options.domain_name
    if domain:
        lines.append(f"search {domain}")
    servers = options.values("domain-name-servers")
    for server in servers:
        # AmazonProvidedDNS is the Route 53 Resolver at the VPC's primary CIDR base + 2
        # (VPC UG: AmazonDNS-concepts, "the base of the VPC IPv4 network range plus two").
        shown = vpc.cidr_block.network_address + 2 if server == AMAZON_PROVIDED_DNS else server
        lines.append(f"nameserver {shown}")
    amazon = AMAZON_PROVIDED_DNS in servers
    if amazon and not vpc.enable_dns_support:
        notes.append(
            message(
                "note.dns_support_off", vpc=vpc.vpc_id, address=vpc.cidr_block.network_address + 2
            )
        )
    if not servers:
        notes.append(message("note.no_dns_server", options=options.dhcp_options_id))
    if address is not None and domain:
        short = "ip-" + str(address).replace(".", "-")
        internal = private_dns_name(topology.region, address)
        if f"{short}.{domain}" == internal and amazon:
            notes.append(message("note.short_name_resolves", short=short, internal=internal))
        elif amazon:
            notes.append(
                message(
                    "note.short_name_unknown",
                    short=short,
                    name=f"{short}.{domain}",
                    internal=internal,
                    domain=domain,
                )
            )
    return lines, notes

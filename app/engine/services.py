"""The services AWS provides inside every VPC at fixed addresses, which security groups and
network ACLs do not filter: the Amazon DNS server, instance metadata and the Time Sync Service.

Sources:
- VPC UG "Internetwork traffic privacy in Amazon VPC": "Amazon security groups and network ACLs
  do not filter traffic destined to and from the following: Amazon Domain Name Services (DNS),
  … Amazon EC2 instance metadata, … Amazon Time Sync Service".
  https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Security.html
- VPC UG security-group-rules: "Security groups cannot block DNS requests to or from the Route 53
  Resolver, sometimes referred to as the 'VPC+2 IP address' … or as AmazonProvidedDNS".
  https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
- VPC UG vpc-network-acls: "Network ACLs can't block DNS requests to or from the Route 53
  Resolver (also known as the VPC+2 IP address or AmazonProvidedDNS)" and "can't block traffic
  to the Instance Metadata Service (IMDS)".
  https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
- VPC UG AmazonDNS-concepts: the Route 53 Resolver "is located at 169.254.169.253 (IPv4) … and at
  the primary private IPV4 CIDR range provisioned to your VPC plus two"; enableDnsSupport:
  "If this attribute is true, queries to the Amazon provided DNS server succeed".
  https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html
- VPC Peering Guide vpc-peering-basics, limitations: "You cannot connect to or query the Amazon
  DNS server in a peer VPC."
- EC2 UG set-time: the Amazon Time Sync Service at 169.254.169.123; EC2 UG instancedata: instance
  metadata at 169.254.169.254. Both link-local: an instance reaches its own, never another's.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

from .explain import traffic_words
from .messages import Message, message, text
from .model import Vpc
from .packet import Header
from .topology import Topology

LINK_LOCAL = IPv4Network("169.254.0.0/16")
AMAZON_DNS_LINK_LOCAL = IPv4Address("169.254.169.253")
INSTANCE_METADATA = IPv4Address("169.254.169.254")
TIME_SYNC = IPv4Address("169.254.169.123")

TITLES = {
    "amazon-dns": "Amazon DNS server (Route 53 Resolver)",
    "instance-metadata": "instance metadata service",
    "time-sync": "Amazon Time Sync Service",
    "link-local": "link-local address",
}
TITLE_IDS = {
    "amazon-dns": text("service.amazon-dns", "Amazon DNS server (Route 53 Resolver)"),
    "instance-metadata": text("service.instance-metadata", "instance metadata service"),
    "time-sync": text("service.time-sync", "Amazon Time Sync Service"),
    "link-local": text("service.link-local", "link-local address"),
}
# What each service answers *(our choice: the lab answers only the service's own protocol and
# port, DNS on 53, metadata over HTTP, NTP on 123, and no ping; AWS documents the addresses,
# and its guides reach each service only this way)*.
SERVES = {
    "amazon-dns": (("udp", 53), ("tcp", 53)),
    "instance-metadata": (("tcp", 80),),
    "time-sync": (("udp", 123),),
}
SERVES_IDS = {
    "amazon-dns": text("service.serves.amazon-dns", "DNS queries (UDP or TCP port 53)"),
    "instance-metadata": text("service.serves.instance-metadata", "HTTP (TCP port 80)"),
    "time-sync": text("service.serves.time-sync", "NTP (UDP port 123)"),
}
LINK_LOCAL_SERVICES = {
    AMAZON_DNS_LINK_LOCAL: "amazon-dns",
    INSTANCE_METADATA: "instance-metadata",
    TIME_SYNC: "time-sync",
}


@dataclass(frozen=True)
class Service:
    """An AWS-provided address: ``kind`` is the hop's component type; ``vpc_id`` the VPC whose
    DNS server answers at base + 2, or None for a link-local address (every instance's own)."""

    kind: str
    address: IPv4Address
    vpc_id: str | None = None

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def title_message(self) -> Message:
        return message(TITLE_IDS[self.kind])

    @property
    def link_local(self) -> bool:
        return self.address in LINK_LOCAL

    def serves(self, header: Header) -> bool:
        return (header.protocol, header.destination_port) in SERVES.get(self.kind, ())


def amazon_dns_address(vpc: Vpc) -> IPv4Address:
    """The VPC's DNS server: the primary CIDR block's base + 2.

    >>> from ipaddress import IPv4Network
    >>> amazon_dns_address(Vpc("vpc-1", (IPv4Network("10.0.0.0/16"),)))
    IPv4Address('10.0.0.2')
    """
    return vpc.cidr_block.network_address + 2


def service_at(
    topology: Topology, address: IPv4Address, near_vpc: str | None = None
) -> Service | None:
    """The AWS-provided service at ``address``, if any; ``near_vpc`` wins when VPCs overlap.
    Any other link-local address is a ``link-local`` service the lab does not model."""
    if address in LINK_LOCAL:
        return Service(LINK_LOCAL_SERVICES.get(address, "link-local"), address)
    for vpc in sorted(topology.vpcs.values(), key=lambda v: v.vpc_id != near_vpc):
        if amazon_dns_address(vpc) == address:
            return Service("amazon-dns", address, vpc.vpc_id)
    return None


# Neither security groups nor network ACLs are consulted on the way to or from these services
# (see the sources above): the walk goes straight from the instance's interface to the service.
# (The hops say so: hop.service.* in wording.py.)
text(
    "service.link_local.refused",
    "{address} is a link-local address (169.254.0.0/16): it never leaves the instance's own "
    "link, and the lab models only the Amazon DNS server ({dns}), instance metadata "
    "({metadata}) and the Amazon Time Sync Service ({time_sync}) there.",
)
text("service.link_local.fix", "None in the lab: choose one of the services it models.")
text(
    "service.dns_support_off",
    "DNS resolution (enableDnsSupport) is off for {vpc}, so the Amazon DNS server does not "
    "answer queries from it at {address}.",
)
text(
    "service.dns_support_off.fix",
    "Turn on DNS resolution for {vpc} (modify-vpc-attribute --enable-dns-support).",
)
text(
    "service.not_served",
    "The {service} at {address} answers {serves} only; nothing answers {traffic} there.",
)
text("service.not_served.fix", "Test {serves} instead.")
text(
    "service.peer_dns",
    "{address} is the Amazon DNS server of {vpc}; it answers only instances inside {vpc}, not "
    "from {source_vpc}, not even through a peering connection.",
)
text(
    "service.peer_dns.fix",
    "Query the Amazon DNS server of {source_vpc} instead: {dns} or {link_local_dns}.",
)


@dataclass(frozen=True)
class Refusal:
    """Why a service does not answer: a Reachability Analyzer code, words, a fix, and refs."""

    code: str
    message: Message
    fix: Message
    refs: dict[str, dict[str, str]]


def refusal(topology: Topology, service: Service, vpc_id: str, header: Header) -> Refusal | None:
    """Why ``service`` does not answer an instance of ``vpc_id`` (None: it answers)."""
    vpc = topology.vpcs[vpc_id]
    if service.kind == "link-local":
        return Refusal(
            "UNSUPPORTED_COMPONENT",
            message(
                "service.link_local.refused",
                address=service.address,
                dns=AMAZON_DNS_LINK_LOCAL,
                metadata=INSTANCE_METADATA,
                time_sync=TIME_SYNC,
            ),
            message("service.link_local.fix"),
            {},
        )
    if service.vpc_id is not None and service.vpc_id != vpc_id:
        return _peer_dns(service, vpc)
    if service.kind == "amazon-dns" and not vpc.enable_dns_support:
        return Refusal(
            "NO_PATH",
            message("service.dns_support_off", vpc=vpc_id, address=service.address),
            message("service.dns_support_off.fix", vpc=vpc_id),
            {"vpc": {"id": vpc_id}},
        )
    if not service.serves(header):
        return Refusal(
            "NO_PATH",
            message(
                "service.not_served",
                service=service.title_message,
                address=service.address,
                serves=message(SERVES_IDS[service.kind]),
                traffic=traffic_words(header),
            ),
            message("service.not_served.fix", serves=message(SERVES_IDS[service.kind])),
            {"vpc": {"id": vpc_id}},
        )
    return None


def _peer_dns(service: Service, vpc: Vpc) -> Refusal:
    # VPC Peering Guide, limitations: "You cannot connect to or query the Amazon DNS server in a
    # peer VPC." The same holds for any other VPC the instance is not in.
    return Refusal(
        "NO_PATH",
        message(
            "service.peer_dns", address=service.address, vpc=service.vpc_id, source_vpc=vpc.vpc_id
        ),
        message(
            "service.peer_dns.fix",
            source_vpc=vpc.vpc_id,
            dns=amazon_dns_address(vpc),
            link_local_dns=AMAZON_DNS_LINK_LOCAL,
        ),
        {"vpc": {"id": str(service.vpc_id)}, "source_vpc": {"id": vpc.vpc_id}},
    )

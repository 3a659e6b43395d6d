"""The AWS resources of one account-region, one small frozen class each, named as AWS names them.

Values are ``ipaddress`` objects; ids are strings. Changes are made by replacing a resource with
``dataclasses.replace`` (see ``operations``), never by mutating it.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network

Tags = tuple[tuple[str, str], ...]


def tag_name(tags: Tags) -> str | None:
    """The value of the ``Name`` tag, as the console shows it."""
    for key, value in tags:
        if key == "Name":
            return value
    return None


DhcpConfiguration = tuple[tuple[str, tuple[str, ...]], ...]
AMAZON_PROVIDED_DNS = "AmazonProvidedDNS"


@dataclass(frozen=True)
class DhcpOptions:
    """A DHCP options set: what a VPC's DHCP server tells its instances (VPC UG: DHCP option
    sets). ``configurations`` holds ``(key, values)`` pairs such as
    ``("domain-name-servers", ("AmazonProvidedDNS",))``, in the order AWS prints them."""

    dhcp_options_id: str
    configurations: DhcpConfiguration = ()
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_name(self.tags)

    def values(self, key: str) -> tuple[str, ...]:
        for name, values in self.configurations:
            if name == key:
                return values
        return ()

    @property
    def domain_name(self) -> str | None:
        values = self.values("domain-name")
        return values[0] if values else None


@dataclass(frozen=True)
class Vpc:
    """A VPC: up to five IPv4 CIDR blocks (the first is the primary), its DNS attributes and
    its DHCP options set (``None``: AWS's "default", i.e. no DHCP options at all)."""

    vpc_id: str
    cidr_blocks: tuple[IPv4Network, ...]
    cidr_association_ids: tuple[str, ...] = ()
    is_default: bool = False
    enable_dns_support: bool = True
    enable_dns_hostnames: bool = False
    instance_tenancy: str = "default"
    dhcp_options_id: str | None = None
    tags: Tags = ()

    @property
    def cidr_block(self) -> IPv4Network:
        return self.cidr_blocks[0]

    @property
    def name(self) -> str | None:
        return tag_name(self.tags)

    def contains(self, address: IPv4Address) -> bool:
        return any(address in block for block in self.cidr_blocks)


@dataclass(frozen=True)
class Subnet:
    """A subnet: one CIDR inside its VPC, in one Availability Zone."""

    subnet_id: str
    vpc_id: str
    cidr_block: IPv4Network
    availability_zone: str
    map_public_ip_on_launch: bool = False
    default_for_az: bool = False
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_name(self.tags)

    @property
    def router_address(self) -> IPv4Address:
        """The VPC router, base + 1 (VPC UG: subnet-sizing)."""
        return self.cidr_block.network_address + 1


# Route targets, as the describe-route-tables field that carries them.
ROUTE_TARGET_FIELDS = {
    "local": "GatewayId",
    "internet-gateway": "GatewayId",
    "nat-gateway": "NatGatewayId",
    "network-interface": "NetworkInterfaceId",
    "instance": "InstanceId",
    "vpc-peering-connection": "VpcPeeringConnectionId",
    # Targets the lab keeps and shows but does not model (UNSUPPORTED_COMPONENT).
    "transit-gateway": "TransitGatewayId",
    "egress-only-internet-gateway": "EgressOnlyInternetGatewayId",
    "carrier-gateway": "CarrierGatewayId",
    "local-gateway": "LocalGatewayId",
    "core-network": "CoreNetworkArn",
    "gateway": "GatewayId",  # vgw-, vpce-, or an id of a kind we do not know
}
MODELLED_TARGETS = frozenset(
    {
        "local",
        "internet-gateway",
        "nat-gateway",
        "network-interface",
        "instance",
        "vpc-peering-connection",
    }
)


@dataclass(frozen=True)
class Route:
    """One route: a destination CIDR and one target.

    ``imported_state`` keeps the ``State`` of a route to a target the lab does not model; for
    modelled targets the state is always derived from the topology (``routing.route_state``).
    """

    destination: IPv4Network
    target_type: str
    target_id: str
    origin: str = "CreateRoute"
    imported_state: str | None = None


@dataclass(frozen=True)
class RouteTableAssociation:
    """A route table's association with a subnet, or the VPC's main-table marker."""

    association_id: str
    subnet_id: str | None = None
    main: bool = False


@dataclass(frozen=True)
class RouteTable:
    """A route table of a VPC with its routes and associations."""

    route_table_id: str
    vpc_id: str
    routes: tuple[Route, ...] = ()
    associations: tuple[RouteTableAssociation, ...] = ()
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_name(self.tags)

    @property
    def is_main(self) -> bool:
        return any(a.main for a in self.associations)

    @property
    def subnet_ids(self) -> tuple[str, ...]:
        return tuple(a.subnet_id for a in self.associations if a.subnet_id)


@dataclass(frozen=True)
class InternetGateway:
    """An internet gateway, attached to at most one VPC."""

    internet_gateway_id: str
    vpc_id: str | None = None
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_name(self.tags)


@dataclass(frozen=True)
class NatGateway:
    """A NAT gateway in one subnet, with its ENI, private IP and (public only) Elastic IP."""

    nat_gateway_id: str
    subnet_id: str
    vpc_id: str
    network_interface_id: str
    private_ip: IPv4Address
    connectivity_type: str = "public"
    allocation_id: str | None = None
    public_ip: IPv4Address | None = None
    state: str = "available"
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_name(self.tags)


@dataclass(frozen=True)
class SecurityGroupRule:
    """One rule of a security group, flattened: one protocol/port range and one peer.

    ``protocol`` is as AWS prints it: ``-1``, ``tcp``, ``udp``, ``icmp`` or a number.
    For ICMP, ``from_port`` is the type and ``to_port`` the code (-1 = any).
    """

    protocol: str
    from_port: int | None = None
    to_port: int | None = None
    cidr: IPv4Network | None = None
    group_id: str | None = None
    prefix_list_id: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class SecurityGroup:
    """A security group: allow-only inbound and outbound rules, stateful, attached to ENIs."""

    group_id: str
    group_name: str
    vpc_id: str
    description: str = ""
    ingress: tuple[SecurityGroupRule, ...] = ()
    egress: tuple[SecurityGroupRule, ...] = ()
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_name(self.tags) or self.group_name

    @property
    def is_default(self) -> bool:
        return self.group_name == "default"


@dataclass(frozen=True)
class NetworkAclEntry:
    """One numbered NACL entry. ``protocol`` is a number string: -1 all, 6 tcp, 17 udp, 1 icmp."""

    rule_number: int
    egress: bool
    rule_action: str
    protocol: str
    cidr: IPv4Network
    port_range: tuple[int, int] | None = None
    icmp_type_code: tuple[int, int] | None = None


@dataclass(frozen=True)
class NetworkAclAssociation:
    """The association of a subnet with a network ACL."""

    association_id: str
    subnet_id: str


@dataclass(frozen=True)
class NetworkAcl:
    """A network ACL: numbered stateless entries per direction, associated with subnets."""

    network_acl_id: str
    vpc_id: str
    is_default: bool = False
    entries: tuple[NetworkAclEntry, ...] = ()
    associations: tuple[NetworkAclAssociation, ...] = ()
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_name(self.tags)


@dataclass(frozen=True)
class PrivateIpAddress:
    """A private IPv4 address of an ENI, with the non-Elastic public IP mapped to it, if any."""

    address: IPv4Address
    primary: bool = False
    public_ip: IPv4Address | None = None


@dataclass(frozen=True)
class Attachment:
    """An ENI's attachment to an instance (or to a service, for requester-managed ENIs)."""

    attachment_id: str
    device_index: int
    instance_id: str | None = None
    status: str = "attached"
    delete_on_termination: bool = True


@dataclass(frozen=True)
class NetworkInterface:
    """An elastic network interface: private IPs in one subnet, security groups, src/dst check."""

    network_interface_id: str
    subnet_id: str
    vpc_id: str
    availability_zone: str
    private_ip_addresses: tuple[PrivateIpAddress, ...]
    groups: tuple[str, ...] = ()
    source_dest_check: bool = True
    attachment: Attachment | None = None
    interface_type: str = "interface"
    description: str = ""
    requester_managed: bool = False
    mac_address: str = ""
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_name(self.tags)

    @property
    def primary_ip(self) -> IPv4Address:
        for ip in self.private_ip_addresses:
            if ip.primary:
                return ip.address
        return self.private_ip_addresses[0].address

    @property
    def addresses(self) -> tuple[IPv4Address, ...]:
        return tuple(ip.address for ip in self.private_ip_addresses)

    @property
    def instance_id(self) -> str | None:
        return self.attachment.instance_id if self.attachment else None


INSTANCE_STATE_CODES = {
    "pending": 0,
    "running": 16,
    "shutting-down": 32,
    "terminated": 48,
    "stopping": 64,
    "stopped": 80,
}


@dataclass(frozen=True)
class Instance:
    """An EC2 instance. Its network interfaces are the ENIs whose attachment names it."""

    instance_id: str
    subnet_id: str
    vpc_id: str
    state: str = "running"
    instance_type: str = "t3.micro"
    image_id: str = "ami-0abcdef1234567890"
    key_name: str | None = None
    availability_zone: str = ""
    reservation_id: str = ""
    associate_public_ip: bool = False
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_name(self.tags)


@dataclass(frozen=True)
class Address:
    """An Elastic IP: allocated to the account, associated with one ENI private IP at a time."""

    allocation_id: str
    public_ip: IPv4Address
    association_id: str | None = None
    network_interface_id: str | None = None
    private_ip: IPv4Address | None = None
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_name(self.tags)


@dataclass(frozen=True)
class VpcPeeringConnection:
    """A VPC peering connection between a requester VPC and an accepter VPC."""

    vpc_peering_connection_id: str
    requester_vpc_id: str
    accepter_vpc_id: str
    status: str = "pending-acceptance"
    requester_cidrs: tuple[IPv4Network, ...] = ()
    accepter_cidrs: tuple[IPv4Network, ...] = ()
    requester_region: str | None = None
    accepter_region: str | None = None
    tags: Tags = ()

    @property
    def name(self) -> str | None:
        return tag_name(self.tags)

    def peer_of(self, vpc_id: str) -> str | None:
        if vpc_id == self.requester_vpc_id:
            return self.accepter_vpc_id
        if vpc_id == self.accepter_vpc_id:
            return self.requester_vpc_id
        return None

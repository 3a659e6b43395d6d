"""A topology: the resources of one AWS account in one region, with the lookups the rules need."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from ipaddress import IPv4Address
from typing import Any

from .errors import not_found
from .ids import IdFactory
from .kinds import KIND_OF_MODEL
from .kinds import KINDS as _KINDS
from .model import (
    Address,
    DhcpOptions,
    Instance,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    RouteTable,
    SecurityGroup,
    Subnet,
    Vpc,
    VpcPeeringConnection,
)
from .regions import DEFAULT_REGION

# The resource kinds' names, in dependency order (declared in kinds.py).
KINDS: tuple[str, ...] = tuple(kind.name for kind in _KINDS)
KIND_OF: dict[type, str] = {model: kind.name for model, kind in KIND_OF_MODEL.items()}
ID_FIELD: dict[type, str] = {model: kind.id_field for model, kind in KIND_OF_MODEL.items()}


def resource_id(resource: Any) -> str:
    """The AWS id of any resource: ``resource_id(vpc) == vpc.vpc_id``."""
    return str(getattr(resource, ID_FIELD[type(resource)]))


@dataclass
class Topology:
    """One account-region: a dict of resources per kind, plus lazily built lookup indexes.

    Change it only through ``put`` and ``remove`` (the operations do), so the indexes stay true.
    """

    region: str = DEFAULT_REGION
    ids: IdFactory = field(default_factory=IdFactory, repr=False, compare=False)
    resources: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {kind: {} for kind in KINDS}
    )
    _index: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    # ---- change ---------------------------------------------------------------------------
    def put(self, resource: Any) -> Any:
        self.resources[KIND_OF[type(resource)]][resource_id(resource)] = resource
        self._index = {}
        return resource

    def remove(self, kind: str, rid: str) -> None:
        del self.resources[kind][rid]
        self._index = {}

    def adopt(self, other: Topology) -> None:
        """Take every resource of ``other`` (an import's result) as this topology's own."""
        self.resources = {kind: dict(items) for kind, items in other.resources.items()}
        self._index = {}

    def copy(self) -> Topology:
        """A copy to change tentatively: resources are frozen, so copying the dicts suffices."""
        return Topology(
            region=self.region,
            ids=self.ids,
            resources={kind: dict(items) for kind, items in self.resources.items()},
        )

    def deep_equal(self, other: Topology) -> bool:
        return self.region == other.region and self.resources == other.resources

    # ---- read -----------------------------------------------------------------------------
    def get(self, kind: str, rid: str) -> Any:
        """The resource, or the AWS ``…NotFound`` error."""
        try:
            return self.resources[kind][rid]
        except KeyError:
            raise not_found(kind, rid) from None

    def __iter__(self) -> Iterator[Any]:
        for kind in KINDS:
            yield from self.resources[kind].values()

    @property
    def dhcp_options(self) -> dict[str, DhcpOptions]:
        return self.resources["dhcp-options"]

    @property
    def vpcs(self) -> dict[str, Vpc]:
        return self.resources["vpc"]

    @property
    def subnets(self) -> dict[str, Subnet]:
        return self.resources["subnet"]

    @property
    def route_tables(self) -> dict[str, RouteTable]:
        return self.resources["route-table"]

    @property
    def internet_gateways(self) -> dict[str, InternetGateway]:
        return self.resources["internet-gateway"]

    @property
    def nat_gateways(self) -> dict[str, NatGateway]:
        return self.resources["nat-gateway"]

    @property
    def security_groups(self) -> dict[str, SecurityGroup]:
        return self.resources["security-group"]

    @property
    def network_acls(self) -> dict[str, NetworkAcl]:
        return self.resources["network-acl"]

    @property
    def network_interfaces(self) -> dict[str, NetworkInterface]:
        return self.resources["network-interface"]

    @property
    def instances(self) -> dict[str, Instance]:
        return self.resources["instance"]

    @property
    def addresses(self) -> dict[str, Address]:
        return self.resources["address"]

    @property
    def peerings(self) -> dict[str, VpcPeeringConnection]:
        return self.resources["vpc-peering-connection"]

    # ---- indexes --------------------------------------------------------------------------
    def _indexed(self, name: str) -> Any:
        index = self._index
        if not index:
            index = self._build_index()
            self._index = index  # one assignment: readers on other threads see all or nothing
        return index[name]

    def _build_index(self) -> dict[str, Any]:
        main_rtb: dict[str, RouteTable] = {}
        subnet_rtb: dict[str, RouteTable] = {}
        for rtb in self.route_tables.values():
            for assoc in rtb.associations:
                if assoc.main:
                    main_rtb[rtb.vpc_id] = rtb
                elif assoc.subnet_id:
                    subnet_rtb[assoc.subnet_id] = rtb
        default_acl: dict[str, NetworkAcl] = {}
        subnet_acl: dict[str, NetworkAcl] = {}
        for acl in self.network_acls.values():
            if acl.is_default:
                default_acl[acl.vpc_id] = acl
            for acl_assoc in acl.associations:
                subnet_acl[acl_assoc.subnet_id] = acl
        by_private: dict[tuple[str, IPv4Address], NetworkInterface] = {}
        enis_by_subnet: dict[str, list[NetworkInterface]] = {}
        enis_by_instance: dict[str, list[NetworkInterface]] = {}
        enis_by_group: dict[str, list[NetworkInterface]] = {}
        for eni in self.network_interfaces.values():
            for ip in eni.private_ip_addresses:
                by_private[(eni.vpc_id, ip.address)] = eni
            enis_by_subnet.setdefault(eni.subnet_id, []).append(eni)
            if eni.instance_id:
                enis_by_instance.setdefault(eni.instance_id, []).append(eni)
            for gid in eni.groups:
                enis_by_group.setdefault(gid, []).append(eni)
        for enis in enis_by_instance.values():
            enis.sort(key=lambda e: e.attachment.device_index if e.attachment else 0)
        public: dict[IPv4Address, tuple[NetworkInterface, IPv4Address]] = {}
        for eni in self.network_interfaces.values():
            for ip in eni.private_ip_addresses:
                if ip.public_ip is not None:
                    public[ip.public_ip] = (eni, ip.address)
        for nat in self.nat_gateways.values():
            nat_eni = self.network_interfaces.get(nat.network_interface_id)
            if nat.public_ip is not None and nat_eni is not None:
                public[nat.public_ip] = (nat_eni, nat.private_ip)
        for eip in self.addresses.values():
            eni_of_eip = self.network_interfaces.get(eip.network_interface_id or "")
            if eni_of_eip is not None and eip.private_ip is not None:
                public[eip.public_ip] = (eni_of_eip, eip.private_ip)
        nat_of_eni = {
            nat.network_interface_id: nat
            for nat in self.nat_gateways.values()
            if nat.state in ("available", "pending")
        }
        igw_of_vpc = {igw.vpc_id: igw for igw in self.internet_gateways.values() if igw.vpc_id}
        return dict(
            main_rtb=main_rtb,
            subnet_rtb=subnet_rtb,
            default_acl=default_acl,
            subnet_acl=subnet_acl,
            by_private=by_private,
            enis_by_subnet=enis_by_subnet,
            enis_by_instance=enis_by_instance,
            enis_by_group=enis_by_group,
            public=public,
            igw_of_vpc=igw_of_vpc,
            nat_of_eni=nat_of_eni,
        )

    def main_route_table(self, vpc_id: str) -> RouteTable | None:
        return self._indexed("main_rtb").get(vpc_id)  # type: ignore[no-any-return]

    def route_table_for(self, subnet_id: str) -> RouteTable | None:
        """The subnet's explicitly associated table, else its VPC's main table (VPC UG)."""
        explicit = self._indexed("subnet_rtb").get(subnet_id)
        if explicit is not None:
            return explicit  # type: ignore[no-any-return]
        subnet = self.subnets.get(subnet_id)
        return self.main_route_table(subnet.vpc_id) if subnet else None

    def explicit_route_table(self, subnet_id: str) -> RouteTable | None:
        return self._indexed("subnet_rtb").get(subnet_id)  # type: ignore[no-any-return]

    def default_network_acl(self, vpc_id: str) -> NetworkAcl | None:
        return self._indexed("default_acl").get(vpc_id)  # type: ignore[no-any-return]

    def network_acl_for(self, subnet_id: str) -> NetworkAcl | None:
        """The subnet's associated NACL, else its VPC's default NACL (VPC UG: vpc-network-acls)."""
        acl = self._indexed("subnet_acl").get(subnet_id)
        if acl is not None:
            return acl  # type: ignore[no-any-return]
        subnet = self.subnets.get(subnet_id)
        return self.default_network_acl(subnet.vpc_id) if subnet else None

    def eni_with_private_ip(self, vpc_id: str, address: IPv4Address) -> NetworkInterface | None:
        return self._indexed("by_private").get((vpc_id, address))  # type: ignore[no-any-return]

    def owner_of_public_ip(
        self, address: IPv4Address
    ) -> tuple[NetworkInterface, IPv4Address] | None:
        """The ENI and private IP a public IP or associated EIP maps to (the IGW's NAT table)."""
        return self._indexed("public").get(address)  # type: ignore[no-any-return]

    def public_ip_of(self, eni: NetworkInterface, private_ip: IPv4Address) -> IPv4Address | None:
        """The public IP mapped to ``private_ip``: an associated EIP, else the auto-assigned one."""
        eip = self.eip_for(eni.network_interface_id, private_ip)
        if eip is not None:
            return eip.public_ip
        for ip in eni.private_ip_addresses:
            if ip.address == private_ip:
                return ip.public_ip
        return None

    def eip_for(self, eni_id: str, private_ip: IPv4Address) -> Address | None:
        for eip in self.addresses.values():
            if eip.network_interface_id == eni_id and eip.private_ip == private_ip:
                return eip
        return None

    def enis_in_subnet(self, subnet_id: str) -> list[NetworkInterface]:
        return list(self._indexed("enis_by_subnet").get(subnet_id, []))

    def enis_of_instance(self, instance_id: str) -> list[NetworkInterface]:
        """The instance's ENIs, primary (device index 0) first."""
        return list(self._indexed("enis_by_instance").get(instance_id, []))

    def enis_in_group(self, group_id: str) -> list[NetworkInterface]:
        return list(self._indexed("enis_by_group").get(group_id, []))

    def primary_eni(self, instance_id: str) -> NetworkInterface | None:
        enis = self.enis_of_instance(instance_id)
        return enis[0] if enis else None

    def internet_gateway_of(self, vpc_id: str) -> InternetGateway | None:
        return self._indexed("igw_of_vpc").get(vpc_id)  # type: ignore[no-any-return]

    def peered(self, a: str, b: str) -> bool:
        """Are VPCs ``a`` and ``b`` joined by an active peering connection?"""
        return any(
            p.status == "active" and {p.requester_vpc_id, p.accepter_vpc_id} == {a, b}
            for p in self.peerings.values()
        )

    def nat_gateway_of_eni(self, eni_id: str) -> NatGateway | None:
        return self._indexed("nat_of_eni").get(eni_id)  # type: ignore[no-any-return]

    def subnets_of(self, vpc_id: str) -> list[Subnet]:
        return [s for s in self.subnets.values() if s.vpc_id == vpc_id]

    def used_addresses(self, subnet_id: str) -> set[IPv4Address]:
        """Every private IP in use in the subnet (ENIs, including NAT gateway ENIs)."""
        used: set[IPv4Address] = set()
        for eni in self.enis_in_subnet(subnet_id):
            used.update(eni.addresses)
        return used

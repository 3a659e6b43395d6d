"""Importing a bundle: all or nothing, implicit resources added, structure checked."""

from __future__ import annotations

import dataclasses
import hashlib
from collections import Counter
from typing import Any

from ..addressing import check_block_size
from ..defaults import (
    DEFAULT_DENY_RULE,
    default_configuration,
    default_security_group,
    local_routes,
    new_network_acl,
    new_route_table,
)
from ..errors import NOUNS, AwsError
from ..ids import PREFIXES
from ..kinds import KINDS
from ..messages import Message, message, text
from ..model import (
    Attachment,
    DhcpOptions,
    NetworkInterface,
    PrivateIpAddress,
    RouteTable,
    Subnet,
)
from ..operations._rules import within_quota
from ..operations.network_interface import own_interfaces
from ..operations.security_group import same_rule
from ..regions import availability_zones
from ..topology import KIND_OF, Topology, resource_id
from .read import InvalidBundle, read_bundle, refused

BUNDLE_KEYS = {kind.name: kind.bundle_key for kind in KINDS}

# ---- the import's refusals, as messages: each follows "<resource id>: " (error.where) ------------
text(
    "bundle.not_a_bundle",
    "This is not a describe-* bundle: it has none of the keys {keys} (it has {found}). Merge "
    "the outputs of aws ec2 describe-vpcs, describe-subnets, … into one object, e.g. with "
    "jq -s add.",
)
text("bundle.no_key_at_all", "no key at all")
text("bundle.already_exists", "{resource} already exists in this topology.")
text("bundle.vpc_not_in_bundle", "its VPC {vpc} is not in the bundle.")
text("bundle.subnet_not_in_bundle", "its subnet {subnet} is not in the bundle.")
text(
    "bundle.associated_not_in_bundle",
    "it is associated with {resource}, which is not in the bundle.",
)
text("bundle.attached_not_in_bundle", "it is attached to {vpc}, which is not in the bundle.")
text("bundle.subnet.outside_vpc", "{cidr} is not inside the CIDR blocks of {vpc}.")
text(
    "bundle.subnet.other_region",
    "its Availability Zone {zone} is not in this topology's region {region}; import it into a "
    "topology of that region.",
)
text("bundle.subnet.overlap", "{cidr} overlaps {other} ({other_cidr}).")
text("bundle.igw.second", "{vpc} already has the internet gateway {igw}.")
text("bundle.eip.same_address", "its address {address} is also {other}.")
text(
    "bundle.eip.not_an_address_of",
    "it is associated with {address}, which is not an address of {interface}.",
)
text("bundle.main_route_table.second", "{vpc} already has the main route table {route_table}.")
text("bundle.association.other_vpc", "it is associated with {subnet} of another VPC.")
text("bundle.association.second", "{subnet} is already associated with the {what} {owner}.")
text("bundle.eni.other_vpc", "it names {vpc} but its subnet is in {subnet_vpc}.")
text("bundle.eni.outside_subnet", "its address {address} is not inside {subnet} ({cidr}).")
text("bundle.eni.address_in_use", "its address {address} is also used by {other}.")
text(
    "bundle.route.twice",
    "it has two routes to {destination}; a table has one route per destination.",
)
text("bundle.nacl.number_twice", "it has two {direction} rules numbered {number}.")
text("bundle.security_group.rule_twice", "it has the same rule twice.")
text("bundle.peering.self", "A VPC cannot peer with itself.")


def import_bundle(
    topology: Topology, bundle: Any, *, rules: bool = True
) -> tuple[Topology, dict[str, int]]:
    """A new topology holding ``topology`` plus the bundle, and the count per bundle key.

    ``topology`` itself is never changed: on any error nothing is half-imported. A body with
    none of the bundle's keys is refused: it is not a describe-* bundle (a typo such as ``vpcs``,
    or another document), and importing it would silently add nothing.

    ``rules`` applies the API's rules to the result (``check_rules``); the store turns it off
    when it rebuilds a topology from its own rows, which passed them when they were written
    (and may predate a rule added since: a stored topology must stay readable).
    """
    if isinstance(bundle, dict) and not any(key in bundle for key in BUNDLE_KEYS.values()):
        found = ", ".join(sorted(str(key)[:40] for key in bundle)[:5])
        raise InvalidBundle(
            "MissingParameter",
            message(
                "bundle.not_a_bundle",
                keys=", ".join(BUNDLE_KEYS.values()),
                found=found or message("bundle.no_key_at_all"),
            ),
        )
    resources = read_bundle(bundle)
    result = topology.copy()
    counts: Counter[str] = Counter()
    for resource in resources:
        kind = KIND_OF[type(resource)]
        rid = resource_id(resource)
        if rid in result.resources[kind]:
            raise InvalidBundle(
                "InvalidParameterValue.AlreadyExists",
                message("bundle.already_exists", resource=rid),
                resource_id=rid,
            )
        result.put(resource)
        counts[BUNDLE_KEYS[kind]] += 1
    _tidy_interfaces(result)
    _tidy_associations(result)
    _add_implicit(result, new_vpcs=[r.vpc_id for r in resources if KIND_OF[type(r)] == "vpc"])
    check_structure(result)
    if rules:
        check_rules(result)
    return result, {key: counts.get(key, 0) for key in BUNDLE_KEYS.values()}


def _tidy_interfaces(topology: Topology) -> None:
    """Real exports are untidy: an ENI may name an instance the bundle does not include (keep
    the ENI, forget the dangling attachment) or omit its AZ (it is its subnet's); a working NAT
    gateway's interface may be printed with no attachment, groups, or the wrong type."""
    nat_enis = {
        nat.network_interface_id: nat
        for nat in topology.nat_gateways.values()
        if nat.state in ("available", "pending")
    }
    for eni in list(topology.network_interfaces.values()):
        tidy = eni
        if eni.instance_id and eni.instance_id not in topology.instances:
            tidy = dataclasses.replace(tidy, attachment=None)
        if eni.network_interface_id in nat_enis:
            # An available NAT gateway works whatever its interface record says: AWS manages
            # that interface (requester-managed, type nat_gateway, no security groups, no
            # source/destination check) (VPC UG: nat-gateway-basics).
            tidy = dataclasses.replace(
                tidy,
                attachment=tidy.attachment or Attachment("", 1, status="attached"),
                interface_type="nat_gateway",
                requester_managed=True,
                source_dest_check=False,
                groups=(),
            )
        subnet = topology.subnets.get(eni.subnet_id)
        if not eni.availability_zone and subnet is not None:
            tidy = dataclasses.replace(tidy, availability_zone=subnet.availability_zone)
        if tidy is not eni:
            topology.put(tidy)


def _association_id(kind: str, *parts: str) -> str:
    """A stable id for an association the export printed without one.

    *(Our choice: AWS always prints them; a trimmed export may not. The id is derived from what
    is associated, so it stays the same every time the topology is loaded.)*
    """
    digest = hashlib.sha256("/".join(parts).encode()).hexdigest()[:17]
    return f"{PREFIXES[kind]}-{digest}"


def _tidy_associations(topology: Topology) -> None:
    """Give every association an id, so each can be replaced or removed as in the console."""
    for kind, id_kind in (
        ("route-table", "route-table-association"),
        ("network-acl", "network-acl-association"),
    ):
        for owner in list(topology.resources[kind].values()):
            if all(a.association_id for a in owner.associations):
                continue
            owner_id = resource_id(owner)
            fixed = tuple(
                a
                if a.association_id
                else dataclasses.replace(
                    a, association_id=_association_id(id_kind, owner_id, a.subnet_id or "main")
                )
                for a in owner.associations
            )
            topology.put(dataclasses.replace(owner, associations=fixed))
    for eip in list(topology.addresses.values()):
        if eip.network_interface_id and not eip.association_id:
            topology.put(
                dataclasses.replace(
                    eip,
                    association_id=_association_id(
                        "eip-association", eip.allocation_id, eip.network_interface_id
                    ),
                )
            )
    for vpc in list(topology.vpcs.values()):
        known = vpc.cidr_association_ids
        if len(known) != len(vpc.cidr_blocks) or not all(known):
            ids = tuple(
                (known[i] if i < len(known) else "")
                or _association_id("vpc-cidr-association", vpc.vpc_id, str(block))
                for i, block in enumerate(vpc.cidr_blocks)
            )
            topology.put(dataclasses.replace(vpc, cidr_association_ids=ids))


def _add_implicit(topology: Topology, new_vpcs: list[str]) -> None:
    """What AWS itself creates: main route table, default NACL and SG, local routes, NAT ENIs,
    and the DHCP options set a VPC names when the export leaves the sets out."""
    for vpc_id in new_vpcs:
        vpc = topology.vpcs[vpc_id]
        dopt = vpc.dhcp_options_id
        if dopt is not None and dopt not in topology.dhcp_options:
            # *(Our choice: describe-vpcs names the set but the export lacks describe-dhcp-options;
            # the lab assumes the set holds AWS's default options, which most accounts use.)*
            topology.put(DhcpOptions(dopt, default_configuration(topology.region)))
        if topology.main_route_table(vpc_id) is None:
            topology.put(new_route_table(vpc, topology.ids, main=True))
        if topology.default_network_acl(vpc_id) is None:
            topology.put(new_network_acl(vpc, topology.ids, default=True))
        if not any(
            sg.vpc_id == vpc_id and sg.is_default for sg in topology.security_groups.values()
        ):
            topology.put(default_security_group(vpc, topology.ids))
    for rtb in list(topology.route_tables.values()):
        owner = topology.vpcs.get(rtb.vpc_id)
        if owner is None:
            continue
        have = {r.destination for r in rtb.routes if r.target_type == "local"}
        missing = tuple(r for r in local_routes(owner) if r.destination not in have)
        if missing:
            topology.put(dataclasses.replace(rtb, routes=missing + rtb.routes))
    for nat in list(topology.nat_gateways.values()):
        if nat.state not in ("available", "pending"):
            continue
        if nat.network_interface_id not in topology.network_interfaces:
            subnet = topology.subnets.get(nat.subnet_id)
            eni_id = nat.network_interface_id or topology.ids.new("network-interface")
            topology.put(
                NetworkInterface(
                    network_interface_id=eni_id,
                    subnet_id=nat.subnet_id,
                    vpc_id=nat.vpc_id,
                    availability_zone=subnet.availability_zone if subnet else "",
                    private_ip_addresses=(PrivateIpAddress(nat.private_ip, primary=True),),
                    source_dest_check=False,
                    attachment=Attachment(attachment_id="", device_index=1, status="attached"),
                    interface_type="nat_gateway",
                    requester_managed=True,
                    description=f"Interface for NAT Gateway {nat.nat_gateway_id}",
                )
            )
            if not nat.network_interface_id:
                topology.put(dataclasses.replace(nat, network_interface_id=eni_id))


def _fail(rid: str, said: Message | str, code: str = "InvalidParameterValue") -> InvalidBundle:
    return refused(code, rid, said)


def check_structure(topology: Topology) -> None:
    """Refuse a topology that does not hold together, naming the first offending resource."""
    vpcs = topology.vpcs
    zones = set(availability_zones(topology.region))
    by_vpc: dict[str, list[Subnet]] = {}
    for subnet in list(topology.subnets.values()):  # bundle order: blame the later one
        vpc = vpcs.get(subnet.vpc_id)
        if vpc is None:
            raise _fail(
                subnet.subnet_id,
                message("bundle.vpc_not_in_bundle", vpc=subnet.vpc_id),
                "InvalidVpcID.NotFound",
            )
        if not any(subnet.cidr_block.subnet_of(block) for block in vpc.cidr_blocks):
            raise _fail(
                subnet.subnet_id,
                message("bundle.subnet.outside_vpc", cidr=subnet.cidr_block, vpc=vpc.vpc_id),
                "InvalidSubnet.Range",
            )
        if subnet.availability_zone not in zones and not subnet.availability_zone.startswith(
            topology.region
        ):
            raise _fail(
                subnet.subnet_id,
                message(
                    "bundle.subnet.other_region",
                    zone=subnet.availability_zone,
                    region=topology.region,
                ),
            )
        for other in by_vpc.get(subnet.vpc_id, []):
            if other.cidr_block.overlaps(subnet.cidr_block):
                raise _fail(
                    subnet.subnet_id,
                    message(
                        "bundle.subnet.overlap",
                        cidr=subnet.cidr_block,
                        other=other.subnet_id,
                        other_cidr=other.cidr_block,
                    ),
                    "InvalidSubnet.Conflict",
                )
        by_vpc.setdefault(subnet.vpc_id, []).append(subnet)
    for kind in ("route-table", "network-acl", "security-group"):
        for resource in topology.resources[kind].values():
            if resource.vpc_id not in vpcs:
                raise _fail(
                    resource_id(resource),
                    message("bundle.vpc_not_in_bundle", vpc=resource.vpc_id),
                    "InvalidVpcID.NotFound",
                )
    _check_associations(topology)
    attached: dict[str, str] = {}
    for igw in topology.internet_gateways.values():
        if igw.vpc_id is None:
            continue
        if igw.vpc_id not in vpcs:
            raise _fail(
                igw.internet_gateway_id,
                message("bundle.attached_not_in_bundle", vpc=igw.vpc_id),
                "InvalidVpcID.NotFound",
            )
        if igw.vpc_id in attached:
            raise _fail(
                igw.internet_gateway_id,
                message("bundle.igw.second", vpc=igw.vpc_id, igw=attached[igw.vpc_id]),
                "Resource.AlreadyAssociated",
            )
        attached[igw.vpc_id] = igw.internet_gateway_id
    _check_interfaces(topology)
    for instance in topology.instances.values():
        if instance.subnet_id not in topology.subnets:
            raise _fail(
                instance.instance_id,
                message("bundle.subnet_not_in_bundle", subnet=instance.subnet_id),
                "InvalidSubnetID.NotFound",
            )
    for nat in topology.nat_gateways.values():
        if nat.state in ("available", "pending") and nat.subnet_id not in topology.subnets:
            raise _fail(
                nat.nat_gateway_id,
                message("bundle.subnet_not_in_bundle", subnet=nat.subnet_id),
                "InvalidSubnetID.NotFound",
            )
    seen_public: dict[Any, str] = {}
    for eip in topology.addresses.values():
        if eip.public_ip in seen_public:
            raise _fail(
                eip.allocation_id,
                message(
                    "bundle.eip.same_address",
                    address=eip.public_ip,
                    other=seen_public[eip.public_ip],
                ),
                "InvalidParameterValue",
            )
        seen_public[eip.public_ip] = eip.allocation_id
        if eip.network_interface_id is None:
            continue
        eni = topology.network_interfaces.get(eip.network_interface_id)
        if eni is None:
            raise _fail(
                eip.allocation_id,
                message("bundle.associated_not_in_bundle", resource=eip.network_interface_id),
                "InvalidNetworkInterfaceID.NotFound",
            )
        if eip.private_ip not in eni.addresses:
            raise _fail(
                eip.allocation_id,
                message(
                    "bundle.eip.not_an_address_of",
                    address=eip.private_ip,
                    interface=eni.network_interface_id,
                ),
            )


def _check_associations(topology: Topology) -> None:
    for kind, what in (("route-table", "route table"), ("network-acl", "network ACL")):
        owner: dict[str, str] = {}
        mains: dict[str, str] = {}
        for resource in topology.resources[kind].values():
            rid = resource_id(resource)
            for assoc in resource.associations:
                if isinstance(resource, RouteTable) and assoc.main:
                    if resource.vpc_id in mains:
                        raise _fail(
                            rid,
                            message(
                                "bundle.main_route_table.second",
                                vpc=resource.vpc_id,
                                route_table=mains[resource.vpc_id],
                            ),
                            "Resource.AlreadyAssociated",
                        )
                    mains[resource.vpc_id] = rid
                    continue
                subnet = topology.subnets.get(assoc.subnet_id or "")
                if subnet is None:
                    raise _fail(
                        rid,
                        message("bundle.associated_not_in_bundle", resource=assoc.subnet_id),
                        "InvalidSubnetID.NotFound",
                    )
                if subnet.vpc_id != resource.vpc_id:
                    raise _fail(
                        rid, message("bundle.association.other_vpc", subnet=subnet.subnet_id)
                    )
                if subnet.subnet_id in owner:
                    raise _fail(
                        rid,
                        message(
                            "bundle.association.second",
                            subnet=subnet.subnet_id,
                            what=message(NOUNS[what]),
                            owner=owner[subnet.subnet_id],
                        ),
                        "Resource.AlreadyAssociated",
                    )
                owner[subnet.subnet_id] = rid


def _check_interfaces(topology: Topology) -> None:
    seen: dict[tuple[str, Any], str] = {}
    for eni in list(topology.network_interfaces.values()):
        subnet = topology.subnets.get(eni.subnet_id)
        if subnet is None:
            raise _fail(
                eni.network_interface_id,
                message("bundle.subnet_not_in_bundle", subnet=eni.subnet_id),
                "InvalidSubnetID.NotFound",
            )
        if eni.vpc_id != subnet.vpc_id:
            raise _fail(
                eni.network_interface_id,
                message("bundle.eni.other_vpc", vpc=eni.vpc_id, subnet_vpc=subnet.vpc_id),
            )
        for address in eni.addresses:
            if address not in subnet.cidr_block:
                raise _fail(
                    eni.network_interface_id,
                    message(
                        "bundle.eni.outside_subnet",
                        address=address,
                        subnet=subnet.subnet_id,
                        cidr=subnet.cidr_block,
                    ),
                )
            key = (eni.vpc_id, address)
            if key in seen:
                raise _fail(
                    eni.network_interface_id,
                    message("bundle.eni.address_in_use", address=address, other=seen[key]),
                    "InvalidIPAddress.InUse",
                )
            seen[key] = eni.network_interface_id


def check_rules(topology: Topology) -> None:
    """The rules every API call enforces, applied to a whole topology: block sizes, quotas,
    duplicates, self-peering. Each refusal has the code the API call would give, and names the
    first offending resource.

    Accepted although no API call creates them, because AWS itself does: the network ACLs'
    "*" entries (read as printed, see read.py), main route tables, default groups and NACLs,
    local routes. Not accepted: an account's raised quotas (the lab is a sandbox with AWS's
    default quotas, VPC UG: amazon-vpc-limits).
    """
    try:
        _check_rules(topology)
    except InvalidBundle:
        raise
    except AwsError as error:
        raise InvalidBundle(error.code, error.said(), resource_id=error.resource_id) from None


def _named(rid: str, check: Any, *args: Any, **kwargs: Any) -> None:
    try:
        check(*args, **kwargs)
    except AwsError as error:
        raise _fail(rid, error.said(), error.code) from None


def _check_rules(topology: Topology) -> None:
    vpcs = sorted(topology.vpcs.values(), key=lambda v: v.vpc_id)
    if vpcs:
        within_quota("vpcs", len(vpcs), where=vpcs[-1].vpc_id)
    for vpc in vpcs:
        within_quota("cidr_blocks_per_vpc", len(vpc.cidr_blocks), where=vpc.vpc_id)
        for block in vpc.cidr_blocks:
            _named(
                vpc.vpc_id, check_block_size, block, code="InvalidVpc.Range", what="VPC CIDR block"
            )
        _per_vpc(topology, vpc.vpc_id)
    for subnet in topology.subnets.values():
        _named(
            subnet.subnet_id,
            check_block_size,
            subnet.cidr_block,
            code="InvalidSubnet.Range",
            what="subnet CIDR block",
        )
    for rtb in topology.route_tables.values():
        within_quota("routes_per_table", len(rtb.routes), where=rtb.route_table_id)
        seen: set[Any] = set()
        for route in rtb.routes:
            if route.destination in seen:
                raise _fail(
                    rtb.route_table_id,
                    message("bundle.route.twice", destination=route.destination),
                    "RouteAlreadyExists",
                )
            seen.add(route.destination)
    for acl in topology.network_acls.values():
        for egress in (False, True):
            numbers = [
                e.rule_number
                for e in acl.entries
                if e.egress == egress and e.rule_number != DEFAULT_DENY_RULE
            ]
            within_quota("nacl_rules_per_direction", len(numbers), where=acl.network_acl_id)
            twice = sorted({n for n in numbers if numbers.count(n) > 1})
            if twice:
                raise _fail(
                    acl.network_acl_id,
                    message(
                        "bundle.nacl.number_twice",
                        direction=message("word.outbound" if egress else "word.inbound"),
                        number=twice[0],
                    ),
                    "NetworkAclEntryAlreadyExists",
                )
    within_quota("security_groups", len(topology.security_groups))
    for sg in topology.security_groups.values():
        for rules in (sg.ingress, sg.egress):
            within_quota("rules_per_sg", len(rules), where=sg.group_id)
            for index, rule in enumerate(rules):
                if any(same_rule(rule, other) for other in rules[:index]):
                    raise _fail(
                        sg.group_id,
                        message("bundle.security_group.rule_twice"),
                        "InvalidPermission.Duplicate",
                    )
    within_quota("enis", own_interfaces(topology))
    for eni in topology.network_interfaces.values():
        within_quota("sgs_per_eni", len(set(eni.groups)), where=eni.network_interface_id)
    if topology.addresses:
        within_quota("eips", len(topology.addresses), where=max(topology.addresses))
    per_zone: Counter[str] = Counter()
    for nat in sorted(topology.nat_gateways.values(), key=lambda n: n.nat_gateway_id):
        nat_subnet = topology.subnets.get(nat.subnet_id)
        if nat.state == "available" and nat_subnet is not None:
            zone = nat_subnet.availability_zone
            per_zone[zone] += 1
            within_quota("nat_gateways_per_az", per_zone[zone], where=nat.nat_gateway_id)
    for pcx in topology.peerings.values():
        if pcx.requester_vpc_id == pcx.accepter_vpc_id:
            raise _fail(
                pcx.vpc_peering_connection_id,
                message("bundle.peering.self"),
                "InvalidParameterValue",
            )


def _per_vpc(topology: Topology, vpc_id: str) -> None:
    for quota, kind in (
        ("subnets_per_vpc", "subnet"),
        ("route_tables_per_vpc", "route-table"),
        ("nacls_per_vpc", "network-acl"),
    ):
        count = sum(1 for r in topology.resources[kind].values() if r.vpc_id == vpc_id)
        within_quota(quota, count, where=vpc_id)

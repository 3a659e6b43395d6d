"""Reading the describe-* bundle: AWS CLI JSON in, engine resources out, tolerant of real exports.

Fields the lab does not model are ignored; IPv6 entries are skipped (the lab models IPv4); CIDR
blocks in state ``disassociated`` are ignored; routes to targets we do not model are kept.
A value of the wrong shape raises ``InvalidBundle`` naming the resource.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from functools import partial
from ipaddress import IPv4Address, IPv4Network, ip_address, ip_network
from typing import Any

from ..defaults import DEFAULT_DENY_RULE
from ..errors import AwsError
from ..kinds import KINDS
from ..messages import Message, message, text
from ..model import (
    MODELLED_TARGETS,
    Address,
    Attachment,
    DhcpOptions,
    Instance,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    NetworkAclAssociation,
    NetworkAclEntry,
    NetworkInterface,
    PrivateIpAddress,
    Route,
    RouteTable,
    RouteTableAssociation,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Tags,
    Vpc,
    VpcPeeringConnection,
)
from ..operations._rules import parse_tags
from ..operations.dhcp_options import parse_configurations
from ..operations.network_acl import parse_entry
from ..operations.security_group import protocol_and_ports

# The longest id the lab stores (AWS's are at most ~30); the database columns hold 64 on every
# engine, so a longer one is refused here rather than deep inside one database and not another.
MAX_ID_LENGTH = 64


class InvalidBundle(AwsError):
    """A bundle that cannot be imported; ``resource_id`` names the offending resource."""


# ---- the import's refusals, as messages (the faces say them in the reader's language) --------
# A refusal about one resource reads "<resource id>: <what is wrong>" (error.where), so the
# sentences below start in lower case, as they always did in English.
text("bundle.not_a_bundle_object", "A bundle must be a JSON object.")
text("bundle.key_not_a_list", "The bundle key {key} must be a list.")
text("bundle.entries_not_objects", "{key} entries must be objects.")
text("bundle.not_an_object", "{resource} must be a JSON object.")
text("bundle.field.missing", "the field {field} is missing.")
text("bundle.field.not_a_string", "the field {field} must be a string.")
text("bundle.field.not_a_boolean", "the field {field} must be true or false.")
text("bundle.field.not_a_number", "the field {field} must be a whole number.")
text("bundle.field.not_a_list", "the field {field} must be a list.")
text("bundle.field.not_an_object", "the field {field} must be an object.")
text("bundle.field.not_objects", "{field} must be a list of objects, as describe-* prints it.")
text("bundle.field.vpc_missing", "{field}.VpcId is missing.")
text("bundle.id.invalid", "{field} must be 1 to {limit} printable characters, as AWS ids are.")
text("bundle.network.not_a_string", "the {what} must be a string such as 10.0.0.0/16, not {value}.")
text("bundle.address.not_a_string", "the {what} must be a string such as 10.0.0.5, not {value}.")
text("bundle.not_valid", "{value} is not a valid IPv4 {what}.")
text("bundle.not_ipv4", "{value} is not an IPv4 {what}.")
text("bundle.route.no_target", "the route to {destination} has no target.")
text("bundle.nacl.rule_action", "RuleAction must be 'allow' or 'deny'.")
text("bundle.nacl.entries_not_objects", "Entries must be objects.")
text("bundle.eni.no_private_ip", "the network interface has no private IP address.")
WHATS = {  # what a value is, as words to translate
    "CIDR block": "what.cidr_block",  # declared in addressing.py
    "CIDR": "what.cidr",
    "route destination": text("what.route_destination", "route destination"),
    "address": text("what.address", "address"),
    "private IP": text("what.private_ip", "private IP"),
    "public IP": text("what.public_ip", "public IP"),
    "NAT gateway private IP": text("what.nat_gateway_private_ip", "NAT gateway private IP"),
    "NAT gateway public IP": text("what.nat_gateway_public_ip", "NAT gateway public IP"),
}


def _what(what: str) -> Message:
    return message(WHATS[what])


def refused(code: str, rid: str, said: Message | str) -> InvalidBundle:
    """The import's refusal of the resource ``rid``: ``<rid>: <said>``, naming it in the body."""
    return InvalidBundle(code, message("error.where", where=rid, error=said), resource_id=rid)


PROTOCOL_NUMBERS = {"tcp": "6", "udp": "17", "icmp": "1", "-1": "-1", "all": "-1"}


class _Reader:
    """Field access that names the resource in every error."""

    def __init__(self, data: Any, rid: str) -> None:
        if not isinstance(data, dict):
            raise InvalidBundle(
                "InvalidParameterValue",
                message("bundle.not_an_object", resource=rid),
                resource_id=rid,
            )
        self.data = data
        self.rid = rid

    def fail(self, said: Message | str, code: str = "InvalidParameterValue") -> InvalidBundle:
        return refused(code, self.rid, said)

    def string(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(message("bundle.field.missing", field=key), "MissingParameter")
        if not isinstance(value, str):
            raise self.fail(message("bundle.field.not_a_string", field=key))
        return value

    def id_of(self, key: str, code: str) -> str:
        """A string naming another resource by id, held to the ids' own rule (``_items``)."""
        value = self.string(key)
        if len(value) > MAX_ID_LENGTH or not value.isprintable():
            raise self.fail(message("bundle.id.invalid", field=key, limit=MAX_ID_LENGTH), code)
        return value

    def opt_text(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise self.fail(message("bundle.field.not_a_string", field=key))
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(message("bundle.field.not_a_boolean", field=key))
        return value

    def number(self, key: str, default: int | None = None) -> int | None:
        value = self.data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(message("bundle.field.not_a_number", field=key))
        return value

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key) or []
        if not isinstance(value, list):
            raise self.fail(message("bundle.field.not_a_list", field=key))
        return value

    def obj(self, key: str) -> dict[str, Any] | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(message("bundle.field.not_an_object", field=key))
        return value

    def network(self, value: Any, what: str) -> IPv4Network:
        if not isinstance(value, str):
            raise self.fail(
                message("bundle.network.not_a_string", what=_what(what), value=repr(value))
            )
        try:
            network = ip_network(value, strict=True)
        except (ValueError, TypeError):
            raise self.fail(
                message("bundle.not_valid", value=repr(value), what=_what(what))
            ) from None
        if not isinstance(network, IPv4Network):
            raise self.fail(message("bundle.not_ipv4", value=repr(value), what=_what(what)))
        return network

    def address(self, value: Any, what: str = "address") -> IPv4Address:
        if not isinstance(value, str):
            raise self.fail(
                message("bundle.address.not_a_string", what=_what(what), value=repr(value))
            )
        try:
            address = ip_address(value)
        except (ValueError, TypeError):
            raise self.fail(
                message("bundle.not_valid", value=repr(value), what=_what(what))
            ) from None
        if not isinstance(address, IPv4Address):
            raise self.fail(message("bundle.not_ipv4", value=repr(value), what=_what(what)))
        return address

    def tags(self, key: str = "Tags") -> Tags:
        """Tags checked as every create call checks them (keys 1-128, values 256 characters)."""
        return self.checked(parse_tags, self.items(key))

    def checked(self, check: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one of the operations' own checks; its refusal names this resource."""
        try:
            return check(*args, **kwargs)
        except AwsError as error:
            raise self.fail(error.said(), error.code) from None


def _text_in(r: _Reader, data: Any, key: str) -> str | None:
    """A string field of an object nested in a resource (None when absent or empty); any other
    shape is refused naming the resource (``_Reader.opt_text`` on the nested object)."""
    return _Reader(data, r.rid).opt_text(key) if isinstance(data, dict) else None


def _object_in(r: _Reader, data: Any, key: str) -> dict[str, Any]:
    """An object nested in a resource ({} when absent); any other shape is refused."""
    return (_Reader(data, r.rid).obj(key) or {}) if isinstance(data, dict) else {}


def _state(value: Any, field: str, default: str) -> str:
    """A state as exports print it: ``{"State": "associated"}``, or a bare string; any case.

    Real exports vary here (hand-trimmed ones print the bare string, some tools capitalise:
    "Available"); AWS's own values are lower case, so the lab compares them lower-cased.
    """
    if isinstance(value, dict):
        value = value.get(field)
    return value.lower() if isinstance(value, str) and value else default


def _items(bundle: dict[str, Any], key: str, id_field: str) -> Iterable[_Reader]:
    value = bundle.get(key) or []
    if not isinstance(value, list):
        raise InvalidBundle("InvalidParameterValue", message("bundle.key_not_a_list", key=key))
    for position, item in enumerate(value):
        rid = item.get(id_field) if isinstance(item, dict) else None
        named = isinstance(rid, str) and 0 < len(rid) <= MAX_ID_LENGTH
        reader = _Reader(item, rid if named and isinstance(rid, str) else f"{key}[{position}]")
        if not isinstance(rid, str) or not rid:
            raise reader.fail(message("bundle.field.missing", field=id_field), "MissingParameter")
        if not named or not rid.isprintable():
            raise reader.fail(message("bundle.id.invalid", field=id_field, limit=MAX_ID_LENGTH))
        yield reader


def read_dhcp_options(r: _Reader) -> DhcpOptions:
    """Checked as CreateDhcpOptions checks its parameters: one rule for the API and the import."""
    try:
        configurations = parse_configurations(r.items("DhcpConfigurations"))
    except AwsError as error:
        raise r.fail(error.said(), error.code) from None
    return DhcpOptions(dhcp_options_id=r.rid, configurations=configurations, tags=r.tags())


def read_vpc(r: _Reader) -> Vpc:
    blocks: list[IPv4Network] = []
    assoc_ids: list[str] = []
    for assoc in r.items("CidrBlockAssociationSet"):
        if not isinstance(assoc, dict):
            raise r.fail(message("bundle.entries_not_objects", key="CidrBlockAssociationSet"))
        state = _state(assoc.get("CidrBlockState"), "State", "associated")
        if state in ("disassociated", "disassociating", "failed", "failing"):
            continue
        blocks.append(r.network(assoc.get("CidrBlock"), "CIDR block"))
        assoc_ids.append(_text_in(r, assoc, "AssociationId") or "")
    primary = r.network(r.string("CidrBlock"), "CIDR block")
    if primary not in blocks:
        blocks.insert(0, primary)
        assoc_ids.insert(0, "")
    elif blocks[0] != primary:
        i = blocks.index(primary)
        blocks.insert(0, blocks.pop(i))
        assoc_ids.insert(0, assoc_ids.pop(i))
    is_default = r.flag("IsDefault", False)
    dhcp = r.opt_text("DhcpOptionsId")
    return Vpc(
        vpc_id=r.rid,
        cidr_blocks=tuple(blocks),
        cidr_association_ids=tuple(assoc_ids),
        is_default=is_default,
        enable_dns_support=r.flag("EnableDnsSupport", True),
        enable_dns_hostnames=r.flag("EnableDnsHostnames", is_default),
        instance_tenancy=r.string("InstanceTenancy", "default"),
        # "default" is AWS's word for no DHCP options at all (API_AssociateDhcpOptions).
        dhcp_options_id=None if dhcp in (None, "default") else dhcp,
        tags=r.tags(),
    )


def read_subnet(r: _Reader) -> Subnet:
    return Subnet(
        subnet_id=r.rid,
        vpc_id=r.string("VpcId"),
        cidr_block=r.network(r.string("CidrBlock"), "CIDR block"),
        availability_zone=r.string("AvailabilityZone"),
        map_public_ip_on_launch=r.flag("MapPublicIpOnLaunch", False),
        default_for_az=r.flag("DefaultForAz", False),
        tags=r.tags(),
    )


_TARGET_KEYS = (
    ("NatGatewayId", "nat-gateway"),
    ("InstanceId", "instance"),
    ("NetworkInterfaceId", "network-interface"),
    ("VpcPeeringConnectionId", "vpc-peering-connection"),
    ("TransitGatewayId", "transit-gateway"),
    ("EgressOnlyInternetGatewayId", "egress-only-internet-gateway"),
    ("CarrierGatewayId", "carrier-gateway"),
    ("LocalGatewayId", "local-gateway"),
    ("CoreNetworkArn", "core-network"),
)


def _route_target(r: _Reader, route: dict[str, Any]) -> tuple[str, str]:
    gateway = route.get("GatewayId")
    if gateway == "local":
        return "local", "local"
    if isinstance(gateway, str) and gateway.startswith("igw-"):
        return "internet-gateway", gateway
    for key, kind in _TARGET_KEYS:
        value = route.get(key)
        if isinstance(value, str) and value:
            return kind, value
    if isinstance(gateway, str) and gateway:
        return "gateway", gateway
    raise r.fail(
        message("bundle.route.no_target", destination=str(route.get("DestinationCidrBlock")))
    )


def read_route_table(r: _Reader) -> RouteTable:
    routes: list[Route] = []
    for route in r.items("Routes"):
        if not isinstance(route, dict):
            raise r.fail(message("bundle.entries_not_objects", key="Routes"))
        if "DestinationCidrBlock" not in route:
            continue  # IPv6 or prefix-list destinations: not modelled
        kind, target = _route_target(r, route)
        state = route.get("State")
        routes.append(
            Route(
                destination=r.network(route["DestinationCidrBlock"], "route destination"),
                target_type=kind,
                target_id=target,
                origin=str(
                    route.get("Origin")
                    or ("CreateRouteTable" if kind == "local" else "CreateRoute")
                ),
                # Modelled targets derive their state from the topology (routing.route_state).
                imported_state=str(state)
                if isinstance(state, str) and kind not in MODELLED_TARGETS
                else None,
            )
        )
    associations: list[RouteTableAssociation] = []
    for assoc in r.items("Associations"):
        if not isinstance(assoc, dict):
            raise r.fail(message("bundle.entries_not_objects", key="Associations"))
        state = _state(assoc.get("AssociationState"), "State", "associated")
        if state not in ("associated", "associating"):
            continue
        subnet_id = _text_in(r, assoc, "SubnetId")
        if _text_in(r, assoc, "GatewayId") and not subnet_id:
            continue  # edge association (later scope)
        associations.append(
            RouteTableAssociation(
                association_id=_text_in(r, assoc, "RouteTableAssociationId") or "",
                subnet_id=subnet_id,
                main=bool(assoc.get("Main", False)),
            )
        )
    return RouteTable(
        route_table_id=r.rid,
        vpc_id=r.string("VpcId"),
        routes=tuple(routes),
        associations=tuple(associations),
        tags=r.tags(),
    )


def read_internet_gateway(r: _Reader) -> InternetGateway:
    vpc_id = None
    for attachment in r.items("Attachments"):
        if isinstance(attachment, dict) and _state(attachment, "State", "available") in (
            "available",
            "attached",
            "attaching",
        ):
            vpc_id = _text_in(r, attachment, "VpcId")
    return InternetGateway(internet_gateway_id=r.rid, vpc_id=vpc_id, tags=r.tags())


def read_nat_gateway(r: _Reader) -> NatGateway:
    addresses = [a for a in r.items("NatGatewayAddresses") if isinstance(a, dict)]
    primary = next(
        (a for a in addresses if a.get("IsPrimary", True)), addresses[0] if addresses else {}
    )
    private_ip = primary.get("PrivateIp")
    state = _state(r.data, "State", "available")
    return NatGateway(
        nat_gateway_id=r.rid,
        subnet_id=r.string("SubnetId"),
        vpc_id=r.string("VpcId"),
        network_interface_id=_text_in(r, primary, "NetworkInterfaceId") or "",
        private_ip=r.address(private_ip, "NAT gateway private IP")
        if private_ip
        else IPv4Address(0),
        connectivity_type=r.string("ConnectivityType", "public"),
        allocation_id=_text_in(r, primary, "AllocationId"),
        public_ip=r.address(primary["PublicIp"], "NAT gateway public IP")
        if primary.get("PublicIp")
        else None,
        state=state,
        tags=r.tags(),
    )


def _read_permissions(r: _Reader, key: str) -> tuple[SecurityGroupRule, ...]:
    rules: list[SecurityGroupRule] = []
    for perm in r.items(key):
        if not isinstance(perm, dict):
            raise r.fail(message("bundle.entries_not_objects", key=key))
        protocol, low, high = r.checked(protocol_and_ports, perm)
        base = SecurityGroupRule(protocol=protocol, from_port=low, to_port=high)
        rule = partial(dataclasses.replace, base)

        for ip_range in _objects(r, perm, "IpRanges"):
            rules.append(
                rule(
                    cidr=r.network(ip_range.get("CidrIp"), "CIDR"),
                    description=_text_in(r, ip_range, "Description"),
                )
            )
        for pair in _objects(r, perm, "UserIdGroupPairs"):
            rules.append(
                rule(
                    group_id=_text_in(r, pair, "GroupId") or "",
                    description=_text_in(r, pair, "Description"),
                )
            )
        for prefix_list in _objects(r, perm, "PrefixListIds"):
            rules.append(
                rule(
                    prefix_list_id=_text_in(r, prefix_list, "PrefixListId") or "",
                    description=_text_in(r, prefix_list, "Description"),
                )
            )
    return tuple(rules)


def _objects(r: _Reader, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """A list of objects inside a resource; anything else is refused naming the resource."""
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise r.fail(message("bundle.field.not_objects", field=key))
    return value


def read_security_group(r: _Reader) -> SecurityGroup:
    return SecurityGroup(
        group_id=r.rid,
        group_name=r.string("GroupName", r.rid),
        vpc_id=r.string("VpcId"),
        description=r.string("Description", ""),
        ingress=_read_permissions(r, "IpPermissions"),
        egress=_read_permissions(r, "IpPermissionsEgress"),
        tags=r.tags(),
    )


def _pair(
    r: _Reader, data: dict[str, Any], first: tuple[str, int], second: tuple[str, int]
) -> tuple[int, int]:
    """``PortRange`` or ``IcmpTypeCode`` as two whole numbers (named in the error otherwise)."""
    reader = _Reader(data, r.rid)
    return _number(reader, *first), _number(reader, *second)


def _number(reader: _Reader, key: str, default: int) -> int:
    value = reader.number(key, default)
    return default if value is None else value


def _default_entry(r: _Reader, entry: dict[str, Any]) -> NetworkAclEntry:
    reader = _Reader(entry, r.rid)
    action = reader.string("RuleAction", "deny").lower()
    if action not in ("allow", "deny"):
        raise r.fail(message("bundle.nacl.rule_action"))
    protocol = str(entry.get("Protocol", "-1")).lower()
    return NetworkAclEntry(
        rule_number=DEFAULT_DENY_RULE,
        egress=reader.flag("Egress", False),
        rule_action=action,
        protocol=PROTOCOL_NUMBERS.get(protocol, protocol),
        cidr=r.network(entry.get("CidrBlock"), "CIDR"),
    )


def read_network_acl(r: _Reader) -> NetworkAcl:
    entries: list[NetworkAclEntry] = []
    for entry in r.items("Entries"):
        if not isinstance(entry, dict):
            raise r.fail(message("bundle.nacl.entries_not_objects"))
        if "CidrBlock" not in entry:
            continue  # IPv6 entry
        if entry.get("RuleNumber") == DEFAULT_DENY_RULE:
            # AWS's own "*" entries (32767): no API call creates them, so no call's check
            # applies; they are read as printed.
            entries.append(_default_entry(r, entry))
            continue
        entries.append(
            r.checked(
                parse_entry,
                rule_number=entry.get("RuleNumber"),
                egress=entry.get("Egress", False),
                rule_action=entry.get("RuleAction"),
                protocol=entry.get("Protocol", "-1"),
                cidr_block=entry.get("CidrBlock"),
                port_range=entry.get("PortRange"),
                icmp_type_code=entry.get("IcmpTypeCode"),
            )
        )
    associations = tuple(
        NetworkAclAssociation(
            association_id=_text_in(r, a, "NetworkAclAssociationId") or "",
            subnet_id=_text_in(r, a, "SubnetId") or "",
        )
        for a in r.items("Associations")
        if isinstance(a, dict) and a.get("SubnetId")
    )
    return NetworkAcl(
        network_acl_id=r.rid,
        vpc_id=r.string("VpcId"),
        is_default=r.flag("IsDefault", False),
        entries=tuple(sorted(entries, key=lambda e: (e.egress, e.rule_number))),
        associations=associations,
        tags=r.tags(),
    )


def read_network_interface(
    r: _Reader,
    eip_public_ips: set[str],
    *,
    instance_id: str | None = None,
    subnet_fallback: str | None = None,
    vpc_fallback: str | None = None,
) -> NetworkInterface:
    private_ips: list[PrivateIpAddress] = []
    primary_text = r.opt_text("PrivateIpAddress")
    for entry in r.items("PrivateIpAddresses"):
        if not isinstance(entry, dict):
            raise r.fail(message("bundle.entries_not_objects", key="PrivateIpAddresses"))
        address = r.address(entry.get("PrivateIpAddress"), "private IP")
        association = _object_in(r, entry, "Association")
        public = _text_in(r, association, "PublicIp")
        is_eip = bool(association.get("AllocationId")) or public in eip_public_ips
        private_ips.append(
            PrivateIpAddress(
                address=address,
                primary=bool(entry.get("Primary", str(address) == primary_text)),
                public_ip=r.address(public, "public IP") if public and not is_eip else None,
            )
        )
    if not private_ips:
        if primary_text is None:
            raise r.fail(message("bundle.eni.no_private_ip"), "MissingParameter")
        association = r.obj("Association") or {}
        public = _text_in(r, association, "PublicIp")
        private_ips.append(
            PrivateIpAddress(
                address=r.address(primary_text, "private IP"),
                primary=True,
                public_ip=r.address(public, "public IP")
                if public and not association.get("AllocationId") and public not in eip_public_ips
                else None,
            )
        )
    if not any(ip.primary for ip in private_ips):
        private_ips[0] = PrivateIpAddress(private_ips[0].address, True, private_ips[0].public_ip)
    attachment = None
    attach = r.obj("Attachment")
    if attach is None and _state(r.data.get("Status"), "Status", "") == "in-use":
        # describe-network-interfaces prints "Status": "in-use" for an attached interface; some
        # exports (and service-managed interfaces) leave the Attachment object out. In use is
        # attached (EC2 API reference: NetworkInterface, Status "available | in-use | …").
        attach = {"Status": "attached"}
    if attach is not None and _state(attach, "Status", "attached") in ("attached", "attaching"):
        attach_reader = _Reader(attach, r.rid)
        attachment = Attachment(
            attachment_id=str(attach.get("AttachmentId") or ""),
            device_index=attach_reader.number("DeviceIndex", 0) or 0,
            instance_id=attach_reader.opt_text("InstanceId") or instance_id,
            status=_state(attach, "Status", "attached"),
            delete_on_termination=attach_reader.flag("DeleteOnTermination", True),
        )
    groups = tuple(str(g.get("GroupId")) for g in r.items("Groups") if isinstance(g, dict))
    return NetworkInterface(
        network_interface_id=r.rid,
        subnet_id=r.opt_text("SubnetId") or subnet_fallback or r.string("SubnetId"),
        vpc_id=r.opt_text("VpcId") or vpc_fallback or r.string("VpcId"),
        availability_zone=str(r.data.get("AvailabilityZone") or ""),
        private_ip_addresses=tuple(private_ips),
        groups=groups,
        source_dest_check=r.flag("SourceDestCheck", True),
        attachment=attachment,
        interface_type=r.string("InterfaceType", "interface"),
        description=r.string("Description", ""),
        requester_managed=r.flag("RequesterManaged", False),
        mac_address=r.string("MacAddress", ""),
        tags=r.tags("TagSet") or r.tags("Tags"),
    )


def read_instance(r: _Reader, reservation_id: str) -> Instance:
    state = _state(r.data.get("State"), "Name", "running")
    placement = r.obj("Placement") or {}
    return Instance(
        instance_id=r.rid,
        subnet_id=r.string("SubnetId"),
        # Stored as read (AWS derives it from the subnet) into a 64-character column.
        vpc_id=r.id_of("VpcId", "InvalidVpcID.Malformed"),
        state=str(state),
        instance_type=r.string("InstanceType", "t3.micro"),
        image_id=r.string("ImageId", "ami-0abcdef1234567890"),
        key_name=r.opt_text("KeyName"),
        availability_zone=str(placement.get("AvailabilityZone") or ""),
        reservation_id=reservation_id,
        # Not in describe-instances: our export writes it; a real export implies it from an
        # auto-assigned public address.
        associate_public_ip=r.flag(
            "AssociatePublicIpAddress", bool(r.data.get("PublicIpAddress")) and not _has_eip(r)
        ),
        tags=r.tags(),
    )


def _has_eip(r: _Reader) -> bool:
    for eni in r.items("NetworkInterfaces"):
        association = _object_in(r, eni, "Association")
        if association.get("AllocationId") or association.get("IpOwnerId") not in (None, "amazon"):
            return True
    return False


def read_address(r: _Reader) -> Address:
    private = r.opt_text("PrivateIpAddress")
    return Address(
        allocation_id=r.rid,
        public_ip=r.address(r.string("PublicIp"), "public IP"),
        association_id=r.opt_text("AssociationId"),
        network_interface_id=r.opt_text("NetworkInterfaceId"),
        private_ip=r.address(private, "private IP") if private else None,
        tags=r.tags(),
    )


def read_peering(r: _Reader) -> VpcPeeringConnection:
    def side(key: str) -> tuple[str, tuple[IPv4Network, ...], str | None]:
        info = r.obj(key) or {}
        blocks = [b.get("CidrBlock") for b in info.get("CidrBlockSet") or [] if isinstance(b, dict)]
        if not blocks and info.get("CidrBlock"):
            blocks = [info["CidrBlock"]]
        vpc_id = info.get("VpcId")
        if not isinstance(vpc_id, str):
            raise r.fail(message("bundle.field.vpc_missing", field=key), "MissingParameter")
        return (
            vpc_id,
            tuple(r.network(b, "CIDR block") for b in blocks),
            _text_in(r, info, "Region"),
        )

    requester, requester_cidrs, requester_region = side("RequesterVpcInfo")
    accepter, accepter_cidrs, accepter_region = side("AccepterVpcInfo")
    return VpcPeeringConnection(
        vpc_peering_connection_id=r.rid,
        requester_vpc_id=requester,
        accepter_vpc_id=accepter,
        status=_state(r.data.get("Status"), "Code", "active"),
        requester_cidrs=requester_cidrs,
        accepter_cidrs=accepter_cidrs,
        requester_region=requester_region,
        accepter_region=accepter_region,
        tags=r.tags(),
    )


_READ: dict[str, Callable[[_Reader], Any]] = {
    "dhcp-options": read_dhcp_options,
    "vpc": read_vpc,
    "subnet": read_subnet,
    "internet-gateway": read_internet_gateway,
    "route-table": read_route_table,
    "network-acl": read_network_acl,
    "security-group": read_security_group,
    "nat-gateway": read_nat_gateway,
    "vpc-peering-connection": read_peering,
}


def _interfaces_and_instances(
    bundle: dict[str, Any], eip_ips: set[str]
) -> tuple[dict[str, NetworkInterface], list[Instance]]:
    """ENIs from describe-network-interfaces and those nested in describe-instances."""
    enis = {
        r.rid: read_network_interface(r, eip_ips)
        for r in _items(bundle, "NetworkInterfaces", "NetworkInterfaceId")
    }
    instances: list[Instance] = []
    reservations = bundle.get("Reservations") or []
    if not isinstance(reservations, list):
        raise InvalidBundle(
            "InvalidParameterValue", message("bundle.key_not_a_list", key="Reservations")
        )
    for reservation in reservations:
        if not isinstance(reservation, dict):
            raise InvalidBundle(
                "InvalidParameterValue", message("bundle.entries_not_objects", key="Reservations")
            )
        reservation_id = str(reservation.get("ReservationId") or "")
        for r in _items(reservation, "Instances", "InstanceId"):
            if not r.data.get("SubnetId"):
                continue  # a terminated instance of a real export: it holds nothing any more
            instance = read_instance(r, reservation_id)
            instances.append(instance)
            nested_enis = _items(r.data, "NetworkInterfaces", "NetworkInterfaceId")
            for position, nested in enumerate(nested_enis):
                known = enis.get(nested.rid)
                if known is not None and known.instance_id:
                    continue
                eni = known or read_network_interface(
                    nested,
                    eip_ips,
                    instance_id=instance.instance_id,
                    subnet_fallback=instance.subnet_id,
                    vpc_fallback=instance.vpc_id,
                )
                if eni.instance_id is None:
                    # Listed under the instance by describe-instances, yet printed without its
                    # attachment (or, by describe-network-interfaces, without the instance):
                    # the instance's own record says it is attached to it.
                    nested_attach = (nested.obj("Attachment") or {}).get("DeviceIndex")
                    index = nested_attach if isinstance(nested_attach, int) else position
                    eni = dataclasses.replace(
                        eni, attachment=Attachment("", index, instance_id=instance.instance_id)
                    )
                enis[nested.rid] = eni
    return enis, instances


def read_bundle(bundle: Any) -> list[Any]:
    """Every resource of a bundle, in dependency order; instances bring their nested ENIs.

    Instances without a subnet (terminated ones in real exports) are skipped: they hold nothing.
    """
    if not isinstance(bundle, dict):
        raise InvalidBundle("InvalidParameterValue", message("bundle.not_a_bundle_object"))
    addresses = [read_address(r) for r in _items(bundle, "Addresses", "AllocationId")]
    enis, instances = _interfaces_and_instances(bundle, {str(a.public_ip) for a in addresses})
    read_already: dict[str, list[Any]] = {
        "network-interface": list(enis.values()),
        "instance": instances,
        "address": addresses,
    }
    resources: list[Any] = []
    for kind in KINDS:
        if kind.name in read_already:
            resources.extend(read_already[kind.name])
        else:
            reader = _READ[kind.name]
            resources.extend(reader(r) for r in _items(bundle, kind.bundle_key, kind.describe_id))
    return resources

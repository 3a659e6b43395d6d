"""Resolving an analysis request: which ENI or host each end is, and the first packet's header."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any

from .errors import AwsError
from .messages import Message, message, text
from .model import Address, Instance, NetworkInterface
from .packet import ICMP_ECHO_REQUEST, Header
from .services import LINK_LOCAL, Service, service_at
from .topology import Topology

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.request._address_endpoint.InvalidParameterValue",
    "{address} is the {title}: it answers, it never starts a connection. Choose an instance as "
    "the source.",
)
text(
    "error.request._address_endpoint.InvalidParameterValue.2",
    "The Elastic IP {address} is not associated with anything, so nothing sends from it.",
)
text("error.request._eni_endpoint.InvalidParameterValue", "{chosen} is not an address of {label}.")
text(
    "error.request._parse_ip.InvalidParameterValue",
    "{what} must be an IPv4 address written as a string.",
)
text(
    "error.request._parse_ip.InvalidParameterValue.2",
    "{what} '{value}' is not a valid IPv4 address.",
)
text("error.request._port.InvalidParameterValue", "{what} must be a whole number from 0 to 65535.")
text(
    "error.request.resolve_endpoint.InvalidParameterValue",
    "The {role} must be an instance id, a network interface id, 'internet' or an IPv4 address.",
)
text(
    "error.request.resolve_endpoint.InvalidParameterValue.2",
    "Instance {instance_id} has no network interface.",
)
text(
    "error.request.resolve_endpoint.InvalidParameterValue.3",
    "An internet gateway cannot be the source; use 'internet' instead.",
)
text(
    "error.request.resolve_endpoint.InvalidParameterValue.4",
    "{chosen} is not an address of instance {value}.",
)
text(
    "error.request.resolve_request.InvalidParameterValue",
    "The analysis request must be a JSON object.",
)
text(
    "error.request.resolve_request.InvalidParameterValue.2",
    "protocol must be one of tcp, udp or icmp.",
)
text(
    "error.request.resolve_request.InvalidParameterValue.3",
    "At least one end must be inside the topology: both the source and the destination are "
    "hosts outside it.",
)
text(
    "error.request.resolve_request.InvalidParameterValue.4",
    "The source and the destination are the same network interface.",
)
text(
    "error.request.resolve_request.MissingParameter", "destination_port is required for {protocol}."
)

# Documented defaults (api-contract "Analyses"): the seeds' "my PC" as the internet source,
# a well-known public resolver as the internet destination, and an ephemeral client port that
# lies inside the Linux (32768-60999), Windows (49152-65535) and NAT (1024-65535) ranges.
DEFAULT_INTERNET_SOURCE = IPv4Address("203.0.113.5")
DEFAULT_INTERNET_DESTINATION = IPv4Address("8.8.8.8")
DEFAULT_SOURCE_PORT = 49152
PROTOCOLS = ("tcp", "udp", "icmp")

ROLES = {
    "source": text("word.source", "source"),
    "destination": text("word.destination", "destination"),
}


def _role(role: str) -> Message | str:
    return message(ROLES[role]) if role in ROLES else role


@dataclass(frozen=True)
class Endpoint:
    """One end of the path: an ENI of the topology (``eni`` set) or a host outside it.

    ``address`` is the address this end uses on the wire inside its VPC (the private IP of an
    ENI, or the host's address); ``public_ip`` is the public address through which an internet
    peer reaches an ENI; ``via_igw`` names an IGW the path must leave through; ``service`` is an
    AWS-provided service (the Amazon DNS server, instance metadata, Time Sync).
    """

    label: str
    address: IPv4Address
    eni: NetworkInterface | None = None
    instance: Instance | None = None
    public_ip: IPv4Address | None = None
    unassociated_eip: Address | None = None
    via_igw: str | None = None
    service: Service | None = None

    @property
    def inside(self) -> bool:
        return self.eni is not None


@dataclass(frozen=True)
class ResolvedRequest:
    source: Endpoint
    destination: Endpoint
    header: Header
    echo: dict[str, Any]


def _bad(said: Message) -> AwsError:
    return AwsError("InvalidParameterValue", said)


def _parse_ip(value: Any, what: str) -> IPv4Address | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _bad(message("error.request._parse_ip.InvalidParameterValue", what=what))
    try:
        return IPv4Address(value.strip())
    except ValueError:
        raise _bad(
            message("error.request._parse_ip.InvalidParameterValue.2", what=what, value=value)
        ) from None


def _port(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 65535:
        raise _bad(message("error.request._port.InvalidParameterValue", what=what))
    return value


def _eni_endpoint(
    topology: Topology,
    label: str,
    eni: NetworkInterface,
    chosen: IPv4Address | None,
    *,
    reached_from_internet: bool,
) -> Endpoint:
    """An ENI end; ``chosen`` picks one of its private IPs or the public IP mapped to one."""
    instance = topology.instances.get(eni.instance_id or "")
    public: IPv4Address | None = None
    if chosen is None:
        private = eni.primary_ip
    elif chosen in eni.addresses:
        private = chosen
    else:
        mapped = next((p for p in eni.addresses if topology.public_ip_of(eni, p) == chosen), None)
        if mapped is None:
            raise _bad(
                message(
                    "error.request._eni_endpoint.InvalidParameterValue", chosen=chosen, label=label
                )
            )
        private, public = mapped, chosen
    if public is None and reached_from_internet:
        public = topology.public_ip_of(eni, private)
    return Endpoint(label, private, eni, instance, public_ip=public)


def resolve_endpoint(
    topology: Topology,
    value: Any,
    chosen_ip: Any,
    *,
    role: str,
    other_is_internet: bool = False,
    near_vpc: str | None = None,
) -> Endpoint:
    """One end of the request, as the contract describes it."""
    if not isinstance(value, str) or not value.strip():
        raise _bad(
            message("error.request.resolve_endpoint.InvalidParameterValue", role=_role(role))
        )
    value = value.strip()
    chosen = _parse_ip(chosen_ip, f"{role}_ip")
    if value.startswith("i-"):
        instance = topology.get("instance", value)
        enis = topology.enis_of_instance(value)
        if chosen is not None:
            owner = next(
                (
                    e
                    for e in enis
                    if chosen in e.addresses
                    or any(topology.public_ip_of(e, p) == chosen for p in e.addresses)
                ),
                None,
            )
            if owner is None:
                raise _bad(
                    message(
                        "error.request.resolve_endpoint.InvalidParameterValue.4",
                        chosen=chosen,
                        value=value,
                    )
                )
            return _eni_endpoint(
                topology, value, owner, chosen, reached_from_internet=other_is_internet
            )
        if not enis:
            raise AwsError(
                "InvalidParameterValue",
                message(
                    "error.request.resolve_endpoint.InvalidParameterValue.2",
                    instance_id=instance.instance_id,
                ),
            )
        return _eni_endpoint(
            topology, value, enis[0], None, reached_from_internet=other_is_internet
        )
    if value.startswith("eni-"):
        eni = topology.get("network-interface", value)
        return _eni_endpoint(topology, value, eni, chosen, reached_from_internet=other_is_internet)
    if value.startswith("igw-"):
        if role == "source":
            raise _bad(message("error.request.resolve_endpoint.InvalidParameterValue.3"))
        topology.get("internet-gateway", value)
        return Endpoint(value, chosen or DEFAULT_INTERNET_DESTINATION, via_igw=value)
    if value == "internet":
        default = DEFAULT_INTERNET_SOURCE if role == "source" else DEFAULT_INTERNET_DESTINATION
        return Endpoint("internet", chosen or default)
    address = _parse_ip(value, role)
    assert address is not None
    return _address_endpoint(topology, address, role=role, near_vpc=near_vpc)


def _address_endpoint(
    topology: Topology, address: IPv4Address, *, role: str, near_vpc: str | None
) -> Endpoint:
    owner = topology.owner_of_public_ip(address)
    if owner is not None:
        eni, private = owner
        instance = topology.instances.get(eni.instance_id or "")
        if role == "source":
            return Endpoint(str(address), private, eni, instance)
        return Endpoint(str(address), private, eni, instance, public_ip=address)
    for eip in topology.addresses.values():
        if eip.public_ip == address:
            if role == "source":
                raise _bad(
                    message(
                        "error.request._address_endpoint.InvalidParameterValue.2", address=address
                    )
                )
            return Endpoint(str(address), address, unassociated_eip=eip)
    vpc_order = sorted(topology.vpcs, key=lambda v: v != near_vpc)
    for vpc_id in vpc_order:
        holder = topology.eni_with_private_ip(vpc_id, address)
        if holder is not None:
            instance = topology.instances.get(holder.instance_id or "")
            return Endpoint(str(address), address, holder, instance)
    service = service_at(topology, address, near_vpc)
    if service is not None and role == "source":
        raise _bad(
            message(
                "error.request._address_endpoint.InvalidParameterValue",
                address=address,
                title=service.title_message,
            )
        )
    return Endpoint(str(address), address, service=service)


def resolve_request(topology: Topology, request: dict[str, Any]) -> ResolvedRequest:
    """Validate a request and fill in every default (``echo`` is the request as answered)."""
    if not isinstance(request, dict):
        raise _bad(message("error.request.resolve_request.InvalidParameterValue"))
    protocol = request.get("protocol", "tcp")
    if protocol not in PROTOCOLS:
        raise _bad(message("error.request.resolve_request.InvalidParameterValue.2"))
    src_value, dst_value = request.get("source"), request.get("destination")
    src_is_internet = src_value == "internet" or (
        isinstance(src_value, str) and _looks_public(topology, src_value)
    )
    dst_is_internet = dst_value == "internet" or (
        isinstance(dst_value, str)
        and (dst_value.startswith("igw-") or _looks_public(topology, dst_value))
    )
    source = resolve_endpoint(
        topology,
        src_value,
        request.get("source_ip"),
        role="source",
        other_is_internet=dst_is_internet,
    )
    near = source.eni.vpc_id if source.eni else None
    destination = resolve_endpoint(
        topology,
        dst_value,
        request.get("destination_ip"),
        role="destination",
        other_is_internet=src_is_internet,
        near_vpc=near,
    )
    if (
        not source.inside
        and not destination.inside
        and destination.unassociated_eip is None
        and destination.service is None
    ):
        raise _bad(message("error.request.resolve_request.InvalidParameterValue.3"))
    if (
        source.eni is not None
        and destination.eni is not None
        and source.eni.network_interface_id == destination.eni.network_interface_id
        and destination.public_ip is None
    ):
        raise _bad(message("error.request.resolve_request.InvalidParameterValue.4"))
    # An internet peer addresses an ENI by its public IP; without one it can only name the
    # private address, and the internet gateway will explain the drop.
    dst_address = destination.public_ip or destination.address
    if protocol == "icmp":
        icmp_type = _port(request.get("icmp_type"), "icmp_type")
        icmp_code = _port(request.get("icmp_code"), "icmp_code")
        header = Header(
            source.address,
            dst_address,
            "icmp",
            icmp_type=ICMP_ECHO_REQUEST if icmp_type is None else icmp_type,
            icmp_code=0 if icmp_code is None else icmp_code,
        )
    else:
        dport = _port(request.get("destination_port"), "destination_port")
        if dport is None:
            raise AwsError(
                "MissingParameter",
                message("error.request.resolve_request.MissingParameter", protocol=protocol),
            )
        sport = _port(request.get("source_port"), "source_port")
        header = Header(
            source.address,
            dst_address,
            protocol,
            source_port=DEFAULT_SOURCE_PORT if sport is None else sport,
            destination_port=dport,
        )
    echo: dict[str, Any] = {"source": src_value, "destination": dst_value, "protocol": protocol}
    echo.update({k: v for k, v in header.to_dict().items() if k != "protocol"})
    if source.public_ip is not None:
        echo["source_public_ip"] = str(source.public_ip)
    return ResolvedRequest(source, destination, header, echo)


def _looks_public(topology: Topology, value: str) -> bool:
    try:
        address = IPv4Address(value)
    except ValueError:
        return False
    if topology.owner_of_public_ip(address) is not None:
        return True
    from .addressing import is_private

    return (
        not is_private(address)
        and address not in LINK_LOCAL
        and not any(topology.eni_with_private_ip(v, address) for v in topology.vpcs)
    )

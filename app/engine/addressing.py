"""IPv4 addressing rules: CIDR sizes, the five reserved addresses, lowest-free assignment."""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, ip_network

from .errors import AwsError
from .messages import Message, message, text

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.addressing.check_block_size.error",
    "The {what} {network} is a /{prefixlen}; AWS allows sizes from /{MIN_PREFIX} (65,536 "
    "addresses) to /{MAX_PREFIX} (16 addresses).",
)
text(
    "error.addressing.check_block_size.error.2",
    "The {what} {network} overlaps 169.254.0.0/16, which AWS reserves.",
)
text(
    "error.addressing.check_requested_address.InvalidIPAddress.InUse",
    "Address {address} is already in use in subnet {subnet_id}.",
)
text(
    "error.addressing.check_requested_address.InvalidParameterValue",
    "Address {address} is not in subnet {subnet_id} ({subnet}).",
)
text(
    "error.addressing.check_requested_address.InvalidParameterValue.2",
    "Address {address} is one of the five addresses AWS reserves in {subnet} (network, router, "
    "DNS, future use, broadcast).",
)
text(
    "error.addressing.lowest_free.InsufficientFreeAddressesInSubnet",
    "Subnet {subnet_id} ({subnet}) has no free address left: all {value} usable addresses are "
    "in use.",
)
text("error.addressing.parse_address.error", "The {what} must be a string such as 10.0.1.11.")
text("error.addressing.parse_address.error.2", "'{value}' is not a valid IPv4 {what}.")
text(
    "error.addressing.parse_cidr.InvalidParameterValue",
    "'{value}' has host bits set; did you mean {network}?",
)
text("error.addressing.parse_cidr.error", "The {what} must be a string such as 10.0.0.0/16.")
text(
    "error.addressing.parse_cidr.error.2",
    "'{value}' is not an IPv4 {what}; the lab models IPv4 only.",
)
text("error.addressing.parse_cidr.error.3", "'{value}' is not a valid IPv4 {what}.")

LINK_LOCAL = IPv4Network("169.254.0.0/16")
RFC1918 = (IPv4Network("10.0.0.0/8"), IPv4Network("172.16.0.0/12"), IPv4Network("192.168.0.0/16"))
SHARED_ADDRESS_SPACE = IPv4Network("100.64.0.0/10")
AMAZON_DNS = IPv4Address("169.254.169.253")
INSTANCE_METADATA = IPv4Address("169.254.169.254")
MIN_PREFIX, MAX_PREFIX = 16, 28  # VPC and subnet sizes (VPC UG: vpc-cidr-blocks, subnet-sizing)


WHATS = {  # what the callers name, as words to translate
    "CIDR block": text("what.cidr_block", "CIDR block"),
    "CIDR": text("what.cidr", "CIDR"),
    "VPC CIDR block": text("what.vpc_cidr_block", "VPC CIDR block"),
    "destination CIDR block": text("what.destination_cidr_block", "destination CIDR block"),
    "private IP address": text("what.private_ip_address", "private IP address"),
    "subnet CIDR block": text("what.subnet_cidr_block", "subnet CIDR block"),
}


def _what(what: str) -> Message | str:
    return message(WHATS[what]) if what in WHATS else what


def is_private(address: IPv4Address) -> bool:
    """RFC 1918 or 100.64.0.0/10: what an internet gateway never sends to nor accepts from."""
    return any(address in net for net in RFC1918) or address in SHARED_ADDRESS_SPACE


def parse_cidr(value: object, *, what: str, code: str = "InvalidParameterValue") -> IPv4Network:
    """An IPv4 network from ``value``; host bits set is refused *(our choice)*.

    A value that is no IPv4 CIDR block at all (``10.0.0.0/33``, an IPv6 block, ``010.0.0.0/16``
    with a leading zero, ``nonsense``) is ``InvalidParameterValue`` whatever it is for: AWS
    answers CreateVpc and CreateSubnet so ("Value (…) for parameter cidrBlock is invalid. This
    is not a valid CIDR block."); ``InvalidVpc.Range`` and ``InvalidSubnet.Range`` are for
    well-formed blocks of a size or place AWS refuses (``check_block_size``). See
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html.

    >>> parse_cidr("10.0.0.0/16", what="CIDR block")
    IPv4Network('10.0.0.0/16')
    """
    if not isinstance(value, str):
        raise AwsError(code, message("error.addressing.parse_cidr.error", what=_what(what)))
    try:
        network = ip_network(value.strip(), strict=False)
    except ValueError:
        raise AwsError(
            code, message("error.addressing.parse_cidr.error.3", value=value, what=_what(what))
        ) from None
    if network.version != 4:
        raise AwsError(
            code, message("error.addressing.parse_cidr.error.2", value=value, what=_what(what))
        )
    if str(network.network_address) != value.strip().split("/")[0]:
        raise AwsError(
            "InvalidParameterValue",
            message(
                "error.addressing.parse_cidr.InvalidParameterValue", value=value, network=network
            ),
        )
    return IPv4Network(network)


def parse_address(
    value: object, *, code: str = "InvalidParameterValue", what: str = "IP address"
) -> IPv4Address:
    if not isinstance(value, str):
        raise AwsError(code, message("error.addressing.parse_address.error", what=_what(what)))
    try:
        return IPv4Address(value.strip())
    except ValueError:
        raise AwsError(
            code, message("error.addressing.parse_address.error.2", value=value, what=_what(what))
        ) from None


def check_block_size(network: IPv4Network, *, code: str, what: str) -> None:
    """VPC and subnet blocks are /16 to /28 (VPC UG: vpc-cidr-blocks)."""
    if not MIN_PREFIX <= network.prefixlen <= MAX_PREFIX:
        raise AwsError(
            code,
            message(
                "error.addressing.check_block_size.error",
                what=_what(what),
                network=network,
                prefixlen=network.prefixlen,
                MIN_PREFIX=MIN_PREFIX,
                MAX_PREFIX=MAX_PREFIX,
            ),
        )
    if network.overlaps(LINK_LOCAL):
        raise AwsError(
            code,
            message("error.addressing.check_block_size.error.2", what=_what(what), network=network),
        )


def reserved_addresses(subnet: IPv4Network) -> tuple[IPv4Address, ...]:
    """The five addresses AWS keeps in every subnet (VPC UG: subnet-sizing).

    Network (+0), VPC router (+1), DNS (+2), future use (+3), broadcast (last).
    >>> [str(a) for a in reserved_addresses(IPv4Network("192.168.1.0/24"))]
    ['192.168.1.0', '192.168.1.1', '192.168.1.2', '192.168.1.3', '192.168.1.255']
    """
    base = subnet.network_address
    return (base, base + 1, base + 2, base + 3, subnet.broadcast_address)


def usable_count(subnet: IPv4Network) -> int:
    """Size minus the five reserved addresses: a /24 has 251, a /28 has 11."""
    return subnet.num_addresses - 5


def is_reserved(subnet: IPv4Network, address: IPv4Address) -> bool:
    offset = int(address) - int(subnet.network_address)
    return offset <= 3 or address == subnet.broadcast_address


def check_requested_address(
    subnet: IPv4Network, address: IPv4Address, used: Iterable[IPv4Address], subnet_id: str
) -> None:
    """A fixed private IP must be inside the subnet, not reserved and free (EC2 UG)."""
    if address not in subnet:
        raise AwsError(
            "InvalidParameterValue",
            message(
                "error.addressing.check_requested_address.InvalidParameterValue",
                address=address,
                subnet_id=subnet_id,
                subnet=subnet,
            ),
        )
    if is_reserved(subnet, address):
        raise AwsError(
            "InvalidParameterValue",
            message(
                "error.addressing.check_requested_address.InvalidParameterValue.2",
                address=address,
                subnet=subnet,
            ),
        )
    if address in set(used):
        raise AwsError(
            "InvalidIPAddress.InUse",
            message(
                "error.addressing.check_requested_address.InvalidIPAddress.InUse",
                address=address,
                subnet_id=subnet_id,
            ),
        )


def lowest_free(subnet: IPv4Network, used: set[IPv4Address], subnet_id: str) -> IPv4Address:
    """The lowest address that is neither reserved nor used *(our choice: deterministic)*.

    >>> str(lowest_free(IPv4Network("10.0.1.0/24"), set(), "subnet-1"))
    '10.0.1.4'
    """
    first = int(subnet.network_address) + 4
    last = int(subnet.broadcast_address) - 1
    for value in range(first, last + 1):
        candidate = IPv4Address(value)
        if candidate not in used:
            return candidate
    raise AwsError(
        "InsufficientFreeAddressesInSubnet",
        message(
            "error.addressing.lowest_free.InsufficientFreeAddressesInSubnet",
            subnet_id=subnet_id,
            subnet=subnet,
            value=usable_count(subnet),
        ),
    )

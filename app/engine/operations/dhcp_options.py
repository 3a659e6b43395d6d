"""DHCP options sets: create, associate with a VPC (or "default": none), delete.

What a VPC's DHCP server hands its instances: the domain name that completes short host names,
the DNS and NTP servers, NetBIOS settings (VPC UG: DHCP option sets,
https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSet.html; EC2 API reference:
CreateDhcpOptions, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateDhcpOptions.html).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from ipaddress import IPv4Address
from typing import Any

from ..defaults import default_configuration
from ..messages import message, text
from ..model import AMAZON_PROVIDED_DNS, DhcpConfiguration, DhcpOptions, Vpc
from ..topology import Topology
from ._rules import parse_tags, refuse, require

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text("word.or_value", " or {value}")
text(
    "error.dhcp_options._check.InvalidParameterValue",
    "{key} takes at most {MAX_SERVERS} addresses.",
)
text(
    "error.dhcp_options._check.InvalidParameterValue.2",
    "The NetBIOS node type is one of 1, 2, 4 or 8 (AWS recommends 2).",
)
text(
    "error.dhcp_options._check.InvalidParameterValue.3",
    "The IPv6 preferred lease time is a number of seconds from 140 to 2147483647.",
)
text("error.dhcp_options._check.InvalidParameterValue.4", "'{domain}' is not a valid domain name.")
text(
    "error.dhcp_options._check.InvalidParameterValue.5",
    "'{value}' is not an IPv4 address; {key} takes IPv4 addresses{hint}.",
)
text("error.dhcp_options._values.InvalidParameterValue", "The option {key} needs a value.")
text("error.dhcp_options._values.InvalidParameterValue.2", "The values of {key} must be a list.")
text("error.dhcp_options._values.InvalidParameterValue.3", "Each value of {key} must be text.")
text(
    "error.dhcp_options.create_dhcp_options.ResourceLimitExceeded",
    "A region holds at most {MAX_SETS} DHCP options sets (AWS's default quota).",
)
text(
    "error.dhcp_options.delete_dhcp_options.DependencyViolation",
    "The DHCP options set '{dhcp_options_id}' is associated with {users}; associate another "
    "set (or 'default') with it first.",
)
text(
    "error.dhcp_options.parse_configurations.InvalidParameterValue",
    "'{item}' is not a DHCP option; use one of {KEYS}.",
)
text(
    "error.dhcp_options.parse_configurations.InvalidParameterValue.2",
    "The option {key} is given twice.",
)
text(
    "error.dhcp_options.parse_configurations.InvalidParameterValue.3",
    "Each DHCP option needs a Key and its Values.",
)
text(
    "error.dhcp_options.parse_configurations.MissingParameter",
    "A DHCP options set needs at least one option (DhcpConfigurations).",
)

# The options CreateDhcpOptions takes, in the order describe-dhcp-options prints them.
KEYS = (
    "domain-name",
    "domain-name-servers",
    "ntp-servers",
    "netbios-name-servers",
    "netbios-node-type",
    "ipv6-address-preferred-lease-time",
)
MAX_SERVERS = 4  # "The IP addresses of up to four …" (API_CreateDhcpOptions)
NETBIOS_NODE_TYPES = ("1", "2", "4", "8")
# VPC UG quotas (amazon-vpc-limits): "DHCP option sets per Region: 50". EC2 names no code of its
# own for it; ResourceLimitExceeded is its common client error for a resource limit.
MAX_SETS = 50
_DOMAIN = re.compile(r"^(?=.{1,255}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9-]{1,63})*\.?$")


def parse_configurations(configurations: Any) -> DhcpConfiguration:
    """AWS's ``[{"Key": "domain-name", "Values": ["example.com"]}]`` checked as CreateDhcpOptions
    checks it; ``Values`` items may be plain strings or describe-*'s ``{"Value": …}``."""
    if not isinstance(configurations, list) or not configurations:
        raise refuse(
            "MissingParameter", message("error.dhcp_options.parse_configurations.MissingParameter")
        )
    found: dict[str, tuple[str, ...]] = {}
    for item in configurations:
        if not isinstance(item, dict) or not isinstance(item.get("Key"), str):
            raise refuse(
                "InvalidParameterValue",
                message("error.dhcp_options.parse_configurations.InvalidParameterValue.3"),
            )
        key = item["Key"].strip().lower()
        require(
            key in KEYS,
            "InvalidParameterValue",
            message(
                "error.dhcp_options.parse_configurations.InvalidParameterValue",
                item=item["Key"],
                KEYS=", ".join(KEYS),
            ),
        )
        require(
            key not in found,
            "InvalidParameterValue",
            message("error.dhcp_options.parse_configurations.InvalidParameterValue.2", key=key),
        )
        found[key] = _check(key, _values(item.get("Values"), key))
    return tuple((key, found[key]) for key in KEYS if key in found)


def _values(raw: Any, key: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise refuse(
            "InvalidParameterValue",
            message("error.dhcp_options._values.InvalidParameterValue.2", key=key),
        )
    values: list[str] = []
    for value in raw:
        if isinstance(value, dict):
            value = value.get("Value")
        if not isinstance(value, str):
            raise refuse(
                "InvalidParameterValue",
                message("error.dhcp_options._values.InvalidParameterValue.3", key=key),
            )
        # The console and the CLI take "a, b" as two values (API_CreateDhcpOptions).
        values.extend(part.strip() for part in value.split(",") if part.strip())
    require(
        bool(values),
        "InvalidParameterValue",
        message("error.dhcp_options._values.InvalidParameterValue", key=key),
    )
    return tuple(values)


def _check(key: str, values: tuple[str, ...]) -> tuple[str, ...]:
    if key == "domain-name":
        for domain in " ".join(values).split():
            require(
                bool(_DOMAIN.match(domain)),
                "InvalidParameterValue",
                message("error.dhcp_options._check.InvalidParameterValue.4", domain=domain),
            )
        return (" ".join(values),)
    if key == "netbios-node-type":
        require(
            len(values) == 1 and values[0] in NETBIOS_NODE_TYPES,
            "InvalidParameterValue",
            message("error.dhcp_options._check.InvalidParameterValue.2"),
        )
        return values
    if key == "ipv6-address-preferred-lease-time":
        require(
            len(values) == 1 and values[0].isdigit() and 140 <= int(values[0]) <= 2147483647,
            "InvalidParameterValue",
            message("error.dhcp_options._check.InvalidParameterValue.3"),
        )
        return values
    require(
        len(values) <= MAX_SERVERS,
        "InvalidParameterValue",
        message(
            "error.dhcp_options._check.InvalidParameterValue", key=key, MAX_SERVERS=MAX_SERVERS
        ),
    )
    for value in values:
        if key == "domain-name-servers" and value == AMAZON_PROVIDED_DNS:
            continue
        try:
            IPv4Address(value)
        except ValueError:
            hint = (
                message("word.or_value", value=AMAZON_PROVIDED_DNS)
                if key == "domain-name-servers"
                else ""
            )
            raise refuse(
                "InvalidParameterValue",
                message(
                    "error.dhcp_options._check.InvalidParameterValue.5",
                    value=value,
                    key=key,
                    hint=hint,
                ),
            ) from None
    return values


def create_dhcp_options(
    topology: Topology, *, dhcp_configurations: Any, tags: Iterable[Any] | None = None
) -> DhcpOptions:
    """A new set; it changes nothing until it is associated with a VPC."""
    configurations = parse_configurations(dhcp_configurations)
    require(
        len(topology.dhcp_options) < MAX_SETS,
        "ResourceLimitExceeded",
        message("error.dhcp_options.create_dhcp_options.ResourceLimitExceeded", MAX_SETS=MAX_SETS),
    )
    options = DhcpOptions(
        dhcp_options_id=topology.ids.new("dhcp-options"),
        configurations=configurations,
        tags=parse_tags(tags),
    )
    return topology.put(options)  # type: ignore[no-any-return]


def associate_dhcp_options(topology: Topology, *, dhcp_options_id: str, vpc_id: str) -> Vpc:
    """The VPC's instances use the set from their next lease; ``default`` means no options at
    all: "no domain name, no DNS server, no NTP server" (API_AssociateDhcpOptions)."""
    vpc: Vpc = topology.get("vpc", vpc_id)
    chosen: str | None = None
    if dhcp_options_id != "default":
        chosen = topology.get("dhcp-options", dhcp_options_id).dhcp_options_id
    return topology.put(dataclasses.replace(vpc, dhcp_options_id=chosen))  # type: ignore


def delete_dhcp_options(topology: Topology, *, dhcp_options_id: str) -> None:
    """Refused while a VPC uses the set (DependencyViolation, API_DeleteDhcpOptions)."""
    topology.get("dhcp-options", dhcp_options_id)
    users = sorted(v.vpc_id for v in topology.vpcs.values() if v.dhcp_options_id == dhcp_options_id)
    require(
        not users,
        "DependencyViolation",
        message(
            "error.dhcp_options.delete_dhcp_options.DependencyViolation",
            dhcp_options_id=dhcp_options_id,
            users=", ".join(users),
        ),
    )
    topology.remove("dhcp-options", dhcp_options_id)


def default_set_for_new_vpc(topology: Topology) -> str:
    """The set a new VPC gets: the account-region's default set.

    *(Our choice: AWS creates the default set with the account and marks it nowhere in
    describe-dhcp-options. The lab takes as default the first set, by id, that holds exactly
    the default options, and creates one when there is none, e.g. with a topology's first VPC.)*
    """
    default = default_configuration(topology.region)
    for options in sorted(topology.dhcp_options.values(), key=lambda o: o.dhcp_options_id):
        if options.configurations == default:
            return options.dhcp_options_id
    options = DhcpOptions(topology.ids.new("dhcp-options"), default)
    topology.put(options)
    return options.dhcp_options_id

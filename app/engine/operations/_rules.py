"""What every operation shares: AWS's default quotas, refusals, tag parsing, target lookups."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import AwsError
from ..messages import Message, message, text
from ..model import Tags

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.rules.parse_tags.InvalidParameterValue",
    "A tag key is 1-128 characters and a value at most 256.",
)
text("error.rules.parse_tags.InvalidParameterValue.2", "Each tag needs a Key and a Value.")

# Default quotas, enforced per topology (VPC UG: amazon-vpc-limits).
QUOTAS = {
    "vpcs": 5,
    "cidr_blocks_per_vpc": 5,
    "subnets_per_vpc": 200,
    "nat_gateways_per_az": 5,
    "eips": 5,
    "route_tables_per_vpc": 200,
    "routes_per_table": 50,
    "sgs_per_eni": 5,
    "rules_per_sg": 60,
    "nacls_per_vpc": 200,
    "nacl_rules_per_direction": 20,
    "enis": 5000,
    "security_groups": 2500,
}


# Each quota's EC2 error code and the id of the sentence a learner reads (API and import alike).
text("error.where", "{where}: {error}")
QUOTA_ERRORS = {
    "vpcs": (
        "VpcLimitExceeded",
        text(
            "error.quota.vpcs",
            "A region holds at most {limit} VPCs (AWS's default quota).",
        ),
    ),
    "cidr_blocks_per_vpc": (
        "CidrLimitExceeded",
        text(
            "error.quota.cidr_blocks_per_vpc",
            "A VPC has at most {limit} IPv4 CIDR blocks.",
        ),
    ),
    "subnets_per_vpc": (
        "SubnetLimitExceeded",
        text(
            "error.quota.subnets_per_vpc",
            "A VPC holds at most {limit} subnets.",
        ),
    ),
    "nat_gateways_per_az": (
        "NatGatewayLimitExceeded",
        text(
            "error.quota.nat_gateways_per_az",
            "An Availability Zone holds at most {limit} NAT gateways.",
        ),
    ),
    "eips": (
        "AddressLimitExceeded",
        text(
            "error.quota.eips",
            "A region holds at most {limit} Elastic IPs (AWS's default quota); release one you no "
            "longer use.",
        ),
    ),
    "route_tables_per_vpc": (
        "RouteTableLimitExceeded",
        text(
            "error.quota.route_tables_per_vpc",
            "A VPC holds at most {limit} route tables.",
        ),
    ),
    "routes_per_table": (
        "RouteLimitExceeded",
        text(
            "error.quota.routes_per_table",
            "A route table holds at most {limit} routes.",
        ),
    ),
    "sgs_per_eni": (
        "SecurityGroupsPerInterfaceLimitExceeded",
        text(
            "error.quota.sgs_per_eni",
            "A network interface has at most {limit} security groups.",
        ),
    ),
    "rules_per_sg": (
        "RulesPerSecurityGroupLimitExceeded",
        text(
            "error.quota.rules_per_sg",
            "A security group holds at most {limit} rules per direction.",
        ),
    ),
    "nacls_per_vpc": (
        "NetworkAclLimitExceeded",
        text(
            "error.quota.nacls_per_vpc",
            "A VPC holds at most {limit} network ACLs.",
        ),
    ),
    "nacl_rules_per_direction": (
        "NetworkAclEntryLimitExceeded",
        text(
            "error.quota.nacl_rules_per_direction",
            "A network ACL holds at most {limit} rules per direction.",
        ),
    ),
    "enis": (
        "NetworkInterfaceLimitExceeded",
        text(
            "error.quota.enis",
            "A region holds at most {limit} network interfaces.",
        ),
    ),
    "security_groups": (
        "SecurityGroupLimitExceeded",
        text(
            "error.quota.security_groups",
            "The region holds at most {limit} security groups.",
        ),
    ),
}


def within_quota(quota: str, count: int, *, where: str = "") -> None:
    """Refuse ``count`` resources past AWS's default quota (VPC UG: amazon-vpc-limits), with the
    quota's own code; ``where`` names the resource for the import's message."""
    if count > QUOTAS[quota]:
        code, sentence = QUOTA_ERRORS[quota]
        said = message(sentence, limit=QUOTAS[quota])
        raise AwsError(code, message("error.where", where=where, error=said) if where else said)


def refuse(code: str, said: Message) -> AwsError:
    return AwsError(code, said)


def require(condition: bool, code: str, said: Message) -> None:
    if not condition:
        raise AwsError(code, said)


def parse_tags(tags: Iterable[Any] | dict[str, str] | None, name: str | None = None) -> Tags:
    """Tags from AWS's ``[{"Key", "Value"}]`` list or a plain dict; ``name`` sets ``Name``."""
    pairs: list[tuple[str, str]] = []
    if isinstance(tags, dict):
        pairs = [(str(k), str(v)) for k, v in tags.items()]
    elif tags:
        for tag in tags:
            if isinstance(tag, dict) and isinstance(tag.get("Key"), str):
                pairs.append((tag["Key"], str(tag.get("Value", ""))))
            else:
                raise AwsError(
                    "InvalidParameterValue",
                    message("error.rules.parse_tags.InvalidParameterValue.2"),
                )
    for key, value in pairs:
        if not key or len(key) > 128 or len(value) > 256:
            raise AwsError(
                "InvalidParameterValue", message("error.rules.parse_tags.InvalidParameterValue")
            )
    if name is not None:
        pairs = [(k, v) for k, v in pairs if k != "Name"] + [("Name", name)]
    return tuple(pairs)


def with_name(tags: Tags, name: str | None) -> Tags:
    if name is None:
        return tags
    return tuple((k, v) for k, v in tags if k != "Name") + ((("Name", name),) if name else ())

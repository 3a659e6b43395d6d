"""What every operation shares: AWS's default quotas, refusals, tag parsing, target lookups."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import AwsError
from ..model import Tags

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


# Each quota's EC2 error code and the sentence a learner reads, for the API and the import alike.
QUOTA_ERRORS = {
    "vpcs": ("VpcLimitExceeded", "A region holds at most {limit} VPCs (AWS's default quota)."),
    "cidr_blocks_per_vpc": ("CidrLimitExceeded", "A VPC has at most {limit} IPv4 CIDR blocks."),
    "subnets_per_vpc": ("SubnetLimitExceeded", "A VPC holds at most {limit} subnets."),
    "nat_gateways_per_az": (
        "NatGatewayLimitExceeded",
        "An Availability Zone holds at most {limit} NAT gateways.",
    ),
    "eips": (
        "AddressLimitExceeded",
        "A region holds at most {limit} Elastic IPs (AWS's default quota); release one you no "
        "longer use.",
    ),
    "route_tables_per_vpc": (
        "RouteTableLimitExceeded",
        "A VPC holds at most {limit} route tables.",
    ),
    "routes_per_table": ("RouteLimitExceeded", "A route table holds at most {limit} routes."),
    "sgs_per_eni": (
        "SecurityGroupsPerInterfaceLimitExceeded",
        "A network interface has at most {limit} security groups.",
    ),
    "rules_per_sg": (
        "RulesPerSecurityGroupLimitExceeded",
        "A security group holds at most {limit} rules per direction.",
    ),
    "nacls_per_vpc": ("NetworkAclLimitExceeded", "A VPC holds at most {limit} network ACLs."),
    "nacl_rules_per_direction": (
        "NetworkAclEntryLimitExceeded",
        "A network ACL holds at most {limit} rules per direction.",
    ),
    "enis": ("NetworkInterfaceLimitExceeded", "A region holds at most {limit} network interfaces."),
    "security_groups": (
        "SecurityGroupLimitExceeded",
        "The region holds at most {limit} security groups.",
    ),
}


def within_quota(quota: str, count: int, *, where: str = "") -> None:
    """Refuse ``count`` resources past AWS's default quota (VPC UG: amazon-vpc-limits), with the
    quota's own code; ``where`` names the resource for the import's message."""
    if count > QUOTAS[quota]:
        code, sentence = QUOTA_ERRORS[quota]
        prefix = f"{where}: " if where else ""
        raise AwsError(code, prefix + sentence.format(limit=QUOTAS[quota]))


def refuse(code: str, message: str) -> AwsError:
    return AwsError(code, message)


def require(condition: bool, code: str, message: str) -> None:
    if not condition:
        raise AwsError(code, message)


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
                raise AwsError("InvalidParameterValue", "Each tag needs a Key and a Value.")
    for key, value in pairs:
        if not key or len(key) > 128 or len(value) > 256:
            raise AwsError(
                "InvalidParameterValue", "A tag key is 1-128 characters and a value at most 256."
            )
    if name is not None:
        pairs = [(k, v) for k, v in pairs if k != "Name"] + [("Name", name)]
    return tuple(pairs)


def with_name(tags: Tags, name: str | None) -> Tags:
    if name is None:
        return tags
    return tuple((k, v) for k, v in tags if k != "Name") + ((("Name", name),) if name else ())

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

"""The region catalogue: Availability Zones and DNS suffixes of the regions a topology can be in."""

from __future__ import annotations

import ipaddress

# AZ names per region (EC2 UG: using-regions-availability-zones). Only the AZs commonly offered
# to new accounts are listed; ap-northeast-1b is included because the seed 002 walkthrough uses it.
AVAILABILITY_ZONES: dict[str, tuple[str, ...]] = {
    "us-east-1": (
        "us-east-1a",
        "us-east-1b",
        "us-east-1c",
        "us-east-1d",
        "us-east-1e",
        "us-east-1f",
    ),
    "us-east-2": ("us-east-2a", "us-east-2b", "us-east-2c"),
    "us-west-1": ("us-west-1a", "us-west-1c"),
    "us-west-2": ("us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"),
    "ca-central-1": ("ca-central-1a", "ca-central-1b", "ca-central-1d"),
    "eu-west-1": ("eu-west-1a", "eu-west-1b", "eu-west-1c"),
    "eu-west-2": ("eu-west-2a", "eu-west-2b", "eu-west-2c"),
    "eu-central-1": ("eu-central-1a", "eu-central-1b", "eu-central-1c"),
    "ap-northeast-1": ("ap-northeast-1a", "ap-northeast-1b", "ap-northeast-1c", "ap-northeast-1d"),
    "ap-northeast-2": ("ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c", "ap-northeast-2d"),
    "ap-southeast-1": ("ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"),
    "ap-southeast-2": ("ap-southeast-2a", "ap-southeast-2b", "ap-southeast-2c"),
    "ap-south-1": ("ap-south-1a", "ap-south-1b", "ap-south-1c"),
    "sa-east-1": ("sa-east-1a", "sa-east-1b", "sa-east-1c"),
}

DEFAULT_REGION = "ap-northeast-1"

# Where the sandbox draws public IPv4 addresses (auto-assigned and Elastic IPs) from. *(Our
# choice: a block inside Amazon's published ranges, so addresses look like the ones learners see
# in the console; the seed 002 EIP 52.68.44.224 is of this shape.)*
PUBLIC_POOL = ipaddress.IPv4Network("52.68.0.0/15")


def availability_zones(region: str) -> tuple[str, ...]:
    """The AZs of ``region``; an unknown region gets ``<region>a``..``c`` so imports still load."""
    return AVAILABILITY_ZONES.get(region, tuple(f"{region}{s}" for s in "abc"))


def private_dns_name(region: str, address: ipaddress.IPv4Address) -> str:
    """``ip-10-0-0-122.ap-northeast-1.compute.internal`` (``ec2.internal`` in us-east-1).

    Source: EC2 UG, ec2-instance-naming.
    >>> private_dns_name("ap-northeast-1", ipaddress.IPv4Address("10.0.0.122"))
    'ip-10-0-0-122.ap-northeast-1.compute.internal'
    """
    host = "ip-" + str(address).replace(".", "-")
    if region == "us-east-1":
        return f"{host}.ec2.internal"
    return f"{host}.{region}.compute.internal"


def public_dns_name(region: str, address: ipaddress.IPv4Address) -> str:
    """``ec2-52-68-44-224.ap-northeast-1.compute.amazonaws.com`` (``compute-1`` in us-east-1)."""
    host = "ec2-" + str(address).replace(".", "-")
    if region == "us-east-1":
        return f"{host}.compute-1.amazonaws.com"
    return f"{host}.{region}.compute.amazonaws.com"

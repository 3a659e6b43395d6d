"""AWS-style resource ids (``vpc-`` + 17 hex digits) from a seedable source, for repeatable labs."""

from __future__ import annotations

import random
import secrets

from .kinds import KINDS

# The resource kinds' prefixes come from their declaration; these are the ids of parts of them.
PREFIXES = {
    **{kind.name: kind.id_prefix for kind in KINDS},
    "route-table-association": "rtbassoc",
    "security-group-rule": "sgr",
    "network-acl-association": "aclassoc",
    "eni-attachment": "eni-attach",
    "reservation": "r",
    "eip-association": "eipassoc",
    "vpc-cidr-association": "vpc-cidr-assoc",
}


class IdFactory:
    """Makes new ids; pass a seed for a deterministic sequence (tests, templates, the generator).

    >>> IdFactory(seed=1).new("vpc")
    'vpc-...'
    """

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed) if seed is not None else None

    def new(self, kind: str) -> str:
        prefix = PREFIXES[kind]
        bits = self._random.getrandbits(68) if self._random else secrets.randbits(68)
        return f"{prefix}-{bits:017x}"

    def choice_index(self, n: int) -> int:
        """A number in range(n), from the same source (used to pick public addresses)."""
        return self._random.randrange(n) if self._random else secrets.randbelow(n)

"""Per-student variants of a guided lab (issue 13, item 4): the same lab on a network of the
student's own, so neighbours' answers differ.

``vary(lab, seed)`` finds the lab's own VPC-sized block (a /16 to /28 the lab's texts and
checks name, the one holding most of the addresses they give: 192.168.0.0/16 in lab 002, not
the 172.16.0.0/12 a text names as a private range) and moves it to another block of the same
size inside 10.0.0.0/8, drawn from the seed. Every IPv4 address and CIDR inside the old block,
in every text (English and Japanese) and in every check, is translated to the same offset in
the new one; anything outside it (0.0.0.0/0, 203.0.113.5, 10.0.0.0/8) is left as written.
10.0.0.0/8 never overlaps the documentation range 203.0.113.0/24 nor the default VPC's
172.31.0.0/16. Pure: the same lab and seed give the same variant.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from app.engine.checks import Check, FlowCheck, Selector, StateCheck

from . import Lab, LabCheck, Step, Text

__all__ = ["lab_block", "move_addresses", "variant_block", "vary", "vary_kept"]

ADDRESS = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?:/(\d{1,2}))?(?!\.?\d)")
POOL = IPv4Network("10.0.0.0/8")
VPC_SIZES = range(16, 29)  # a VPC's CIDR block is /16 to /28
# https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html


def _parse(found: re.Match[str]) -> IPv4Address | IPv4Network | None:
    try:
        if found.group(2) is None:
            return IPv4Address(found.group(1))
        return IPv4Network(f"{found.group(1)}/{found.group(2)}", strict=False)
    except ValueError:
        return None


def _texts(lab: Lab) -> Iterator[str]:
    def both(text: Text) -> Iterator[str]:
        yield text.en
        yield text.ja

    yield from both(lab.title)
    yield from both(lab.goal)
    for step in lab.steps:
        for text in (step.title, step.instructions, *step.hints):
            yield from both(text)
        for check in step.checks:
            yield from both(check.says)
            yield from _values(check.check)


def _values(check: Check) -> Iterator[str]:
    def walk(value: Any) -> Iterator[str]:
        if isinstance(value, (str, IPv4Address, IPv4Network)):
            yield str(value)
        elif isinstance(value, Mapping):
            for item in value.values():
                yield from walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from walk(item)

    if isinstance(check, StateCheck):
        yield from walk(check.conditions)
    else:
        for end in (check.source, check.destination):
            yield from walk(end.address)
            yield from walk(end.conditions)


def lab_block(lab: Lab) -> IPv4Network | None:
    """The lab's own VPC-sized private block (None: the lab names no address of its own)."""
    found: list[IPv4Address | IPv4Network] = []
    for text in _texts(lab):
        found.extend(p for p in map(_parse, ADDRESS.finditer(text)) if p is not None)
    candidates = [
        p for p in found if isinstance(p, IPv4Network) and p.prefixlen in VPC_SIZES and p.is_private
    ]

    def inside(block: IPv4Network) -> int:
        return sum(1 for p in found if _within(p, block))

    best: IPv4Network | None = None
    for block in candidates:  # the first of the most used, in the order the lab names them
        if best is None or inside(block) > inside(best):
            best = block
    return best


def _within(found: IPv4Address | IPv4Network, block: IPv4Network) -> bool:
    if isinstance(found, IPv4Address):
        return found in block
    return found.prefixlen >= block.prefixlen and found.subnet_of(block)


def variant_block(block: IPv4Network, seed: int) -> IPv4Network:
    """A block of ``block``'s size in 10.0.0.0/8 drawn from ``seed``, never ``block`` itself
    nor overlapping it."""
    count = 2 ** (block.prefixlen - POOL.prefixlen)
    size = block.num_addresses
    index = seed % count
    for _ in range(count):
        chosen = IPv4Network((int(POOL.network_address) + index * size, block.prefixlen))
        if not chosen.overlaps(block):
            return chosen
        index = (index + 1) % count
    raise ValueError(f"no block of /{block.prefixlen} in {POOL} besides {block}")


def move_addresses(text: str, old: IPv4Network, new: IPv4Network) -> str:
    """``text`` with every IPv4 address and CIDR inside ``old`` moved to the same place in
    ``new`` (a host written with a prefix, 10.0.1.11/32, stays a host)."""
    shift = int(new.network_address) - int(old.network_address)

    def swap(found: re.Match[str]) -> str:
        parsed = _parse(found)
        if parsed is None or not _within(parsed, old):
            return found.group(0)
        host = IPv4Address(int(IPv4Address(found.group(1))) + shift)
        return f"{host}/{found.group(2)}" if found.group(2) is not None else str(host)

    return ADDRESS.sub(swap, text)


def vary(lab: Lab, seed: int) -> Lab:
    """``lab`` with its own block moved to the seed's (the lab itself when it names none, or
    when it starts from a prebuilt template: the template's addresses are fixed, and a challenge
    names its servers by them)."""
    old = lab_block(lab) if lab.start == "blank" else None
    if old is None:
        return lab
    new = variant_block(old, seed)
    shift = int(new.network_address) - int(old.network_address)

    def moved(value: IPv4Address | IPv4Network) -> IPv4Address | IPv4Network:
        if not _within(value, old):
            return value
        if isinstance(value, IPv4Address):
            return IPv4Address(int(value) + shift)
        return IPv4Network((int(value.network_address) + shift, value.prefixlen))

    def in_text(text: str) -> str:
        return move_addresses(text, old, new)

    def value(item: Any) -> Any:
        if isinstance(item, (IPv4Address, IPv4Network)):
            return moved(item)
        if isinstance(item, str):
            return in_text(item)
        if isinstance(item, Mapping):
            return {key: value(v) for key, v in item.items()}
        if isinstance(item, list):
            return [value(v) for v in item]
        if isinstance(item, tuple):
            return tuple(value(v) for v in item)
        return item

    def text(t: Text) -> Text:
        return Text(en=in_text(t.en), ja=in_text(t.ja))

    def selector(end: Selector) -> Selector:
        return dataclasses.replace(
            end,
            address=value(end.address),
            conditions=value(end.conditions) if end.conditions is not None else None,
        )

    def check(c: Check) -> Check:
        if isinstance(c, StateCheck):
            return dataclasses.replace(c, conditions=value(c.conditions))
        assert isinstance(c, FlowCheck)
        return dataclasses.replace(
            c, source=selector(c.source), destination=selector(c.destination)
        )

    def step(s: Step) -> Step:
        return dataclasses.replace(
            s,
            title=text(s.title),
            instructions=text(s.instructions),
            hints=tuple(text(h) for h in s.hints),
            checks=tuple(
                LabCheck(id=c.id, says=text(c.says), check=check(c.check)) for c in s.checks
            ),
        )

    return dataclasses.replace(
        lab, title=text(lab.title), goal=text(lab.goal), steps=tuple(step(s) for s in lab.steps)
    )


# A student's page, and the class's board for every student, asks for the same variant again
# and again; making one walks every text of the lab (~5 ms for lab 001). Kept per lab and seed,
# and only while the lab is the very object the lab files gave (tests swap the labs).
KEPT_VARIANTS = 512
_kept: OrderedDict[tuple[str, int], tuple[Lab, Lab]] = OrderedDict()
_kept_lock = threading.Lock()


def vary_kept(lab: Lab, seed: int) -> Lab:
    """``vary(lab, seed)``, remembered for the last KEPT_VARIANTS labs and seeds asked."""
    key = (lab.id, seed)
    with _kept_lock:
        hit = _kept.get(key)
        if hit is not None and hit[0] is lab:
            _kept.move_to_end(key)
            return hit[1]
    variant = vary(lab, seed)
    with _kept_lock:
        _kept[key] = (lab, variant)
        _kept.move_to_end(key)
        while len(_kept) > KEPT_VARIANTS:
            _kept.popitem(last=False)
    return variant

"""Per-student variants (app/labs/variants.py): the lab's own block moves to a network drawn
from the seed, every address inside it moves with it in both languages and in the checks, and
a student who follows the varied lab from blank passes every step, while the lab's original
addresses fail where a check names one."""

from __future__ import annotations

import dataclasses
from ipaddress import IPv4Network
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.labs import Lab, Text, all_labs
from app.labs.variants import (
    ADDRESS,
    lab_block,
    move_addresses,
    variant_block,
    vary,
    vary_kept,
)
from tests.api.lab import Lab as ApiLab
from tests.labs import test_lab_002, test_lab_004
from tests.labs.walk import evaluate_step, start, walk

LABS = all_labs()
OWN_BLOCKS = {
    "seed-001-public-private-nat": "172.30.0.0/16",
    "seed-002-ssh-from-home": "192.168.0.0/16",
    "seed-003-how-addresses": "10.0.0.0/16",  # not the 192.168.0.0/16 it names as a range
    "seed-004-fixed-ip-eni": "10.0.0.0/16",
}


def every_text(lab: Lab) -> list[str]:
    texts = [lab.title.en, lab.title.ja, lab.goal.en, lab.goal.ja]
    for step in lab.steps:
        for text in (step.title, step.instructions, *step.hints):
            texts += [text.en, text.ja]
        for check in step.checks:
            texts += [check.says.en, check.says.ja, repr(check.check)]
    return texts


def addresses_in(lab: Lab, block: IPv4Network) -> list[str]:
    found = []
    for text in every_text(lab):
        for match in ADDRESS.finditer(text.replace("IPv4Address('", "").replace("')", "")):
            network = IPv4Network(match.group(0), strict=False)
            if network.prefixlen >= block.prefixlen and network.subnet_of(block):
                found.append(match.group(0))
    return found


@pytest.mark.parametrize("lab_id", sorted(OWN_BLOCKS))
def test_each_lab_moves_its_own_block_and_every_address_in_it(lab_id: str) -> None:
    lab = LABS[lab_id]
    old = lab_block(lab)
    assert str(old) == OWN_BLOCKS[lab_id]
    assert old is not None and addresses_in(lab, old)
    seen = set()
    for seed in (1, 2, 3, 2**31 - 1):
        varied = vary(lab, seed)
        new = lab_block(varied)
        assert new is not None and new.prefixlen == old.prefixlen
        assert new == variant_block(old, seed)
        assert not new.overlaps(old)
        assert not new.overlaps(IPv4Network("203.0.113.0/24"))
        assert not new.overlaps(IPv4Network("172.31.0.0/16"))
        assert addresses_in(varied, old) == [], "an address of the old block is left"
        assert len(addresses_in(varied, new)) == len(addresses_in(lab, old))
        assert vary(lab, seed) == varied  # pure: the same seed, the same variant
        seen.add(new)
    assert len(seen) == 4


def test_addresses_outside_the_block_are_left_as_written() -> None:
    old, new = IPv4Network("10.0.0.0/16"), IPv4Network("10.42.0.0/16")
    text = "10.0.1.11, 10.0.1.11/32, 10.0.1.0/24, 10.0.0.0/8, 0.0.0.0/0, 203.0.113.5, 1.10.0.0.1"
    assert move_addresses(text, old, new) == (
        "10.42.1.11, 10.42.1.11/32, 10.42.1.0/24, 10.0.0.0/8, 0.0.0.0/0, 203.0.113.5, 1.10.0.0.1"
    )


def test_a_varied_lab_002_walked_from_blank_with_its_addresses_passes_every_step(
    client: TestClient,
) -> None:
    lab = vary(LABS["seed-002-ssh-from-home"], 7)
    old, new = IPv4Network("192.168.0.0/16"), lab_block(lab)
    assert new is not None
    moved = lambda text: move_addresses(text, old, new)  # noqa: E731
    assert moved("192.168.1.0/24") in lab.steps[2].instructions.en
    api = start(client, lab)
    design = test_lab_002.Design(
        api,
        moved("192.168.0.0/16"),
        [
            ("mysubnet-0001", moved("192.168.1.0/24"), "ap-northeast-1b"),
            ("mysubnet-0002", moved("192.168.2.0/24"), "ap-northeast-1c"),
        ],
    )
    walk(
        api,
        lab,
        {
            "vpc": design.vpc,
            "internet-gateway": design.internet_gateway,
            "subnets": design.make_subnets,
            "route-to-igw": design.route_in_main_table,
            "security-group": design.security_group,
            "instances": lambda: design.instances([moved("192.168.1.4"), moved("192.168.2.4")]),
            "elastic-ips": design.elastic_ips,
            "allow-ping": design.allow_ping,
        },
    )


class Moved(ApiLab):
    """The lab test's own build script, its addresses moved: every address inside ``old`` it
    sends goes to ``new``, and every one it reads back comes back, so its asserts hold."""

    def __init__(self, client: TestClient, lab: Lab, old: IPv4Network, new: IPv4Network) -> None:
        super().__init__(client, lab.start, name="variant", region=lab.region)
        self.old, self.new = old, new

    def call(self, method: str, path: str, json: Any = None, **kwargs: Any) -> Any:
        return super().call(method, path, shift(json, self.old, self.new), **kwargs)

    def ok(self, method: str, path: str, json: Any = None, status: int = 200, **kwargs: Any) -> Any:
        return shift(super().ok(method, path, json, status, **kwargs), self.new, self.old)


def shift(value: Any, old: IPv4Network, new: IPv4Network) -> Any:
    if isinstance(value, str):
        return move_addresses(value, old, new)
    if isinstance(value, dict):
        return {k: shift(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [shift(v, old, new) for v in value]
    return value


def test_lab_004_varied_passes_with_the_moved_addresses_and_not_with_the_articles(
    client: TestClient,
) -> None:
    lab = vary(LABS["seed-004-fixed-ip-eni"], 12345)
    old, new = IPv4Network("10.0.0.0/16"), lab_block(lab)
    assert new is not None
    eni_address = move_addresses("10.0.1.11", old, new)
    assert eni_address != "10.0.1.11" and eni_address in lab.steps[3].instructions.ja
    api = Moved(client, lab, old, new)
    walk(api, lab, test_lab_004.Design(api).actions())

    # The article's own addresses: where a check names 10.0.1.11, the variant's check fails.
    article = start(client, LABS["seed-004-fixed-ip-eni"], name="article")
    design = test_lab_004.Design(article)
    for step in test_lab_004.STEPS[:4]:
        design.actions()[step]()
    step = test_lab_004.index("network-interface")
    assert all(r.passed for r in evaluate_step(client, article.id, LABS[lab.id], step).values())
    varied = evaluate_step(client, article.id, lab, step)
    assert not all(r.passed for r in varied.values()), varied


def test_a_variant_asked_again_is_the_same_one_made_once() -> None:
    """The board asks each student's variant at every view: it is made once per lab and seed,
    and a lab swapped for another object of the same id is varied afresh."""
    lab = all_labs()["seed-002-ssh-from-home"]
    first = vary_kept(lab, 7)
    assert first == vary(lab, 7)
    assert vary_kept(lab, 7) is first
    assert vary_kept(lab, 8) is not first
    other = dataclasses.replace(lab, title=Text("Other", "別"))
    assert vary_kept(other, 7).title.en == "Other"

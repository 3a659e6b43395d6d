"""An assignment made from an instructor's own topology (issue 13, item 4): its checks are raw
check specs (the lab files' ``state`` / ``flow`` mappings, kept as JSON on the assignment), and
the students' copies follow a one-step lab made from them in memory, ``assignment-<id>``.

Each check is said in both languages from its spec (a lab file's author writes ``says``; here
the form made the spec, so the words are made from it too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.engine.checks import CheckSpecError, parse_check

from . import Lab, LabCheck, Step, Text

PREFIX = "assignment-"

# The state checks an instructor picks from a select: (spec, English, Japanese).
STATE_CHOICES: dict[str, tuple[dict[str, Any], Text]] = {
    "eip-associated": (
        {"state": {"elastic_ip": {"associated": True}}},
        Text("An Elastic IP is associated", "Elastic IP が関連付けられている"),
    ),
    "igw-attached": (
        {"state": {"internet_gateway": {"attached": True}}},
        Text(
            "An internet gateway is attached to a VPC",
            "インターネットゲートウェイが VPC にアタッチされている",
        ),
    ),
    "public-subnet": (
        {"state": {"subnet": {"public": True}}},
        Text("A public subnet exists", "パブリックサブネットがある"),
    ),
    "private-subnet": (
        {"state": {"subnet": {"public": False}}},
        Text("A private subnet exists", "プライベートサブネットがある"),
    ),
    "nat-in-public": (
        {"state": {"nat_gateway": {"subnet": "public"}}},
        Text("A NAT gateway in a public subnet", "パブリックサブネットに NAT ゲートウェイがある"),
    ),
}


def lab_id(assignment_id: int) -> str:
    return f"{PREFIX}{assignment_id}"


def assignment_of(lab: str) -> int | None:
    """The assignment id of a synthetic lab id (None: a lab from the files)."""
    if not lab.startswith(PREFIX) or not lab[len(PREFIX) :].isdigit():
        return None
    return int(lab[len(PREFIX) :])


def parse_specs(specs: Sequence[Any]) -> list[LabCheck]:
    """The checks, ``check-1``, ``check-2``…; raises CheckSpecError with the check's index
    first in its path. At least one check."""
    if not specs:
        raise CheckSpecError((), "an assignment needs at least one check")
    found = []
    for index, spec in enumerate(specs):
        try:
            parsed = parse_check(spec)
        except CheckSpecError as error:
            raise CheckSpecError((index, *error.path), error.problem) from None
        found.append(LabCheck(id=f"check-{index + 1}", says=says(spec), check=parsed))
    return found


def build(
    assignment_id: int, title: str, text: str, start: str, region: str, specs: Sequence[Any]
) -> Lab:
    """The one-step lab of an assignment (specs already accepted by ``parse_specs``)."""
    shown = Text(text or title, text or title)  # one language is fine: shown in both
    return Lab(
        id=lab_id(assignment_id),
        title=Text(title, title),
        goal=shown,
        start=start,
        region=region,
        steps=(
            Step(
                id="checks",
                title=Text("Make every check pass", "すべてのチェックを通す"),
                instructions=shown,
                hints=(),
                checks=tuple(parse_specs(specs)),
            ),
        ),
    )


# ---- words -----------------------------------------------------------------------------------


def _end(raw: Any) -> Text:
    if raw == "internet":
        return Text("the internet", "インターネット")
    if isinstance(raw, str):
        return Text(raw, raw)
    if isinstance(raw, Mapping) and isinstance(raw.get("instance"), Mapping):
        ip = raw["instance"].get("private_ip")
        if ip is not None:
            return Text(f"the instance at {ip}", f"{ip} のインスタンス")
    return Text("an instance", "インスタンス")


def says(spec: Any) -> Text:
    """What a check asks, in both languages."""
    if isinstance(spec, Mapping) and "flow" in spec and isinstance(spec["flow"], Mapping):
        flow = spec["flow"]
        source, destination = _end(flow.get("from")), _end(flow.get("to"))
        protocol = str(flow.get("protocol", "")).upper()
        what = protocol if protocol == "ICMP" else f"{protocol} {flow.get('port')}"
        if flow.get("expect") == "reaches":
            return Text(
                f"{what} from {source.en} reaches {destination.en}",
                f"{source.ja} から {destination.ja} へ {what} が届く",
            )
        return Text(
            f"{what} from {source.en} to {destination.en} is blocked",
            f"{source.ja} から {destination.ja} への {what} は遮断される",
        )
    for chosen, words in STATE_CHOICES.values():
        if spec == chosen:
            return words
    return Text("A state check", "状態のチェック")

"""Step through a trace: one hop at a time, request and reply as one timeline.

A step is a hop of the analysis result (forward path, then return path), numbered from 1. At
each step the page shows what the component did, the header as it arrives and as it leaves,
and the component's whole rule list from the lab (route table routes, NACL entries in order,
security group rules) with the rule that decided marked, or the default deny when none did.
The rule lists are read from the lab as it is now: a saved test of an older revision says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from app.engine import Topology
from app.engine.labels import nacl_entry_label, sg_rule_label
from app.engine.routing import describe_target, route_state

HEADER_FIELDS = (
    "source_ip",
    "source_port",
    "destination_ip",
    "destination_port",
    "protocol",
    "icmp_type",
    "icmp_code",
)


@dataclass
class Step:
    """One hop of the timeline, with its place (``leg``: request or reply)."""

    number: int
    leg: str
    hop: dict[str, Any]

    @property
    def component(self) -> dict[str, Any]:
        return self.hop["component"]  # type: ignore[no-any-return]

    @property
    def would(self) -> bool:
        """After a block: what would happen once it is fixed, never what happens."""
        return bool(self.hop.get("after_block"))


def timeline(result: dict[str, Any]) -> list[Step]:
    """Every hop of the request, then of the reply, numbered 1…n."""
    steps: list[Step] = []
    for leg, path in (("request", "forward_path"), ("reply", "return_path")):
        for hop in result.get(path) or []:
            steps.append(Step(len(steps) + 1, leg, hop))
    return steps


def header_rows(hop: dict[str, Any]) -> list[dict[str, Any]]:
    """The header's fields as it arrives and as it leaves, each marked when it changed."""
    before, after = hop.get("inbound_header") or {}, hop.get("outbound_header") or {}
    return [
        {
            "field": name,
            "before": before.get(name),
            "after": after.get(name),
            "changed": before.get(name) != after.get(name),
        }
        for name in HEADER_FIELDS
        if name in before or name in after
    ]


@dataclass
class RuleTable:
    """One list of rules: a route table's routes, a NACL's entries of one direction, or one
    group's rules of one direction. ``applies``: the list the packet was checked against."""

    title: str  # an id of RULE_TABLE_TITLES
    owner: str
    rows: list[dict[str, Any]]
    applies: bool = True
    default_row: dict[str, Any] | None = None


@dataclass
class Rules:
    tables: list[RuleTable] = field(default_factory=list)
    # "default-deny": no rule matched, the component's implicit deny decided;
    # "reply": a security group lets a reply through (stateful) without a rule;
    # "no-route": no route of the table covers the destination.
    outcome: str = ""


def _direction(hop: dict[str, Any]) -> str:
    """``ingress`` or ``egress``: the direction the component checked the packet in."""
    sg_rule = hop.get("security_group_rule") or {}
    if sg_rule.get("direction"):
        return str(sg_rule["direction"])
    acl_rule = hop.get("acl_rule") or {}
    if "egress" in acl_rule:
        return "egress" if acl_rule["egress"] else "ingress"
    said = str(hop.get("message_id") or "")
    return "egress" if re.search(r"\b(egress|outbound)\b", said.replace(".", " ")) else "ingress"


def rules_of(model: Topology, hop: dict[str, Any]) -> Rules:
    """The whole rule list of the hop's component, the deciding rule marked ``matched``."""
    kind, rid = hop["component"]["type"], hop["component"]["id"]
    blocked = hop.get("action") == "blocked"
    if kind == "route-table" and rid in model.route_tables:
        used = hop.get("route") or {}
        rows = [
            {
                "cells": [str(r.destination), describe_target(r), route_state(model, r)],
                "matched": bool(used)
                and str(r.destination) == used.get("destination")
                and describe_target(r) == used.get("target"),
            }
            for r in model.route_tables[rid].routes
        ]
        return Rules([RuleTable("routes", rid, rows)], "" if used else "no-route")
    if kind == "network-acl" and rid in model.network_acls:
        egress = _direction(hop) == "egress"
        matched = hop.get("acl_rule") or {}
        number = matched.get("rule_number")
        tables = []
        for side in (egress, not egress):
            entries = sorted(
                (e for e in model.network_acls[rid].entries if e.egress == side),
                key=lambda e: e.rule_number,
            )
            rows = [
                {
                    "cells": [nacl_entry_label(e)],
                    "matched": side == egress and e.rule_number == number,
                    "action": e.rule_action,
                }
                for e in entries
                if e.rule_number != 32767
            ]
            default_matched = side == egress and (number == 32767 or (blocked and number is None))
            tables.append(
                RuleTable(
                    "nacl-egress" if side else "nacl-ingress",
                    rid,
                    rows,
                    applies=side == egress,
                    default_row={"cells": ["* ALL ALL 0.0.0.0/0 DENY"], "matched": default_matched},
                )
            )
        return Rules(tables, "default-deny" if blocked and number in (None, 32767) else "")
    if kind == "security-group":
        direction = _direction(hop)
        used = hop.get("security_group_rule") or {}
        label = None if used.get("reply") else used.get("label")
        groups = [g for g in hop.get("security_groups") or [rid] if g in model.security_groups]
        tables = []
        found = False
        for gid in groups:
            group = model.security_groups[gid]
            rules = group.egress if direction == "egress" else group.ingress
            rows = []
            for index, rule in enumerate(rules):
                text = sg_rule_label(rule)
                if "group_id" in used:  # the engine says which rule it was
                    hit = used["group_id"] == gid and used.get("index") == index
                else:  # a result saved before it did: the first rule that reads the same
                    hit = not found and not blocked and label is not None and text == label
                found = found or hit
                rows.append({"cells": [text], "matched": hit})
            tables.append(RuleTable(f"sg-{direction}", gid, rows))
        outcome = "default-deny" if blocked else ("reply" if used.get("reply") else "")
        return Rules(tables, outcome)
    return Rules()


def mark_current(svg: Markup, model: Topology, hop: dict[str, Any]) -> Markup:
    """The diagram with the box of the step's component given the class ``step-current`` (an
    interface drawn inside its instance's box: that box)."""
    rid = str(hop["component"]["id"])
    candidates = [rid]
    eni = model.network_interfaces.get(rid)
    if eni is not None and eni.instance_id:
        candidates.append(eni.instance_id)
    text = str(svg)
    for candidate in candidates:
        pattern = re.compile(r'class="([^"]*)"( data-id="' + re.escape(candidate) + '"[^>]*>)')
        found = pattern.search(text)
        if found is None:
            continue
        opening = f'class="{found.group(1)} step-current"{found.group(2)}'
        rest = text[found.end() :]
        box = BOX.match(rest)  # the box's own rectangle comes first
        if box is not None:  # the packet: a dot on the box's left edge, drawn over it
            x, y, _w, h = (float(v) for v in box.groups())
            packet = f'<circle class="step-packet" cx="{x:.0f}" cy="{y + h / 2:.0f}" r="7"/>'
            rest = rest[: box.end()] + packet + rest[box.end() :]
        return Markup(text[: found.start()] + opening + rest)
    return svg


BOX = re.compile(r'\s*<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"[^>]*/>')

"""The architecture diagram's layout, following AWS's diagram conventions.

Region ▸ VPC ▸ one column per Availability Zone ▸ subnets ▸ instances, ENIs and NAT gateways;
the internet gateway on the VPC's left edge; peering on the right. Everything is sorted by
CIDR, AZ and address, so a change elsewhere never moves an element. Subnets are coloured by
what their routing makes them (public: a route to an attached internet gateway).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from unicodedata import east_asian_width

from app.engine import Topology
from app.engine.model import Subnet
from app.engine.regions import availability_zones
from app.engine.routing import route_state
from app.engine.topology import resource_id
from app.i18n import gettext as _

from .engine_words import state_word

PUBLIC, PRIVATE = "#7AA116", "#00A4A6"
COLUMN_W, ITEM_W, ITEM_H, GAP = 280, 118, 50, 12
INTERNET_W = 150


@dataclass
class Box:
    """One drawn element: where it is, what it is, where clicking it leads."""

    id: str
    kind: str
    label: str
    x: float
    y: float
    w: float
    h: float
    detail: str = ""
    css: str = ""
    colour: str = ""
    warning: str = ""
    blocked: bool = False  # the traced packet is blocked here: drawn with a red ✕

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Diagram:
    width: float
    height: float
    region: Box
    containers: list[Box] = field(default_factory=list)  # VPCs, AZ columns, subnets
    items: list[Box] = field(default_factory=list)  # instances, ENIs, NAT gateways, IGWs
    chips: list[Box] = field(default_factory=list)  # route tables, NACLs, SGs, EIPs
    lines: list[dict[str, Any]] = field(default_factory=list)
    paths: list[dict[str, Any]] = field(default_factory=list)

    def find(self, rid: str) -> Box | None:
        for box in self.containers + self.items + self.chips:
            if box.id == rid:
                return box
        return None


def is_public(topology: Topology, subnet: Subnet) -> bool:
    """Public is a fact of routing: the subnet's table routes to an attached IGW (VPC UG)."""
    rtb = topology.route_table_for(subnet.subnet_id)
    if rtb is None:
        return False
    return any(
        r.target_type == "internet-gateway" and route_state(topology, r) == "active"
        for r in rtb.routes
    )


def naming_warning(subnet: Subnet, public: bool) -> str:
    name = (subnet.name or "").lower()
    if public and "private" in name:
        return _(
            "Named “%(name)s”, but its route table sends traffic to an internet "
            "gateway: it is a public subnet."
        ) % {"name": subnet.name}
    if not public and "public" in name:
        return _(
            "Named “%(name)s”, but its route table has no route to an internet "
            "gateway: it is a private subnet."
        ) % {"name": subnet.name}
    return ""


def text_width(text: str) -> int:
    """Width in Latin letters: a Japanese character takes about two."""
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)


def _label(resource: Any, rid: str) -> str:
    return resource.name or rid


# One hop of a traced path on the diagram: the component's id and how it is drawn there:
# ``on`` (the packet passes), ``blocked`` (it stops here: a red ✕) or ``after`` (a would-be hop,
# after a block: greyed, the line dotted).
Mark = tuple[str, str]
SENDERS = ("instance", "network-interface")  # what a path from inside the topology starts with


def trace_marks(result: dict[str, Any], path: str) -> list[Mark]:
    """The components of one path of an analysis result, in order, each with its mark. A request
    from the internet starts at the internet (its first hop is the gateway it enters by)."""
    hops = result.get(path) or []
    marks: list[Mark] = []
    if path == "forward_path" and hops and hops[0]["component"]["type"] not in SENDERS:
        marks.append(("internet", "on"))
    for hop in hops:
        if hop.get("after_block"):
            state = "after"
        else:
            state = "blocked" if hop.get("action") == "blocked" else "on"
        marks.append((hop["component"]["id"], state))
        if "subnet" in hop:
            marks.append((hop["subnet"]["id"], "after" if state == "after" else "on"))
    return marks


def layout(topology: Topology, highlight: dict[str, list[Mark]] | None = None) -> Diagram:
    """Positions for every element; ``highlight`` maps forward/return to their marks."""
    zones_order = {z: i for i, z in enumerate(availability_zones(topology.region))}
    left = 24.0 + INTERNET_W + 40
    y = 56.0
    region = Box(
        topology.region,
        "region",
        _("Region %(region)s") % {"region": topology.region},
        left - 24,
        24,
        0,
        0,
    )
    diagram = Diagram(0, 0, region)
    width = left
    for vpc in sorted(topology.vpcs.values(), key=lambda v: (v.cidr_block, v.vpc_id)):
        subnets = sorted(topology.subnets_of(vpc.vpc_id), key=lambda s: (s.cidr_block, s.subnet_id))
        zones = sorted(
            {s.availability_zone for s in subnets}, key=lambda z: (zones_order.get(z, 99), z)
        ) or [_("(no subnet yet)")]
        vpc_box = Box(
            vpc.vpc_id,
            "vpc",
            _label(vpc, vpc.vpc_id),
            left,
            y,
            0,
            0,
            detail=", ".join(str(b) for b in vpc.cidr_blocks),
            css="vpc-default" if vpc.is_default else "",
        )
        diagram.containers.append(vpc_box)
        column_top = y + 44
        column_bottom = column_top
        for index, zone in enumerate(zones):
            x = left + 44 + index * (COLUMN_W + 16)
            zone_box = Box(
                f"az:{vpc.vpc_id}:{zone}", "availability-zone", zone, x, column_top, COLUMN_W, 0
            )
            diagram.containers.append(zone_box)
            sy = column_top + 30
            for subnet in (s for s in subnets if s.availability_zone == zone):
                sy = _subnet(topology, diagram, subnet, x + 10, sy) + 12
            zone_box.h = max(sy - column_top, 70)
            column_bottom = max(column_bottom, column_top + zone_box.h)
        chips_y = column_bottom + 14
        cx: float = left + 20
        for kind, resources in (
            ("route-table", [r for r in topology.route_tables.values() if r.vpc_id == vpc.vpc_id]),
            ("network-acl", [a for a in topology.network_acls.values() if a.vpc_id == vpc.vpc_id]),
            (
                "security-group",
                [g for g in topology.security_groups.values() if g.vpc_id == vpc.vpc_id],
            ),
            (
                "dhcp-options",
                [d for d in [topology.dhcp_options.get(vpc.dhcp_options_id or "")] if d],
            ),
        ):
            for resource in sorted(resources, key=lambda r: r.name or ""):
                rid = resource_id(resource)
                suffix = (
                    _(" (main)")
                    if getattr(resource, "is_main", False)
                    else (_(" (default)") if getattr(resource, "is_default", False) else "")
                )
                if kind == "dhcp-options":
                    suffix = " (DHCP)"
                label = f"{_label(resource, rid)}{suffix}"[:34]
                w = 40 + 6.4 * text_width(label)
                if cx + w > left + 44 + max(len(zones), 1) * (COLUMN_W + 16):
                    cx = left + 20
                    chips_y += 30
                diagram.chips.append(Box(rid, kind, label, cx, chips_y, w, 24))
                cx += w + 8
        vpc_box.w = max(len(zones), 1) * (COLUMN_W + 16) + 48
        vpc_box.h = chips_y + 40 - y
        igw = topology.internet_gateway_of(vpc.vpc_id)
        if igw is not None:
            diagram.items.append(
                Box(
                    igw.internet_gateway_id,
                    "internet-gateway",
                    _label(igw, igw.internet_gateway_id),
                    left - 28,
                    y + vpc_box.h / 2 - 28,
                    56,
                    56,
                    detail=igw.internet_gateway_id,
                )
            )
        width = max(width, left + vpc_box.w)
        y += vpc_box.h + 40
    _peerings(topology, diagram, width)
    loose = [a for a in topology.addresses.values() if not a.association_id]
    detached = [g for g in topology.internet_gateways.values() if g.vpc_id is None]
    cx = left
    for eip in sorted(loose, key=lambda a: a.public_ip):
        diagram.chips.append(
            Box(
                eip.allocation_id,
                "address",
                f"EIP {eip.public_ip}",
                cx,
                y,
                150,
                24,
                detail=_("not associated"),
            )
        )
        cx += 158
    for igw in detached:
        diagram.chips.append(
            Box(
                igw.internet_gateway_id,
                "internet-gateway",
                _("%(name)s (detached)") % {"name": _label(igw, igw.internet_gateway_id)},
                cx,
                y,
                190,
                24,
            )
        )
        cx += 198
    if loose or detached:
        y += 40
    region.w = max(width - region.x + 40, 420)
    region.h = max(y - region.y, 120)
    diagram.width = region.x + region.w + 24
    diagram.height = region.y + region.h + 24
    internet = Box("internet", "internet", "Internet", 24, 40, INTERNET_W, 70)
    diagram.items.append(internet)
    for box in diagram.items:
        if box.kind == "internet-gateway":
            diagram.lines.append(
                {
                    "x1": internet.x + internet.w,
                    "y1": internet.cy,
                    "x2": box.x,
                    "y2": box.cy,
                    "css": "link-internet",
                }
            )
    if highlight:
        _highlight(topology, diagram, highlight)
    return diagram


def _subnet(topology: Topology, diagram: Diagram, subnet: Subnet, x: float, y: float) -> float:
    public = is_public(topology, subnet)
    items: list[Box] = []
    enis = sorted(topology.enis_in_subnet(subnet.subnet_id), key=lambda e: e.primary_ip)
    seen_instances: set[str] = set()
    for eni in enis:
        nat = topology.nat_gateway_of_eni(eni.network_interface_id)
        if nat is not None:
            items.append(
                Box(
                    nat.nat_gateway_id,
                    "nat-gateway",
                    _label(nat, nat.nat_gateway_id),
                    0,
                    0,
                    ITEM_W,
                    ITEM_H,
                    detail=str(nat.private_ip),
                )
            )
            continue
        instance = topology.instances.get(eni.instance_id or "")
        if instance is not None and eni.attachment and eni.attachment.device_index == 0:
            if instance.instance_id in seen_instances:
                continue
            seen_instances.add(instance.instance_id)
            public_ip = topology.public_ip_of(eni, eni.primary_ip)
            items.append(
                Box(
                    instance.instance_id,
                    "instance",
                    _label(instance, instance.instance_id),
                    0,
                    0,
                    ITEM_W,
                    ITEM_H,
                    detail=f"{eni.primary_ip}" + (f" · {public_ip}" if public_ip else ""),
                    css=f"state-{instance.state}",
                )
            )
        elif eni.interface_type == "interface":
            items.append(
                Box(
                    eni.network_interface_id,
                    "network-interface",
                    _label(eni, eni.network_interface_id),
                    0,
                    0,
                    ITEM_W,
                    ITEM_H,
                    detail=str(eni.primary_ip),
                )
            )
    per_row = 2
    rows = (len(items) + per_row - 1) // per_row
    height = 46 + rows * (ITEM_H + 8) + (8 if items else 0)
    box = Box(
        subnet.subnet_id,
        "subnet",
        _label(subnet, subnet.subnet_id),
        x,
        y,
        COLUMN_W - 20,
        height,
        detail=f"{subnet.cidr_block} · {_('public') if public else _('private')}",
        colour=PUBLIC if public else PRIVATE,
        css="public" if public else "private",
        warning=naming_warning(subnet, public),
    )
    diagram.containers.append(box)
    for i, item in enumerate(items):
        item.x = x + 10 + (i % per_row) * (ITEM_W + 8)
        item.y = y + 46 + (i // per_row) * (ITEM_H + 8)
        diagram.items.append(item)
    return y + height


def _peerings(topology: Topology, diagram: Diagram, width: float) -> None:
    for n, pcx in enumerate(
        sorted(topology.peerings.values(), key=lambda p: p.vpc_peering_connection_id)
    ):
        if pcx.status in ("deleted", "rejected", "failed"):
            continue
        a = diagram.find(pcx.requester_vpc_id)
        b = diagram.find(pcx.accepter_vpc_id)
        if a is None or b is None:
            continue
        x = width + 20 + n * 18
        diagram.lines.append(
            {
                "x1": a.x + a.w,
                "y1": a.cy,
                "x2": x,
                "y2": a.cy,
                "css": f"peering peering-{pcx.status}",
            }
        )
        diagram.lines.append(
            {"x1": x, "y1": a.cy, "x2": x, "y2": b.cy, "css": f"peering peering-{pcx.status}"}
        )
        diagram.lines.append(
            {
                "x1": x,
                "y1": b.cy,
                "x2": b.x + b.w,
                "y2": b.cy,
                "css": f"peering peering-{pcx.status}",
            }
        )
        diagram.chips.append(
            Box(
                pcx.vpc_peering_connection_id,
                "vpc-peering-connection",
                f"{_label(pcx, pcx.vpc_peering_connection_id)} ({state_word(pcx.status)})",
                x - 60,
                (a.cy + b.cy) / 2 - 12,
                120,
                24,
            )
        )


ROUTED_KINDS = ("instance", "network-interface", "nat-gateway", "internet-gateway", "internet")


def _highlight(topology: Topology, diagram: Diagram, highlight: dict[str, list[Mark]]) -> None:
    """Mark the boxes a path passes; draw it solid up to the first block, dotted after it."""
    for direction, marks in highlight.items():
        solid: list[Box] = []
        after: list[Box] = []
        for rid, state in marks:
            box = _box_of(topology, diagram, rid)
            if box is None:
                continue
            _mark(box, direction, state)
            if box.kind not in ROUTED_KINDS:
                continue
            line = after if state == "after" else solid
            if state == "after" and not after and solid:
                after.append(solid[-1])  # the dotted part starts where the solid part stops
            if not line or line[-1] is not box:
                line.append(box)
        offset = 0 if direction == "forward" else 6
        for line, css, marker in (
            (solid, f"trace-{direction}", "fwd" if direction == "forward" else "ret"),
            (after, f"trace-{direction} trace-after", "after"),
        ):
            if len(line) > 1:
                points = [(b.cx, b.cy) for b in line[:-1]] + [_to_edge(line[-2], line[-1])]
                text = " ".join(f"{px + offset:.0f},{py + offset:.0f}" for px, py in points)
                diagram.paths.append({"css": css, "points": text, "marker": marker})


def _to_edge(start: Box, end: Box) -> tuple[float, float]:
    """Where the line from ``start``'s centre meets ``end``'s edge: the arrow ends there, not
    on the box's text."""
    dx, dy = end.cx - start.cx, end.cy - start.cy
    scales = [end.w / 2 / abs(dx) if dx else 1.0, end.h / 2 / abs(dy) if dy else 1.0]
    t = min(*scales, 1.0)
    return end.cx - dx * t, end.cy - dy * t


def _box_of(topology: Topology, diagram: Diagram, rid: str) -> Box | None:
    box = diagram.find(rid)
    if box is None and rid.startswith("eni-"):
        eni = topology.network_interfaces.get(rid)
        box = diagram.find(eni.instance_id or "") if eni else None
    return box


def _mark(box: Box, direction: str, state: str) -> None:
    classes = box.css.split()
    wanted = [f"after-{direction}" if state == "after" else f"on-{direction}"]
    if state == "blocked":
        wanted.append("blocked")
        box.blocked = True
    classes += [c for c in wanted if c not in classes]
    box.css = " ".join(classes)

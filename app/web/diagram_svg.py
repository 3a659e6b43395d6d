"""The diagram's boxes as SVG markup: one link per resource, written in one pass.

templates/_diagram.html draws the frame (title, legend markers, region, lines, traced paths);
the thousands of boxes inside are written here. Through Jinja each box cost a dozen printed
values, each escaped into a new Markup object (tier L: ~150,000 of them, ~0.5 s for every
first view of a revision); here only the texts a learner typed or the lab named are escaped,
and numbers are written as whole pixels.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.i18n import gettext as _

from .diagram import Box, Diagram

ITEM_TAGS = {"instance": "EC2", "nat-gateway": "NAT", "network-interface": "ENI"}
CHIP_TAGS = {
    "route-table": "RT",
    "network-acl": "ACL",
    "security-group": "SG",
    "vpc-peering-connection": "PCX",
}


def truncate(text: str, length: int) -> str:
    """Jinja's ``truncate(length, True, '…')`` (leeway 5): what the template did."""
    return text if len(text) <= length + 5 else text[: length - 1] + "…"


def _xy(box: Box, dx: float, dy: float) -> str:
    return f'x="{box.x + dx:.0f}" y="{box.y + dy:.0f}"'


def _rect(box: Box, rx: int) -> str:
    return (
        f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" '
        f'rx="{rx}"/>'
    )


class SvgWriter:
    """Writes the boxes of one diagram in the reader's language."""

    def __init__(self, topology_id: str, kind_labels: dict[str, str]) -> None:
        self.link = f"/topologies/{escape(topology_id)}?select="
        self.kind_labels = kind_labels
        self.blocked_words = _(", blocks the traced packet")
        self.blocked_title = escape(_("The traced packet is blocked here"))

    def _open(self, box: Box, css: str, words: str) -> str:
        if box.blocked:
            words += self.blocked_words
        rid = escape(box.id)
        return (
            f'<a href="{self.link}{rid}" class="{css} {escape(box.css)}" data-id="{rid}" '
            f'aria-label="{escape(words)}">'
        )

    def _block_mark(self, box: Box) -> str:
        if not box.blocked:
            return ""
        return (
            f'<g class="block-mark"><title>{self.blocked_title}</title>'
            f'<circle cx="{box.x + box.w - 4}" cy="{box.y + 4}" r="10"/>'
            f'<text x="{box.x + box.w - 4}" y="{box.y + 9}" text-anchor="middle">✕</text></g>'
        )

    def _words(self, box: Box, *, detail: bool = True) -> str:
        words = f"{self.kind_labels.get(box.kind, box.kind)} {box.label}"
        return f"{words} {box.detail}" if detail else words

    def container(self, box: Box) -> str:
        if box.kind == "availability-zone":
            label = escape(box.label)
            return f'<g class="az">{_rect(box, 4)}<text {_xy(box, 10, 18)}>{label}</text></g>'
        subnet = box.kind == "subnet"
        band = (
            f'<rect class="subnet-band" {_xy(box, 0, 0)} width="{box.w:.0f}" height="38" rx="4"/>'
            if subnet
            else ""
        )
        warning = (
            f'<g class="warning"><title>{escape(box.warning)}</title>'
            f"<text {_xy(box, box.w - 22, 21)}>⚠</text></g>"
            if box.warning
            else ""
        )
        return (
            self._open(box, f"node node-{box.kind}", self._words(box))
            + _rect(box, 4)
            + band
            + f'<text class="label" {_xy(box, 10, 16 if subnet else 20)}>'
            f"{escape(truncate(box.label, 34))}</text>"
            f'<text class="detail" {_xy(box, 10, 32 if subnet else 38)}>{escape(box.detail)}</text>'
            + warning
            + self._block_mark(box)
            + "</a>"
        )

    def item(self, box: Box) -> str:
        if box.kind == "internet":
            return (
                f'<g class="node node-internet {escape(box.css)}" data-id="internet">'
                f"{_rect(box, 35)}"
                f'<text class="label" x="{box.cx:.0f}" y="{box.cy + 5:.0f}" text-anchor="middle">'
                f"☁ {escape(_('Internet'))}</text>{self._block_mark(box)}</g>"
            )
        opening = self._open(box, f"node node-{box.kind}", self._words(box))
        if box.kind == "internet-gateway":
            name = (
                f'<text class="detail" x="{box.cx:.0f}" y="{box.y + box.h + 14:.0f}" '
                f'text-anchor="middle">{escape(truncate(box.label, 18))}</text>'
                if box.label != box.id
                else ""
            )
            return (
                opening
                + _rect(box, 28)
                + f'<text class="label" x="{box.cx:.0f}" y="{box.cy + 4:.0f}" '
                'text-anchor="middle">IGW</text>' + name + self._block_mark(box) + "</a>"
            )
        return (
            opening
            + _rect(box, 4)
            + f'<text class="kind-tag" {_xy(box, 8, 15)}>{ITEM_TAGS[box.kind]}</text>'
            f'<text class="label" {_xy(box, 8, 30)}>{escape(truncate(box.label, 15))}</text>'
            f'<text class="detail" {_xy(box, 8, 44)}>{escape(truncate(box.detail, 20))}</text>'
            + self._block_mark(box)
            + "</a>"
        )

    def chip(self, box: Box) -> str:
        return (
            self._open(box, f"chip chip-{box.kind}", self._words(box, detail=False))
            + _rect(box, 12)
            + f"<text {_xy(box, 10, 16)}>{CHIP_TAGS.get(box.kind, '')} {escape(box.label)}</text>"
            + self._block_mark(box)
            + "</a>"
        )

    def boxes(self, diagram: Diagram) -> Markup:
        """Containers (VPCs, zones, subnets) first, then what they hold, then the chips."""
        lines = [self.container(b) for b in diagram.containers]
        lines += [self.item(b) for b in diagram.items]
        lines += [self.chip(b) for b in diagram.chips]
        return Markup("\n".join(lines))

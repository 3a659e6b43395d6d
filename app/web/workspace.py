"""The state of the workspace page: diagram, selected resource, editors' options, test results."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from ipaddress import IPv4Address
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from app.db.store import Store
from app.engine import AwsError, Topology
from app.engine.addressing import usable_count
from app.engine.kinds import KINDS as DECLARED_KINDS
from app.engine.labels import nacl_entry_label
from app.engine.model import Vpc
from app.engine.regions import availability_zones
from app.engine.request import DEFAULT_INTERNET_DESTINATION, DEFAULT_INTERNET_SOURCE
from app.engine.routing import describe_target, route_state
from app.engine.services import (
    AMAZON_DNS_LINK_LOCAL,
    INSTANCE_METADATA,
    TIME_SYNC,
    amazon_dns_address,
    service_at,
)
from app.engine.topology import KINDS, resource_id
from app.i18n import current_language
from app.i18n import gettext as _
from app.labs.progress import Progress

from .actions import AMIS, INSTANCE_TYPES, MY_IP, NACL_PRESET_LABELS, PRESET_LABELS
from .cache import Lru
from .diagram import Mark, is_public, layout, naming_warning, trace_marks
from .diagram_svg import SvgWriter
from .language import N_
from .render import env

# "Test connection" presets: the console's common ports, and ping. The labels are message ids
# (N_ marks them for Babel); the pages translate them when they show them.
TEST_PRESETS: dict[str, tuple[str, int | None, str]] = {
    "ssh": ("tcp", 22, N_("SSH (TCP 22)")),
    "http": ("tcp", 80, N_("HTTP (TCP 80)")),
    "https": ("tcp", 443, N_("HTTPS (TCP 443)")),
    "mysql": ("tcp", 3306, N_("MySQL (TCP 3306)")),
    "ping": ("icmp", None, N_("Ping (ICMP echo)")),
    "dns": ("udp", 53, N_("DNS (UDP 53)")),
    "ntp": ("udp", 123, N_("NTP (UDP 123)")),
    "custom-tcp": ("tcp", None, N_("Custom TCP")),
    "custom-udp": ("udp", None, N_("Custom UDP")),
}
KIND_LABELS = {kind.name: kind.label for kind in DECLARED_KINDS}
# The inspector's title over each create form, as the form's button says it.
CREATE_TITLES = {
    "vpc": N_("Create VPC"),
    "dhcp-options": N_("Create DHCP options set"),
    "subnet": N_("Create subnet"),
    "internet-gateway": N_("Create internet gateway"),
    "route-table": N_("Create route table"),
    "nat-gateway": N_("Create NAT gateway"),
    "security-group": N_("Create security group"),
    "network-acl": N_("Create network ACL"),
    "network-interface": N_("Create network interface"),
    "instance": N_("Launch an instance"),
    "address": N_("Allocate Elastic IP"),
    "vpc-peering-connection": N_("Create peering connection"),
}
# Component types of a trace, written as the console writes them.
COMPONENT_LABELS = {
    **KIND_LABELS,
    "internet": N_("Internet"),
    "amazon-dns": N_("Amazon DNS server"),
    "instance-metadata": N_("Instance metadata"),
    "time-sync": N_("Amazon Time Sync Service"),
    "link-local": N_("Link-local address"),
    "transit-gateway": N_("Transit gateway"),
    "gateway": N_("Gateway"),
}


# A hop's action and a rule's direction, as the badges show them (the values stay the engine's).
ACTION_WORDS = {
    "allowed": N_("allowed"),
    "blocked": N_("blocked"),
    "delivered": N_("delivered"),
    "forwarded": N_("forwarded"),
    "translated": N_("translated"),
    "sent": N_("sent"),
}
DIRECTION_WORDS = {
    "ingress": N_("ingress"),
    "egress": N_("egress"),
    "inbound": N_("inbound"),
    "outbound": N_("outbound"),
}
# Which leg an explanation is on.
PATH_WORDS = {"forward": N_("forward path"), "return": N_("return path")}


def translated(labels: dict[str, str]) -> dict[str, str]:
    """``labels`` in the reader's language (the values are message ids)."""
    return {key: _(label) for key, label in labels.items()}


@dataclass
class TestForm:
    """What the learner chose in "Test connection"."""

    source: str = "internet"
    source_ip: str = str(DEFAULT_INTERNET_SOURCE)
    destination: str = ""
    destination_ip: str = ""
    preset: str = "ssh"
    port: str = ""

    @classmethod
    def from_form(cls, form: dict[str, Any]) -> TestForm:
        def get(name: str) -> str:
            return str(form.get(name, "") or "").strip()[:64]

        return cls(
            source=get("source") or "internet",
            source_ip=get("source_ip"),
            destination=get("destination"),
            destination_ip=get("destination_ip"),
            preset=get("preset") or "ssh",
            port=get("port"),
        )

    @classmethod
    def from_request(cls, request: dict[str, Any]) -> TestForm:
        protocol = request.get("protocol", "tcp")
        port = request.get("destination_port")
        preset = next(
            (k for k, (p, n, _label) in TEST_PRESETS.items() if p == protocol and n == port),
            "ping" if protocol == "icmp" else f"custom-{protocol}",
        )
        return cls(
            source=str(request.get("source", "")),
            source_ip=str(request.get("source_ip", "") or ""),
            destination=str(request.get("destination", "")),
            destination_ip=str(request.get("destination_ip", "") or ""),
            preset=preset,
            port=str(port or ""),
        )

    def request(self) -> dict[str, Any]:
        if not self.destination:
            raise AwsError("MissingParameter", _("Choose a destination."))
        if self.preset not in TEST_PRESETS:
            raise AwsError("InvalidParameterValue", _("Choose what to test (SSH, HTTP, ping…)."))
        protocol, port, _label = TEST_PRESETS[self.preset]
        request: dict[str, Any] = {
            "source": self.source,
            "destination": self.destination,
            "protocol": protocol,
        }
        if protocol != "icmp":
            if port is None:
                if not self.port.isdigit():
                    raise AwsError("InvalidParameterValue", _("Give the port to test, e.g. 8080."))
                port = int(self.port)
            request["destination_port"] = port
        if self.source_ip and self.source == "internet":
            request["source_ip"] = self.source_ip
        if self.destination_ip and self.destination == "internet":
            request["destination_ip"] = self.destination_ip
        return request


def _name(resource: Any, rid: str) -> str:
    name = getattr(resource, "name", None)
    return f"{name} ({rid})" if name else rid


def find(model: Topology, rid: str) -> tuple[str, Any] | None:
    for kind in KINDS:
        resource = model.resources[kind].get(rid)
        if resource is not None:
            return kind, resource
    return None


class Choices:
    """The options of a long select box (every subnet, group, instance and ENI), written once
    per revision and language: ``html(selected)`` marks the chosen ones in that text instead of
    writing thousands of ``<option>`` tags again at every view."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self._values = {value for value, _text in pairs}
        self._html = "".join(
            f'<option value="{escape(value)}">{escape(text)}</option>' for value, text in pairs
        )

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __radd__(self, head: list[tuple[str, str]]) -> Choices:
        """``[(value, text), …] + choices``: a few options first, the long list's text reused."""
        joined = Choices(list(head))
        joined.pairs += self.pairs
        joined._values |= self._values
        joined._html += self._html
        return joined

    def html(self, selected: str | Iterable[str] | None) -> Markup:
        chosen = [selected] if isinstance(selected, str) else list(selected or ())
        html = self._html
        for value in chosen:
            if value in self._values:
                tag = f'<option value="{escape(value)}"'
                html = html.replace(f"{tag}>", f"{tag} selected>", 1)
        return Markup(html)


def _options_weight(found: dict[str, Any]) -> int:
    """About the bytes of one revision's options: their text, mostly."""
    return 4096 + sum(len(c._html) for c in found.values() if isinstance(c, Choices))


# ``options(model)`` per topology revision and language: sorting and labelling thousands of
# resources for the select boxes is the same work for every view of one revision. Kept by size
# (tier L's are ~1 MB, a course lab's ~5 KB): a class of a hundred labs all stay.
OPTIONS: Lru[dict[str, Any]] = Lru(32 * 1024 * 1024, _options_weight)


def options(model: Topology) -> dict[str, Any]:
    """What the editors' select boxes offer."""
    vpcs = sorted(model.vpcs.values(), key=lambda v: v.cidr_block)
    subnets = sorted(model.subnets.values(), key=lambda s: (s.vpc_id, s.cidr_block))
    instances = sorted(model.instances.values(), key=lambda i: (i.name or "", i.instance_id))
    enis = sorted(model.network_interfaces.values(), key=lambda e: e.primary_ip)
    live = [i for i in instances if i.state != "terminated"]
    primaries = {i.instance_id: model.primary_eni(i.instance_id) for i in live}
    endpoints = [
        (i.instance_id, f"{_name(i, i.instance_id)} · {eni.primary_ip}")
        for i in live
        if (eni := primaries[i.instance_id]) is not None
    ]
    endpoints += [
        (e.network_interface_id, f"{_name(e, e.network_interface_id)} · {e.primary_ip}")
        for e in enis
        if e.interface_type == "interface" and not e.instance_id
    ]
    return {
        "vpcs": [(v.vpc_id, f"{_name(v, v.vpc_id)} · {v.cidr_block}") for v in vpcs],
        "dhcp_options": [
            (d.dhcp_options_id, " · ".join([_name(d, d.dhcp_options_id), *d.values("domain-name")]))
            for d in sorted(model.dhcp_options.values(), key=lambda d: d.dhcp_options_id)
        ]
        + [("default", _("No DHCP options (default)"))],
        "subnets": Choices(
            [
                (s.subnet_id, f"{_name(s, s.subnet_id)} · {s.cidr_block} · {s.availability_zone}")
                for s in subnets
            ]
        ),
        "zones": availability_zones(model.region),
        "groups": [
            (g.group_id, f"{g.group_name} ({g.group_id})", g.vpc_id)
            for g in sorted(model.security_groups.values(), key=lambda g: g.group_name)
        ],
        "instances": [(i.instance_id, _name(i, i.instance_id)) for i in live],
        "free_enis": [
            (e.network_interface_id, f"{_name(e, e.network_interface_id)} · {e.primary_ip}")
            for e in enis
            if e.attachment is None and e.interface_type == "interface"
        ],
        "free_eips": [
            (a.allocation_id, f"{a.public_ip} ({a.allocation_id})")
            for a in model.addresses.values()
            if not a.association_id
        ],
        "eip_targets": [(i, label) for i, label in endpoints if i.startswith("i-")]
        + [
            (f"{e.network_interface_id}@{ip}", f"{_name(e, e.network_interface_id)} · {ip}")
            for e in enis
            if e.interface_type == "interface"
            for ip in e.addresses
        ],
        "endpoints": Choices(endpoints),
        "services": Choices(service_choices(vpcs)),
        "zone_choices": [(z, z) for z in availability_zones(model.region)],
        "type_choices": [(t, t) for t in INSTANCE_TYPES],
        "group_choices": Choices(
            [
                (g.group_id, f"{g.group_name} ({g.group_id}) · {g.vpc_id}")
                for g in sorted(
                    model.security_groups.values(), key=lambda g: (g.vpc_id, g.group_name)
                )
            ]
        ),
        "amis": AMIS,
        "instance_types": INSTANCE_TYPES,
        "sg_presets": translated(PRESET_LABELS),
        "nacl_presets": translated(NACL_PRESET_LABELS),
        "test_presets": {key: _(label) for key, (_p, _n, label) in TEST_PRESETS.items()},
        "my_ip": MY_IP,
        "default_source": str(DEFAULT_INTERNET_SOURCE),
        "default_destination": str(DEFAULT_INTERNET_DESTINATION),
    }


def service_choices(vpcs: list[Vpc]) -> list[tuple[str, str]]:
    """The AWS-provided services an instance reaches whatever its groups and ACLs say."""
    return [
        *(
            (
                str(amazon_dns_address(v)),
                _("Amazon DNS server of %(vpc)s") % {"vpc": _name(v, v.vpc_id)},
            )
            for v in vpcs
        ),
        (str(AMAZON_DNS_LINK_LOCAL), f"{_('Amazon DNS server')} · {AMAZON_DNS_LINK_LOCAL}"),
        (str(INSTANCE_METADATA), f"{_('Instance metadata')} · {INSTANCE_METADATA}"),
        (str(TIME_SYNC), f"{_('Amazon Time Sync Service')} · {TIME_SYNC}"),
    ]


def route_targets(model: Topology, vpc_id: str) -> list[tuple[str, str]]:
    targets: list[tuple[str, str]] = []
    igw = model.internet_gateway_of(vpc_id)
    if igw is not None:
        targets.append(
            (
                igw.internet_gateway_id,
                f"{_('Internet gateway')} · {_name(igw, igw.internet_gateway_id)}",
            )
        )
    targets += [
        (n.nat_gateway_id, f"{_('NAT gateway')} · {_name(n, n.nat_gateway_id)}")
        for n in model.nat_gateways.values()
        if n.vpc_id == vpc_id and n.state == "available"
    ]
    targets += [
        (
            p.vpc_peering_connection_id,
            f"{_('Peering connection')} · {_name(p, p.vpc_peering_connection_id)}",
        )
        for p in model.peerings.values()
        if p.peer_of(vpc_id) and p.status in ("active", "pending-acceptance")
    ]
    targets += [
        (
            e.network_interface_id,
            f"{_('Network interface')} · {_name(e, e.network_interface_id)} · {e.primary_ip}",
        )
        for e in model.network_interfaces.values()
        if e.vpc_id == vpc_id and e.interface_type == "interface"
    ]
    return targets


def endpoint_label(model: Topology, value: str) -> str:
    """``web-server (i-…)`` for an instance or ENI of the topology, ``the Amazon DNS server
    at 10.0.0.2`` for a service AWS provides; the value itself otherwise."""
    if value == "internet":
        return _("internet")
    found = find(model, value)
    if found:
        return _name(found[1], value)
    try:
        service = service_at(model, IPv4Address(value))
    except ValueError:
        return value
    if not service:
        return value
    return _("the %(service)s at %(address)s") % {"service": _(service.title), "address": value}


# Rendered diagrams. The SVG of a large topology takes most of a workspace page's time (tier L:
# ~0.2 s, 2.7 MB) and changes only when the topology does (a new revision, a rename) or another
# path is drawn on it; every other view reuses it. Kept by size: a course lab's is ~10 KB, so
# 64 MB holds every diagram a class is looking at, or a score of tier L's.
DIAGRAMS: Lru[Markup] = Lru(64 * 1024 * 1024, len)


def diagram_html(
    topology: dict[str, Any], model: Topology, highlight: dict[str, list[Mark]] | None
) -> Markup:
    paths = tuple(sorted((k, tuple(v)) for k, v in (highlight or {}).items()))
    # The words of the legend and labels are the reader's: one drawing per language.
    language = current_language.get()
    key = (
        topology["id"],
        topology["revision"],
        topology["name"],
        topology["region"],
        paths,
        language,
    )

    def draw() -> Markup:
        diagram = layout(model, highlight)
        context = {
            "diagram": diagram,
            "boxes": SvgWriter(topology["id"], translated(KIND_LABELS)).boxes(diagram),
            "topology": topology,
            "model": model,
        }
        return Markup(env.get_template("_diagram.html").render(context))

    return DIAGRAMS.get(key, draw)


class _LazyHtml:
    """Markup computed when a template first prints it."""

    def __init__(self, compute: Callable[[], Markup]) -> None:
        self._compute = compute

    def __html__(self) -> str:
        return str(self._compute())


class _Lazy:
    """A value computed on first attribute access: the diagram of a large topology costs
    a second, and fragments that do not show it should not pay for it."""

    def __init__(self, compute: Any) -> None:
        self._compute = compute
        self._value: Any = None

    def _get(self) -> Any:
        if self._value is None:
            self._value = self._compute()
        return self._value

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)

    def __getitem__(self, key: Any) -> Any:
        return self._get()[key]


def lab_panel(store: Store, topology: dict[str, Any]) -> Progress | None:
    """The guided lab the topology follows, its step evaluated now (None: it follows none, or
    its lab file is gone). Every render evaluates it: a check never shows green once it fails."""
    if not topology.get("lab"):
        return None
    try:
        return store.lab_progress(topology["id"])[1]
    except AwsError as error:
        if error.code == "InvalidLabID.NotFound":
            return None
        raise


def workspace_context(
    store: Store,
    topology_id: str,
    *,
    select: str = "",
    create: str = "",
    saved_test: int | None = None,
    failed: dict[str, Any] | None = None,
    test: TestForm | None = None,
    save: bool = False,
    reruns: list[dict[str, Any]] | None = None,
    notice: str | None = None,
    lab_error: AwsError | None = None,
) -> dict[str, Any]:
    topology, model = store.model(topology_id)
    # Whose lab this is; an instructor reading a student's sees it without a way to change it.
    access = store.access(topology_id)
    if not access["writable"]:
        create, save = "", False
    result: dict[str, Any] | None = None
    test_error: AwsError | None = None
    if test is not None:
        try:
            result = store.run_analysis(topology_id, test.request(), keep=save)
        except AwsError as error:
            test_error = error
    elif saved_test:
        try:
            result = store.get_analysis(topology_id, saved_test)
            test = TestForm.from_request(result["submitted"])
        except AwsError as error:
            test_error = error
    highlight = (
        {
            "forward": trace_marks(result, "forward_path"),
            "return": trace_marks(result, "return_path"),
        }
        if result
        else None
    )
    found = find(model, select) if select else None
    query = {
        k: v
        for k, v in (
            ("select", select if found else ""),
            ("create", create),
            ("test", result.get("id") if result else ""),
        )
        if v
    }
    return {
        "topology": topology,
        "access": access,
        "model": model,
        # Computed when a template first asks (an editor-only fragment never does).
        "diagram": _LazyHtml(lambda: diagram_html(topology, model, highlight)),
        "selected": found,
        "create": create if create in KIND_LABELS else "",
        "failed": failed or {},
        "test": test or TestForm(),
        "result": result,
        "test_error": test_error,
        "saved": store.list_analyses(topology_id),
        "reruns": reruns,
        "notice": notice,
        # Evaluated when the workspace block shows the panel (an editor fragment never does).
        "lab_panel": lambda: lab_panel(store, topology),
        "lab_error": lab_error,
        "options": _Lazy(
            lambda: OPTIONS.get(
                (topology["id"], topology["revision"], current_language.get()),
                lambda: options(model),
            )
        ),
        "kind_labels": translated(KIND_LABELS),
        "create_titles": translated(CREATE_TITLES),
        "component_labels": translated(COMPONENT_LABELS),
        "action_words": translated(ACTION_WORDS),
        "direction_words": translated(DIRECTION_WORDS),
        "path_words": translated(PATH_WORDS),
        "url": f"/topologies/{topology_id}" + (f"?{urlencode(query)}" if query else ""),
        # helpers for the templates
        "route_targets": route_targets,
        "route_state": route_state,
        "describe_target": describe_target,
        "nacl_label": nacl_entry_label,
        "is_public": is_public,
        "naming_warning": naming_warning,
        "usable_count": usable_count,
        "name_of": _name,
        "rid": resource_id,
        "endpoint": lambda value: endpoint_label(model, str(value)),
    }

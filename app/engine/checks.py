"""Checks of a guided lab, decided by what the network is and does (docs/labs.md).

A *state* check counts the resources of one kind that meet some conditions ("a public /24
subnet", "an Elastic IP on the interface at 10.0.1.11"); a *flow* check runs the analysis of
"test connection" between roles ("the internet reaches a public instance on TCP 22"). Neither
ever names a generated id or a name the learner chose, so any correct design passes.

Results are data (a code and its parameters, and the deciding ``Analysis``); the faces turn them
into words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Network
from typing import Any

from .addressing import LINK_LOCAL, is_private
from .conditions import INSTANCE_CONDITIONS, KINDS, Condition, matching
from .errors import AwsError
from .exposure import interface_exposures, public_addresses
from .request import DEFAULT_INTERNET_SOURCE
from .topology import Topology, resource_id
from .trace import Analysis
from .tracer import analyze

Path = tuple[str | int, ...]


class CheckSpecError(ValueError):
    """A check's description is malformed: ``path`` leads to the offending value inside the
    check's mapping (e.g. ``("state", "subnet", "publc")``), ``problem`` says what is wrong in
    English (for lab authors)."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(problem)
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class StateCheck:
    kind: str  # vpc, subnet, internet_gateway, … (docs/labs.md)
    conditions: Mapping[str, Any]
    count: int = 1
    absent: bool = False


@dataclass(frozen=True)
class Selector:
    """An end of a flow: ``internet``, an outside IPv4 address, or instances meeting
    ``conditions`` (the instance conditions of docs/labs.md)."""

    internet: bool = False
    address: str | None = None
    conditions: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class FlowCheck:
    source: Selector
    destination: Selector
    protocol: str
    port: int | str | None  # an int, "any" (expect blocked only), None for icmp
    expect: str  # reaches | blocked


Check = StateCheck | FlowCheck


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    code: str  # ok | missing | present | no_endpoint | blocked | reachable
    params: dict[str, Any] = field(default_factory=dict)
    analysis: Analysis | None = None


def parse_check(raw: Mapping[str, Any]) -> Check:
    """A check from its mapping (exactly one of ``state`` or ``flow``; ``id`` and ``says`` are
    the lab file's business and are not passed here). Raises CheckSpecError.

    >>> parse_check({"state": {"subnet": {"public": True, "count": 2}}})
    StateCheck(kind='subnet', conditions={'public': True}, count=2, absent=False)
    """
    if not isinstance(raw, Mapping):
        raise CheckSpecError((), "expected a mapping with one of state or flow")
    for key in raw:
        if key not in ("state", "flow"):
            raise CheckSpecError((key,), f"unknown key '{key}'; a check has state or flow")
    if "state" in raw and "flow" in raw:
        raise CheckSpecError(("flow",), "a check has one of state or flow, not both")
    if "state" in raw:
        return _parse_state(raw["state"])
    if "flow" in raw:
        return _parse_flow(raw["flow"])
    raise CheckSpecError((), "a check needs state or flow")


def _known(names: Mapping[str, Any] | tuple[str, ...]) -> str:
    return ", ".join(names)


def _parse_conditions(
    raw: Any, path: Path, what: str, known: Mapping[str, Condition], extra: tuple[str, ...] = ()
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(conditions, the ``extra`` keys such as count) from a mapping of conditions."""
    if raw is None:
        return {}, {}
    if not isinstance(raw, Mapping):
        raise CheckSpecError(path, f"expected a mapping of conditions for {what}")
    conditions: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    for name, value in raw.items():
        if name in extra:
            extras[name] = value
            continue
        if name not in known:
            raise CheckSpecError(
                (*path, name),
                f"unknown condition '{name}' for {what}; known: {_known((*known, *extra))}",
            )
        try:
            conditions[name] = known[name].parse(value)
        except ValueError as error:
            raise CheckSpecError((*path, name), f"{name} of {what}: {error}") from None
    return conditions, extras


def _parse_state(raw: Any) -> StateCheck:
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise CheckSpecError(
            ("state",),
            "expected one resource kind with its conditions, such as {subnet: {public: true}}",
        )
    [(kind, raw_conditions)] = raw.items()
    if kind not in KINDS:
        raise CheckSpecError(
            ("state", kind), f"unknown resource kind '{kind}'; known: {_known(KINDS)}"
        )
    path: Path = ("state", kind)
    conditions, extras = _parse_conditions(
        raw_conditions, path, kind, KINDS[kind].conditions, ("count", "absent")
    )
    count = extras.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise CheckSpecError((*path, "count"), "count: expected a whole number, 1 or more")
    absent = extras.get("absent", False)
    if not isinstance(absent, bool):
        raise CheckSpecError((*path, "absent"), "absent: expected true or false")
    if absent and "count" in extras:
        raise CheckSpecError(
            (*path, "count"), "count has no meaning with absent: true (no resource may match)"
        )
    if absent and "distinct_azs" in conditions:
        raise CheckSpecError(
            (*path, "distinct_azs"), "distinct_azs has no meaning with absent: true"
        )
    return StateCheck(kind, conditions, count, absent)


FLOW_KEYS = ("from", "to", "protocol", "port", "expect")
PORTLESS = ("icmp",)


def _parse_flow(raw: Any) -> FlowCheck:
    if not isinstance(raw, Mapping):
        raise CheckSpecError(("flow",), f"expected a mapping with {_known(FLOW_KEYS)}")
    for key in raw:
        if key not in FLOW_KEYS:
            raise CheckSpecError(
                ("flow", key), f"unknown key '{key}' in a flow; known: {_known(FLOW_KEYS)}"
            )
    for key in ("from", "to", "protocol", "expect"):
        if key not in raw:
            raise CheckSpecError(("flow",), f"a flow needs '{key}'")
    source = _parse_end(raw["from"], ("flow", "from"))
    destination = _parse_end(raw["to"], ("flow", "to"))
    if source.conditions is None and destination.conditions is None:
        raise CheckSpecError(
            ("flow", "to"),
            "at least one end must be an instance selector such as {instance: {subnet: public}}"
            ": a flow between two hosts outside the VPC says nothing about the VPC",
        )
    protocol = raw["protocol"]
    if protocol not in ("tcp", "udp", "icmp"):
        raise CheckSpecError(("flow", "protocol"), "protocol: expected tcp, udp or icmp")
    expect = raw["expect"]
    if expect not in ("reaches", "blocked"):
        raise CheckSpecError(("flow", "expect"), "expect: expected reaches or blocked")
    port = _parse_port(raw, protocol, expect)
    if port == "any" and (destination.conditions is None or source.conditions is not None):
        # The exposure analysis answers "which ports of this interface does the internet
        # reach", nothing else: every port of a flow between instances is not a question it has.
        raise CheckSpecError(
            ("flow", "from" if destination.conditions is not None else "to"),
            "port: any is decided by the exposure analysis, which looks at traffic from the "
            "internet to instances only: use from: internet (or an address outside) and "
            "to: {instance: …}, or name one port",
        )
    return FlowCheck(source, destination, protocol, port, expect)


def _parse_port(raw: Mapping[str, Any], protocol: str, expect: str) -> int | str | None:
    path: Path = ("flow", "port")
    if protocol in PORTLESS:
        if "port" in raw:
            raise CheckSpecError(path, f"{protocol} has no port: remove port")
        return None
    if "port" not in raw:
        raise CheckSpecError(("flow",), f"a {protocol} flow needs a port (1-65535 or any)")
    port = raw["port"]
    if port == "any":
        if expect != "blocked":
            raise CheckSpecError(
                path, "port: any goes with expect: blocked only (no port reaches); name a port"
            )
        return "any"
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise CheckSpecError(path, "port: expected a whole number from 1 to 65535, or any")
    return port


def _parse_end(raw: Any, path: Path) -> Selector:
    if raw == "internet":
        return Selector(internet=True)
    if isinstance(raw, str):
        try:
            address = IPv4Address(raw.strip())
        except ValueError:
            raise CheckSpecError(
                path, f"expected internet, an IPv4 address or {{instance: …}}, got '{raw}'"
            ) from None
        if _not_outside(address):
            raise CheckSpecError(
                path,
                f"{address} is not an internet address: an address end is a host outside the "
                "VPC (such as 203.0.113.5); name an instance with {instance: {private_ip: …}}",
            )
        return Selector(address=str(address))
    if isinstance(raw, Mapping) and len(raw) == 1 and "instance" in raw:
        conditions, _ = _parse_conditions(
            raw["instance"], (*path, "instance"), "instance", INSTANCE_CONDITIONS
        )
        return Selector(conditions=conditions)
    if isinstance(raw, Mapping):
        key = next((k for k in raw if k != "instance"), "instance")
        raise CheckSpecError(
            (*path, key), f"unknown end '{key}'; expected {{instance: {{<conditions>}}}}"
        )
    raise CheckSpecError(path, "expected internet, an IPv4 address or {instance: …}")


def _not_outside(address: IPv4Address) -> bool:
    """Private, link-local or special: not a host the internet gateway talks to."""
    return (
        is_private(address)
        or address in LINK_LOCAL
        or address.is_loopback
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
    )


# ---------------------------------------------------------------------------------------------
# Evaluation


def evaluate(topology: Topology, check: Check) -> CheckResult:
    """Does ``topology`` pass ``check``? Never raises for a well-formed check.

    >>> # evaluate(t, parse_check({"state": {"subnet": {"public": True}}})).passed
    """
    if isinstance(check, StateCheck):
        return _evaluate_state(topology, check)
    if check.port == "any":
        return _evaluate_exposure(topology, check)
    return _evaluate_flow(topology, check)


def _evaluate_state(topology: Topology, check: StateCheck) -> CheckResult:
    conditions = {k: v for k, v in check.conditions.items() if k != "distinct_azs"}
    found = matching(topology, check.kind, conditions)
    params: dict[str, Any] = {
        "kind": check.kind,
        "found": len(found),
        "wanted": 0 if check.absent else check.count,
        "ids": [resource_id(r) for r in found],
    }
    if check.absent:
        return CheckResult(not found, "present" if found else "ok", params)
    passed = len(found) >= check.count
    zones_wanted = check.conditions.get("distinct_azs")
    if zones_wanted is not None:
        zones = len({subnet.availability_zone for subnet in found})
        params.update(zones=zones, zones_wanted=zones_wanted)
        passed = passed and zones >= zones_wanted
    return CheckResult(passed, "ok" if passed else "missing", params)


def _instances(topology: Topology, selector: Selector) -> list[str]:
    """The ids of the instances an end selects that can be an end (they have an interface)."""
    assert selector.conditions is not None
    return [
        i.instance_id
        for i in matching(topology, "instance", selector.conditions)
        if topology.enis_of_instance(i.instance_id)
    ]


def _ends(topology: Topology, selector: Selector) -> list[str]:
    if selector.internet:
        return ["internet"]
    if selector.address is not None:
        return [selector.address]
    return _instances(topology, selector)


def _no_endpoint(check: FlowCheck, end: str) -> CheckResult:
    return CheckResult(False, "no_endpoint", {"kind": "flow", "end": end, **_flow_params(check)})


def _flow_params(check: FlowCheck, reaching: int = 0) -> dict[str, Any]:
    """What a face needs besides the pair: ``found`` pairs reach, ``wanted``: at least one
    (reaches) or none (blocked), as the state checks count resources."""
    return {
        "found": reaching,
        "wanted": 1 if check.expect == "reaches" else 0,
        "protocol": check.protocol,
        "port": check.port,
        "expect": check.expect,
    }


def _evaluate_flow(topology: Topology, check: FlowCheck) -> CheckResult:
    sources = _ends(topology, check.source)
    if not sources:
        return _no_endpoint(check, "source")
    destinations = _ends(topology, check.destination)
    if not destinations:
        return _no_endpoint(check, "destination")
    results: list[tuple[str, str, Analysis]] = []
    for source in sources:
        for destination in destinations:
            if source == destination:
                continue  # an instance to itself is not a flow of the network
            analysis = _pair(topology, check, source, destination)
            if analysis is not None:
                results.append((source, destination, analysis))
    if not results:
        return _no_endpoint(check, "destination")
    reaching = [r for r in results if r[2].reachable]
    shown = reaching[0] if reaching else results[0]
    params = {
        "kind": "flow",
        "pairs": len(results),
        "source": shown[0],
        "destination": shown[1],
        **_flow_params(check, len(reaching)),
    }
    if check.expect == "reaches":
        passed = bool(reaching)
        return CheckResult(passed, "ok" if passed else "blocked", params, shown[2])
    passed = not reaching
    return CheckResult(passed, "ok" if passed else "reachable", params, shown[2])


def _pair(topology: Topology, check: FlowCheck, source: str, destination: str) -> Analysis | None:
    """The analysis of one pair: from outside, through each public address of the destination
    instance (an Elastic IP may sit on a secondary address or on eth1) until one reaches, else
    the first; None when test connection cannot take the pair."""
    request: dict[str, Any] = {
        "source": source,
        "destination": destination,
        "protocol": check.protocol,
    }
    if check.port is not None:
        request["destination_port"] = check.port
    addresses: list[str | None] = [None]
    if check.destination.conditions is not None and check.source.conditions is None:
        publics = [
            str(public)
            for eni in topology.enis_of_instance(destination)
            for public in public_addresses(topology, eni)
        ]
        addresses = [*publics] or [None]
    first: Analysis | None = None
    for address in addresses:
        try:
            analysis = analyze(topology, {**request, "destination_ip": address})
        except AwsError:
            continue  # an end test connection cannot take is no end of this flow
        if analysis.reachable:
            return analysis
        first = first or analysis
    return first


def _evaluate_exposure(topology: Topology, check: FlowCheck) -> CheckResult:
    """``port: any`` with ``expect: blocked``: does the exposure analysis find any port of the
    protocol open from the source to a public address of a matching instance's interfaces?"""
    instances = _instances(topology, check.destination)
    if not instances:
        return _no_endpoint(check, "destination")
    source = IPv4Address(check.source.address) if check.source.address else None
    exposed: list[tuple[str, IPv4Address, IPv4Address, int]] = []
    for instance_id in instances:
        found = _first_exposure(topology, instance_id, check.protocol, source)
        if found is not None:
            exposed.append((instance_id, *found))
    params: dict[str, Any] = {
        "kind": "flow",
        "pairs": len(instances),
        "source": check.source.address or "internet",
        "destination": exposed[0][0] if exposed else instances[0],
        **_flow_params(check, len(exposed)),
    }
    if not exposed:
        return CheckResult(True, "ok", params)
    instance_id, public_ip, peer, port = exposed[0]
    # The path of the first exposed port, from the first source admitted, as "test
    # connection" shows it (the exposure analysis is checked against the tracer by its tests).
    request: dict[str, Any] = (
        {"source": str(source)} if source else {"source": "internet", "source_ip": str(peer)}
    )
    request.update(
        destination=instance_id,
        destination_ip=str(public_ip),
        protocol=check.protocol,
        destination_port=port,
    )
    try:
        analysis: Analysis | None = analyze(topology, request)
    except AwsError:  # not expected: both ends come from the topology itself
        analysis = None
    params["exposed_port"] = port
    return CheckResult(False, "reachable", params, analysis)


def _first_exposure(
    topology: Topology, instance_id: str, protocol: str, source: IPv4Address | None
) -> tuple[IPv4Address, IPv4Address, int] | None:
    """(public address, an admitted source, the lowest open port) of the first exposure of the
    instance on ``protocol`` from ``source`` (None: from any internet address)."""
    for eni in topology.enis_of_instance(instance_id):
        for public in public_addresses(topology, eni):
            for exposure in interface_exposures(topology, eni, public):
                if exposure.protocol != protocol or exposure.port_range is None:
                    continue
                networks = [IPv4Network(cidr) for cidr in exposure.sources]
                if source is not None and not any(source in n for n in networks):
                    continue
                peer = source or (
                    DEFAULT_INTERNET_SOURCE
                    if any(DEFAULT_INTERNET_SOURCE in n for n in networks)
                    else networks[0].network_address
                )
                return public, peer, exposure.port_range[0]
    return None

"""A reply that comes back from another address than the one the client spoke to.

The client does not recognise it and drops it. The usual cause: an instance with a public address
in a subnet whose 0.0.0.0/0 goes to a NAT gateway, so its replies leave with the NAT gateway's
address; the explanation names the route table, the route and the NAT gateway, and the fix.
"""

from __future__ import annotations

import dataclasses
from ipaddress import IPv4Address

from .messages import message
from .request import ResolvedRequest
from .topology import Topology
from .trace import Explanation, Hop


def drop_asymmetric_reply(
    topology: Topology,
    hops: list[Hop],
    explanations: list[Explanation],
    got: IPv4Address,
    req: ResolvedRequest,
) -> None:
    """The reply arrives from ``got``, not the address the client spoke to: the last hop of
    ``hops`` becomes the drop and ``explanations`` gets its one explanation.

    The usual cause: an instance with a public address in a subnet whose 0.0.0.0/0 goes to a NAT
    gateway. The request comes in through the internet gateway to the instance's public IP, the
    reply leaves through the NAT gateway, which gives it its own address (VPC UG: "NAT gateways":
    a NAT gateway is for connections the VPC opens, not for answering the internet).
    """
    expected = req.header.destination_ip
    last = hops[-1]
    hops[-1] = dataclasses.replace(
        last,
        action="blocked",
        message=str(dropped := message("hop.reply.other_source", got=got, expected=expected)),
        said=dropped,
    )
    through_nat = _reply_route_to_nat(hops)
    if through_nat is None:
        explanations.append(
            Explanation.of(
                "NO_PATH",
                "return",
                last.component,
                message("explain.reply.other_way", got=got, expected=expected),
                message("fix.reply.route_back"),
            )
        )
        return
    explanations.append(_reply_through_nat(topology, last, through_nat, got, expected, req))


def _reply_route_to_nat(hops: list[Hop]) -> tuple[Hop, Hop] | None:
    """The route-table hop that sent the reply to a NAT gateway, and that gateway's hop."""
    for index, route_hop in enumerate(hops):
        if (route_hop.details.get("route") or {}).get("target_type") != "nat-gateway":
            continue
        nat_hop = next((h for h in hops[index:] if h.component.type == "nat-gateway"), None)
        if nat_hop is not None:
            return route_hop, nat_hop
    return None


def _reply_through_nat(
    topology: Topology,
    last: Hop,
    hops: tuple[Hop, Hop],
    got: IPv4Address,
    expected: IPv4Address,
    req: ResolvedRequest,
) -> Explanation:
    route_hop, nat_hop = hops
    rtb, nat = route_hop.component.id, nat_hop.component.id
    route = route_hop.details["route"]
    subnet = (route_hop.details.get("subnet") or {}).get("id", "")
    destination = route["destination"]
    owner = req.destination.instance
    who = owner.instance_id if owner else req.destination.label
    igw = topology.internet_gateway_of(topology.route_tables[rtb].vpc_id)
    igw_id = igw.internet_gateway_id if igw else message("word.an_internet_gateway")
    return Explanation.of(
        "NO_PATH",
        "return",
        last.component,
        message(
            "explain.reply.through_nat",
            rtb=rtb,
            subnet=subnet,
            nat=nat,
            destination=destination,
            got=got,
            expected=expected,
            who=who,
        ),
        message(
            "fix.reply.through_nat",
            destination=destination,
            nat=nat,
            rtb=rtb,
            igw=igw_id,
            expected=expected,
        ),
        refs={
            "route_table": {"id": rtb},
            "route": {"destination": destination, "target": nat},
            "nat_gateway": {"id": nat},
            "subnet": {"id": subnet},
        },
    )

"""VPC peering: request, accept, reject, delete (VPC Peering Guide: vpc-peering-basics)."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..messages import message, text
from ..model import Vpc, VpcPeeringConnection
from ..topology import Topology
from ._rules import parse_tags, refuse, require

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.peering._transition.InvalidStateTransition",
    "{pcx_id} is {status}; it cannot become {status2}.",
)
text(
    "error.peering.create_vpc_peering_connection.InvalidParameterValue",
    "A VPC cannot peer with itself.",
)
text(
    "error.peering.create_vpc_peering_connection.InvalidParameterValue.2",
    "{vpc_id} ({a}) and {peer_vpc_id} ({b}) overlap; peered VPCs need CIDR blocks that do not "
    "overlap.",
)
text(
    "error.peering.create_vpc_peering_connection.VpcPeeringConnectionAlreadyExists",
    "{vpc_peering_connection_id} already joins these VPCs.",
)


def create_vpc_peering_connection(
    topology: Topology, *, vpc_id: str, peer_vpc_id: str, tags: Any = None
) -> VpcPeeringConnection:
    """A request between two VPCs of the topology whose CIDR blocks do not overlap."""
    vpc: Vpc = topology.get("vpc", vpc_id)
    peer: Vpc = topology.get("vpc", peer_vpc_id)
    require(
        vpc_id != peer_vpc_id,
        "InvalidParameterValue",
        message("error.peering.create_vpc_peering_connection.InvalidParameterValue"),
    )
    for a in vpc.cidr_blocks:
        for b in peer.cidr_blocks:
            require(
                not a.overlaps(b),
                "InvalidParameterValue",
                message(
                    "error.peering.create_vpc_peering_connection.InvalidParameterValue.2",
                    vpc_id=vpc_id,
                    a=a,
                    peer_vpc_id=peer_vpc_id,
                    b=b,
                ),
            )
    for existing in topology.peerings.values():
        if {existing.requester_vpc_id, existing.accepter_vpc_id} == {
            vpc_id,
            peer_vpc_id,
        } and existing.status in ("active", "pending-acceptance"):
            raise refuse(
                "VpcPeeringConnectionAlreadyExists",
                message(
                    "error.peering.create_vpc_peering_connection.VpcPeeringConnectionAlreadyExists",
                    vpc_peering_connection_id=existing.vpc_peering_connection_id,
                ),
            )
    pcx = VpcPeeringConnection(
        vpc_peering_connection_id=topology.ids.new("vpc-peering-connection"),
        requester_vpc_id=vpc_id,
        accepter_vpc_id=peer_vpc_id,
        status="pending-acceptance",
        requester_cidrs=vpc.cidr_blocks,
        accepter_cidrs=peer.cidr_blocks,
        tags=parse_tags(tags),
    )
    return topology.put(pcx)  # type: ignore[no-any-return]


def _transition(
    topology: Topology, pcx_id: str, allowed: tuple[str, ...], status: str
) -> VpcPeeringConnection:
    pcx: VpcPeeringConnection = topology.get("vpc-peering-connection", pcx_id)
    if pcx.status not in allowed:
        raise refuse(
            "InvalidStateTransition",
            message(
                "error.peering._transition.InvalidStateTransition",
                pcx_id=pcx_id,
                status=pcx.status,
                status2=status,
            ),
        )
    return topology.put(dataclasses.replace(pcx, status=status))  # type: ignore[no-any-return]


def accept_vpc_peering_connection(
    topology: Topology, *, vpc_peering_connection_id: str
) -> VpcPeeringConnection:
    return _transition(topology, vpc_peering_connection_id, ("pending-acceptance",), "active")


def reject_vpc_peering_connection(
    topology: Topology, *, vpc_peering_connection_id: str
) -> VpcPeeringConnection:
    return _transition(topology, vpc_peering_connection_id, ("pending-acceptance",), "rejected")


def delete_vpc_peering_connection(
    topology: Topology, *, vpc_peering_connection_id: str
) -> VpcPeeringConnection:
    """Routes through it become blackholes."""
    return _transition(
        topology, vpc_peering_connection_id, ("pending-acceptance", "active"), "deleted"
    )

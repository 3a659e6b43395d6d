"""Whole-network analyses: the exposure report (what the internet can reach, exhaustively)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field

from app.engine.exposure import exposure_report
from app.engine.matrix import reachability_matrix

from .deps import StoreDep, TopologyId

router = APIRouter(tags=["whole-network analyses"])


@router.get("/topologies/{topology_id}/exposure")
def exposure(topology_id: TopologyId, store: StoreDep, request: Request) -> dict[str, Any]:
    """Every ENI reachable from the internet: protocols, ports, sources and the chain."""
    topology, model = store.model(topology_id)
    key = (topology_id, topology["revision"], "exposure")
    interfaces = request.app.state.jobs.run_now(
        key, lambda progress: [i.to_dict() for i in exposure_report(model, progress)]
    )
    return {"topology_id": topology_id, "revision": topology["revision"], "interfaces": interfaces}


MAX_MATRIX_PORTS = 16


@router.get("/topologies/{topology_id}/reachability-matrix")
def matrix(
    topology_id: TopologyId,
    store: StoreDep,
    request: Request,
    protocol: Literal["tcp", "udp", "icmp"] = "tcp",
    port: Annotated[
        list[Annotated[int, Field(ge=0, le=65535)]] | None,
        Query(
            max_length=MAX_MATRIX_PORTS,
            description="One port, or several (`?port=22&port=443`); ignored for ICMP.",
        ),
    ] = None,
) -> dict[str, Any]:
    """Every instance to every instance for a protocol and one port or a set of ports:
    true, false, or null on the diagonal — exactly what the single-path analysis answers for
    each pair. ``reachable`` is true where every port asked passes; ``by_port`` has each
    port's grid."""
    topology, model = store.model(topology_id)
    chosen: tuple[int, ...] = () if protocol == "icmp" else tuple(dict.fromkeys(port or [22]))
    key = (topology_id, topology["revision"], "matrix", protocol, chosen)
    result = request.app.state.jobs.run_now(
        key,
        lambda progress: reachability_matrix(model, protocol, list(chosen), progress).to_dict(),
    )
    return {"topology_id": topology_id, "revision": topology["revision"], **result}

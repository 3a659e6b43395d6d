"""Whole-network analyses: the exposure report (what the internet can reach, exhaustively)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

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


@router.get("/topologies/{topology_id}/reachability-matrix")
def matrix(
    topology_id: TopologyId,
    store: StoreDep,
    request: Request,
    protocol: Literal["tcp", "udp", "icmp"] = "tcp",
    port: Annotated[int | None, Query(ge=0, le=65535)] = 22,
) -> dict[str, Any]:
    """Every instance to every instance for one protocol and port: true, false, or null
    on the diagonal. Exactly what the single-path analysis answers for each pair."""
    topology, model = store.model(topology_id)
    chosen = None if protocol == "icmp" else (22 if port is None else port)
    key = (topology_id, topology["revision"], "matrix", protocol, chosen)
    result = request.app.state.jobs.run_now(
        key, lambda progress: reachability_matrix(model, protocol, chosen, progress).to_dict()
    )
    return {"topology_id": topology_id, "revision": topology["revision"], **result}

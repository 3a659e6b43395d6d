"""Whole-network analyses: the exposure report (what the internet can reach, exhaustively) and
the reachability matrix."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field

from app.jobs import Jobs
from app.whole_network import MAX_MATRIX_PORTS, exposure_job, matrix_job

from .deps import StoreDep, TopologyId

router = APIRouter(tags=["whole-network analyses"])


@router.get("/topologies/{topology_id}/exposure")
def exposure(
    topology_id: TopologyId,
    store: StoreDep,
    request: Request,
    offset: Annotated[int, Query(ge=0, description="Skip this many interfaces.")] = 0,
    limit: Annotated[
        int | None, Query(ge=1, description="At most this many interfaces (all if absent).")
    ] = None,
) -> dict[str, Any]:
    """Every ENI reachable from the internet: protocols, ports, sources and the chain. A large
    account's report can be read a part at a time (``offset``, ``limit``); ``total`` counts
    every exposed interface."""
    topology, model = store.model(topology_id)
    report = Jobs.wait(exposure_job(request.app.state.jobs, topology, model))
    part = report[offset:] if limit is None else report[offset : offset + limit]
    return {
        "topology_id": topology_id,
        "revision": topology["revision"],
        "total": len(report),
        "interfaces": [i.to_dict() for i in part],
    }


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
    source: Annotated[
        list[str] | None,
        Query(
            max_length=100,
            description="Only these instances' rows (`?source=i-…`); every instance if absent.",
        ),
    ] = None,
) -> dict[str, Any]:
    """Instances to every instance for a protocol and one port or a set of ports: true,
    false, or null on the diagonal — exactly what the single-path analysis answers for each
    pair. ``reachable`` is true where every port asked passes; ``by_port`` has each port's
    grid; rows follow ``sources``."""
    topology, model = store.model(topology_id)
    job = matrix_job(request.app.state.jobs, topology, model, protocol, port or [22], source)
    result = Jobs.wait(job).to_dict()
    return {"topology_id": topology_id, "revision": topology["revision"], **result}

"""Whole-network analyses: the exposure report (what the internet can reach, exhaustively) and
the reachability matrix.

Both are background jobs that take seconds on a large account. These routes are ``async``:
the model, the job and the answer are prepared in the thread pool, and the job is awaited on the
event loop, so a waiting request holds no thread; a client that disconnects stops waiting, and
a job nobody waits for any more is cancelled. Another worker or replica may compute the job;
if the topology changed before it started, the question is asked again of the new revision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import Field

from app.engine import AwsError
from app.jobs import Job, Jobs, Outdated
from app.throttle import requester
from app.whole_network import (
    EXPOSURE,
    MAX_MATRIX_PORTS,
    exposure_job,
    matrix_job,
    matrix_question,
    refuse_early,
)

from .deps import THROTTLED, StoreDep, TopologyId, throttled

router = APIRouter(tags=["whole-network analyses"])


async def answer_of(
    jobs: Jobs, request: Request, start: Callable[[], tuple[dict[str, Any], Job]]
) -> tuple[dict[str, Any], Any]:
    """The topology and the result of the job ``start`` returns; once more if the job found
    the topology changed before it started (another process computed it from the database)."""
    for attempt in range(2):
        topology, job = await run_in_threadpool(start)
        try:
            return topology, await jobs.wait(job, request.is_disconnected)
        except Outdated:
            if attempt:
                # Changed again while the second job started: a conflict with the topology's
                # state, not a server error. EC2's IncorrectState: "The resource is in an
                # incorrect state for the request" (APIReference, errors-overview.html).
                raise AwsError(
                    "IncorrectState",
                    "The topology changed while its analysis was starting, twice; ask again "
                    "once the changes are done.",
                ) from None
    raise AssertionError("unreachable")


@router.get(
    "/topologies/{topology_id}/exposure",
    response_model=dict[str, Any],
    dependencies=[throttled("whole-network")],
    responses=THROTTLED,
)
async def exposure(
    topology_id: TopologyId,
    store: StoreDep,
    request: Request,
    offset: Annotated[int, Query(ge=0, description="Skip this many interfaces.")] = 0,
    limit: Annotated[
        int | None, Query(ge=1, description="At most this many interfaces (all if absent).")
    ] = None,
) -> JSONResponse:
    """Every ENI reachable from the internet: protocols, ports, sources and the chain. A large
    account's report can be read a part at a time (``offset``, ``limit``); ``total`` counts
    every exposed interface."""
    jobs, owner = request.app.state.jobs, requester(request)
    await run_in_threadpool(refuse_early, jobs, topology_id, EXPOSURE, owner, user=store.user_id)

    def start() -> tuple[dict[str, Any], Job]:
        topology, model = store.model(topology_id)
        job = exposure_job(jobs, topology, model, user=store.user_id, owner=owner, waiting=True)
        return topology, job

    topology, report = await answer_of(jobs, request, start)

    def answer() -> JSONResponse:
        part = report[offset:] if limit is None else report[offset : offset + limit]
        return JSONResponse(
            {
                "topology_id": topology_id,
                "revision": topology["revision"],
                "total": len(report),
                "interfaces": part,
            }
        )

    return await run_in_threadpool(answer)


@router.get(
    "/topologies/{topology_id}/reachability-matrix",
    response_model=dict[str, Any],
    dependencies=[throttled("whole-network")],
    responses=THROTTLED,
)
async def matrix(
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
) -> JSONResponse:
    """Instances to every instance for a protocol and one port or a set of ports: true,
    false, or null on the diagonal — exactly what the single-path analysis answers for each
    pair. ``reachable`` is true where every port asked passes; ``by_port`` has each port's
    grid; rows follow ``sources``."""
    jobs, owner, ports = request.app.state.jobs, requester(request), port or [22]
    question = matrix_question(protocol, ports, source)
    await run_in_threadpool(refuse_early, jobs, topology_id, question, owner, user=store.user_id)

    def start() -> tuple[dict[str, Any], Job]:
        topology, model = store.model(topology_id)
        job = matrix_job(
            jobs,
            topology,
            model,
            protocol,
            ports,
            source,
            user=store.user_id,
            owner=owner,
            waiting=True,
        )
        return topology, job

    topology, result = await answer_of(jobs, request, start)
    return await run_in_threadpool(
        lambda: JSONResponse(
            {"topology_id": topology_id, "revision": topology["revision"], **result.to_dict()}
        )
    )

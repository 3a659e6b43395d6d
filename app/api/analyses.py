"""Analyses ("test connection"): run and store, list, read, re-run after edits."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from app.i18n import negotiate, reading, said_result

from .analysis_results import documented
from .deps import THROTTLED, StoreDep, TopologyId, throttled
from .schemas import AnalysisRequest

router = APIRouter(tags=["analyses"])
AnalysisId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Stored analysis id")]


def _in_reader_language(request: Request, result: dict[str, Any]) -> dict[str, Any]:
    """Messages and fixes in the language of ``Accept-Language`` (English: as stored)."""
    with reading(negotiate(None, request.headers.get("accept-language"))):
        return said_result(result)


@router.post(
    "/topologies/{topology_id}/analyses",
    status_code=201,
    response_model=None,
    dependencies=[throttled("analyses")],
    responses={
        **documented((201, "The result, stored"), (200, "The result, not stored (store=false)")),
        **THROTTLED,
    },
)
def run_analysis(
    topology_id: TopologyId,
    body: AnalysisRequest,
    store: StoreDep,
    request: Request,
    response: Response,
    keep: Annotated[bool, Query(alias="store")] = True,
) -> dict[str, Any]:
    """Can the source reach the destination, hop by hop there and back, and if not, why?"""
    result = store.run_analysis(topology_id, body.model_dump(exclude_none=True), keep=keep)
    if not keep:
        response.status_code = 200
    return _in_reader_language(request, result)


@router.get("/topologies/{topology_id}/analyses")
def list_analyses(topology_id: TopologyId, store: StoreDep) -> dict[str, Any]:
    """The stored analyses of a topology, with their request and verdict."""
    return {"analyses": store.list_analyses(topology_id)}


@router.get(
    "/topologies/{topology_id}/analyses/{analysis_id}",
    response_model=None,
    responses=documented((200, "The stored result")),
)
def get_analysis(
    topology_id: TopologyId, analysis_id: AnalysisId, store: StoreDep, request: Request
) -> dict[str, Any]:
    """One stored analysis with its full result."""
    return _in_reader_language(request, store.get_analysis(topology_id, analysis_id))


@router.delete("/topologies/{topology_id}/analyses/{analysis_id}", status_code=204)
def delete_analysis(topology_id: TopologyId, analysis_id: AnalysisId, store: StoreDep) -> Response:
    """Delete a stored analysis (a topology keeps at most a few hundred)."""
    store.delete_analysis(topology_id, analysis_id)
    return Response(status_code=204)


@router.post(
    "/topologies/{topology_id}/analyses/{analysis_id}/rerun",
    response_model=None,
    dependencies=[throttled("analyses")],
    responses={
        **documented((200, "The new result, stored in place of the old one")),
        **THROTTLED,
    },
)
def rerun_analysis(
    topology_id: TopologyId, analysis_id: AnalysisId, store: StoreDep, request: Request
) -> dict[str, Any]:
    """Run a stored analysis again on the topology as it is now."""
    return _in_reader_language(request, store.rerun_analysis(topology_id, analysis_id))

"""A lab's life: duplicate a topology, reset it to its template, its revisions and restoring one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from app.db.history import CHANGE_ACTION

from .deps import StoreDep, TopologyId
from .schemas import TopologyDuplicate

router = APIRouter(tags=["history"])
Revision = Annotated[int, Path(ge=1, le=2**31 - 1, description="Revision number")]


async def name_the_change(request: Request) -> None:
    """A change made through the API is named in the topology's history by its route
    (``create_subnet``); async, so the handler's thread sees the name (a ContextVar)."""
    route = request.scope.get("route")
    name = getattr(route, "operation_id", None) or getattr(route, "name", None)
    if name:
        CHANGE_ACTION.set(f"api:{name}")


@router.post("/topologies/{topology_id}/duplicate", status_code=201)
def duplicate_topology(
    topology_id: TopologyId, store: StoreDep, body: TopologyDuplicate | None = None
) -> dict[str, Any]:
    """A new topology with the same resources and copies of the saved tests."""
    return store.duplicate_topology(topology_id, name=body.name if body else None)


@router.post("/topologies/{topology_id}/reset")
def reset_topology(topology_id: TopologyId, store: StoreDep) -> dict[str, Any]:
    """Back to the template the topology was created from, as a new revision (409 for a
    topology that has none: an imported one). Saved tests are kept."""
    return store.reset_topology(topology_id)


@router.get("/topologies/{topology_id}/revisions")
def list_revisions(topology_id: TopologyId, store: StoreDep) -> dict[str, Any]:
    """The kept revisions (the last 100), newest first: when, by which action, which ids."""
    return store.list_revisions(topology_id)


@router.post("/topologies/{topology_id}/revisions/{revision}/restore")
def restore_revision(
    topology_id: TopologyId, revision: Revision, store: StoreDep
) -> dict[str, Any]:
    """A new revision equal to an earlier one (history is never rewritten; saved tests are
    kept). 400 for a revision no longer kept or the current one."""
    return store.restore_revision(topology_id, revision)

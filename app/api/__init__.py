"""The JSON API under /api/v1: parse, call the store and the engine, shape the answer."""

from fastapi import APIRouter, Depends

from . import (
    actions,
    analyses,
    assignments,
    guided,
    lab_life,
    resources,
    topologies,
    whole_network,
)
from .deps import ERROR_RESPONSES

router = APIRouter(
    prefix="/api/v1",
    responses=ERROR_RESPONSES,
    dependencies=[Depends(lab_life.name_the_change)],
)


@router.get("/health", tags=["health"], responses={})
async def health() -> dict[str, str]:
    """200 once the application can serve requests."""
    # async: answered on the event loop, never queued behind busy thread-pool workers.
    return {"status": "ok"}


router.include_router(topologies.router)
router.include_router(resources.router)
router.include_router(actions.router)
router.include_router(analyses.router)
router.include_router(whole_network.router)
router.include_router(lab_life.router)
router.include_router(guided.router)
router.include_router(assignments.router)

__all__ = ["router"]

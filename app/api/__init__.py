"""The JSON API under /api/v1: parse, call the store and the engine, shape the answer."""

from fastapi import APIRouter, Depends
from fastapi.security import HTTPBearer

from . import actions, analyses, resources, topologies, whole_network
from .deps import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)


@router.get("/health", tags=["health"], responses={})
async def health() -> dict[str, str]:
    """200 once the application can serve requests."""
    # async: answered on the event loop, never queued behind busy thread-pool workers.
    return {"status": "ok"}


# Classroom mode: every route but /health acts as the user of a personal API token (or a signed-in
# browser's cookie, same-site only). The scheme documents it; app.accounts.identify checks it.
# Personal mode needs no token: the header is ignored and every request is the local owner's.
bearer = HTTPBearer(
    scheme_name="PersonalApiToken",
    bearerFormat="vpclab_…",
    description=(
        "Classroom mode: a personal API token, created on the account page of the lab "
        "(/account), sent as `Authorization: Bearer <token>`. Without a valid one the API "
        "answers 401 AuthFailure. Personal mode (the default) needs none and ignores it."
    ),
    auto_error=False,
)
authenticated = [Depends(bearer)]
router.include_router(topologies.router, dependencies=authenticated)
router.include_router(resources.router, dependencies=authenticated)
router.include_router(actions.router, dependencies=authenticated)
router.include_router(analyses.router, dependencies=authenticated)
router.include_router(whole_network.router, dependencies=authenticated)

__all__ = ["router"]

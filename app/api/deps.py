"""Dependencies shared by the JSON routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Request
from pydantic import BaseModel

from app.accounts.actor import actor_of
from app.db.store import Store
from app.engine import AwsError
from app.engine.messages import message, text
from app.throttle import requester

text("access.sign_in_first", "Sign in first: this lab's topologies belong to its users.")


def store_for(request: Request) -> Store:
    """The store as the request's actor sees it: every route (JSON and pages) gets this view,
    never the whole store. Nobody signed in (classroom mode) sees nothing."""
    actor = actor_of(request)
    if actor is None:
        raise AwsError("AuthFailure", message("access.sign_in_first"))
    store: Store = request.app.state.store
    return store.for_actor(actor)


async def get_store(request: Request) -> Store:
    return store_for(request)


StoreDep = Annotated[Store, Depends(get_store)]


def throttled(group: str) -> Any:
    """A route dependency counting the request against the client's rate limit for ``group``
    (429 RequestLimitExceeded once it is spent)."""

    async def take(request: Request) -> None:
        request.app.state.rate_limits.take(group, requester(request))

    return Depends(take)


TopologyId = Annotated[str, Path(min_length=1, max_length=32, description="Topology id")]
ResourceId = Annotated[str, Path(min_length=1, max_length=64, description="AWS resource id")]


class ErrorDetail(BaseModel):
    code: str
    message: str
    resource_id: str | None = None


class ErrorBody(BaseModel):
    """Every 4xx/5xx answer of the JSON API."""

    error: ErrorDetail


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("Invalid value, range or quota (an AWS error code such as InvalidSubnet.Range)"),
    401: _error("Classroom mode: no valid API token or session (AuthFailure)"),
    403: _error("A change to a topology you may only read (UnauthorizedOperation)"),
    404: _error("Unknown id, or somebody else's topology: the same answer (…NotFound)"),
    409: _error("Conflicts with existing state (DependencyViolation, …Duplicate, …)"),
    413: _error("Request body too large"),
    422: _error("A body that does not match the schema"),
}

# The expensive routes also answer 429 (with Retry-After) when a client asks too often.
THROTTLED: dict[int | str, dict[str, Any]] = {
    429: _error("Too many requests (RequestLimitExceeded); retry after Retry-After seconds"),
}

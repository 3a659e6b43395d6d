"""Whole-network analyses as background jobs: one per topology revision and question.

The JSON API and the pages start the same jobs, so a report asked for in one is ready in the
other, whichever worker or replica answers. A job's result is kept as JSON (the API's own
shape); a matrix is read back as the engine's ``Matrix`` for the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.engine import AwsError, Topology
from app.engine.exposure import exposure_report
from app.engine.matrix import Matrix, matrix_instances, matrix_sources, reachability_matrix
from app.engine.messages import message, text
from app.jobs import Job, Jobs, Outdated, Progress, Runner

if TYPE_CHECKING:
    from app.db.store import Store

# A job's key is (topology id, revision, kind, user id, *parameters) (``job_key``): the same
# question on the same revision is one job of one user (a job is never handed to another user,
# even one who may read the topology). The question is known before the model is loaded, so a
# full queue can be said at once, before any work (``refuse_early``).
EXPOSURE: tuple[Any, ...] = ("exposure",)


def job_key(
    topology_id: str, revision: int | None, user: int, question: tuple[Any, ...]
) -> tuple[Any, ...]:
    """The key ``app.jobs`` files a job under: its kind third, as ``Jobs`` expects, then whose
    it is and the question's parameters."""
    kind, *parameters = question
    return (topology_id, revision, kind, user, *parameters)


def matrix_question(
    protocol: str, ports: Sequence[int], sources: Sequence[str] | None
) -> tuple[Any, ...]:
    ports = () if protocol == "icmp" else tuple(dict.fromkeys(ports))
    rows = tuple(dict.fromkeys(sources)) if sources else None
    return ("matrix", protocol, ports, rows)


def refuse_early(
    jobs: Jobs, topology_id: str, question: tuple[Any, ...], owner: str, *, user: int
) -> None:
    """429 now, before the model is even read, if ``start`` would refuse this question (a
    burst of requests from one client is then refused for next to nothing)."""
    jobs.refuse_early(owner, job_key(topology_id, None, user, question))


def exposure_of(model: Topology, progress: Progress) -> list[dict[str, Any]]:
    return [interface.to_dict() for interface in exposure_report(model, progress)]


def matrix_of(
    model: Topology,
    protocol: str,
    ports: Sequence[int],
    rows: Sequence[str] | None,
    progress: Progress,
) -> dict[str, Any]:
    return reachability_matrix(model, protocol, list(ports), progress, rows).to_dict()


def matrix_from(result: dict[str, Any]) -> Matrix:
    """The engine's matrix from its JSON (``Matrix.to_dict``), for the page."""
    return Matrix(
        instances=result["instances"],
        reachable=result["reachable"],
        protocol=result["protocol"],
        port=result["port"],
        fallbacks=0,
        by_port={int(port): grid for port, grid in result["by_port"].items()},
        sources=result["sources"],
    )


def runners(store: Store) -> dict[str, Runner]:
    """How a process that did not start a job computes it: from the stored topology, which
    must still be at the job's revision (otherwise the job is Outdated: ask again)."""

    def model_at(topology_id: str, revision: int) -> Topology:
        topology, model = store.model(topology_id)
        if topology["revision"] != revision:
            raise Outdated(
                f"the topology changed (revision {topology['revision']} now, {revision} asked)"
            )
        return model

    def exposure(key: tuple[Any, ...], progress: Progress) -> Any:
        return exposure_of(model_at(key[0], key[1]), progress)

    def matrix(key: tuple[Any, ...], progress: Progress) -> Any:
        topology_id, revision, _, _user, protocol, ports, rows = key
        return matrix_of(model_at(topology_id, revision), protocol, ports, rows, progress)

    return {"exposure": exposure, "matrix": matrix}


DECODERS = {"matrix": matrix_from}


def exposure_job(
    jobs: Jobs,
    topology: dict[str, Any],
    model: Topology,
    *,
    user: int,
    owner: str,
    waiting: bool = False,
) -> Job:
    """``user``'s exposure report of this revision; ``owner`` and ``waiting`` as in
    ``Jobs.start``."""
    return jobs.start(
        job_key(topology["id"], topology["revision"], user, EXPOSURE),
        lambda progress: exposure_of(model, progress),
        owner=owner,
        waiting=waiting,
    )


# The most ports one matrix asks for (the API's ``port`` list, the page's port field).
MAX_MATRIX_PORTS = 16
# The most pairs (every port counted) one matrix request decides: tier M's whole matrix is
# ~200,000 per port; tier L's is 20 million, minutes of work and an answer of ~100 MB, which a
# script should ask for a few rows at a time (``sources``).
MAX_MATRIX_PAIRS = 4_000_000

# The refusal of a matrix too big for one request (the engine catalog says it in Japanese).
text(
    "whole_network.matrix.too_big",
    "That matrix is {pairs} pairs ({columns} instances); one request decides at most {most}. "
    "Ask for some sources' rows (source=i-…): one row here is {per_row} pairs.",
)
text(
    "whole_network.matrix.too_big.ports",
    "That matrix is {pairs} pairs ({columns} instances, {ports} ports); one request decides at "
    "most {most}. Ask for some sources' rows (source=i-…): one row here is {per_row} pairs.",
)


def matrix_job(
    jobs: Jobs,
    topology: dict[str, Any],
    model: Topology,
    protocol: str,
    ports: Sequence[int],
    sources: Sequence[str] | None = None,
    *,
    user: int,
    owner: str,
    waiting: bool = False,
) -> Job:
    """``user``'s matrix for ``protocol`` and ``ports`` (none for ICMP); only ``sources``' rows when
    given. ``owner`` and ``waiting`` as in ``Jobs.start``."""
    question = matrix_question(protocol, ports, sources)
    _, _, ports, rows = question
    if rows:
        matrix_sources(model, rows)  # an unknown or terminated source is refused here, not later
    columns = len(matrix_instances(model))
    per_row = max(columns - 1, 0) * max(len(ports), 1)
    pairs = (len(rows) if rows else columns) * per_row
    if pairs > MAX_MATRIX_PAIRS:
        raise AwsError(
            "InvalidParameterCombination",
            message(
                "whole_network.matrix.too_big.ports"
                if len(ports) > 1
                else "whole_network.matrix.too_big",
                pairs=f"{pairs:,}",
                columns=f"{columns:,}",
                ports=len(ports),
                most=f"{MAX_MATRIX_PAIRS:,}",
                per_row=f"{per_row:,}",
            ),
        )
    return jobs.start(
        job_key(topology["id"], topology["revision"], user, question),
        lambda progress: matrix_of(model, protocol, ports, rows, progress),
        owner=owner,
        waiting=waiting,
    )

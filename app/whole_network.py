"""Whole-network analyses as background jobs: one per topology revision and question.

The JSON API and the pages start the same jobs, so a report asked for in one is ready in the
other. A job's result is the engine's object (the API turns it into JSON).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.engine import Topology
from app.engine.exposure import exposure_report
from app.engine.matrix import matrix_sources, reachability_matrix
from app.jobs import Job, Jobs


def exposure_job(jobs: Jobs, topology: dict[str, Any], model: Topology) -> Job:
    return jobs.start(
        (topology["id"], topology["revision"], "exposure"),
        lambda progress: exposure_report(model, progress),
    )


def matrix_job(
    jobs: Jobs,
    topology: dict[str, Any],
    model: Topology,
    protocol: str,
    ports: Sequence[int],
    sources: Sequence[str] | None = None,
) -> Job:
    """The matrix for ``protocol`` and ``ports`` (none for ICMP); only ``sources``' rows when
    given."""
    ports = () if protocol == "icmp" else tuple(dict.fromkeys(ports))
    rows = tuple(matrix_sources(model, sources)) if sources else None  # refused here, not later
    return jobs.start(
        (topology["id"], topology["revision"], "matrix", protocol, ports, rows),
        lambda progress: reachability_matrix(model, protocol, list(ports), progress, rows),
    )

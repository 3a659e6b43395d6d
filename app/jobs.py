"""Long analyses in the background: one job per topology revision and kind, with progress.

A job runs in a worker thread, so it never blocks other requests; the page polls its state.
Results are kept per revision: the same question on the same revision is answered once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Job:
    key: tuple[Any, ...]
    status: str = "running"  # running, done, failed
    done: int = 0
    total: int = 0
    result: Any = None
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started


class Jobs:
    """A small registry of background jobs, keyed by (topology, revision, kind, parameters)."""

    def __init__(self, workers: int = 1, keep: int = 64) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vpclab-job")
        self._jobs: dict[tuple[Any, ...], Job] = {}
        self._lock = threading.Lock()
        self._keep = keep

    def get(self, key: tuple[Any, ...]) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def start(self, key: tuple[Any, ...], work: Callable[[Callable[[int, int], None]], Any]) -> Job:
        """The job for ``key``, started now unless it already runs or ran."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.status != "failed":
                return job
            job = self._jobs[key] = Job(key)
            while len(self._jobs) > self._keep:
                self._jobs.pop(next(iter(self._jobs)))

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total

        def run() -> None:
            try:
                job.result = work(progress)
                job.done = job.total
                job.status = "done"
            except Exception as error:  # reported to the user, not swallowed
                job.error, job.status = f"{type(error).__name__}: {error}", "failed"
            finally:
                job.finished = time.monotonic()

        self._pool.submit(run)
        return job

    @staticmethod
    def wait(job: Job) -> Any:
        """The job's result, once it has one (the JSON API answers synchronously)."""
        while job.status == "running":
            time.sleep(0.02)
        if job.status == "failed":
            raise RuntimeError(job.error)
        return job.result

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

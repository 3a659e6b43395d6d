"""Long analyses in the background: one job per topology revision and question, with progress.

A job runs in a worker thread, so it never blocks the event loop; the page polls its state and
the JSON API awaits it without holding a thread. Identical questions share one job, and results
are kept per revision. The queue is bounded, per client and overall (a full queue answers 429),
and a job nobody waits for any more is cancelled: the engine's long loops report progress, and
the progress callback raises ``Cancelled`` once the last API waiter has gone and no page has
polled for ``watch_s`` seconds.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from app.throttle import TooManyRequests

Progress = Callable[[int, int], None]

# What a refused job suggests as Retry-After: a whole-network job of a class-sized topology
# takes a few seconds.
RETRY_BUSY_S = 5


class Cancelled(Exception):
    """Raised from a job's progress callback once nobody waits for its result any more."""


class ClientGone(Exception):
    """The client waiting for a job disconnected: there is nobody left to answer."""


@dataclass(eq=False)
class Job:
    key: tuple[Any, ...]
    owner: str = ""
    status: str = "queued"  # queued, running, done, failed, cancelled
    done: int = 0
    total: int = 0
    result: Any = None
    error: str | None = None
    created: float = field(default_factory=time.monotonic)
    started: float | None = None
    finished: float | None = None
    # Who still wants the result: API requests awaiting it now, and a page that polls it
    # (each poll keeps the job wanted until ``watched_until``).
    waiters: int = 0
    watched_until: float = 0.0
    ended: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def active(self) -> bool:
        """Queued or running: it holds a place in the queue."""
        return self.status in ("queued", "running")

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - (self.started or self.created)


class Jobs:
    """A small registry of background jobs, keyed by (topology, revision, kind, parameters).

    ``per_owner`` jobs at most queued or running for one client and ``active_max`` for
    everyone; ``workers`` run at once; ``keep`` finished jobs are kept as a cache.
    """

    def __init__(
        self,
        *,
        workers: int = 1,
        keep: int = 64,
        per_owner: int = 3,
        active_max: int = 12,
        watch_s: float = 10.0,
    ) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vpclab-job")
        self._jobs: dict[tuple[Any, ...], Job] = {}
        self._lock = threading.Lock()
        self._keep = keep
        self.per_owner = per_owner
        self.active_max = active_max
        self.watch_s = watch_s
        self._closing = False

    def get(self, key: tuple[Any, ...]) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def active(self) -> list[Job]:
        """The jobs queued or running now."""
        with self._lock:
            return [j for j in self._jobs.values() if j.active]

    def start(
        self,
        key: tuple[Any, ...],
        work: Callable[[Progress], Any],
        *,
        owner: str,
        waiting: bool = False,
    ) -> Job:
        """The job for ``key``, started now unless it is queued, running or done already.

        ``waiting``: the caller awaits the result with ``wait`` (the JSON API); otherwise it is
        a page that polls. Refused with TooManyRequests when the queue is full for ``owner``
        or for everyone.
        """
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.status in ("failed", "cancelled"):
                job = self._new(key, owner)
                fresh = True
            else:
                fresh = False
            if waiting:
                job.waiters += 1
            else:
                job.watched_until = time.monotonic() + self.watch_s
        if fresh:
            self._pool.submit(self._run, job, work)
        return job

    def refuse_early(self, owner: str, same: Callable[[tuple[Any, ...]], bool]) -> None:
        """Raise TooManyRequests now if ``start`` would, for a question whose keys ``same``
        recognises (of any revision): no job for it to share, and no room for a new one."""
        with self._lock:
            if not any(
                same(k) and j.status not in ("failed", "cancelled") for k, j in self._jobs.items()
            ):
                self._check_room(owner)

    def _new(self, key: tuple[Any, ...], owner: str) -> Job:
        """A queued job for ``key`` if the queue has room (the lock is held)."""
        self._check_room(owner)
        self._jobs.pop(key, None)  # a failed or cancelled one: the new one goes to the end
        job = self._jobs[key] = Job(key, owner)
        finished = [k for k, j in self._jobs.items() if not j.active]
        for old in finished[: max(0, len(self._jobs) - self._keep)]:
            del self._jobs[old]
        return job

    def _check_room(self, owner: str) -> None:
        """TooManyRequests if the queue is full, for everyone or for ``owner`` (lock held)."""
        active = [j for j in self._jobs.values() if j.active]
        if len(active) >= self.active_max:
            raise TooManyRequests(
                f"The lab is running {len(active)} whole-network analyses already, its most; "
                "try again in a few seconds.",
                retry_after=RETRY_BUSY_S,
            )
        mine = sum(1 for j in active if j.owner == owner)
        if mine >= self.per_owner:
            raise TooManyRequests(
                f"You have {mine} whole-network analyses queued or running, the most one "
                "client may; wait for one to finish.",
                retry_after=RETRY_BUSY_S,
            )

    def _abandoned(self, job: Job) -> bool:
        with self._lock:
            return self._closing or (job.waiters == 0 and time.monotonic() > job.watched_until)

    def _run(self, job: Job, work: Callable[[Progress], Any]) -> None:
        if self._abandoned(job):  # everyone left while it was queued
            self._end(job, "cancelled")
            return
        job.started, job.status = time.monotonic(), "running"

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total
            if self._abandoned(job):
                raise Cancelled

        try:
            result = work(progress)
        except Cancelled:
            self._end(job, "cancelled")
        except Exception as error:  # reported to the user, not swallowed
            self._end(job, "failed", error=f"{type(error).__name__}: {error}")
        else:
            job.result, job.done = result, job.total
            self._end(job, "done")

    @staticmethod
    def _end(job: Job, status: str, *, error: str | None = None) -> None:
        job.error, job.finished, job.status = error, time.monotonic(), status
        job.ended.set()

    async def wait(self, job: Job, disconnected: Callable[[], Awaitable[bool]]) -> Any:
        """The job's result, awaited on the event loop (no thread is held while it runs).

        The caller started the job with ``waiting=True``; its interest ends here, whether the
        result came, or ``disconnected()`` said the client has gone (then ClientGone): the last
        waiter to go, with no page polling, lets the job be cancelled.
        """
        try:
            pause = 0.005
            while not job.ended.is_set():
                if await disconnected():
                    raise ClientGone
                await asyncio.sleep(pause)
                pause = min(2 * pause, 0.25)
        finally:
            with self._lock:
                job.waiters -= 1
        if job.status != "done":
            raise RuntimeError(job.error or f"the job was {job.status}")
        return job.result

    def shutdown(self) -> None:
        """Stop: running jobs end at their next progress report, queued ones never start."""
        with self._lock:
            self._closing = True
        self._pool.shutdown(wait=False, cancel_futures=True)

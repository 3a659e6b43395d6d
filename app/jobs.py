"""Long analyses in the background: one job per topology revision and question, with progress,
kept in the database (table ``job``) so that every worker and replica serves them as one server.

A job is a row: the question, its status (queued, running, done, failed, cancelled), its
progress and its result (JSON). Each process runs ``workers`` threads that claim queued jobs
(on PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED``: one claimer per job; SQLite serves one
process, whose writes are serialized anyway) and a watcher thread that keeps the process's
claims alive (``heartbeat``); a job whose claimer stopped beating for ``stale_s`` is claimed
again by another. Any process answers the progress poll and the result, and identical
questions share one job; results are kept per revision (the revision is part of the question).

The queue is bounded, per client and overall (a full queue answers 429), and a job nobody
waits for any more is cancelled, whichever process started, runs or waits for it: the engine's
long loops report progress, and the progress callback raises ``Cancelled`` once no API request
awaits the result and no page has polled for ``watch_s`` seconds. A request waiting for a job
holds no thread: it sleeps on the event loop until the job ends (a job run here says so at
once; the watcher reads the database for the others).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import threading
import time
import zlib
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, insert, select, update

from app.db.session import writer
from app.db.tables import BackgroundJob
from app.engine.messages import message, text
from app.throttle import TooManyRequests

text(
    "jobs.queue.busy",
    "The lab is running {active} whole-network analyses already, its most; try again in a few "
    "seconds.",
)
text(
    "jobs.queue.mine",
    "You have {mine} whole-network analyses queued or running, the most one client may; wait "
    "for one to finish.",
)
log = logging.getLogger("vpclab.jobs")

Progress = Callable[[int, int], None]
# The work of a job claimed by a process that did not start it: (key, progress) -> result.
Runner = Callable[[tuple[Any, ...], Progress], Any]

# What a refused job suggests as Retry-After: a whole-network job of a class-sized topology
# takes a few seconds.
RETRY_BUSY_S = 5
# How often a running job writes its progress and reads whether it is still wanted.
TICK_S = 0.2
# How long ``start`` gives a free worker of its process to claim a new job.
CLAIM_WAIT_S = 0.2
# A job claimed this many times without ending (its processes died computing it) fails.
MAX_ATTEMPTS = 3
# pg_advisory_xact_lock's key while a job is looked up and queued: two processes asked the same
# question at once make one job, and the queue's bounds hold across processes.
QUEUE_LOCK = 0x76706A62  # "vpjb"

ACTIVE = ("queued", "running")
ENDED = ("done", "failed", "cancelled")
JOB = BackgroundJob.__table__  # type: ignore[attr-defined]
# Every column but the result, which is read only when it is shown (and then kept).
COLUMNS = [c for c in JOB.c if c.name != "result"]


class Cancelled(Exception):
    """Raised from a job's progress callback once nobody waits for its result any more."""


class Outdated(Exception):
    """The job's revision is not the topology's any more: ask the question again."""


class ClientGone(Exception):
    """The client waiting for a job disconnected: there is nobody left to answer."""


class _Lost(Exception):
    """This process's claim on a job ended: another process claimed it (ours looked dead)."""


class _Released(Exception):
    """This process is stopping: the job goes back to the queue for another process."""


@dataclass(frozen=True)
class Job:
    """A job as the database held it when read (``Jobs.get`` reads it again)."""

    id: int
    key: tuple[Any, ...]
    owner: str
    status: str  # queued, running, done, failed, cancelled
    done: int = 0
    total: int = 0
    result: Any = None
    error: str | None = None
    created: float = 0.0
    started: float | None = None
    finished: float | None = None
    waiters: int = 0
    claimed_by: str | None = None

    @property
    def active(self) -> bool:
        """Queued or running: it holds a place in the queue."""
        return self.status in ACTIVE

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def seconds(self) -> float:
        return (self.finished or time.time()) - (self.started or self.created)


def _question(key: tuple[Any, ...]) -> tuple[str, int | None, str, str]:
    """(topology id, revision, kind, parameters as canonical JSON) of a job's key."""
    topology_id, revision, kind, *parameters = key
    return str(topology_id), revision, str(kind), json.dumps(parameters, separators=(",", ":"))


def _key(row: Row[Any]) -> tuple[Any, ...]:
    return (row.topology_id, row.revision, row.kind, *json.loads(row.parameters))


def _encode(result: Any) -> bytes:
    return zlib.compress(json.dumps(result, separators=(",", ":")).encode(), 1)


class Jobs:
    """The background jobs of every process using ``engine``, and this process's share of the
    work: ``workers`` threads computing.

    ``per_owner`` jobs at most queued or running for one client and ``active_max`` for
    everyone; ``keep`` finished jobs are kept as a cache. A job runs the ``work`` it was
    started with in the process that started it; another process runs ``runners[kind]``
    (no runner: only the starting process runs it). ``decoders[kind]`` turns a result's JSON
    into what readers use.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        workers: int = 1,
        keep: int = 64,
        per_owner: int = 3,
        active_max: int = 12,
        watch_s: float = 10.0,
        stale_s: float = 15.0,
        runners: dict[str, Runner] | None = None,
        decoders: Mapping[str, Callable[[Any], Any]] | None = None,
        results_kept: int = 8,
        name: str | None = None,
    ) -> None:
        self._reader = engine
        self._writer = writer(engine)
        self._postgres = engine.dialect.name == "postgresql"
        self.me = name or f"{socket.gethostname()}:{os.getpid()}"  # claimed_by
        self._keep = keep
        self.per_owner = per_owner
        self.active_max = active_max
        self.watch_s = watch_s
        self.stale_s = stale_s
        self._runners = dict(runners or {})
        self._decoders = dict(decoders or {})
        # On SQLite the one process queues every job, and wakes its workers itself.
        self._poll_s = 0.25 if self._postgres else 1.0
        self._lock = threading.Lock()
        self._local: dict[int, Callable[[Progress], Any]] = {}  # started here, not yet claimed
        self._running: set[int] = set()  # claimed by this process
        self._awaited: Counter[int] = Counter()  # requests of this process waiting, per job
        self._ended: dict[int, threading.Event] = {}  # for them: set when the job ends
        self._claimed: dict[int, threading.Event] = {}  # queued here: set once claimed
        self._results: OrderedDict[int, Any] = OrderedDict()
        self._results_kept = results_kept
        self._kick = threading.Event()  # a job was queued here: a worker should look now
        self._closing = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, name=f"vpclab-job-{n}", daemon=True)
            for n in range(workers)
        ]
        self._threads.append(threading.Thread(target=self._watch, name="vpclab-jobs", daemon=True))
        for thread in self._threads:
            thread.start()

    # ---- reading ----------------------------------------------------------------------------
    def get(self, job_id: int) -> Job | None:
        """The job as it is now, with its result when it is done."""
        with self._reader.connect() as connection:
            row = connection.execute(select(*COLUMNS).where(JOB.c.id == job_id)).first()
            if row is None:
                return None
            result = self._result(connection, row) if row.status == "done" else None
        return self._job(row, result)

    def active(self) -> list[Job]:
        """The jobs queued or running now, in every process."""
        with self._reader.connect() as connection:
            rows = connection.execute(
                select(*COLUMNS).where(JOB.c.status.in_(ACTIVE)).order_by(JOB.c.id)
            )
            return [self._job(row) for row in rows]

    @staticmethod
    def _job(row: Row[Any], result: Any = None) -> Job:
        return Job(
            id=row.id,
            key=_key(row),
            owner=row.owner,
            status=row.status,
            done=row.done,
            total=row.total,
            result=result,
            error=row.error,
            created=row.created_at,
            started=row.started_at,
            finished=row.finished_at,
            waiters=row.waiters,
            claimed_by=row.claimed_by,
        )

    def _result(self, connection: Connection, row: Row[Any]) -> Any:
        """A done job's result, decoded once per process and kept for the next readers (a
        result never changes: a new revision is a new job)."""
        with self._lock:
            if row.id in self._results:
                self._results.move_to_end(row.id)
                return self._results[row.id]
        blob = connection.execute(select(JOB.c.result).where(JOB.c.id == row.id)).scalar()
        result = json.loads(zlib.decompress(blob)) if blob is not None else None
        decode = self._decoders.get(row.kind)
        if decode is not None and result is not None:
            result = decode(result)
        with self._lock:
            self._results[row.id] = result
            while len(self._results) > self._results_kept:
                self._results.popitem(last=False)
        return result

    # ---- asking -----------------------------------------------------------------------------
    def start(
        self,
        key: tuple[Any, ...],
        work: Callable[[Progress], Any],
        *,
        owner: str,
        waiting: bool = False,
        again: bool = False,
    ) -> Job:
        """The job for ``key`` (topology id, revision, kind, *parameters), queued now unless
        it is queued, running or done already. ``work(progress)`` computes its result (JSON).

        ``waiting``: the caller awaits the result with ``wait`` (the JSON API); otherwise it is
        a page that polls. Refused with TooManyRequests when the queue is full for ``owner``
        or for everyone.
        """
        question = _question(key)
        job_id, fresh = self._share(question, waiting=waiting), False
        if job_id is None:
            job_id, fresh = self._queue(question, owner, waiting=waiting)
        claimed = threading.Event()
        with self._lock:
            if fresh:
                self._local[job_id] = work
                self._claimed[job_id] = claimed
            if waiting:
                self._awaited[job_id] += 1
                self._ended.setdefault(job_id, threading.Event())
        if fresh:
            # A worker of this process that is free claims it within milliseconds: then the
            # page says "running", not "waiting for other analyses" (there are none).
            self._kick.set()
            claimed.wait(CLAIM_WAIT_S)
            with self._lock:
                self._claimed.pop(job_id, None)
        job = self.get(job_id)
        assert job is not None
        if job.status == "cancelled" and not again:
            # It ended as we asked (its topology changed before another process started it,
            # or its last watcher left that instant): this question gets a job of its own.
            if waiting:
                self._forget_waiter(job_id)
            return self.start(key, work, owner=owner, waiting=waiting, again=True)
        if waiting and not job.active:  # done already: the waiter need not wait
            with self._lock:
                self._ended[job_id].set()
        return job

    def _same(self, question: tuple[str, int | None, str, str]) -> Any:
        """The condition of a job that answers ``question`` (not failed nor cancelled)."""
        topology_id, revision, kind, parameters = question
        return (
            (JOB.c.topology_id == topology_id)
            & (JOB.c.revision == revision)
            & (JOB.c.kind == kind)
            & (JOB.c.parameters == parameters)
            & JOB.c.status.not_in(("failed", "cancelled"))
        )

    def _share(self, question: tuple[str, int | None, str, str], *, waiting: bool) -> int | None:
        """The job already answering ``question``, now wanted by one more waiter or by a page's
        poll; None if there is none. (No queue lock: the pages of a class poll every second.)"""
        with self._reader.connect() as connection:
            found = connection.execute(
                select(JOB.c.id, JOB.c.status)
                .where(self._same(question))
                .order_by(JOB.c.id.desc())
                .limit(1)
            ).first()
        if found is None:
            return None
        now = time.time()
        if waiting:
            wanted: dict[str, Any] = {"waiters": JOB.c.waiters + 1, "waited_at": now}
            still = JOB.c.status.not_in(("failed", "cancelled"))
        elif found.status in ACTIVE:
            wanted, still = {"watched_until": now + self.watch_s}, JOB.c.status.in_(ACTIVE)
        else:
            return int(found.id)  # done: nothing to keep alive
        with self._writer.begin() as connection:
            changed = connection.execute(
                update(JOB).where(JOB.c.id == found.id, still).values(**wanted)
            ).rowcount
        return int(found.id) if changed else None  # it ended meanwhile: ask again

    def _queue(
        self, question: tuple[str, int | None, str, str], owner: str, *, waiting: bool
    ) -> tuple[int, bool]:
        """A new queued job for ``question`` (or the one another process queued meanwhile),
        under the queue lock, and whether it is new; TooManyRequests if the queue is full."""
        topology_id, revision, kind, parameters = question
        now = time.time()
        with self._writer.begin() as connection:
            self._lock_queue(connection)
            found = connection.execute(
                select(JOB.c.id).where(self._same(question)).order_by(JOB.c.id.desc()).limit(1)
            ).first()
            if found is not None:
                wanted = (
                    {"waiters": JOB.c.waiters + 1, "waited_at": now}
                    if waiting
                    else {"watched_until": now + self.watch_s}
                )
                connection.execute(update(JOB).where(JOB.c.id == found.id).values(**wanted))
                return int(found.id), False
            self._check_room(connection, owner)
            inserted = connection.execute(
                insert(JOB).values(
                    kind=kind,
                    topology_id=topology_id,
                    revision=revision,
                    parameters=parameters,
                    owner=owner,
                    status="queued",
                    done=0,
                    total=0,
                    waiters=1 if waiting else 0,
                    waited_at=now,
                    watched_until=0.0 if waiting else now + self.watch_s,
                    heartbeat=0.0,
                    attempts=0,
                    created_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key
            assert inserted is not None
            return int(inserted[0]), True

    def refuse_early(self, owner: str, key: tuple[Any, ...]) -> None:
        """Raise TooManyRequests now if ``start`` would, for the question of ``key`` on any
        revision (its revision is not read): no job for it to share, and no room for a new one.
        """
        topology_id, _, kind, parameters = _question(key)
        with self._reader.connect() as connection:
            shared = connection.execute(
                select(JOB.c.id)
                .where(
                    JOB.c.topology_id == topology_id,
                    JOB.c.kind == kind,
                    JOB.c.parameters == parameters,
                    JOB.c.status.not_in(("failed", "cancelled")),
                )
                .limit(1)
            ).first()
            if shared is None:
                self._check_room(connection, owner)

    def _lock_queue(self, connection: Connection) -> None:
        """PostgreSQL: one process at a time looks up and queues (SQLite's write transaction
        holds the whole database already)."""
        if self._postgres:
            connection.execute(select(func.pg_advisory_xact_lock(QUEUE_LOCK)))

    def _check_room(self, connection: Connection, owner: str) -> None:
        """TooManyRequests if the queue is full, for everyone or for ``owner``."""
        counted = select(func.count()).select_from(JOB).where(JOB.c.status.in_(ACTIVE))
        active = connection.execute(counted).scalar_one()
        if active >= self.active_max:
            raise TooManyRequests(
                message("jobs.queue.busy", active=active),
                retry_after=RETRY_BUSY_S,
            )
        mine = connection.execute(counted.where(JOB.c.owner == owner)).scalar_one()
        if mine >= self.per_owner:
            raise TooManyRequests(
                message("jobs.queue.mine", mine=mine),
                retry_after=RETRY_BUSY_S,
            )

    async def wait(self, job: Job, disconnected: Callable[[], Awaitable[bool]]) -> Any:
        """The job's result, awaited on the event loop (no thread is held while it runs).

        The caller started the job with ``waiting=True``; its interest ends here, whether the
        result came, or ``disconnected()`` said the client has gone (then ClientGone): the last
        waiter to go, with no page polling, lets the job be cancelled. A job that ended
        otherwise than done raises RuntimeError, or Outdated when the topology changed first.
        """
        with self._lock:
            ended = self._ended.setdefault(job.id, threading.Event())
        try:
            pause = 0.005
            while not ended.is_set():
                if await disconnected():
                    raise ClientGone
                await asyncio.sleep(pause)
                pause = min(2 * pause, 0.25)
        finally:
            await asyncio.to_thread(self._forget_waiter, job.id)
        final = await asyncio.to_thread(self.get, job.id)
        if final is None or final.status != "done":
            if final is not None and final.error and final.error.startswith("Outdated"):
                raise Outdated(final.error)
            status = final.status if final else "deleted"
            raise RuntimeError(final.error if final and final.error else f"the job was {status}")
        return final.result

    def _forget_waiter(self, job_id: int) -> None:
        """One waiter of this process stopped waiting for the job."""
        with self._lock:
            self._awaited[job_id] -= 1
            if self._awaited[job_id] <= 0:
                del self._awaited[job_id]
                self._ended.pop(job_id, None)
        with self._writer.begin() as connection:
            connection.execute(
                update(JOB).where(JOB.c.id == job_id).values(waiters=JOB.c.waiters - 1)
            )

    # ---- computing --------------------------------------------------------------------------
    def _work(self) -> None:
        """A worker thread: claim the oldest job this process can run, run it, again."""
        while not self._closing.is_set():
            self._kick.clear()
            try:
                claimed = self._claim()
            except Exception:  # the database is away for a moment: try again later
                log.exception("claiming a job failed")
                claimed = None
            if claimed is None:
                self._kick.wait(self._poll_s)
                continue
            try:
                self._run(*claimed)
            except Exception:  # its end was not written: its claim goes stale, and is retried
                log.exception("a job's end could not be written")

    def _claim(self) -> tuple[int, tuple[Any, ...], Callable[[Progress], Any]] | None:
        now = time.time()
        with self._lock:
            local = list(self._local)
        runnable = JOB.c.kind.in_(list(self._runners))
        if local:
            runnable = runnable | JOB.c.id.in_(local)
        claimable = (JOB.c.status == "queued") | (
            (JOB.c.status == "running") & (JOB.c.heartbeat < now - self.stale_s)
        )
        query = select(*COLUMNS).where(claimable, runnable).order_by(JOB.c.id).limit(1)
        with self._reader.connect() as connection:  # mostly nothing: no write lock for that
            if connection.execute(query).first() is None:
                return None
        if self._postgres:
            query = query.with_for_update(skip_locked=True)
        with self._writer.begin() as connection:
            row = connection.execute(query).first()
            if row is None:
                return None
            if row.attempts >= MAX_ATTEMPTS:
                connection.execute(
                    update(JOB)
                    .where(JOB.c.id == row.id)
                    .values(
                        status="failed",
                        error=f"The process computing it stopped {row.attempts} times.",
                        finished_at=now,
                        updated_at=now,
                    )
                )
                self._kick.set()  # look again at once
                return None
            connection.execute(
                update(JOB)
                .where(JOB.c.id == row.id)
                .values(
                    status="running",
                    claimed_by=self.me,
                    heartbeat=now,
                    attempts=row.attempts + 1,
                    started_at=now,
                    done=0,
                    total=0,
                    updated_at=now,
                )
            )
        with self._lock:
            work = self._local.pop(row.id, None)
            self._running.add(row.id)
            if row.id in self._claimed:
                self._claimed[row.id].set()
        key = _key(row)
        if work is None:
            runner = self._runners[row.kind]
            return row.id, key, lambda progress: runner(key, progress)
        return row.id, key, work

    def _run(self, job_id: int, key: tuple[Any, ...], work: Callable[[Progress], Any]) -> None:
        ticked = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal ticked
            if self._closing.is_set():
                raise _Released
            now = time.monotonic()
            if now - ticked >= TICK_S:
                ticked = now
                self._tick(job_id, done, total)

        ended = True
        try:
            progress(0, 0)  # nobody wants it any more (it waited in the queue): not started
            result = work(progress)
            blob = _encode(result)
        except Cancelled:
            self._end(job_id, "cancelled")
        except Outdated as outdated:
            self._end(job_id, "cancelled", error=f"Outdated: {outdated}")
        except _Lost:  # another process computes it now; the watcher hears when it ends
            ended = False
        except _Released:
            ended = False
            self._release(job_id)
        except Exception as error:  # reported to the user, not swallowed
            self._end(job_id, "failed", error=f"{type(error).__name__}: {error}")
        else:
            self._end(job_id, "done", result=blob)
        finally:
            with self._lock:
                self._running.discard(job_id)
                event = self._ended.get(job_id)
            if event is not None and ended:
                event.set()

    def _tick(self, job_id: int, done: int, total: int) -> None:
        """Write the progress and the heartbeat; raise Cancelled if nobody wants the result."""
        now = time.time()
        with self._writer.begin() as connection:
            wanted = connection.execute(
                update(JOB)
                .where(JOB.c.id == job_id, JOB.c.claimed_by == self.me, JOB.c.status == "running")
                .values(done=done, total=total, heartbeat=now, updated_at=now)
                .returning(JOB.c.waiters, JOB.c.waited_at, JOB.c.watched_until)
            ).first()
        if wanted is None:
            raise _Lost
        if self._abandoned(wanted, now):
            raise Cancelled

    def _abandoned(self, wanted: Row[Any], now: float) -> bool:
        """No page polled it lately, and no request waits (or its process stopped saying so)."""
        waited = wanted.waiters > 0 and now - wanted.waited_at < self.stale_s
        return not waited and now > wanted.watched_until

    def _end(
        self, job_id: int, status: str, *, result: bytes | None = None, error: str | None = None
    ) -> None:
        now = time.time()
        values: dict[str, Any] = {"status": status, "result": result, "error": error}
        if status == "done":
            values["done"] = JOB.c.total
        with self._writer.begin() as connection:
            connection.execute(
                update(JOB)
                .where(JOB.c.id == job_id, JOB.c.claimed_by == self.me, JOB.c.status == "running")
                .values(**values, finished_at=now, updated_at=now)
            )
            # The newest ``keep`` ended jobs stay as a cache; older ones go.
            old = connection.execute(
                select(JOB.c.id)
                .where(JOB.c.status.in_(ENDED))
                .order_by(JOB.c.id.desc())
                .offset(self._keep)
            ).scalars()
            stale = list(old)
            if stale:
                connection.execute(JOB.delete().where(JOB.c.id.in_(stale)))

    def _release(self, job_id: int) -> None:
        """Back to the queue: another process takes it (or cancels it if nobody wants it)."""
        with self._writer.begin() as connection:
            connection.execute(
                update(JOB)
                .where(JOB.c.id == job_id, JOB.c.claimed_by == self.me)
                .values(status="queued", claimed_by=None, attempts=JOB.c.attempts - 1)
            )

    # ---- watching ---------------------------------------------------------------------------
    def _watch(self) -> None:
        """The watcher thread: tell this process's waiters when their job ends elsewhere, and
        every second keep this process's claims and waiters alive and cancel queued jobs
        nobody wants any more."""
        beat = 0.0
        while not self._closing.wait(0.1 if self._awaited else 0.5):
            try:
                self._notice_ended()
                if time.monotonic() - beat >= 1.0:
                    beat = time.monotonic()
                    self._beat()
            except Exception:  # the database is away for a moment: try again later
                log.exception("watching the jobs failed")

    def _notice_ended(self) -> None:
        with self._lock:
            awaited = [i for i, event in self._ended.items() if not event.is_set()]
        if not awaited:
            return
        with self._reader.connect() as connection:
            still = set(
                connection.execute(
                    select(JOB.c.id).where(JOB.c.id.in_(awaited), JOB.c.status.in_(ACTIVE))
                ).scalars()
            )
        with self._lock:
            for job_id in awaited:
                if job_id not in still and job_id in self._ended:
                    self._ended[job_id].set()

    def _beat(self) -> None:
        now = time.time()
        with self._lock:
            running, awaited, local = list(self._running), list(self._awaited), list(self._local)
        abandoned = (
            (JOB.c.status == "queued")
            & (JOB.c.watched_until < now)
            & ((JOB.c.waiters <= 0) | (JOB.c.waited_at < now - self.stale_s))
        )
        if not (running or awaited or local):  # an idle lab writes nothing
            with self._reader.connect() as connection:
                if connection.execute(select(JOB.c.id).where(abandoned).limit(1)).first() is None:
                    return
        with self._writer.begin() as connection:
            if running:
                connection.execute(
                    update(JOB)
                    .where(JOB.c.id.in_(running), JOB.c.claimed_by == self.me)
                    .values(heartbeat=now)
                )
            if awaited:
                connection.execute(update(JOB).where(JOB.c.id.in_(awaited)).values(waited_at=now))
            connection.execute(
                update(JOB)
                .where(abandoned)
                .values(status="cancelled", finished_at=now, updated_at=now)
            )
            gone = self._not_queued(connection, local)
        with self._lock:  # claimed by another process, or cancelled: not ours to run
            for job_id in gone:
                self._local.pop(job_id, None)

    @staticmethod
    def _not_queued(connection: Connection, ids: Sequence[int]) -> set[int]:
        if not ids:
            return set()
        queued = connection.execute(
            select(JOB.c.id).where(JOB.c.id.in_(ids), JOB.c.status == "queued")
        ).scalars()
        return set(ids) - set(queued)

    def shutdown(self, timeout: float = 2.0) -> None:
        """Stop: running jobs go back to the queue at their next progress report (another
        process takes them up; here, the next start does), queued ones are not claimed."""
        self._closing.set()
        self._kick.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

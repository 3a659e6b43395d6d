"""The background jobs, kept in the database: bounded queues per client and overall, shared by
identical questions, cancelled once nobody waits for them, awaited without a thread.
(tests/scale runs them across processes.)"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import pytest
from sqlalchemy import Engine, update

from app.jobs import JOB, ClientGone, Job, Jobs
from app.throttle import TooManyRequests

Progress = Callable[[int, int], None]


class Endless:
    """A long analysis: reports progress every 10 ms until ``release`` is set (at the end of
    each test at the latest, so that a job that fails to stop does not outlive its test)."""

    made: ClassVar[list[Endless]] = []

    def __init__(self) -> None:
        self.release = threading.Event()
        self.steps = 0
        Endless.made.append(self)

    def __call__(self, progress: Progress) -> str:
        deadline = time.monotonic() + 10  # a job that ignores cancellation still ends
        while not self.release.is_set() and time.monotonic() < deadline:
            self.steps += 1
            progress(self.steps, 10_000)
            time.sleep(0.01)
        return "result"


@pytest.fixture
def jobs(engine: Engine) -> Iterator[Jobs]:
    registry = Jobs(engine, workers=4, per_owner=2, active_max=3, watch_s=0.3)
    yield registry
    registry.shutdown()
    for work in Endless.made:
        work.release.set()
    Endless.made.clear()


def status(jobs: Jobs, job: Job) -> str:
    """The job's status now, as any process reads it."""
    now = jobs.get(job.id)
    assert now is not None
    return now.status


def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_identical_questions_share_one_job(jobs: Jobs) -> None:
    work = Endless()  # awaited by two clients (a waiter keeps it wanted, however slow)
    first = jobs.start(("t", 1, "matrix"), work, owner="a", waiting=True)
    again = jobs.start(("t", 1, "matrix"), Endless(), owner="b", waiting=True)
    assert again.id == first.id
    work.release.set()
    until(lambda: status(jobs, first) == "done")
    done = jobs.get(first.id)
    assert done is not None and done.result == "result"


def test_a_client_gets_429_past_its_share_and_others_still_get_theirs(jobs: Jobs) -> None:
    works = [Endless() for _ in range(4)]
    jobs.start(("t", 1, "q0"), works[0], owner="a")
    jobs.start(("t", 1, "q1"), works[1], owner="a")
    with pytest.raises(TooManyRequests) as refused:
        jobs.start(("t", 1, "q2"), works[2], owner="a")
    assert refused.value.code == "RequestLimitExceeded" and refused.value.retry_after >= 1
    jobs.start(("t", 1, "q3"), works[3], owner="b")  # another client is not refused
    with pytest.raises(TooManyRequests):  # but the whole queue is full now (3)
        jobs.start(("t", 1, "q4"), Endless(), owner="c")
    works[0].release.set()
    until(lambda: len(jobs.active()) == 2)
    jobs.start(("t", 1, "q2"), works[2], owner="a")  # a place is free again
    for work in works:
        work.release.set()


def test_a_job_nobody_polls_any_more_is_cancelled(jobs: Jobs) -> None:
    work = Endless()
    job = jobs.start(("t", 1, "exposure"), work, owner="a")  # a page shows it...
    for _ in range(5):  # ...and polls it for a while: it keeps running
        time.sleep(0.1)
        assert jobs.start(("t", 1, "exposure"), work, owner="a").id == job.id
    assert status(jobs, job) == "running"
    until(lambda: status(jobs, job) == "cancelled")  # the page was closed
    steps = work.steps
    time.sleep(0.1)
    assert work.steps == steps  # it stopped computing
    assert jobs.active() == []
    again = jobs.start(("t", 1, "exposure"), work, owner="a")  # asked again: a new run
    assert again.id != job.id and again.active
    work.release.set()


def wait(jobs: Jobs, job: Job, gone: Callable[[], bool]) -> Any:
    async def disconnected() -> bool:
        return gone()

    return asyncio.run(jobs.wait(job, disconnected))


def test_a_job_whose_last_waiter_disconnects_is_cancelled(jobs: Jobs) -> None:
    work = Endless()
    key = ("t", 1, "matrix", 22)
    job = jobs.start(key, work, owner="a", waiting=True)
    assert jobs.start(key, work, owner="b", waiting=True).id == job.id
    started = time.monotonic()
    with pytest.raises(ClientGone):  # one client goes at once...
        wait(jobs, job, lambda: True)
    # ...the other still waits, so the job runs on past watch_s: an API job lives by its
    # waiters, not by page polls.
    time.sleep(0.5)
    assert status(jobs, job) == "running"
    with pytest.raises(ClientGone):  # the last one goes after a moment
        wait(jobs, job, lambda: time.monotonic() - started > 0.8)
    until(lambda: status(jobs, job) == "cancelled", 2.0)
    assert jobs.active() == []


def test_a_waiter_gets_the_result_without_holding_a_thread(jobs: Jobs) -> None:
    work = Endless()
    job = jobs.start(("t", 1, "matrix"), work, owner="a", waiting=True)
    threading.Timer(0.2, work.release.set).start()

    async def many_waiters() -> list[Any]:
        # 50 waiters on one event loop thread (the server's): none needs a thread of its own.
        for _ in range(49):
            jobs.start(("t", 1, "matrix"), work, owner="a", waiting=True)

        async def connected() -> bool:
            return False

        return await asyncio.gather(*(jobs.wait(job, connected) for _ in range(50)))

    before = threading.active_count()
    assert asyncio.run(many_waiters()) == ["result"] * 50
    assert threading.active_count() <= before + 1
    assert jobs.get(job.id).waiters == 0  # type: ignore[union-attr]


def test_a_failed_job_is_reported_and_asked_again_runs_again(jobs: Jobs) -> None:
    def broken(progress: Progress) -> None:
        raise ValueError("boom")

    job = jobs.start(("t", 1, "x"), broken, owner="a", waiting=True)
    with pytest.raises(RuntimeError, match="boom"):
        wait(jobs, job, lambda: False)
    work = Endless()
    work.release.set()
    again = jobs.start(("t", 1, "x"), work, owner="a")
    until(lambda: status(jobs, again) == "done")


# ---- across processes: two registries on one database, as two server processes -----------
@pytest.fixture
def two(engine: Engine) -> Iterator[tuple[Jobs, Jobs, list[Endless]]]:
    """``starter`` computes nothing (no workers); ``computer`` computes the kind "slow" from
    its question alone, as a process that did not start the job does."""
    made: list[Endless] = []

    def slow(key: tuple[Any, ...], progress: Progress) -> str:
        work = Endless()
        made.append(work)
        return work(progress)

    # A beat every 0.3 s, stale after 2.5 s: on a loaded machine (a CI run beside other work) a
    # beat came more than 1 s late and a waiter still there was taken for gone.
    starter = Jobs(engine, workers=0, watch_s=0.3, stale_s=2.5, name="starter:1")
    computer = Jobs(engine, runners={"slow": slow}, watch_s=0.3, stale_s=2.5, name="computer:2")
    yield starter, computer, made
    for registry in (starter, computer):
        registry.shutdown()
    for work in made + Endless.made:
        work.release.set()
    Endless.made.clear()


def never(progress: Progress) -> str:
    raise AssertionError("only the computing process runs it")


def test_a_job_started_in_one_process_is_computed_and_answered_by_another(
    two: tuple[Jobs, Jobs, list[Endless]],
) -> None:
    starter, computer, made = two
    job = starter.start(("t", 1, "slow"), never, owner="a", waiting=True)
    until(lambda: status(computer, job) == "running" and starter.get(job.id).done > 0)  # type: ignore[union-attr]
    assert starter.get(job.id).claimed_by == "computer:2"  # type: ignore[union-attr]
    assert computer.start(("t", 1, "slow"), never, owner="b").id == job.id  # shared
    threading.Timer(0.3, lambda: made[0].release.set()).start()
    assert wait(starter, job, lambda: False) == "result"  # the waiter heard it ended


def test_the_last_waiter_leaving_in_another_process_cancels_the_job(
    two: tuple[Jobs, Jobs, list[Endless]],
) -> None:
    starter, computer, made = two
    job = starter.start(("t", 1, "slow"), never, owner="a", waiting=True)
    until(lambda: status(computer, job) == "running")
    time.sleep(0.5)
    assert status(computer, job) == "running"  # a waiter keeps it wanted
    with pytest.raises(ClientGone):
        wait(starter, job, lambda: True)
    until(lambda: status(computer, job) == "cancelled", 4.0)
    steps = made[0].steps
    time.sleep(0.1)
    assert made[0].steps == steps  # the computing process stopped


def test_a_job_whose_process_stopped_beating_is_taken_over(
    two: tuple[Jobs, Jobs, list[Endless]], engine: Engine
) -> None:
    starter, computer, made = two
    job = starter.start(("t", 1, "slow"), never, owner="a", waiting=True)
    until(lambda: status(computer, job) == "running")
    # As if another process had claimed it and died two seconds ago (stale_s is 1 s).
    with engine.begin() as connection:
        connection.execute(
            update(JOB)
            .where(JOB.c.id == job.id)
            .values(claimed_by="dead:3", heartbeat=time.time() - 2)
        )
    until(lambda: len(made) == 2)  # claimed again, and computed from the start
    taken = starter.get(job.id)
    assert taken is not None and taken.claimed_by == "computer:2" and taken.status == "running"
    steps = made[0].steps
    time.sleep(0.5)
    assert made[0].steps == steps  # the first run saw it lost its claim, and stopped
    made[1].release.set()
    assert wait(starter, job, lambda: False) == "result"


def test_processes_asking_at_once_share_one_job_and_the_queue_bounds_hold(
    two: tuple[Jobs, Jobs, list[Endless]],
) -> None:
    starter, computer, _ = two
    barrier = threading.Barrier(8)

    def ask(n: int, question: str) -> int | None:
        registry = (starter, computer)[n % 2]
        barrier.wait()
        try:
            work = Endless()  # whichever process computes it
            return registry.start(("t", 1, "slow", question), work, owner="a", waiting=True).id
        except TooManyRequests:
            return None

    with ThreadPoolExecutor(8) as pool:
        same = list(pool.map(lambda n: ask(n, "same"), range(8)))
    assert len(set(same)) == 1 and None not in same
    with ThreadPoolExecutor(8) as pool:  # client "a" may have 3 jobs: one more now
        others = list(pool.map(lambda n: ask(n, f"q{n}"), range(8)))
    assert len([i for i in others if i is not None]) == 2


def test_a_topology_that_changes_under_its_job_twice_is_a_conflict_not_a_server_error() -> None:
    """The API asks once more when a job finds the topology changed; a second change in that
    instant answers 409 IncorrectState (ask again), never a 500."""
    import asyncio

    from app.api.errors import status_for
    from app.api.whole_network import answer_of
    from app.engine import AwsError
    from app.jobs import Outdated

    started: list[int] = []

    class ChangingUnderIt:
        async def wait(self, job: object, disconnected: object) -> object:
            raise Outdated("the topology changed")

    class Request:
        async def is_disconnected(self) -> bool:
            return False

    def start() -> tuple[dict[str, object], object]:
        started.append(1)
        return {"id": "t", "revision": len(started)}, object()

    with pytest.raises(AwsError) as refused:
        asyncio.run(answer_of(ChangingUnderIt(), Request(), start))  # type: ignore[arg-type]
    assert refused.value.code == "IncorrectState" and status_for(refused.value) == 409
    assert len(started) == 2

"""A background job belongs to the user who asked: the same question on the same revision of the
same topology is one job per user, never handed to somebody else."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.db.store import Store
from app.jobs import Jobs
from app.whole_network import exposure_job, matrix_job


@pytest.fixture
def jobs(store: Store) -> Iterator[Jobs]:
    jobs = Jobs(store.engine, per_owner=10)
    yield jobs
    jobs.shutdown()


def test_a_job_is_never_shared_between_users(store: Store, jobs: Jobs) -> None:
    topology = store.create_topology(name="lab", template="seed-002-ssh")
    topology, model = store.model(topology["id"])
    alices = exposure_job(jobs, topology, model, user=2, owner="a")
    assert exposure_job(jobs, topology, model, user=2, owner="a").id == alices.id
    teachers = exposure_job(jobs, topology, model, user=4, owner="t")
    assert teachers.id != alices.id
    alices_matrix = matrix_job(jobs, topology, model, "tcp", [22], user=2, owner="a")
    assert matrix_job(jobs, topology, model, "tcp", [22], user=4, owner="t").id != alices_matrix.id
    assert {job.key[3] for job in (alices, teachers)} == {2, 4}  # job_key: the user is 4th

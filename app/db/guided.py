"""Guided labs as store operations: start a lab (a topology made from the lab's ``start``
template that remembers the lab), and move between its steps. ``Store`` inherits them; each
finds its topology with the store's own ``_row`` lookup, so only the owner moves a lab's step
(an instructor reading a student's lab is refused with ``UnauthorizedOperation``).

Moving forward is decided inside the write transaction, on the model of the revision the row
is locked at: a change made at the same instant cannot slip a failing step through.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from app import labs
from app.engine import AwsError
from app.engine.messages import message, text
from app.labs import challenge
from app.labs.progress import Progress, first_failing, progress, step_results
from app.labs.variants import vary_kept

from . import tables

if TYPE_CHECKING:
    from .store_parts import StoreParts
else:
    StoreParts = object

text("store.lab.not_found", "The guided lab '{lab_id}' does not exist.")
text(
    "store.lab.none",
    "The topology '{topology_id}' does not follow a guided lab; start one from the list of "
    "guided labs.",
)
text("store.lab.step", "The lab '{lab_id}' has steps 1 to {count}; there is no step {step}.")
text(
    "store.lab.not_passed",
    "Step {step} is not done yet: {failing} of its {count} checks do not pass. Nothing was "
    "changed; make them pass, then go on.",
)
text("store.lab.complete", "The lab '{lab_id}' is complete: there is no next step.")
text(
    "store.lab.not_challenge",
    "The topology '{topology_id}' is not a troubleshooting challenge: it has no hints to take.",
)
text(
    "store.lab.no_hint",
    "There is no hint left: every fault not found yet has been said in full.",
)


def lab_not_found(lab_id: str) -> AwsError:
    return AwsError(
        "InvalidLabID.NotFound",
        message("store.lab.not_found", lab_id=lab_id),
        resource_id=lab_id,
    )


def find_lab(lab_id: str) -> labs.Lab:
    """The lab ``lab_id`` from the lab files, or the 404 for an unknown one."""
    found = labs.all_labs().get(lab_id)
    if found is None:
        raise lab_not_found(lab_id)
    return found


class Guided(StoreParts):
    """Start a guided lab, and its step (mixed into ``app.db.store.Store``)."""

    def start_lab(self, lab_id: str, name: str) -> dict[str, Any]:
        """A new topology of the actor's own, made from the lab's ``start`` template, on the
        lab's first step. A troubleshooting challenge starts with its faults injected, drawn
        for this learner: the same learner starting it again gets the same faults."""
        lab = find_lab(lab_id)
        if lab.faults:
            broken, state = challenge.start(lab, self.user_id)
            return self.create_topology(
                name=name,
                region=lab.region,
                template=lab.start,
                lab=lab.id,
                built=broken,
                challenge=state,
            )
        return self.create_topology(name=name, region=lab.region, template=lab.start, lab=lab.id)

    def _lab_of(self, row: tables.Topology) -> labs.Lab:
        if row.lab is None:
            raise AwsError(
                "InvalidLabID.NotFound",
                message("store.lab.none", topology_id=row.id),
                resource_id=row.id,
            )
        # A student's copy of an assignment made from a topology: its one-step lab, made from
        # the assignment's checks (app/labs/custom.py).
        made = self._assignment_lab(row)
        if made is not None:
            return made
        lab = find_lab(row.lab)
        # A student's copy of an assignment with variants: the lab on their own network.
        seed = self._variant_seed(row)
        return lab if seed is None else vary_kept(lab, seed)

    def lab_progress(self, topology_id: str) -> tuple[dict[str, Any], Progress]:
        """The topology and its lab's step shown, the step's checks evaluated now (404 for a
        topology that follows no lab). Anyone who may read the topology may ask."""
        from .store import topology_json

        with self._read() as session:
            row = self._row(session, topology_id)
            lab = self._lab_of(row)
            model = self._model(session, row)
        found = progress(lab, row.lab_step, model)
        if row.challenge is not None and lab.faults:
            checked = found.checks if found.step == 0 else step_results(lab.steps[0], model)
            passed = [c.result.passed for c in checked]
            found = dataclasses.replace(
                found, challenge=challenge.view(row.id, lab, row.challenge, passed)
            )
        return topology_json(row), found

    def take_challenge_hint(self, topology_id: str) -> dict[str, Any]:
        """One more hint of a troubleshooting challenge (it costs points): about the first
        fault not found now that has a hint left. The owner only; 409 ``IncorrectState`` when
        none is left, 404 for a topology that is no challenge."""
        from .store import topology_json

        with self._write() as session:
            row = self._row(session, topology_id, lock=True, write=True)
            lab = self._lab_of(row)
            if row.challenge is None or not lab.faults:
                raise AwsError(
                    "InvalidLabID.NotFound",
                    message("store.lab.not_challenge", topology_id=row.id),
                    resource_id=row.id,
                )
            model = self._model(session, row)
            passed = [c.result.passed for c in step_results(lab.steps[0], model)]
            target = challenge.view(row.id, lab, row.challenge, passed).next_hint
            if target is None:
                raise AwsError("IncorrectState", message("store.lab.no_hint"), resource_id=row.id)
            # A new dict: the JSON column is written only when its value is replaced.
            row.challenge = {**row.challenge, "hints": [*row.challenge.get("hints", []), target]}
            row.updated_at = tables.now()
            session.add(row)
        return topology_json(row)

    def lab_of(self, topology_id: str) -> str | None:
        """The id of the lab the topology follows (None: none), for pages that show it."""
        with self._read() as session:
            return self._row(session, topology_id).lab

    def set_lab_step(self, topology_id: str, step: int) -> dict[str, Any]:
        """Show step ``step`` (0-based; ``len(steps)``: the lab is complete). Back to an earlier
        step always; forward only when every step from the one shown up to ``step`` passes
        now (409 ``IncorrectState`` otherwise, nothing written). The owner only."""
        from .store import topology_json

        with self._write() as session:
            row = self._row(session, topology_id, lock=True, write=True)
            lab = self._lab_of(row)
            count = len(lab.steps)
            if not 0 <= step <= count:
                raise AwsError(
                    "InvalidParameterValue",
                    message("store.lab.step", lab_id=lab.id, count=count, step=step + 1),
                )
            current = min(row.lab_step, count)
            if step > current:
                failing = first_failing(lab, current, step, self._model(session, row))
                if failing is not None:
                    found = progress(lab, failing, self._model(session, row))
                    raise AwsError(
                        "IncorrectState",
                        message(
                            "store.lab.not_passed",
                            step=failing + 1,
                            failing=sum(not c.result.passed for c in found.checks),
                            count=len(found.checks),
                        ),
                        resource_id=row.id,
                    )
            row.lab_step = step
            row.updated_at = tables.now()
            session.add(row)
        return topology_json(row)

    def next_lab_step(self, topology_id: str) -> dict[str, Any]:
        """The step after the one shown, when all of its checks pass (409 otherwise)."""
        with self._read() as session:
            # The owner only: a reader is refused (403) before being told anything of the lab.
            row = self._row(session, topology_id, write=True)
            lab = self._lab_of(row)
            step = row.lab_step
        if step >= len(lab.steps):
            raise AwsError(
                "IncorrectState",
                message("store.lab.complete", lab_id=lab.id),
                resource_id=topology_id,
            )
        return self.set_lab_step(topology_id, step + 1)

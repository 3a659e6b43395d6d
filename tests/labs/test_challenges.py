"""Challenge labs (docs/labs.md, "Troubleshooting challenges"): the file format's
``challenge: {faults: N}``, and every challenge's checks passing on its unbroken template, so
that each one a fault breaks is the fault's doing."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine import Topology
from app.engine.checks import evaluate
from app.engine.templates import apply_template
from app.labs import LabFileError, all_labs, load_lab

CHALLENGE = """\
title: {en: Fix it, ja: 直す}
goal: {en: 2 faults were injected., ja: 2 つの障害が仕込まれました。}
start: seed-002-ssh
challenge:
  faults: 2
steps:
  - id: repair
    title: {en: Repair, ja: 直す}
    instructions: {en: Repair it., ja: 直します。}
    checks:
      - id: ssh
        says: {en: SSH reaches, ja: SSH が届く}
        flow: {from: internet, to: {instance: {}}, protocol: tcp, port: 22, expect: reaches}
"""


def refused(tmp_path: Path, text: str) -> LabFileError:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LabFileError) as caught:
        load_lab(path)
    return caught.value


def test_a_challenge_file_loads_with_its_fault_count(tmp_path: Path) -> None:
    path = tmp_path / "fix-it.yaml"
    path.write_text(CHALLENGE, encoding="utf-8")
    assert load_lab(path).faults == 2
    path.write_text(CHALLENGE.replace("challenge:\n  faults: 2\n", ""), encoding="utf-8")
    assert load_lab(path).faults == 0  # a guided lab


@pytest.mark.parametrize("count", ["0", "6", "two", "2.5", "true"])
def test_a_fault_count_outside_1_to_5_names_its_line(tmp_path: Path, count: str) -> None:
    error = refused(tmp_path, CHALLENGE.replace("faults: 2", f"faults: {count}"))
    assert (error.line, error.problem) == (
        5,
        "challenge.faults: must be a whole number from 1 to 5",
    )


def test_an_unknown_key_in_challenge_is_an_error(tmp_path: Path) -> None:
    error = refused(tmp_path, CHALLENGE.replace("  faults: 2\n", "  faults: 2\n  seed: 7\n"))
    assert error.line == 6
    assert error.problem == "challenge: unknown key 'seed' (expected faults)"


def test_a_challenge_has_one_step(tmp_path: Path) -> None:
    second = (
        CHALLENGE.split("steps:\n", 1)[1]
        .replace("id: repair", "id: again")
        .replace("id: ssh", "id: ssh-again")
    )
    error = refused(tmp_path, CHALLENGE + second)
    assert error.line == 7
    assert "a challenge has exactly one step" in error.problem


CHALLENGES = [lab for lab in all_labs().values() if lab.faults]


def test_the_repository_has_the_two_challenges() -> None:
    assert {lab.id: lab.faults for lab in CHALLENGES} == {"challenge-nat": 3, "challenge-ssh": 2}
    for lab in CHALLENGES:
        assert f"{lab.faults} faults were injected" in lab.goal.en
        assert "禁止された通信を開けずに" in lab.goal.ja


@pytest.mark.parametrize("lab", CHALLENGES, ids=lambda lab: lab.id)
def test_every_check_passes_on_the_unbroken_template(lab: object) -> None:
    from app.labs import Lab

    assert isinstance(lab, Lab)
    model = Topology(region=lab.region)
    apply_template(model, lab.start)
    (step,) = lab.steps
    results = {c.id: evaluate(model, c.check) for c in step.checks}
    assert all(r.passed for r in results.values()), {k: r.code for k, r in results.items()}
    kinds = {c.check.expect for c in step.checks}  # type: ignore[union-attr]
    assert kinds == {"reaches", "blocked"}  # required flows and forbidden ones


def test_the_example_in_docs_labs_md_is_a_challenge_that_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "labs.md").read_text(encoding="utf-8")
    section = doc.split("## Troubleshooting challenges", 1)[1]
    path = tmp_path / "example.yaml"
    path.write_text(section.split("```yaml\n", 1)[1].split("```", 1)[0], encoding="utf-8")
    lab = load_lab(path)
    assert lab.faults == 3 and len(lab.steps) == 1


@pytest.mark.parametrize("lab", CHALLENGES, ids=lambda lab: lab.id)
def test_starting_injects_the_faults_each_learner_the_same_and_a_reset_brings_them_back(
    lab: object,
) -> None:
    from app.labs import Lab, challenge

    assert isinstance(lab, Lab)
    (step,) = lab.steps
    flows = challenge.flows_of(step)
    drawn = set()
    for user in range(1, 6):
        broken, state = challenge.start(lab, user)
        assert len(state["faults"]) == lab.faults
        assert not all(flows(broken))  # the learner starts with checks failing
        assert flows(challenge.original_of(state)) == [True] * len(step.checks)
        assert flows(challenge.restart(state)) == flows(broken)  # what a reset gives back
        codes = tuple(f["code"] for f in state["faults"])
        assert codes == tuple(f["code"] for f in challenge.start(lab, user)[1]["faults"])
        drawn.add(codes)
    assert len(drawn) > 1  # neighbours differ

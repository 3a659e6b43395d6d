"""A malformed lab file is refused with its file name, the line and the problem (docs/labs.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.engine import checks
from app.engine.checks import CheckSpecError, StateCheck
from app.labs import LABS_DIR, LabFileError, all_labs, load_lab

GOOD = """\
title: {en: A VPC of your own, ja: 自分の VPC}
goal:
  en: Build a VPC.
  ja: VPC を作ります。
start: blank
steps:
  - id: vpc
    title: {en: Create a VPC, ja: VPC を作成する}
    instructions:
      en: Create a VPC.
      ja: VPC を作成します。
    checks:
      - id: own-vpc
        says: {en: A VPC of your own exists, ja: 自分の VPC がある}
        state:
          vpc:
            default: false
  - id: subnet
    title: {en: Create a subnet, ja: サブネットを作成する}
    instructions: {en: Create a subnet., ja: サブネットを作成します。}
    hints:
      - {en: Subnets are in the VPC console., ja: サブネットは VPC コンソールにあります。}
    checks:
      - id: a-subnet
        says: {en: A subnet exists, ja: サブネットがある}
        state: {subnet: {default: false}}
"""


def refused(tmp_path: Path, text: str, name: str = "broken.yaml") -> LabFileError:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LabFileError) as caught:
        load_lab(path)
    error = caught.value
    assert error.file == f"{tmp_path.name}/{name}"
    assert str(error).startswith(f"{tmp_path.name}/{name}")
    return error


def test_a_good_file_loads_with_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "my-lab.yaml"
    path.write_text(GOOD, encoding="utf-8")
    lab = load_lab(path)
    assert lab.id == "my-lab"
    assert lab.region == "ap-northeast-1"
    assert [s.id for s in lab.steps] == ["vpc", "subnet"]
    assert lab.steps[1].hints[0].in_language("ja") == "サブネットは VPC コンソールにあります。"
    assert lab.steps[0].checks[0].says.en == "A VPC of your own exists"
    assert isinstance(lab.steps[0].checks[0].check, StateCheck)


def test_a_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    text = GOOD.replace("    instructions: {en: Create a subnet.", "    instructions: {en: [Create")
    error = refused(tmp_path, text)
    assert error.line == 20
    assert "YAML syntax" in error.problem


def test_an_unknown_key_names_its_line_and_the_keys_allowed(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("    hints:\n", "    hint:\n"))
    assert error.line == 21
    assert error.problem.startswith("steps[1]: unknown key 'hint'")
    assert "hints" in error.problem


def test_a_text_without_japanese_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("  ja: VPC を作ります。\n", ""))
    assert (error.line, error.problem) == (2, "goal: missing 'ja'")


def test_an_empty_japanese_text_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("ja: サブネットがある", 'ja: ""'))
    assert (error.line, error.problem) == (
        25,
        "steps[1].checks[0].says.ja: must be a non-empty text",
    )


def test_a_duplicate_check_id_names_both_lines(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("id: a-subnet", "id: own-vpc"))
    assert error.line == 24
    assert error.problem == "steps[1].checks[0].id: duplicate check id 'own-vpc' (first at line 13)"


def test_a_duplicate_step_id_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("id: subnet", "id: vpc"))
    assert error.line == 18
    assert "duplicate step id 'vpc'" in error.problem


def test_an_unknown_start_template_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("start: blank", "start: blnk"))
    assert error.line == 5
    assert error.problem.startswith("start: unknown template 'blnk' (one of: blank, default-vpc")


def test_an_unknown_region_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("start: blank", "start: blank\nregion: ap-north-1"))
    assert (error.line, error.problem) == (6, "region: unknown region 'ap-north-1'")


def test_a_check_with_both_state_and_flow_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace(
        "        state: {subnet: {default: false}}",
        "        state: {subnet: {default: false}}\n"
        "        flow: {from: internet, to: internet, protocol: icmp, expect: reaches}",
    )
    error = refused(tmp_path, text)
    assert error.line == 27
    assert "both 'state' and 'flow'" in error.problem


def test_a_step_without_checks_is_refused(tmp_path: Path) -> None:
    head = GOOD.split("  - id: subnet")[0].replace("    checks:\n", "    checks: []\n", 1)
    error = refused(tmp_path, head.split("      - id: own-vpc")[0])
    assert (error.line, error.problem) == (12, "steps[0].checks: must have at least one item")


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    assert refused(tmp_path, "").problem == "the file is empty"


def test_a_file_name_that_is_not_an_id_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD, name="My Lab.yaml")
    assert error.line is None
    assert "file name" in error.problem


def test_the_engines_complaint_about_a_check_points_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine says where inside the check; the loader turns that into the file's line."""

    def parse_check(raw: object) -> None:
        raise CheckSpecError(("state", "vpc", "defualt"), "unknown condition 'defualt'")

    monkeypatch.setattr(checks, "parse_check", parse_check)
    error = refused(tmp_path, GOOD.replace("default: false\n  - id", "defualt: false\n  - id"))
    assert (error.line, error.problem) == (
        17,
        "steps[0].checks[0].state.vpc: unknown condition 'defualt'",
    )


def test_a_misspelt_condition_is_refused_by_the_real_checks(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("{subnet: {default: false}}", "{subnet: {publc: true}}"))
    assert error.line == 26
    assert error.problem.startswith("steps[1].checks[0].state.subnet:")
    assert "publc" in error.problem


def test_the_example_in_docs_labs_md_is_a_lab_that_loads(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "labs.md").read_text(encoding="utf-8")
    block = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    lab = load_lab(path)
    assert [c.id for c in lab.steps[0].checks] == ["own-vpc", "ssh-from-home"]


def test_every_lab_in_the_repository_loads_once_by_its_file_name() -> None:
    labs = all_labs()
    assert list(labs) == sorted(path.stem for path in LABS_DIR.glob("*.yaml"))
    assert {"seed-002-ssh-from-home", "seed-004-fixed-ip-eni"} <= set(labs)
    assert all(lab.id == lab_id for lab_id, lab in labs.items())
    again = all_labs()
    assert all(again[lab_id] is lab for lab_id, lab in labs.items()), "read again"


def test_a_tag_the_safe_loader_does_not_know_is_refused_at_its_line(tmp_path: Path) -> None:
    error = refused(tmp_path, GOOD.replace("start: blank", "start: !!python/name:os.system"))
    assert error.line == 5
    assert error.problem.startswith("start: could not determine a constructor")


ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?\b")


@pytest.mark.parametrize("lab_id", sorted(all_labs()))
def test_both_languages_give_the_same_addresses(lab_id: str) -> None:
    """A learner switching language must not get another address or block to type."""
    lab = all_labs()[lab_id]
    texts = [("title", lab.title), ("goal", lab.goal)]
    for step in lab.steps:
        texts += [(f"{step.id}.title", step.title), (f"{step.id}.instructions", step.instructions)]
        texts += [(f"{step.id}.hints[{i}]", hint) for i, hint in enumerate(step.hints)]
        texts += [(f"{step.id}.{check.id}", check.says) for check in step.checks]
    differing = {
        where: sorted(set(ADDRESS.findall(text.en)) ^ set(ADDRESS.findall(text.ja)))
        for where, text in texts
        if set(ADDRESS.findall(text.en)) != set(ADDRESS.findall(text.ja))
    }
    assert not differing

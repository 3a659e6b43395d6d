"""Guided labs of the tests' own, independent of the lab files: ``use_test_labs(monkeypatch)``
makes them the only labs the app knows.

- ``test-build``: starts blank; step 1 wants a VPC of one's own, step 2 an attached internet
  gateway.
- ``test-ssh``: starts from seed 002, where SSH from home reaches the instances; its one step
  checks that it does (a learner who revokes the rule sees the check fail, with the fix).
"""

from __future__ import annotations

import re

import pytest

from app import labs
from app.engine.checks import FlowCheck, Selector, StateCheck
from app.labs import Lab, LabCheck, Step, Text

OWN_VPC = LabCheck(
    "own-vpc",
    Text("A VPC of your own exists", "自分の VPC がある"),
    StateCheck("vpc", {"default": False}),
)
ATTACHED_IGW = LabCheck(
    "igw-attached",
    Text("An internet gateway is attached", "インターネットゲートウェイがアタッチされている"),
    StateCheck("internet_gateway", {"attached": True}),
)
SSH = LabCheck(
    "ssh-from-home",
    Text("SSH from home reaches an instance", "自宅から EC2 へ SSH できる"),
    FlowCheck(Selector(internet=True), Selector(conditions={}), "tcp", 22, "reaches"),
)

BUILD = Lab(
    id="test-build",
    title=Text("Build a VPC", "VPC を作る"),
    goal=Text("A VPC with an internet gateway", "インターネットゲートウェイのある VPC"),
    start="blank",
    region="ap-northeast-1",
    steps=(
        Step(
            "vpc",
            Text("Create a VPC", "VPC を作成する"),
            Text(
                "Create a VPC with the CIDR block 10.0.0.0/16.", "10.0.0.0/16 の VPC を作成します。"
            ),
            (Text("Use Create: VPC above.", "上の「作成: VPC」を使います。"),),
            (OWN_VPC,),
        ),
        Step(
            "igw",
            Text("Attach an internet gateway", "インターネットゲートウェイをアタッチする"),
            Text("Create an internet gateway and attach it.", "作成してアタッチします。"),
            (),
            (ATTACHED_IGW,),
        ),
    ),
)
SSH_LAB = Lab(
    id="test-ssh",
    title=Text("Keep SSH open", "SSH を開けておく"),
    goal=Text("SSH from home works", "自宅から SSH できる"),
    start="seed-002-ssh",
    region="ap-northeast-1",
    steps=(
        Step(
            "ssh",
            Text("SSH from home", "自宅から SSH"),
            Text("Make SSH from home reach an instance.", "自宅から SSH できるようにします。"),
            (),
            (SSH,),
        ),
    ),
)
TEST_LABS = {BUILD.id: BUILD, SSH_LAB.id: SSH_LAB}


def use_test_labs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(labs, "all_labs", lambda: dict(TEST_LABS))


def panel(html: str) -> str:
    """The workspace's lab panel in ``html``, whitespace folded."""
    found = re.search(r'<section id="lab-panel".*?</section>', html, re.DOTALL)
    assert found, "the workspace shows no lab panel"
    return re.sub(r"\s+", " ", found.group(0))

"""Decisions as data: hops, explanations and refusals carry a message id and its parameters."""

import json

import pytest

from app.engine import AwsError
from app.engine import operations as op
from app.engine.messages import Message, message, render

from .lab import new_lab, trace


def test_a_blocked_hop_and_its_explanation_carry_ids_and_json_parameters() -> None:
    lab = new_lab("seed-002-ssh")
    instance = next(iter(lab.instances))

    result = trace(lab, "203.0.113.5", instance, protocol="icmp").to_dict()

    [explanation] = result["explanations"]
    assert explanation["message_id"] == "explain.security_group.no_match.inbound"
    assert explanation["message_params"]["traffic"] == {"id": "traffic.echo_request", "params": {}}
    assert explanation["message_params"]["peer"] == "203.0.113.5"
    assert explanation["suggested_fix_id"] == "fix.security_group.inbound"
    assert explanation["suggested_fix_params"]["cidr"] == "203.0.113.5/32"
    blocked = next(h for h in result["forward_path"] if h["action"] == "blocked")
    assert blocked["message_id"] == explanation["message_id"]
    # What the store keeps reads back the same words.
    kept = json.loads(json.dumps(result))["explanations"][0]
    english = render(kept["suggested_fix_id"], kept["suggested_fix_params"], lambda _, t: t)
    assert english == explanation["suggested_fix"]


def test_a_would_be_hop_has_its_own_id() -> None:
    lab = new_lab("seed-002-ssh")
    instance = next(iter(lab.instances))
    op.stop_instances(lab, instance_id=instance)

    result = trace(lab, "203.0.113.5", instance).to_dict()

    ids = [h["message_id"] for h in result["forward_path"]]
    assert "explain.instance.state" in ids
    assert result["forward_path"][0]["message_id"] == "hop.igw.ingress"
    assert result["explanations"][0]["message_params"]["state"] == {
        "id": "state.stopped",
        "params": {},
    }


def test_a_refusal_keeps_its_english_message_and_adds_its_id() -> None:
    lab = new_lab("blank")
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")

    with pytest.raises(AwsError) as refused:
        op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block="10.1.0.0/24")

    assert refused.value.code == "InvalidSubnet.Range"
    assert refused.value.message == (
        "The subnet 10.1.0.0/24 is not inside the VPC's CIDR blocks (10.0.0.0/16)."
    )
    assert refused.value.message_id == "error.subnet.create_subnet.InvalidSubnet.Range"
    assert refused.value.params == {"block": "10.1.0.0/24", "items": "10.0.0.0/16"}


def test_an_undeclared_id_is_refused_when_the_engine_says_it() -> None:
    with pytest.raises(KeyError):
        message("hop.never.declared")
    assert str(Message("word.inbound")) == "inbound"

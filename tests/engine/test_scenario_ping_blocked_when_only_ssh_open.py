"""Seed 002's warning: only TCP 22 is open, so ping (ICMP) does not get through."""

from .lab import codes, named, new_lab, steps, trace


def test_ping_is_blocked_by_the_security_group_with_a_fix_for_icmp() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    sg = named(lab, "security-group", "ssh")

    result = trace(lab, "203.0.113.5", instance.instance_id, protocol="icmp")

    assert not result.reachable
    assert codes(result) == ["ENI_SG_RULES_MISMATCH"]
    blocked = [h for h in result.forward_path if h.action == "blocked"]
    assert [h.component.id for h in blocked] == [sg.group_id]
    explanation = result.explanations[0]
    assert explanation.direction == "ingress" and explanation.path == "forward"
    assert explanation.refs["security_groups"] == [{"id": sg.group_id}]
    assert "icmp echo-request" in explanation.suggested_fix
    assert "203.0.113.5/32" in explanation.suggested_fix


def test_the_analysis_goes_on_past_the_block_so_the_learner_sees_the_whole_path() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")

    result = trace(lab, "203.0.113.5", instance.instance_id, protocol="icmp")

    assert steps(result.forward_path)[-2:] == [
        ("network-interface", "forwarded"),
        ("instance", "delivered"),
    ]
    assert result.return_path, "the echo reply is traced too"
    assert result.return_path[0].inbound_header.icmp_type == 0  # echo reply


def test_ssh_to_the_same_instance_is_allowed() -> None:
    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    assert trace(lab, "203.0.113.5", instance.instance_id).reachable

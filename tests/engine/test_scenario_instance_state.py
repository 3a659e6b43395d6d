"""Only a running instance sends or receives (BAD_STATE); stop/start changes the public IP."""

from app.engine import operations as op

from .lab import codes, new_lab, public_vpc, trace


def test_a_stopped_instance_does_not_answer() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    instance = op.run_instances(
        lab,
        subnet_id=parts["subnet"].subnet_id,
        security_group_ids=[parts["sg"].group_id],
        associate_public_ip_address=True,
    )
    eip = op.allocate_address(lab)
    op.associate_address(lab, allocation_id=eip.allocation_id, instance_id=instance.instance_id)
    op.stop_instances(lab, instance_id=instance.instance_id)

    result = trace(lab, "203.0.113.5", str(eip.public_ip))

    assert not result.reachable
    assert "BAD_STATE" in codes(result)
    explanation = next(e for e in result.explanations if e.code == "BAD_STATE")
    assert explanation.suggested_fix == f"Start instance {instance.instance_id}."


def test_stop_releases_the_auto_assigned_public_ip_and_start_gives_a_new_one() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    instance = op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, associate_public_ip_address=True
    )
    eni = lab.primary_eni(instance.instance_id)
    first = lab.public_ip_of(eni, eni.primary_ip)
    assert first is not None

    op.stop_instances(lab, instance_id=instance.instance_id)
    eni = lab.primary_eni(instance.instance_id)
    assert lab.public_ip_of(eni, eni.primary_ip) is None
    assert eni.primary_ip == lab.primary_eni(instance.instance_id).primary_ip

    op.start_instances(lab, instance_id=instance.instance_id)
    eni = lab.primary_eni(instance.instance_id)
    second = lab.public_ip_of(eni, eni.primary_ip)
    assert second is not None and second != first


def test_an_elastic_ip_survives_stop_and_start() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    instance = op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, security_group_ids=[parts["sg"].group_id]
    )
    eip = op.allocate_address(lab)
    op.associate_address(lab, allocation_id=eip.allocation_id, instance_id=instance.instance_id)
    op.stop_instances(lab, instance_id=instance.instance_id)
    op.start_instances(lab, instance_id=instance.instance_id)
    assert trace(lab, "203.0.113.5", str(eip.public_ip)).reachable

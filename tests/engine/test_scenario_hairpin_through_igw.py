"""Traffic to another instance's public IP leaves through the IGW and comes back in (hairpin);
security-group references match private addresses only, so they do not admit it."""

from app.engine import operations as op

from .lab import codes, new_lab, public_vpc, trace


def build():
    lab = new_lab()
    parts = public_vpc(lab)
    group = op.create_security_group(
        lab, group_name="members", description="x", vpc_id=parts["vpc"].vpc_id
    )
    op.authorize(
        lab,
        group_id=group.group_id,
        egress=False,
        ip_permissions=[{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": group.group_id}]}],
    )
    a = op.run_instances(
        lab,
        subnet_id=parts["subnet"].subnet_id,
        security_group_ids=[group.group_id],
        associate_public_ip_address=True,
    )
    b = op.run_instances(
        lab,
        subnet_id=parts["subnet"].subnet_id,
        security_group_ids=[group.group_id],
        associate_public_ip_address=True,
    )
    return lab, a, b, group


def test_the_private_address_is_admitted_by_the_group_reference() -> None:
    lab, a, b, _ = build()
    assert trace(lab, a.instance_id, b.instance_id).reachable


def test_the_public_address_goes_through_the_igw_and_the_reference_does_not_match() -> None:
    lab, a, b, _ = build()
    b_eni = lab.primary_eni(b.instance_id)
    b_public = lab.public_ip_of(b_eni, b_eni.primary_ip)

    result = trace(lab, a.instance_id, str(b_public))

    types = [h.component.type for h in result.forward_path]
    assert types.count("internet-gateway") == 2  # out, and back in
    assert codes(result) == ["ENI_SG_RULES_MISMATCH"]
    a_eni = lab.primary_eni(a.instance_id)
    sg_hop = next(h for h in result.forward_path if h.action == "blocked")
    assert sg_hop.inbound_header.source_ip == lab.public_ip_of(a_eni, a_eni.primary_ip)


def test_a_rule_for_the_senders_public_ip_admits_the_hairpin() -> None:
    lab, a, b, group = build()
    a_eni = lab.primary_eni(a.instance_id)
    a_public = lab.public_ip_of(a_eni, a_eni.primary_ip)
    op.authorize(
        lab,
        group_id=group.group_id,
        egress=False,
        ip_permissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": f"{a_public}/32"}],
            }
        ],
    )
    b_eni = lab.primary_eni(b.instance_id)

    result = trace(lab, a.instance_id, str(lab.public_ip_of(b_eni, b_eni.primary_ip)))

    assert result.reachable, codes(result)

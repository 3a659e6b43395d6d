"""Inside one subnet neither NACLs nor route tables apply (VPC UG: vpc-network-acls)."""

from app.engine import operations as op

from .lab import codes, new_lab, public_vpc, steps, trace


def test_two_instances_of_one_subnet_talk_even_behind_a_deny_all_nacl() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    a = op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, security_group_ids=[parts["sg"].group_id]
    )
    b = op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, security_group_ids=[parts["sg"].group_id]
    )
    acl = op.create_network_acl(lab, vpc_id=parts["vpc"].vpc_id)  # denies everything
    op.associate_subnet_with_acl(
        lab, network_acl_id=acl.network_acl_id, subnet_id=parts["subnet"].subnet_id
    )

    result = trace(lab, a.instance_id, b.instance_id)

    assert result.reachable, codes(result)
    types = {t for t, _ in steps(result.forward_path + result.return_path)}
    assert "network-acl" not in types and "route-table" not in types


def test_between_subnets_the_same_nacl_blocks() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    other = op.create_subnet(lab, vpc_id=parts["vpc"].vpc_id, cidr_block="10.0.2.0/24")
    a = op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, security_group_ids=[parts["sg"].group_id]
    )
    b = op.run_instances(lab, subnet_id=other.subnet_id, security_group_ids=[parts["sg"].group_id])
    acl = op.create_network_acl(lab, vpc_id=parts["vpc"].vpc_id)
    op.associate_subnet_with_acl(lab, network_acl_id=acl.network_acl_id, subnet_id=other.subnet_id)

    result = trace(lab, a.instance_id, b.instance_id)

    assert codes(result) == ["SUBNET_ACL_RESTRICTION", "SUBNET_ACL_RESTRICTION"]
    assert [e.direction for e in result.explanations] == ["ingress", "egress"]

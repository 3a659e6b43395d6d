"""The IGW's 1:1 NAT and its drops (Reachability Analyzer: IGW explanation codes)."""

from app.engine import operations as op

from .lab import codes, new_lab, public_vpc, steps, trace


def test_an_instance_without_public_ip_cannot_use_the_internet_gateway() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    instance = op.run_instances(lab, subnet_id=parts["subnet"].subnet_id)
    eni = lab.primary_eni(instance.instance_id)

    result = trace(lab, instance.instance_id, "internet", port=443)

    assert codes(result) == ["IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"]
    assert result.explanations[0].refs["network_interface"]["id"] == eni.network_interface_id
    assert "Elastic IP" in result.explanations[0].suggested_fix
    assert steps(result.forward_path)[-1] == ("internet-gateway", "blocked")


def test_the_internet_gateway_never_sends_to_private_addresses() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    instance = op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, associate_public_ip_address=True
    )

    result = trace(lab, instance.instance_id, "192.168.50.5", port=443)

    assert codes(result) == ["IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"]


def test_a_vpc_without_internet_gateway_cannot_be_entered_from_the_internet() -> None:
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.1.0.0/16")
    subnet = op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block="10.1.1.0/24")
    instance = op.run_instances(lab, subnet_id=subnet.subnet_id)

    result = trace(lab, "internet", instance.instance_id)

    assert codes(result) == ["NO_PATH"]
    assert vpc.vpc_id in result.explanations[0].suggested_fix


def test_an_unassociated_elastic_ip_reaches_nothing() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    op.run_instances(lab, subnet_id=parts["subnet"].subnet_id)
    eip = op.allocate_address(lab)

    result = trace(lab, "203.0.113.5", str(eip.public_ip))

    assert not result.reachable
    assert codes(result) == ["NO_PATH"]
    assert eip.allocation_id in result.explanations[0].message


def test_a_reply_that_leaves_through_a_nat_gateway_is_not_recognised_by_the_client() -> None:
    lab = new_lab("seed-001-nat")
    db = lab.instances[next(i for i, x in lab.instances.items() if x.name == "db-server")]
    eip = op.allocate_address(lab)
    op.associate_address(lab, allocation_id=eip.allocation_id, instance_id=db.instance_id)
    default_sg = next(g for g in lab.security_groups.values() if g.is_default)
    op.authorize(
        lab,
        group_id=default_sg.group_id,
        egress=False,
        ip_permissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )

    result = trace(lab, "203.0.113.5", str(eip.public_ip))

    assert not result.reachable
    assert result.forward_path[-1].action == "delivered"
    assert codes(result) == ["NO_PATH"]
    assert result.explanations[0].path == "return"
    assert "NAT" in result.explanations[0].message

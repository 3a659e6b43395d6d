"""A route to an instance that forwards (NAT instance, router) needs its src/dst check off."""

from app.engine import operations as op

from .lab import codes, new_lab, public_vpc, trace

ANY = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]


def build():
    lab = new_lab()
    parts = public_vpc(lab)
    open_sg = op.create_security_group(
        lab, group_name="open", description="x", vpc_id=parts["vpc"].vpc_id
    )
    op.authorize(lab, group_id=open_sg.group_id, ip_permissions=ANY, egress=False)
    router = op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, security_group_ids=[open_sg.group_id]
    )
    private = op.create_subnet(lab, vpc_id=parts["vpc"].vpc_id, cidr_block="10.0.2.0/24")
    target = op.create_subnet(lab, vpc_id=parts["vpc"].vpc_id, cidr_block="10.0.3.0/24")
    client = op.run_instances(
        lab, subnet_id=private.subnet_id, security_group_ids=[open_sg.group_id]
    )
    server = op.run_instances(
        lab, subnet_id=target.subnet_id, security_group_ids=[open_sg.group_id]
    )
    rtb = op.create_route_table(lab, vpc_id=parts["vpc"].vpc_id)
    op.associate_route_table(lab, route_table_id=rtb.route_table_id, subnet_id=private.subnet_id)
    # More specific than local: allowed for a whole subnet, to an ENI (VPC UG: route-tables).
    op.create_route(
        lab,
        route_table_id=rtb.route_table_id,
        destination_cidr_block="10.0.3.0/24",
        network_interface_id=lab.primary_eni(router.instance_id).network_interface_id,
    )
    return lab, router, client, server


def test_the_source_destination_check_drops_traffic_not_addressed_to_the_router() -> None:
    lab, router, client, server = build()

    result = trace(lab, client.instance_id, server.instance_id)

    assert "ENI_SOURCE_DEST_CHECK_RESTRICTION" in codes(result)
    explanation = next(
        e for e in result.explanations if e.code == "ENI_SOURCE_DEST_CHECK_RESTRICTION"
    )
    router_eni = lab.primary_eni(router.instance_id)
    assert explanation.refs["network_interface"]["id"] == router_eni.network_interface_id
    assert "Disable the source/destination check" in explanation.suggested_fix


def test_with_the_check_off_the_router_forwards() -> None:
    lab, router, client, server = build()
    eni = lab.primary_eni(router.instance_id)
    op.modify_network_interface_attribute(
        lab, network_interface_id=eni.network_interface_id, source_dest_check=False
    )

    result = trace(lab, client.instance_id, server.instance_id)

    assert result.reachable, codes(result)
    assert router.instance_id in [
        h.details.get("attached_to", {}).get("id") for h in result.forward_path
    ]

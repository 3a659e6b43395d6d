"""VPC peering: accepted, routed both ways, SG references across it, and never transitive."""

from app.engine import operations as op

from .lab import codes, new_lab, trace

ALL_FROM = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]


def vpc_with_instance(lab, cidr: str):
    vpc = op.create_vpc(lab, cidr_block=cidr)
    base = cidr.split(".")[0] + "." + cidr.split(".")[1]
    subnet = op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block=f"{base}.1.0/24")
    sg = op.create_security_group(lab, group_name="app", description="app", vpc_id=vpc.vpc_id)
    op.authorize(lab, group_id=sg.group_id, ip_permissions=ALL_FROM, egress=False)
    instance = op.run_instances(lab, subnet_id=subnet.subnet_id, security_group_ids=[sg.group_id])
    return vpc, instance, sg


def peer(lab, a, b, *, accept: bool = True, routes: bool = True):
    pcx = op.create_vpc_peering_connection(lab, vpc_id=a.vpc_id, peer_vpc_id=b.vpc_id)
    if accept:
        op.accept_vpc_peering_connection(
            lab, vpc_peering_connection_id=pcx.vpc_peering_connection_id
        )
    if routes:
        for here, there in ((a, b), (b, a)):
            op.create_route(
                lab,
                route_table_id=lab.main_route_table(here.vpc_id).route_table_id,
                destination_cidr_block=str(there.cidr_block),
                vpc_peering_connection_id=pcx.vpc_peering_connection_id,
            )
    return pcx


def test_peered_vpcs_reach_each_other_with_routes_on_both_sides() -> None:
    lab = new_lab()
    a, ia, _ = vpc_with_instance(lab, "10.1.0.0/16")
    b, ib, _ = vpc_with_instance(lab, "10.2.0.0/16")
    pcx = peer(lab, a, b)

    result = trace(lab, ia.instance_id, ib.instance_id)

    assert result.reachable, codes(result)
    assert pcx.vpc_peering_connection_id in [h.component.id for h in result.forward_path]
    assert pcx.vpc_peering_connection_id in [h.component.id for h in result.return_path]


def test_a_pending_peering_carries_nothing() -> None:
    lab = new_lab()
    a, ia, _ = vpc_with_instance(lab, "10.1.0.0/16")
    b, ib, _ = vpc_with_instance(lab, "10.2.0.0/16")
    peer(lab, a, b, accept=False)
    assert "BAD_STATE" in codes(trace(lab, ia.instance_id, ib.instance_id))


def test_without_the_return_route_the_reply_has_no_way_back() -> None:
    lab = new_lab()
    a, ia, _ = vpc_with_instance(lab, "10.1.0.0/16")
    b, ib, _ = vpc_with_instance(lab, "10.2.0.0/16")
    pcx = peer(lab, a, b, routes=False)
    op.create_route(
        lab,
        route_table_id=lab.main_route_table(a.vpc_id).route_table_id,
        destination_cidr_block="10.2.0.0/16",
        vpc_peering_connection_id=pcx.vpc_peering_connection_id,
    )

    result = trace(lab, ia.instance_id, ib.instance_id)

    assert codes(result) == ["NO_ROUTE_TO_DESTINATION"]
    assert result.explanations[0].path == "return"
    assert pcx.vpc_peering_connection_id in result.explanations[0].suggested_fix


def test_peering_is_not_transitive() -> None:
    lab = new_lab()
    a, ia, _ = vpc_with_instance(lab, "10.1.0.0/16")
    b, _, _ = vpc_with_instance(lab, "10.2.0.0/16")
    c, ic, _ = vpc_with_instance(lab, "10.3.0.0/16")
    ab = peer(lab, a, b, routes=False)
    peer(lab, b, c)
    # A sends C's traffic into the A-B peering, hoping B passes it on.
    op.create_route(
        lab,
        route_table_id=lab.main_route_table(a.vpc_id).route_table_id,
        destination_cidr_block="10.3.0.0/16",
        vpc_peering_connection_id=ab.vpc_peering_connection_id,
    )

    result = trace(lab, ia.instance_id, ic.instance_id)

    assert codes(result) == ["PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"]


def test_a_security_group_of_the_peer_vpc_can_be_referenced() -> None:
    lab = new_lab()
    a, ia, sga = vpc_with_instance(lab, "10.1.0.0/16")
    b, ib, _ = vpc_with_instance(lab, "10.2.0.0/16")
    peer(lab, a, b)
    only_peer = op.create_security_group(lab, group_name="from-a", description="x", vpc_id=b.vpc_id)
    op.authorize(
        lab,
        group_id=only_peer.group_id,
        egress=False,
        ip_permissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "UserIdGroupPairs": [{"GroupId": sga.group_id}],
            }
        ],
    )
    eni = lab.primary_eni(ib.instance_id)
    op.modify_network_interface_attribute(
        lab, network_interface_id=eni.network_interface_id, groups=[only_peer.group_id]
    )

    result = trace(lab, ia.instance_id, ib.instance_id)

    assert result.reachable, codes(result)
    sg_hop = [h for h in result.forward_path if h.component.type == "security-group"][1]
    assert sg_hop.details["security_group_rule"]["referenced_group"] == sga.group_id

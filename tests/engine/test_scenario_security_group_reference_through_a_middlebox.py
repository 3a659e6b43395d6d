"""Routing to a middlebox appliance: traffic between two subnets goes through a firewall
instance (a route to its interface, source/destination check off). The destination's inbound rule
that references the sender's security group does not match such traffic; a rule naming the
sender's subnet CIDR does (VPC UG: security-group-rules, "Security group referencing")."""

from app.engine import operations as op

from .lab import codes, new_lab, public_vpc, trace

ANY = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]


def ssh_from_group(group_id: str) -> list[dict]:
    return [
        {
            "IpProtocol": "tcp",
            "FromPort": 22,
            "ToPort": 22,
            "UserIdGroupPairs": [{"GroupId": group_id}],
        }
    ]


def build(*, through_appliance: bool = True):
    lab = new_lab()
    parts = public_vpc(lab)
    vpc_id = parts["vpc"].vpc_id
    open_sg = op.create_security_group(lab, group_name="open", description="x", vpc_id=vpc_id)
    op.authorize(lab, group_id=open_sg.group_id, ip_permissions=ANY, egress=False)
    firewall = op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, security_group_ids=[open_sg.group_id]
    )
    appliance = lab.primary_eni(firewall.instance_id)
    op.modify_network_interface_attribute(
        lab, network_interface_id=appliance.network_interface_id, source_dest_check=False
    )
    clients = op.create_subnet(lab, vpc_id=vpc_id, cidr_block="10.0.2.0/24")
    servers = op.create_subnet(lab, vpc_id=vpc_id, cidr_block="10.0.3.0/24")
    client_sg = op.create_security_group(lab, group_name="app", description="x", vpc_id=vpc_id)
    server_sg = op.create_security_group(lab, group_name="db", description="x", vpc_id=vpc_id)
    op.authorize(
        lab,
        group_id=server_sg.group_id,
        ip_permissions=ssh_from_group(client_sg.group_id),
        egress=False,
    )
    client = op.run_instances(
        lab, subnet_id=clients.subnet_id, security_group_ids=[client_sg.group_id]
    )
    server = op.run_instances(
        lab, subnet_id=servers.subnet_id, security_group_ids=[server_sg.group_id]
    )
    if through_appliance:
        # Both ways through the firewall (VPC UG: "Inspect traffic between subnets").
        for here, there in ((clients, servers), (servers, clients)):
            rtb = op.create_route_table(lab, vpc_id=vpc_id)
            op.associate_route_table(
                lab, route_table_id=rtb.route_table_id, subnet_id=here.subnet_id
            )
            op.create_route(
                lab,
                route_table_id=rtb.route_table_id,
                destination_cidr_block=str(there.cidr_block),
                network_interface_id=appliance.network_interface_id,
            )
    return lab, client, server, server_sg, client_sg, appliance


def test_directly_the_group_reference_admits_the_client() -> None:
    lab, client, server, *_ = build(through_appliance=False)
    assert trace(lab, client.instance_id, server.instance_id).reachable


def test_through_the_appliance_the_group_reference_does_not_match() -> None:
    lab, client, server, server_sg, client_sg, appliance = build()

    result = trace(lab, client.instance_id, server.instance_id)

    assert not result.reachable
    assert codes(result) == ["ENI_SG_RULES_MISMATCH"]
    blocked = result.blocked_hops[0]
    assert blocked.component.id == server_sg.group_id and not blocked.after_block
    assert appliance.instance_id in [
        (h.details.get("attached_to") or {}).get("id") for h in result.forward_path
    ]
    [explanation] = result.explanations
    assert explanation.refs["appliance"] == {"id": appliance.network_interface_id}
    assert explanation.refs["referenced_group"] == {"id": client_sg.group_id}
    assert explanation.refs["security_groups"] == [{"id": server_sg.group_id}]
    assert (
        f"references {client_sg.group_id}, but the packet came through the appliance "
        f"{appliance.network_interface_id}"
    ) in explanation.message
    assert explanation.suggested_fix.startswith(
        f"Add an inbound rule to {server_sg.group_id}: tcp 22 from 10.0.2.0/24"
    )
    assert [h.after_block for h in result.forward_path][-2:] == [True, True]


def test_the_suggested_subnet_rule_lets_the_client_through_the_appliance() -> None:
    lab, client, server, server_sg, *_ = build()
    op.authorize(
        lab,
        group_id=server_sg.group_id,
        ip_permissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "IpRanges": [{"CidrIp": "10.0.2.0/24"}],
            }
        ],
        egress=False,
    )

    result = trace(lab, client.instance_id, server.instance_id)

    assert result.reachable, codes(result)
    rule = next(h for h in result.forward_path if h.component.id == server_sg.group_id)
    assert rule.details["security_group_rule"]["cidr"] == "10.0.2.0/24"


def test_the_reachability_matrix_agrees_with_the_trace_through_the_appliance() -> None:
    from app.engine.matrix import reachability_matrix

    lab, client, server, *_ = build()

    matrix = reachability_matrix(lab, "tcp", 22)

    row, column = (
        matrix.instances.index(client.instance_id),
        matrix.instances.index(server.instance_id),
    )
    assert matrix.reachable[row][column] is False
    assert matrix.fallbacks > 0  # appliance paths are the tracer's to decide

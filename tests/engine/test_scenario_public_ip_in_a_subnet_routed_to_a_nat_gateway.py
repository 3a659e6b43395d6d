"""An instance with a public address in a subnet whose 0.0.0.0/0 goes to a NAT gateway: the
request arrives through the internet gateway, the reply leaves through the NAT gateway with the
NAT gateway's address, and the client drops it (VPC UG: NAT gateways carry connections the VPC
opens)."""

from app.engine import operations as op

from .lab import SSH, codes, named, new_lab, trace


def build():
    lab = new_lab("seed-001-nat")
    db = named(lab, "instance", "db-server")
    eip = op.allocate_address(lab)
    op.associate_address(lab, allocation_id=eip.allocation_id, instance_id=db.instance_id)
    default_sg = next(g for g in lab.security_groups.values() if g.is_default)
    op.authorize(lab, group_id=default_sg.group_id, egress=False, ip_permissions=SSH)
    return lab, db, eip


def test_the_explanation_names_the_route_table_the_route_and_the_nat_gateway() -> None:
    lab, db, eip = build()
    rtb = named(lab, "route-table", "private-rt")
    nat = named(lab, "nat-gateway", "lab-nat")

    result = trace(lab, "203.0.113.5", str(eip.public_ip))

    assert not result.reachable
    assert codes(result) == ["NO_PATH"]
    [explanation] = result.explanations
    assert explanation.path == "return" and explanation.component.type == "internet"
    assert result.return_path[-1].action == "blocked"
    assert explanation.refs["route_table"] == {"id": rtb.route_table_id}
    assert explanation.refs["route"] == {"destination": "0.0.0.0/0", "target": nat.nat_gateway_id}
    assert explanation.refs["nat_gateway"] == {"id": nat.nat_gateway_id}
    assert explanation.refs["subnet"] == {"id": db.subnet_id}
    for rid in (rtb.route_table_id, nat.nat_gateway_id, str(nat.public_ip), str(eip.public_ip)):
        assert rid in explanation.message


def test_the_suggested_fix_routes_the_subnet_to_the_internet_gateway_and_that_works() -> None:
    lab, db, eip = build()
    rtb = named(lab, "route-table", "private-rt")
    nat = named(lab, "nat-gateway", "lab-nat")
    igw = lab.internet_gateway_of(db.vpc_id)

    [explanation] = trace(lab, "203.0.113.5", str(eip.public_ip)).explanations
    assert explanation.suggested_fix.startswith(
        f"Replace the route 0.0.0.0/0 → {nat.nat_gateway_id} in {rtb.route_table_id} with "
        f"0.0.0.0/0 → {igw.internet_gateway_id}"
    )

    op.replace_route(
        lab,
        route_table_id=rtb.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.internet_gateway_id,
    )
    assert trace(lab, "203.0.113.5", str(eip.public_ip)).reachable

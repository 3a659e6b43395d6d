"""NAT gateway rules: its subnet must route to the IGW; a private NAT gateway has no EIP."""

from app.engine import operations as op

from .lab import codes, named, new_lab, trace


def test_a_nat_gateway_in_a_subnet_without_internet_route_cannot_reach_out() -> None:
    lab = new_lab("seed-001-nat")
    db = named(lab, "instance", "db-server")
    public_rt = named(lab, "route-table", "public-rt")
    op.delete_route(
        lab, route_table_id=public_rt.route_table_id, destination_cidr_block="0.0.0.0/0"
    )

    result = trace(lab, db.instance_id, "internet", port=443)

    assert codes(result) == ["NO_ROUTE_TO_DESTINATION"]
    # The NAT gateway's own subnet has no way out: its table is the one to fix.
    assert result.explanations[0].refs["route_table"]["id"] == public_rt.route_table_id
    nat_hop = next(h for h in result.forward_path if h.component.type == "nat-gateway")
    assert nat_hop.action == "translated"


def test_a_private_nat_gateway_cannot_send_to_the_internet() -> None:
    lab = new_lab("seed-001-nat")
    db = named(lab, "instance", "db-server")
    public = named(lab, "subnet", "public-subnet")
    private_nat = op.create_nat_gateway(
        lab, subnet_id=public.subnet_id, connectivity_type="private"
    )
    private_rt = named(lab, "route-table", "private-rt")
    op.replace_route(
        lab,
        route_table_id=private_rt.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        nat_gateway_id=private_nat.nat_gateway_id,
    )

    result = trace(lab, db.instance_id, "internet", port=443)

    assert codes(result) == ["IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"]


def test_a_nacl_on_the_nat_subnet_must_allow_the_translated_traffic() -> None:
    lab = new_lab("seed-001-nat")
    db = named(lab, "instance", "db-server")
    public = named(lab, "subnet", "public-subnet")
    acl = op.create_network_acl(lab, vpc_id=public.vpc_id)
    op.associate_subnet_with_acl(lab, network_acl_id=acl.network_acl_id, subnet_id=public.subnet_id)

    result = trace(lab, db.instance_id, "internet", port=443)

    blocked = [(e.path, e.direction) for e in result.explanations]
    assert blocked == [
        ("forward", "ingress"),
        ("forward", "egress"),
        ("return", "ingress"),
        ("return", "egress"),
    ]
    assert all(e.component.id == acl.network_acl_id for e in result.explanations)

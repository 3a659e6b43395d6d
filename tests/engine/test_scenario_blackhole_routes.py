"""Routes whose target is gone are blackholes and drop traffic (BAD_STATE_ROUTE)."""

from app.engine import operations as op
from app.engine.routing import route_state

from .lab import codes, named, new_lab, steps, trace


def test_deleting_the_nat_gateway_leaves_a_blackhole() -> None:
    lab = new_lab("seed-001-nat")
    db = named(lab, "instance", "db-server")
    nat = named(lab, "nat-gateway", "lab-nat")
    op.delete_nat_gateway(lab, nat_gateway_id=nat.nat_gateway_id)
    private_rt = named(lab, "route-table", "private-rt")
    route = next(r for r in private_rt.routes if r.target_type == "nat-gateway")
    assert route_state(lab, route) == "blackhole"

    result = trace(lab, db.instance_id, "internet", port=443)

    assert codes(result) == ["BAD_STATE_ROUTE"]
    assert steps(result.forward_path)[-1] == ("route-table", "blocked")
    assert result.forward_path[-1].details["route"]["state"] == "blackhole"
    assert result.return_path == []


def test_a_route_to_a_terminated_instance_is_a_blackhole() -> None:
    lab = new_lab("seed-001-nat")
    web = named(lab, "instance", "web-server")
    db = named(lab, "instance", "db-server")
    private_rt = named(lab, "route-table", "private-rt")
    op.create_route(
        lab,
        route_table_id=private_rt.route_table_id,
        destination_cidr_block="198.51.100.0/24",
        instance_id=web.instance_id,
    )
    op.terminate_instances(lab, instance_id=web.instance_id)

    result = trace(lab, db.instance_id, "198.51.100.7", port=443)

    assert codes(result) == ["BAD_STATE_ROUTE"]

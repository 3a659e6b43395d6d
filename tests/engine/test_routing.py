"""Route tables: longest prefix match, route state, which table a subnet uses."""

from ipaddress import IPv4Address, IPv4Network

from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine import operations as op
from app.engine.model import Route, RouteTable
from app.engine.routing import INDEXED_ROUTES, longest_prefix_match

from .lab import named, new_lab, public_vpc


def test_the_longest_prefix_wins() -> None:
    lab = new_lab("seed-001-nat")
    public_rt = named(lab, "route-table", "public-rt")
    nat = named(lab, "nat-gateway", "lab-nat")
    op.create_route(
        lab,
        route_table_id=public_rt.route_table_id,
        destination_cidr_block="8.8.8.0/24",
        nat_gateway_id=nat.nat_gateway_id,
    )
    rtb = lab.route_tables[public_rt.route_table_id]

    specific = longest_prefix_match(lab, rtb, IPv4Address("8.8.8.8"))
    general = longest_prefix_match(lab, rtb, IPv4Address("1.1.1.1"))
    local = longest_prefix_match(lab, rtb, IPv4Address("172.30.1.9"))

    assert specific.route.target_id == nat.nat_gateway_id
    assert general.route.target_type == "internet-gateway"
    assert local.route.target_type == "local"


def test_no_route_is_reported_as_not_found() -> None:
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    decision = longest_prefix_match(lab, lab.main_route_table(vpc.vpc_id), IPv4Address("8.8.8.8"))
    assert not decision.found


def test_a_subnet_uses_its_explicit_table_else_the_main_one() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    subnet = parts["subnet"]
    assert lab.route_table_for(subnet.subnet_id) == lab.main_route_table(parts["vpc"].vpc_id)
    rtb = op.create_route_table(lab, vpc_id=parts["vpc"].vpc_id)
    association = op.associate_route_table(
        lab, route_table_id=rtb.route_table_id, subnet_id=subnet.subnet_id
    )
    assert lab.route_table_for(subnet.subnet_id).route_table_id == rtb.route_table_id
    op.disassociate_route_table(lab, association_id=association.association_id)
    assert lab.route_table_for(subnet.subnet_id).is_main


def test_a_detached_internet_gateway_turns_its_routes_into_blackholes() -> None:
    from app.engine.routing import route_state

    lab = new_lab()
    parts = public_vpc(lab)
    op.detach_internet_gateway(
        lab, internet_gateway_id=parts["igw"].internet_gateway_id, vpc_id=parts["vpc"].vpc_id
    )
    rtb = lab.main_route_table(parts["vpc"].vpc_id)
    igw_route = next(r for r in rtb.routes if r.target_type == "internet-gateway")
    assert route_state(lab, igw_route) == "blackhole"


def test_a_second_cidr_block_gets_a_local_route_in_every_table() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    extra = op.create_route_table(lab, vpc_id=parts["vpc"].vpc_id)
    op.associate_vpc_cidr_block(lab, vpc_id=parts["vpc"].vpc_id, cidr_block="10.9.0.0/16")
    for rtb_id in (extra.route_table_id, parts["rtb"].route_table_id):
        locals_ = [
            str(r.destination) for r in lab.route_tables[rtb_id].routes if r.target_type == "local"
        ]
        assert locals_ == ["10.0.0.0/16", "10.9.0.0/16"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 32), st.sampled_from("abc")),
        min_size=INDEXED_ROUTES + 1,
        max_size=300,
    ),
    st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=50),
)
def test_a_large_table_s_index_picks_what_a_scan_of_its_routes_picks(
    routes: list[tuple[int, int, str]], probes: list[int]
) -> None:
    """Tables past INDEXED_ROUTES are looked up through an index: the same route, the first of
    a destination listed twice, none where nothing covers."""
    table = tuple(
        Route(IPv4Network((address, length), strict=False), "gateway", f"igw-{target}")
        for address, length, target in routes
    )
    # A destination listed twice (an imported table can): the first one listed is used.
    table += tuple(Route(r.destination, "gateway", "igw-again") for r in table[:5])
    rtb = RouteTable("rtb-1", "vpc-1", table)
    lab = new_lab()
    addresses = [*probes, *(int(r.destination.network_address) for r in table[:20])]
    addresses += [int(r.destination.broadcast_address) for r in table[:20]]
    for address in addresses:
        destination = IPv4Address(address)
        covering = [r for r in table if destination in r.destination]
        longest = max((r.destination.prefixlen for r in covering), default=None)
        expected = next((r for r in covering if r.destination.prefixlen == longest), None)
        assert longest_prefix_match(lab, rtb, destination).route is expected

"""The diagram's layout: AWS's nesting, colours from routing, and positions that stay put."""

from __future__ import annotations

from app.engine import operations as op
from app.web.diagram import PRIVATE, PUBLIC, layout
from tests.engine.lab import named, new_lab
from tests.web.lab import seed_001


def positions(topology) -> dict[str, tuple[float, float, float, float]]:  # type: ignore
    """Each box's place; a chip drawn in several VPCs (a shared DHCP options set) is placed by
    its first drawing, which a new VPC sorted after the others leaves where it was."""
    d = layout(topology)
    found: dict[str, tuple[float, float, float, float]] = {}
    for b in d.containers + d.items + d.chips:
        found.setdefault(b.id, (b.x, b.y, b.w, b.h))
    return found


def test_nesting_follows_aws_conventions() -> None:
    lab = new_lab("seed-001-nat")
    d = layout(lab)
    vpc = d.find(next(iter(lab.vpcs)))
    subnet = d.find(named(lab, "subnet", "private-subnet").subnet_id)
    db = d.find(named(lab, "instance", "db-server").instance_id)
    igw = d.find(next(iter(lab.internet_gateways)))
    assert vpc and subnet and db and igw
    assert d.region.x < vpc.x and vpc.x < subnet.x < db.x and subnet.y < db.y
    assert igw.x < vpc.x < igw.x + igw.w  # on the VPC's edge
    assert named(lab, "nat-gateway", "lab-nat").nat_gateway_id in {b.id for b in d.items}


def test_subnets_are_coloured_by_routing_not_by_name() -> None:
    lab = new_lab("seed-001-nat")
    d = layout(lab)
    assert d.find(named(lab, "subnet", "public-subnet").subnet_id).colour == PUBLIC
    assert d.find(named(lab, "subnet", "private-subnet").subnet_id).colour == PRIVATE
    private_rt = named(lab, "route-table", "private-rt")
    igw = next(iter(lab.internet_gateways))
    op.replace_route(
        lab,
        route_table_id=private_rt.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw,
    )
    box = layout(lab).find(named(lab, "subnet", "private-subnet").subnet_id)
    assert box.colour == PUBLIC
    assert "it is a public subnet" in box.warning


def test_positions_do_not_jump_when_something_unrelated_changes() -> None:
    lab = new_lab("seed-001-nat")
    before = positions(lab)
    web_sg = named(lab, "security-group", "web")
    op.authorize(
        lab,
        group_id=web_sg.group_id,
        egress=False,
        ip_permissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
            }
        ],
    )
    op.create_route(
        lab,
        route_table_id=named(lab, "route-table", "public-rt").route_table_id,
        destination_cidr_block="198.51.100.0/24",
        nat_gateway_id=named(lab, "nat-gateway", "lab-nat").nat_gateway_id,
    )
    other = op.create_vpc(lab, cidr_block="192.168.0.0/16")  # sorts after 172.30.0.0/16
    subnet = op.create_subnet(lab, vpc_id=other.vpc_id, cidr_block="192.168.1.0/24")
    op.run_instances(lab, subnet_id=subnet.subnet_id)
    op.stop_instances(lab, instance_id=named(lab, "instance", "web-server").instance_id)
    after = positions(lab)
    moved = {rid: (before[rid], after[rid]) for rid in before if after.get(rid) != before[rid]}
    assert not moved, moved


def test_a_traced_path_is_highlighted_in_two_styles() -> None:
    from app.engine import analyze
    from app.web.diagram import trace_marks

    lab = new_lab("seed-001-nat")
    db = named(lab, "instance", "db-server").instance_id
    result = analyze(
        lab, {"source": db, "destination": "internet", "protocol": "tcp", "destination_port": 443}
    ).to_dict()
    d = layout(
        lab,
        {
            "forward": trace_marks(result, "forward_path"),
            "return": trace_marks(result, "return_path"),
        },
    )
    assert [p["css"] for p in d.paths] == ["trace-forward", "trace-return"]
    assert "on-forward" in d.find(named(lab, "nat-gateway", "lab-nat").nat_gateway_id).css
    assert "on-return" in d.find(db).css


def test_the_diagram_on_the_page_follows_every_change_and_the_traced_path(client) -> None:  # type: ignore[no-untyped-def]
    """Rendered diagrams are kept per revision (workspace.DIAGRAMS): never a stale one."""
    ids = seed_001(client)
    page = f"/topologies/{ids.topology}"

    def svg(url: str) -> str:
        html = client.get(url).text
        return html[html.index('<svg class="diagram"') : html.index("</svg>")]

    before = svg(page)
    assert svg(page) == before
    created = client.post(
        f"/api/v1/topologies/{ids.topology}/subnets",
        json={"VpcId": ids.vpc, "CidrBlock": "172.30.9.0/24"},
    ).json()
    after = svg(page)
    assert created["SubnetId"] not in before and created["SubnetId"] in after
    client.patch(f"/api/v1/topologies/{ids.topology}", json={"name": "renamed lab"})
    assert "Architecture of renamed lab" in svg(page)
    analysis = client.post(
        f"/api/v1/topologies/{ids.topology}/analyses",
        json={
            "source": "internet",
            "destination": ids.web,
            "protocol": "tcp",
            "destination_port": 80,
        },
    ).json()
    assert "trace-forward" in svg(f"{page}?test={analysis['id']}")
    assert "trace-forward" not in svg(page)


def test_a_blocked_path_is_solid_up_to_the_block_and_dotted_after_it() -> None:
    from app.engine import analyze
    from app.web.diagram import trace_marks

    lab = new_lab("seed-002-ssh")
    instance = named(lab, "instance", "myinstance-0001")
    sg = named(lab, "security-group", "ssh")
    result = analyze(
        lab, {"source": "203.0.113.5", "destination": instance.instance_id, "protocol": "icmp"}
    ).to_dict()

    d = layout(
        lab,
        {
            "forward": trace_marks(result, "forward_path"),
            "return": trace_marks(result, "return_path"),
        },
    )

    assert [p["css"] for p in d.paths] == [
        "trace-forward",  # the internet to the internet gateway: where the packet really goes
        "trace-forward trace-after",  # on to the instance: what would happen
        "trace-return trace-after",  # the whole reply
    ]
    assert [b.id for b in d.containers + d.items + d.chips if b.blocked] == [sg.group_id]
    assert "blocked" in d.find(sg.group_id).css.split()
    box = d.find(instance.instance_id).css.split()
    assert "after-forward" in box and "on-forward" not in box
    assert "on-forward" in d.find("internet").css.split()


def test_each_vpc_shows_its_dhcp_options_set_as_a_chip_that_opens_it() -> None:
    lab = new_lab("seed-001-nat")
    vpc = next(iter(lab.vpcs.values()))
    chip = layout(lab).find(vpc.dhcp_options_id or "")
    assert chip is not None and chip.kind == "dhcp-options" and "(DHCP)" in chip.label
    op.associate_dhcp_options(lab, vpc_id=vpc.vpc_id, dhcp_options_id="default")
    assert layout(lab).find(vpc.dhcp_options_id or "") is None  # no set, no chip

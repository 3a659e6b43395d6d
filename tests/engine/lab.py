"""Helpers that let engine tests read like the walkthroughs they reproduce."""

from __future__ import annotations

from typing import Any

from app.engine import IdFactory, Topology, analyze
from app.engine import operations as op
from app.engine.templates import apply_template
from app.engine.trace import Analysis, Hop

SSH = [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]


def name(value: str) -> list[dict[str, str]]:
    return [{"Key": "Name", "Value": value}]


def new_lab(template: str = "blank", region: str = "ap-northeast-1", seed: int = 1) -> Topology:
    topology = Topology(region=region, ids=IdFactory(seed=seed))
    apply_template(topology, template)
    return topology


def named(topology: Topology, kind: str, value: str) -> Any:
    matches = [r for r in topology.resources[kind].values() if r.name == value]
    assert len(matches) == 1, f"expected one {kind} named {value}, found {len(matches)}"
    return matches[0]


def trace(
    topology: Topology,
    source: str,
    destination: str,
    protocol: str = "tcp",
    port: int | None = 22,
    **extra: Any,
) -> Analysis:
    request: dict[str, Any] = {
        "source": source,
        "destination": destination,
        "protocol": protocol,
        **extra,
    }
    if port is not None and protocol != "icmp":
        request["destination_port"] = port
    return analyze(topology, request)


def steps(path: list[Hop]) -> list[tuple[str, str]]:
    """The path as (component type, action) pairs, in the order the packet meets them."""
    return [(h.component.type, h.action) for h in path]


def codes(analysis: Analysis) -> list[str]:
    return [e.code for e in analysis.explanations]


def public_vpc(topology: Topology, cidr: str = "10.0.0.0/16") -> dict[str, Any]:
    """A VPC with an attached IGW and one public subnet (main table routed to the IGW)."""
    vpc = op.create_vpc(topology, cidr_block=cidr)
    igw = op.create_internet_gateway(topology)
    op.attach_internet_gateway(
        topology, internet_gateway_id=igw.internet_gateway_id, vpc_id=vpc.vpc_id
    )
    main = topology.main_route_table(vpc.vpc_id)
    assert main is not None
    op.create_route(
        topology,
        route_table_id=main.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.internet_gateway_id,
    )
    base = cidr.split("/")[0].rsplit(".", 2)[0]
    subnet = op.create_subnet(topology, vpc_id=vpc.vpc_id, cidr_block=f"{base}.1.0/24")
    sg = op.create_security_group(topology, group_name="ssh", description="ssh", vpc_id=vpc.vpc_id)
    op.authorize(topology, group_id=sg.group_id, ip_permissions=SSH, egress=False)
    return {"vpc": vpc, "igw": igw, "rtb": main, "subnet": subnet, "sg": sg}


def launch_public(topology: Topology, parts: dict[str, Any], **kwargs: Any) -> Any:
    """An instance in the public subnet with an Elastic IP."""
    instance = op.run_instances(
        topology,
        subnet_id=parts["subnet"].subnet_id,
        security_group_ids=[parts["sg"].group_id],
        **kwargs,
    )
    eip = op.allocate_address(topology)
    op.associate_address(
        topology, allocation_id=eip.allocation_id, instance_id=instance.instance_id
    )
    return instance

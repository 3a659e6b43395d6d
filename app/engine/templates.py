"""Starting points for a new topology: blank, AWS's default VPC, and the seeds' labs.

Each is built with the same operations a learner uses, so it obeys the same rules.
"""

from __future__ import annotations

from collections.abc import Callable

from . import operations as op
from .messages import message, text
from .regions import availability_zones
from .topology import Topology

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.templates.apply_template.InvalidParameterValue",
    "Unknown template '{name}'; choose one of {TEMPLATES}.",
)

SSH_FROM_ANYWHERE = [
    {
        "IpProtocol": "tcp",
        "FromPort": 22,
        "ToPort": 22,
        "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "SSH"}],
    }
]
HTTP_FROM_ANYWHERE = [
    {
        "IpProtocol": "tcp",
        "FromPort": 80,
        "ToPort": 80,
        "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "HTTP"}],
    }
]


def _name(value: str) -> list[dict[str, str]]:
    return [{"Key": "Name", "Value": value}]


def blank(topology: Topology) -> None:
    """Nothing: the learner builds everything."""


def default_vpc(topology: Topology) -> None:
    """AWS's default VPC: 172.31.0.0/16, a default /20 per AZ with public IPs on launch, an
    attached IGW, the main route table to it (VPC UG: default-vpc)."""
    vpc = op.create_vpc(topology, cidr_block="172.31.0.0/16", is_default=True)
    op.modify_vpc_attribute(topology, vpc_id=vpc.vpc_id, enable_dns_hostnames=True)
    for index, zone in enumerate(availability_zones(topology.region)):
        op.create_subnet(
            topology,
            vpc_id=vpc.vpc_id,
            cidr_block=f"172.31.{16 * index}.0/20",
            availability_zone=zone,
            map_public_ip_on_launch=True,
            default_for_az=True,
        )
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


def seed_002_ssh(topology: Topology) -> None:
    """Seed 002: myvpc 192.168.0.0/16, two public subnets in two AZs, SSH to two instances
    with Elastic IPs through mygateway."""
    zones = availability_zones(topology.region)
    vpc = op.create_vpc(topology, cidr_block="192.168.0.0/16", tags=_name("myvpc"))
    igw = op.create_internet_gateway(topology, tags=_name("mygateway"))
    op.attach_internet_gateway(
        topology, internet_gateway_id=igw.internet_gateway_id, vpc_id=vpc.vpc_id
    )
    sg = op.create_security_group(
        topology,
        group_name="ssh",
        description="SSH from anywhere",
        vpc_id=vpc.vpc_id,
        tags=_name("ssh"),
    )
    op.authorize(topology, group_id=sg.group_id, ip_permissions=SSH_FROM_ANYWHERE, egress=False)
    main = topology.main_route_table(vpc.vpc_id)
    assert main is not None
    op.create_route(
        topology,
        route_table_id=main.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.internet_gateway_id,
    )
    for number, zone in ((1, zones[1 % len(zones)]), (2, zones[2 % len(zones)])):
        subnet = op.create_subnet(
            topology,
            vpc_id=vpc.vpc_id,
            cidr_block=f"192.168.{number}.0/24",
            availability_zone=zone,
            tags=_name(f"mysubnet-000{number}"),
        )
        instance = op.run_instances(
            topology,
            subnet_id=subnet.subnet_id,
            private_ip_address=f"192.168.{number}.4",
            security_group_ids=[sg.group_id],
            key_name="mykeypair",
            tags=_name(f"myinstance-000{number}"),
        )
        eip = op.allocate_address(topology)
        op.associate_address(
            topology, allocation_id=eip.allocation_id, instance_id=instance.instance_id
        )


def seed_001_nat(topology: Topology) -> None:
    """Seed 001: a public web server and a private database that updates itself through a NAT
    gateway, reached over SSH through the web server (bastion); both in the default SG."""
    zone = availability_zones(topology.region)[0]
    vpc = op.create_vpc(topology, cidr_block="172.30.0.0/16", tags=_name("lab-vpc"))
    default_sg = next(
        g for g in topology.security_groups.values() if g.vpc_id == vpc.vpc_id and g.is_default
    )
    igw = op.create_internet_gateway(topology, tags=_name("lab-igw"))
    op.attach_internet_gateway(
        topology, internet_gateway_id=igw.internet_gateway_id, vpc_id=vpc.vpc_id
    )
    public = op.create_subnet(
        topology,
        vpc_id=vpc.vpc_id,
        cidr_block="172.30.0.0/24",
        availability_zone=zone,
        map_public_ip_on_launch=True,
        tags=_name("public-subnet"),
    )
    private = op.create_subnet(
        topology,
        vpc_id=vpc.vpc_id,
        cidr_block="172.30.1.0/24",
        availability_zone=zone,
        tags=_name("private-subnet"),
    )
    public_rt = op.create_route_table(topology, vpc_id=vpc.vpc_id, tags=_name("public-rt"))
    op.create_route(
        topology,
        route_table_id=public_rt.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.internet_gateway_id,
    )
    op.associate_route_table(
        topology, route_table_id=public_rt.route_table_id, subnet_id=public.subnet_id
    )
    web_sg = op.create_security_group(
        topology,
        group_name="web",
        vpc_id=vpc.vpc_id,
        description="SSH and HTTP from anywhere",
        tags=_name("web"),
    )
    op.authorize(
        topology,
        group_id=web_sg.group_id,
        ip_permissions=SSH_FROM_ANYWHERE + HTTP_FROM_ANYWHERE,
        egress=False,
    )
    op.run_instances(
        topology,
        subnet_id=public.subnet_id,
        key_name="lab-key",
        security_group_ids=[web_sg.group_id, default_sg.group_id],
        tags=_name("web-server"),
    )
    op.run_instances(
        topology,
        subnet_id=private.subnet_id,
        key_name="lab-key",
        security_group_ids=[default_sg.group_id],
        tags=_name("db-server"),
    )
    eip = op.allocate_address(topology, tags=_name("nat-eip"))
    nat = op.create_nat_gateway(
        topology, subnet_id=public.subnet_id, allocation_id=eip.allocation_id, tags=_name("lab-nat")
    )
    private_rt = op.create_route_table(topology, vpc_id=vpc.vpc_id, tags=_name("private-rt"))
    op.create_route(
        topology,
        route_table_id=private_rt.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        nat_gateway_id=nat.nat_gateway_id,
    )
    op.associate_route_table(
        topology, route_table_id=private_rt.route_table_id, subnet_id=private.subnet_id
    )


TEMPLATES: dict[str, tuple[str, Callable[[Topology], None]]] = {
    "blank": ("Blank: an empty account-region", blank),
    "default-vpc": ("AWS's default VPC (172.31.0.0/16, a public /20 per AZ)", default_vpc),
    "seed-002-ssh": ("Lab: SSH from home to two instances with Elastic IPs", seed_002_ssh),
    "seed-001-nat": ("Lab: public web server, private database behind a NAT gateway", seed_001_nat),
}


def apply_template(topology: Topology, name: str) -> None:
    from .errors import AwsError

    if name not in TEMPLATES:
        raise AwsError(
            "InvalidParameterValue",
            message(
                "error.templates.apply_template.InvalidParameterValue",
                name=name,
                TEMPLATES=", ".join(TEMPLATES),
            ),
        )
    TEMPLATES[name][1](topology)

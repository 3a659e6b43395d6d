"""Lab checks (docs/labs.md): decided by what the network is and does, never by ids or names."""

from collections.abc import Callable
from typing import Any

import pytest

from app.engine import Topology
from app.engine import operations as op
from app.engine.checks import (
    CheckSpecError,
    FlowCheck,
    Selector,
    StateCheck,
    evaluate,
    parse_check,
)

from .lab import SSH, codes, name, named, new_lab, public_vpc

HTTP = [dict(SSH[0], FromPort=80, ToPort=80)]
ICMP = [{"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]


def check(topology: Topology, raw: dict[str, Any]) -> Any:
    return evaluate(topology, parse_check(raw))


def state(kind: str, **conditions: Any) -> dict[str, Any]:
    return {"state": {kind: conditions}}


def flow(source: Any, destination: Any, protocol: str = "tcp", **rest: Any) -> dict[str, Any]:
    return {"flow": {"from": source, "to": destination, "protocol": protocol, **rest}}


def instances(**conditions: Any) -> dict[str, Any]:
    return {"instance": conditions}


# ---------------------------------------------------------------------------------------------
# Topologies


def seed_002() -> Topology:
    return new_lab("seed-002-ssh")


def seed_001() -> Topology:
    return new_lab("seed-001-nat")


def seed_002_one_stopped() -> Topology:
    lab = seed_002()
    op.stop_instances(lab, instance_id=named(lab, "instance", "myinstance-0001").instance_id)
    return lab


def default_vpc() -> Topology:
    return new_lab("default-vpc")


def blank() -> Topology:
    return new_lab("blank")


def handmade_eni() -> Topology:
    """Article 004: an ENI made by hand at 10.0.1.11 with a secondary address and an Elastic IP,
    attached to an instance as eth1; an unattached ENI beside it; a DHCP set of one's own."""
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    igw = op.create_internet_gateway(lab)
    op.attach_internet_gateway(lab, internet_gateway_id=igw.internet_gateway_id, vpc_id=vpc.vpc_id)
    rtb = op.create_route_table(lab, vpc_id=vpc.vpc_id)
    op.create_route(
        lab,
        route_table_id=rtb.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.internet_gateway_id,
    )
    subnet = op.create_subnet(
        lab, vpc_id=vpc.vpc_id, cidr_block="10.0.1.0/24", availability_zone="ap-northeast-1a"
    )
    op.associate_route_table(lab, route_table_id=rtb.route_table_id, subnet_id=subnet.subnet_id)
    instance = op.run_instances(lab, subnet_id=subnet.subnet_id)
    eni = op.create_network_interface(
        lab, subnet_id=subnet.subnet_id, private_ip_address="10.0.1.11", tags=name("fixed")
    )
    op.assign_private_ip_addresses(
        lab, network_interface_id=eni.network_interface_id, private_ip_addresses=["10.0.1.12"]
    )
    op.attach_network_interface(
        lab,
        network_interface_id=eni.network_interface_id,
        instance_id=instance.instance_id,
        device_index=1,
    )
    eip = op.allocate_address(lab)
    op.associate_address(
        lab,
        allocation_id=eip.allocation_id,
        network_interface_id=eni.network_interface_id,
        private_ip_address="10.0.1.11",
    )
    op.create_network_interface(lab, subnet_id=subnet.subnet_id, private_ip_address="10.0.1.20")
    op.allocate_address(lab)  # kept, associated with nothing
    options = op.create_dhcp_options(
        lab,
        dhcp_configurations=[
            {"Key": "domain-name", "Values": ["corp.example"]},
            {"Key": "domain-name-servers", "Values": ["10.0.0.2"]},
        ],
    )
    op.associate_dhcp_options(lab, dhcp_options_id=options.dhcp_options_id, vpc_id=vpc.vpc_id)
    return lab


# ---------------------------------------------------------------------------------------------
# State checks: for every kind and condition, a topology that passes and one that fails

STATE_CASES: list[tuple[str, Callable[[], Topology], dict[str, Any], bool]] = [
    # vpc
    ("own vpc", seed_002, state("vpc", default=False), True),
    ("only the default vpc", default_vpc, state("vpc", default=False), False),
    ("default vpc", default_vpc, state("vpc", default=True), True),
    ("no default vpc", seed_002, state("vpc", default=True), False),
    ("vpc cidr", seed_002, state("vpc", cidr="192.168.0.0/16"), True),
    ("other vpc cidr", seed_002, state("vpc", cidr="10.0.0.0/16"), False),
    ("vpc prefix", seed_001, state("vpc", prefix=16), True),
    ("other vpc prefix", seed_001, state("vpc", prefix=20), False),
    ("no vpc at all", blank, state("vpc"), False),
    ("dns resolution on", seed_002, state("vpc", dns_support=True), True),
    ("no vpc without dns resolution", seed_002, state("vpc", dns_support=False), False),
    ("own vpc: dns hostnames off", seed_002, state("vpc", dns_hostnames=False), True),
    ("own vpc: no dns hostnames", seed_002, state("vpc", dns_hostnames=True), False),
    ("default vpc: dns hostnames on", default_vpc, state("vpc", dns_hostnames=True), True),
    # subnet
    ("public subnets", seed_002, state("subnet", public=True, count=2), True),
    ("no private subnet in 002", seed_002, state("subnet", public=False), False),
    ("private subnet in 001", seed_001, state("subnet", public=False), True),
    ("one public subnet in 001", seed_001, state("subnet", public=True, count=2), False),
    ("subnet prefix", seed_002, state("subnet", prefix=24, count=2), True),
    ("other subnet prefix", seed_002, state("subnet", prefix=20), False),
    ("subnet cidr", seed_001, state("subnet", cidr="172.30.1.0/24", public=False), True),
    ("public subnet cidr", seed_001, state("subnet", cidr="172.30.1.0/24", public=True), False),
    ("subnet az", seed_001, state("subnet", az="ap-northeast-1a", count=2), True),
    ("other subnet az", seed_001, state("subnet", az="ap-northeast-1c"), False),
    ("two zones", seed_002, state("subnet", public=True, count=2, distinct_azs=2), True),
    ("one zone", seed_001, state("subnet", count=2, distinct_azs=2), False),
    ("default subnets", default_vpc, state("subnet", default=True, public=True, count=4), True),
    ("no default subnet", seed_002, state("subnet", default=True), False),
    # internet_gateway
    ("attached igw", seed_002, state("internet_gateway", attached=True), True),
    ("no igw", blank, state("internet_gateway", attached=True), False),
    ("no detached igw", seed_002, state("internet_gateway", attached=False), False),
    # nat_gateway
    ("nat in a public subnet", seed_001, state("nat_gateway", subnet="public"), True),
    ("no nat in a private subnet", seed_001, state("nat_gateway", subnet="private"), False),
    ("nat routed from private", seed_001, state("nat_gateway", routed_from="private"), True),
    ("nat with an eip", seed_001, state("nat_gateway", elastic_ip=True), True),
    ("nat without an eip", seed_001, state("nat_gateway", elastic_ip=False), False),
    ("no nat", seed_002, state("nat_gateway"), False),
    # network_acl
    ("default nacl serving", seed_002, state("network_acl", default=True, associated=True), True),
    ("no custom nacl", seed_002, state("network_acl", default=False), False),
    ("no idle nacl", seed_002, state("network_acl", associated=False), False),
    # network_interface
    ("eni at 10.0.1.11", handmade_eni, state("network_interface", private_ip="10.0.1.11"), True),
    ("no eni at .99", handmade_eni, state("network_interface", private_ip="10.0.1.99"), False),
    (
        "eni with a secondary ip",
        handmade_eni,
        state("network_interface", private_ip="10.0.1.11", secondary_ips=1),
        True,
    ),
    ("no eni with two", handmade_eni, state("network_interface", secondary_ips=2), False),
    ("attached eni", handmade_eni, state("network_interface", attached=True, count=2), True),
    ("unattached eni", handmade_eni, state("network_interface", attached=False), True),
    ("no unattached eni", seed_002, state("network_interface", attached=False), False),
    ("eni with eip", handmade_eni, state("network_interface", elastic_ip=True), True),
    ("one eni with eip", handmade_eni, state("network_interface", elastic_ip=True, count=2), False),
    ("eni in public subnet", seed_002, state("network_interface", subnet="public"), True),
    ("no eni in private", seed_002, state("network_interface", subnet="private"), False),
    # elastic_ip
    ("associated eip", seed_002, state("elastic_ip", associated=True, count=2), True),
    ("no idle eip", seed_002, state("elastic_ip", associated=False), False),
    ("idle eip", handmade_eni, state("elastic_ip", associated=False), True),
    ("eip to 10.0.1.11", handmade_eni, state("elastic_ip", private_ip="10.0.1.11"), True),
    ("no eip to 10.0.1.12", handmade_eni, state("elastic_ip", private_ip="10.0.1.12"), False),
    # instance
    ("public instance", seed_001, state("instance", subnet="public"), True),
    ("private instance", seed_001, state("instance", subnet="private"), True),
    ("no private instance", seed_002, state("instance", subnet="private"), False),
    ("running", seed_002, state("instance", running=True, count=2), True),
    ("none stopped", seed_002, state("instance", running=False), False),
    ("one stopped", seed_002_one_stopped, state("instance", running=False), True),
    ("one running", seed_002_one_stopped, state("instance", running=True, count=2), False),
    ("public ip (eip)", seed_002, state("instance", public_ip=True, count=2), True),
    ("public ip (auto)", seed_001, state("instance", subnet="public", public_ip=True), True),
    ("db without", seed_001, state("instance", subnet="private", public_ip=True), False),
    ("instance at .4", seed_002, state("instance", private_ip="192.168.2.4"), True),
    ("no instance at .5", seed_002, state("instance", private_ip="192.168.2.5"), False),
    ("secondary on eth1", handmade_eni, state("instance", secondary_ips=1), True),
    ("no secondary ip", seed_002, state("instance", secondary_ips=1), False),
    # dhcp_options
    ("amazon dns", seed_002, state("dhcp_options", domain_name_servers="AmazonProvidedDNS"), True),
    ("own dns", handmade_eni, state("dhcp_options", domain_name_servers="10.0.0.2"), True),
    ("no own dns", seed_002, state("dhcp_options", domain_name_servers="10.0.0.2"), False),
    ("domain", handmade_eni, state("dhcp_options", domain_name="corp.example"), True),
    ("no domain", seed_002, state("dhcp_options", domain_name="corp.example"), False),
    (
        "own set in use",
        handmade_eni,
        state("dhcp_options", domain_name="corp.example", associated=True),
        True,
    ),
    ("amazon set idle", handmade_eni, state("dhcp_options", associated=False), True),
    ("default set", seed_002, state("dhcp_options", default=True, associated=True), True),
    ("no own set", seed_002, state("dhcp_options", default=False), False),
    ("own set", handmade_eni, state("dhcp_options", default=False, associated=True), True),
    ("default set idle", handmade_eni, state("dhcp_options", default=True, associated=True), False),
    ("no idle set", seed_002, state("dhcp_options", associated=False), False),
    # security_group
    ("default sg", seed_002, state("security_group", default=True), True),
    ("no group at all", blank, state("security_group", default=True), False),
    ("own sg used", seed_002, state("security_group", default=False, attached=True), True),
    ("default sg unused", seed_002, state("security_group", default=True, attached=True), False),
    ("default sg used", seed_001, state("security_group", default=True, attached=True), True),
]


@pytest.mark.parametrize(
    ("topology", "raw", "passes"),
    [case[1:] for case in STATE_CASES],
    ids=[case[0] for case in STATE_CASES],
)
def test_state_check(topology: Callable[[], Topology], raw: dict[str, Any], passes: bool) -> None:
    result = check(topology(), raw)
    assert result.passed is passes
    assert result.code == ("ok" if passes else "missing")
    assert result.analysis is None


def test_a_missing_resource_says_how_many_were_found_and_wanted() -> None:
    result = check(seed_001(), state("subnet", public=True, count=2))

    assert result.params["kind"] == "subnet"
    assert (result.params["found"], result.params["wanted"]) == (1, 2)
    assert result.params["ids"] == [named(seed_001(), "subnet", "public-subnet").subnet_id]


def test_distinct_azs_counts_the_zones_of_the_matching_subnets() -> None:
    result = check(seed_001(), state("subnet", count=2, distinct_azs=2))

    assert result.params["found"] == 2
    assert (result.params["zones"], result.params["zones_wanted"]) == (1, 2)


def test_absent_passes_when_none_match_and_names_those_that_do() -> None:
    lab = seed_002()
    assert check(lab, state("instance", running=False, absent=True)).passed

    stopped = named(lab, "instance", "myinstance-0001")
    op.stop_instances(lab, instance_id=stopped.instance_id)
    result = check(lab, state("instance", running=False, absent=True))

    assert not result.passed
    assert result.code == "present"
    assert (result.params["found"], result.params["wanted"]) == (1, 0)
    assert result.params["ids"] == [stopped.instance_id]


def test_a_subnet_is_public_through_its_explicit_table_not_the_main_one() -> None:
    lab = seed_001()
    private = named(lab, "subnet", "private-subnet")
    public_rt = named(lab, "route-table", "public-rt")
    association = next(
        a
        for a in named(lab, "route-table", "private-rt").associations
        if a.subnet_id == private.subnet_id
    )

    op.replace_route_table_association(
        lab, association_id=association.association_id, route_table_id=public_rt.route_table_id
    )

    assert check(lab, state("subnet", public=True, count=2)).passed
    assert not check(lab, state("subnet", public=False)).passed


def test_a_subnet_whose_route_goes_to_a_detached_gateway_is_not_public() -> None:
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.0.0.0/16")
    igw = op.create_internet_gateway(lab)
    op.attach_internet_gateway(lab, internet_gateway_id=igw.internet_gateway_id, vpc_id=vpc.vpc_id)
    main = lab.main_route_table(vpc.vpc_id)
    assert main is not None
    op.create_route(
        lab,
        route_table_id=main.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.internet_gateway_id,
    )
    op.create_subnet(lab, vpc_id=vpc.vpc_id, cidr_block="10.0.1.0/24")
    assert check(lab, state("subnet", public=True)).passed

    op.detach_internet_gateway(lab, internet_gateway_id=igw.internet_gateway_id, vpc_id=vpc.vpc_id)
    result = check(lab, state("subnet", public=True))

    assert not result.passed
    assert result.params["found"] == 0
    assert check(lab, state("internet_gateway", attached=False)).passed


def test_a_private_subnet_routed_to_the_nat_gateway_is_what_routed_from_asks() -> None:
    lab = seed_001()
    private_rt = named(lab, "route-table", "private-rt")
    op.delete_route(
        lab, route_table_id=private_rt.route_table_id, destination_cidr_block="0.0.0.0/0"
    )

    assert not check(lab, state("nat_gateway", routed_from="private")).passed
    assert check(lab, state("nat_gateway", subnet="public")).passed


def test_a_deleted_nat_gateway_is_no_longer_counted() -> None:
    lab = seed_001()
    nat = named(lab, "nat-gateway", "lab-nat")
    op.delete_nat_gateway(lab, nat_gateway_id=nat.nat_gateway_id)

    assert check(lab, state("nat_gateway", absent=True)).passed


def test_a_custom_network_acl_is_associated_once_it_serves_a_subnet() -> None:
    lab = seed_002()
    vpc = named(lab, "vpc", "myvpc")
    acl = op.create_network_acl(lab, vpc_id=vpc.vpc_id)
    assert check(lab, state("network_acl", default=False, associated=False)).passed
    assert not check(lab, state("network_acl", default=False, associated=True)).passed

    subnet = named(lab, "subnet", "mysubnet-0001")
    op.associate_subnet_with_acl(lab, network_acl_id=acl.network_acl_id, subnet_id=subnet.subnet_id)

    assert check(lab, state("network_acl", default=False, associated=True)).passed


def test_the_nat_gateway_interface_is_not_one_of_the_learners_interfaces() -> None:
    # seed 001's only Elastic IP sits on the NAT gateway's interface: AWS manages that one.
    lab = seed_001()
    assert check(lab, state("elastic_ip", associated=True)).passed
    assert not check(lab, state("network_interface", elastic_ip=True)).passed


def test_a_terminated_instance_is_no_longer_counted() -> None:
    lab = seed_001()
    db = named(lab, "instance", "db-server")
    op.terminate_instances(lab, instance_id=db.instance_id)

    assert check(lab, state("instance", subnet="private", absent=True)).passed


# ---------------------------------------------------------------------------------------------
# Flow checks

SSH_FROM_INTERNET = flow("internet", instances(subnet="public"), port=22, expect="reaches")
PING_FROM_INTERNET = flow("internet", instances(), "icmp", expect="blocked")


def test_ssh_from_the_internet_reaches_a_public_instance() -> None:
    result = check(seed_002(), SSH_FROM_INTERNET)

    assert result.passed
    assert result.code == "ok"
    assert result.analysis is not None and result.analysis.reachable
    assert (result.params["found"], result.params["wanted"], result.params["pairs"]) == (2, 1, 2)
    assert result.params["source"] == "internet"
    assert result.params["destination"] in seed_002().instances


def test_a_security_group_without_the_port_blocks_with_the_groups_explanation() -> None:
    lab = seed_002()
    sg = named(lab, "security-group", "ssh")
    op.authorize(lab, group_id=sg.group_id, ip_permissions=HTTP, egress=False)
    op.revoke(lab, group_id=sg.group_id, ip_permissions=SSH, egress=False)

    result = check(lab, SSH_FROM_INTERNET)

    assert not result.passed
    assert result.code == "blocked"
    assert result.analysis is not None and not result.analysis.reachable
    assert codes(result.analysis) == ["ENI_SG_RULES_MISMATCH"]
    assert result.analysis.explanations[0].suggested_fix
    assert (result.params["pairs"], result.params["found"]) == (2, 0)


def test_a_network_acl_deny_blocks_with_the_acls_explanation() -> None:
    lab = seed_002()
    vpc = named(lab, "vpc", "myvpc")
    acl = lab.default_network_acl(vpc.vpc_id)
    assert acl is not None
    op.create_network_acl_entry(
        lab,
        network_acl_id=acl.network_acl_id,
        rule_number=90,
        egress=False,
        rule_action="deny",
        protocol="tcp",
        cidr_block="0.0.0.0/0",
        port_range={"From": 22, "To": 22},
    )

    result = check(lab, SSH_FROM_INTERNET)

    assert result.code == "blocked"
    assert result.analysis is not None
    assert codes(result.analysis) == ["SUBNET_ACL_RESTRICTION"]


def test_no_route_to_the_internet_gateway_blocks_and_the_subnet_is_no_longer_public() -> None:
    lab = seed_002()
    vpc = named(lab, "vpc", "myvpc")
    main = lab.main_route_table(vpc.vpc_id)
    assert main is not None
    op.delete_route(lab, route_table_id=main.route_table_id, destination_cidr_block="0.0.0.0/0")

    # The selector asks for a public subnet: there is none left.
    assert check(lab, SSH_FROM_INTERNET).code == "no_endpoint"
    result = check(lab, flow("internet", instances(), port=22, expect="reaches"))
    assert result.code == "blocked"
    assert result.analysis is not None
    assert "NO_ROUTE_TO_DESTINATION" in codes(result.analysis)


def test_reaches_passes_when_some_pair_reaches_and_says_how_many() -> None:
    lab = seed_002()
    first = named(lab, "instance", "myinstance-0001")
    op.stop_instances(lab, instance_id=first.instance_id)

    result = check(lab, SSH_FROM_INTERNET)

    assert result.passed
    assert (result.params["pairs"], result.params["found"]) == (2, 1)
    assert result.params["destination"] == named(lab, "instance", "myinstance-0002").instance_id


def test_ping_from_the_internet_is_blocked_until_the_group_allows_icmp() -> None:
    lab = seed_002()
    result = check(lab, PING_FROM_INTERNET)
    assert result.passed
    assert result.params["found"] == 0
    assert result.analysis is not None and codes(result.analysis) == ["ENI_SG_RULES_MISMATCH"]

    sg = named(lab, "security-group", "ssh")
    op.authorize(lab, group_id=sg.group_id, ip_permissions=ICMP, egress=False)
    result = check(lab, PING_FROM_INTERNET)

    assert not result.passed
    assert result.code == "reachable"
    assert result.analysis is not None and result.analysis.reachable
    assert result.params["found"] == 2


def test_blocked_fails_when_one_pair_of_several_reaches() -> None:
    lab = seed_002()
    sg = op.create_security_group(
        lab, group_name="ping", description="ping", vpc_id=named(lab, "vpc", "myvpc").vpc_id
    )
    op.authorize(lab, group_id=sg.group_id, ip_permissions=ICMP, egress=False)
    second = named(lab, "instance", "myinstance-0002")
    eni = lab.primary_eni(second.instance_id)
    assert eni is not None
    op.modify_network_interface_attribute(
        lab, network_interface_id=eni.network_interface_id, groups=[*eni.groups, sg.group_id]
    )

    result = check(lab, PING_FROM_INTERNET)

    assert result.code == "reachable"
    assert (result.params["found"], result.params["wanted"], result.params["pairs"]) == (1, 0, 2)
    assert result.params["destination"] == second.instance_id


def test_a_stopped_instance_still_matches_and_the_trace_says_it_is_stopped() -> None:
    lab = seed_001()
    web = named(lab, "instance", "web-server")
    op.stop_instances(lab, instance_id=web.instance_id)

    result = check(lab, SSH_FROM_INTERNET)
    assert result.code == "blocked"
    assert result.params["destination"] == web.instance_id

    running = flow("internet", instances(subnet="public", running=True), port=22, expect="reaches")
    assert check(lab, running).code == "no_endpoint"


def test_a_selector_that_matches_no_instance_is_no_endpoint() -> None:
    result = check(
        seed_002(), flow(instances(subnet="private"), "internet", port=443, expect="reaches")
    )

    assert not result.passed
    assert result.code == "no_endpoint"
    assert result.params["end"] == "source"
    assert result.analysis is None


def test_the_internet_reaches_an_instance_through_the_elastic_ip_of_its_second_interface() -> None:
    # Article 004: eth0 has no public address, the hand-made eth1 at 10.0.1.11 has an EIP.
    lab = handmade_eni()
    vpc = next(iter(lab.vpcs.values()))
    default_sg = next(g for g in lab.security_groups.values() if g.vpc_id == vpc.vpc_id)
    op.authorize(lab, group_id=default_sg.group_id, ip_permissions=SSH, egress=False)
    eip = next(a for a in lab.addresses.values() if a.network_interface_id)

    result = check(lab, flow("internet", instances(), port=22, expect="reaches"))

    assert result.passed
    assert result.analysis is not None
    assert result.analysis.request["destination_ip"] == str(eip.public_ip)
    assert (result.params["found"], result.params["pairs"]) == (1, 1)


def test_the_bastion_reaches_the_private_database_which_reaches_the_internet_through_nat() -> None:
    lab = seed_001()
    bastion = flow(
        instances(subnet="public"), instances(subnet="private"), port=22, expect="reaches"
    )
    updates = flow(instances(subnet="private"), "internet", port=443, expect="reaches")

    assert check(lab, bastion).passed
    assert check(lab, updates).passed

    private_rt = named(lab, "route-table", "private-rt")
    op.delete_route(
        lab, route_table_id=private_rt.route_table_id, destination_cidr_block="0.0.0.0/0"
    )
    result = check(lab, updates)
    assert result.code == "blocked"
    assert result.params["source"] == named(lab, "instance", "db-server").instance_id


def test_an_instance_is_not_a_flow_to_itself() -> None:
    lab = seed_001()
    op.terminate_instances(lab, instance_id=named(lab, "instance", "db-server").instance_id)

    result = check(lab, flow(instances(), instances(), port=22, expect="reaches"))

    assert result.code == "no_endpoint"


def test_an_address_outside_is_my_pc() -> None:
    lab = seed_002()
    sg = named(lab, "security-group", "ssh")
    op.revoke(lab, group_id=sg.group_id, ip_permissions=SSH, egress=False)
    home = [dict(SSH[0], IpRanges=[{"CidrIp": "198.51.100.7/32"}])]
    op.authorize(lab, group_id=sg.group_id, ip_permissions=home, egress=False)

    assert check(lab, flow("198.51.100.7", instances(), port=22, expect="reaches")).passed
    assert check(lab, flow("203.0.113.5", instances(), port=22, expect="blocked")).passed
    result = check(lab, flow("internet", instances(), port=22, expect="reaches"))
    assert result.code == "blocked"


# ---------------------------------------------------------------------------------------------
# port: any (the exposure analysis)


def test_no_port_of_the_private_database_reaches_from_the_internet() -> None:
    lab = seed_001()
    raw = flow("internet", instances(subnet="private"), port="any", expect="blocked")

    result = check(lab, raw)

    assert result.passed
    assert result.params["found"] == 0


def test_any_port_finds_the_open_one_and_shows_its_path() -> None:
    lab = seed_001()
    raw = flow("internet", instances(subnet="public"), port="any", expect="blocked")

    result = check(lab, raw)

    assert not result.passed
    assert result.code == "reachable"
    assert result.params["exposed_port"] == 22
    assert result.analysis is not None and result.analysis.reachable
    assert result.analysis.request["destination_port"] == 22


def test_any_port_from_an_address_looks_at_that_address_only() -> None:
    lab = seed_002()
    sg = named(lab, "security-group", "ssh")
    op.revoke(lab, group_id=sg.group_id, ip_permissions=SSH, egress=False)
    home = [dict(SSH[0], IpRanges=[{"CidrIp": "198.51.100.7/32"}])]
    op.authorize(lab, group_id=sg.group_id, ip_permissions=home, egress=False)

    assert check(lab, flow("203.0.113.5", instances(), port="any", expect="blocked")).passed
    result = check(lab, flow("198.51.100.7", instances(), port="any", expect="blocked"))
    assert result.code == "reachable"
    assert result.analysis is not None and result.analysis.reachable
    # Other internet sources do not reach: from: internet is "any internet address".
    assert check(lab, flow("internet", instances(), port="any", expect="blocked")).code == (
        "reachable"
    )


def test_any_port_sees_an_elastic_ip_on_a_secondary_address() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    instance = op.run_instances(
        lab, subnet_id=parts["subnet"].subnet_id, security_group_ids=[parts["sg"].group_id]
    )
    eni = lab.primary_eni(instance.instance_id)
    assert eni is not None
    raw = flow("internet", instances(), port="any", expect="blocked")
    assert check(lab, raw).passed  # no public address at all

    op.assign_private_ip_addresses(
        lab, network_interface_id=eni.network_interface_id, private_ip_addresses=["10.0.1.50"]
    )
    eip = op.allocate_address(lab)
    op.associate_address(
        lab,
        allocation_id=eip.allocation_id,
        network_interface_id=eni.network_interface_id,
        private_ip_address="10.0.1.50",
    )
    result = check(lab, raw)

    assert result.code == "reachable"
    assert result.analysis is not None and result.analysis.reachable
    assert result.analysis.request["destination_ip"] == str(eip.public_ip)


def test_any_udp_port_is_blocked_when_only_tcp_is_open() -> None:
    raw = flow("internet", instances(), "udp", port="any", expect="blocked")
    assert check(seed_002(), raw).passed


# ---------------------------------------------------------------------------------------------
# Another design passes the same checks


def other_design() -> Topology:
    """Lab 002 built another way: other CIDRs, zones and names, a route table of its own for
    the public subnets, the group's rules in another order, auto-assigned public IPs."""
    lab = new_lab()
    vpc = op.create_vpc(lab, cidr_block="10.20.0.0/16", tags=name("casa"))
    igw = op.create_internet_gateway(lab)
    op.attach_internet_gateway(lab, internet_gateway_id=igw.internet_gateway_id, vpc_id=vpc.vpc_id)
    rtb = op.create_route_table(lab, vpc_id=vpc.vpc_id)
    op.create_route(
        lab,
        route_table_id=rtb.route_table_id,
        destination_cidr_block="0.0.0.0/0",
        gateway_id=igw.internet_gateway_id,
    )
    sg = op.create_security_group(lab, group_name="entrada", description="x", vpc_id=vpc.vpc_id)
    http = [dict(SSH[0], FromPort=80, ToPort=80)]
    op.authorize(lab, group_id=sg.group_id, ip_permissions=http + SSH, egress=False)
    for number, zone in ((40, "ap-northeast-1a"), (41, "ap-northeast-1d")):
        subnet = op.create_subnet(
            lab, vpc_id=vpc.vpc_id, cidr_block=f"10.20.{number}.0/24", availability_zone=zone
        )
        op.associate_route_table(lab, route_table_id=rtb.route_table_id, subnet_id=subnet.subnet_id)
        op.run_instances(
            lab,
            subnet_id=subnet.subnet_id,
            security_group_ids=[sg.group_id],
            associate_public_ip_address=True,
        )
    return lab


LAB_002 = [
    state("vpc", default=False, prefix=16),
    state("internet_gateway", attached=True),
    state("subnet", public=True, prefix=24, default=False, count=2, distinct_azs=2),
    state("instance", subnet="public", public_ip=True, running=True, count=2),
    state("security_group", default=False, attached=True),
    SSH_FROM_INTERNET,
    PING_FROM_INTERNET,
    flow("internet", instances(subnet="public"), "udp", port="any", expect="blocked"),
]


@pytest.mark.parametrize("design", [seed_002, other_design], ids=["seed", "other design"])
def test_another_correct_design_passes_the_same_checks(design: Callable[[], Topology]) -> None:
    lab = design()
    failed = [raw for raw in LAB_002 if not check(lab, raw).passed]
    assert failed == []


def test_the_same_checks_fail_on_a_blank_account() -> None:
    lab = blank()
    assert [check(lab, raw).passed for raw in LAB_002] == [False] * len(LAB_002)


# ---------------------------------------------------------------------------------------------
# Parsing


def test_a_check_parses_into_its_dataclass() -> None:
    assert parse_check(state("subnet", public=True, count=2)) == StateCheck(
        "subnet", {"public": True}, count=2
    )
    assert parse_check(state("vpc")) == StateCheck("vpc", {})
    assert parse_check({"state": {"vpc": None}}) == StateCheck("vpc", {})
    parsed = parse_check(flow("internet", instances(subnet="public"), port=22, expect="reaches"))
    assert parsed == FlowCheck(
        Selector(internet=True), Selector(conditions={"subnet": "public"}), "tcp", 22, "reaches"
    )
    home = parse_check(flow(instances(), "198.51.100.7", "icmp", expect="blocked"))
    assert isinstance(home, FlowCheck)
    assert home.destination == Selector(address="198.51.100.7")
    assert home.port is None


SPEC_ERRORS: list[tuple[str, Any, tuple[Any, ...], str]] = [
    ("not a mapping", ["state"], (), "state or flow"),
    ("neither", {}, (), "needs state or flow"),
    ("both", {**state("vpc"), **SSH_FROM_INTERNET}, ("flow",), "not both"),
    ("unknown key", {"states": {}}, ("states",), "unknown key 'states'"),
    ("id is not ours", {"id": "x", **state("vpc")}, ("id",), "unknown key 'id'"),
    ("two kinds", {"state": {"vpc": {}, "subnet": {}}}, ("state",), "one resource kind"),
    ("unknown kind", state("subnt"), ("state", "subnt"), "unknown resource kind 'subnt'"),
    (
        "unknown condition",
        state("subnet", publc=True),
        ("state", "subnet", "publc"),
        "unknown condition 'publc' for subnet; known: public, prefix, cidr, az",
    ),
    (
        "condition of another kind",
        state("vpc", public=True),
        ("state", "vpc", "public"),
        "unknown condition 'public' for vpc",
    ),
    ("not a bool", state("vpc", default="yes"), ("state", "vpc", "default"), "true or false"),
    ("int as bool", state("vpc", default=1), ("state", "vpc", "default"), "true or false"),
    ("bad cidr", state("vpc", cidr="10.0.0.0/33"), ("state", "vpc", "cidr"), "CIDR block"),
    ("host bits", state("subnet", cidr="10.0.1.1/24"), ("state", "subnet", "cidr"), "host bits"),
    ("cidr as int", state("subnet", cidr=10), ("state", "subnet", "cidr"), "CIDR block"),
    ("prefix 33", state("vpc", prefix=33), ("state", "vpc", "prefix"), "0 to 32"),
    ("prefix string", state("vpc", prefix="16"), ("state", "vpc", "prefix"), "0 to 32"),
    (
        "bad address",
        state("elastic_ip", private_ip="10.0.1"),
        ("state", "elastic_ip", "private_ip"),
        "IPv4 address",
    ),
    ("side", state("instance", subnet="publik"), ("state", "instance", "subnet"), "public or"),
    (
        "routed from public",
        state("nat_gateway", routed_from="public"),
        ("state", "nat_gateway", "routed_from"),
        "expected private",
    ),
    (
        "negative count",
        state("instance", secondary_ips=-1),
        ("state", "instance", "secondary_ips"),
        "0 or more",
    ),
    ("az as int", state("subnet", az=1), ("state", "subnet", "az"), "name"),
    ("count 0", state("vpc", count=0), ("state", "vpc", "count"), "1 or more"),
    ("count bool", state("vpc", count=True), ("state", "vpc", "count"), "1 or more"),
    ("absent string", state("vpc", absent="yes"), ("state", "vpc", "absent"), "true or false"),
    ("absent and count", state("vpc", absent=True, count=2), ("state", "vpc", "count"), "absent"),
    (
        "conditions not a mapping",
        {"state": {"vpc": ["default"]}},
        ("state", "vpc"),
        "mapping of conditions",
    ),
    # flows
    (
        "flow key",
        {"flow": {**SSH_FROM_INTERNET["flow"], "ports": 22}},
        ("flow", "ports"),
        "unknown key 'ports'",
    ),
    (
        "no expect",
        {"flow": {"from": "internet", "to": instances(), "protocol": "icmp"}},
        ("flow",),
        "'expect'",
    ),
    (
        "protocol",
        flow("internet", instances(), "ssh", expect="reaches"),
        ("flow", "protocol"),
        "tcp",
    ),
    (
        "expect",
        flow("internet", instances(), "icmp", expect="reach"),
        ("flow", "expect"),
        "reaches",
    ),
    ("no port", flow("internet", instances(), expect="reaches"), ("flow",), "needs a port"),
    ("port 0", flow("internet", instances(), port=0, expect="reaches"), ("flow", "port"), "1 to"),
    (
        "port big",
        flow("internet", instances(), port=70000, expect="reaches"),
        ("flow", "port"),
        "1",
    ),
    (
        "port text",
        flow("internet", instances(), port="22", expect="reaches"),
        ("flow", "port"),
        "1",
    ),
    (
        "icmp port",
        flow("internet", instances(), "icmp", port=8, expect="blocked"),
        ("flow", "port"),
        "icmp has no port",
    ),
    (
        "any reaches",
        flow("internet", instances(), port="any", expect="reaches"),
        ("flow", "port"),
        "expect: blocked only",
    ),
    (
        "any between instances",
        flow(instances(), instances(), port="any", expect="blocked"),
        ("flow", "from"),
        "exposure analysis",
    ),
    (
        "any to the internet",
        flow(instances(), "internet", port="any", expect="blocked"),
        ("flow", "to"),
        "exposure analysis",
    ),
    (
        "private address",
        flow("10.0.1.11", instances(), port=22, expect="reaches"),
        ("flow", "from"),
        "not an internet address",
    ),
    (
        "not an address",
        flow("home", instances(), port=22, expect="reaches"),
        ("flow", "from"),
        "'home'",
    ),
    (
        "both outside",
        flow("internet", "198.51.100.7", port=22, expect="reaches"),
        ("flow", "to"),
        "at least one end",
    ),
    (
        "selector kind",
        flow("internet", {"subnet": {"public": True}}, port=22, expect="reaches"),
        ("flow", "to", "subnet"),
        "unknown end 'subnet'",
    ),
    (
        "selector condition",
        flow("internet", instances(publc=True), port=22, expect="reaches"),
        ("flow", "to", "instance", "publc"),
        "unknown condition 'publc' for instance",
    ),
    (
        "count in a selector",
        flow("internet", instances(count=2), port=22, expect="reaches"),
        ("flow", "to", "instance", "count"),
        "unknown condition 'count'",
    ),
]


@pytest.mark.parametrize(
    ("raw", "path", "problem"),
    [case[1:] for case in SPEC_ERRORS],
    ids=[case[0] for case in SPEC_ERRORS],
)
def test_a_malformed_check_is_refused_with_the_path_and_the_problem(
    raw: Any, path: tuple[Any, ...], problem: str
) -> None:
    with pytest.raises(CheckSpecError) as error:
        parse_check(raw)

    assert error.value.path == path
    assert problem in error.value.problem

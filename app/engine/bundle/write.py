"""Writing the describe-* bundle: each resource exactly as the AWS CLI prints it.

Derived fields (``AvailableIpAddressCount``, route ``State``, DNS names, an ENI's public IP
association, an instance's addresses) are computed from the topology, so they never go stale.
"""

from __future__ import annotations

from typing import Any

from ..addressing import usable_count
from ..kinds import KINDS
from ..model import (
    INSTANCE_STATE_CODES,
    ROUTE_TARGET_FIELDS,
    Address,
    DhcpOptions,
    Instance,
    InternetGateway,
    NatGateway,
    NetworkAcl,
    NetworkInterface,
    RouteTable,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
    Tags,
    Vpc,
    VpcPeeringConnection,
)
from ..regions import private_dns_name, public_dns_name
from ..routing import route_state
from ..topology import Topology, resource_id

OWNER_ID = "123456789012"  # the sandbox account *(our choice: AWS's documentation account id)*


def _tags(tags: Tags) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags]


def dhcp_options_json(topology: Topology, options: DhcpOptions) -> dict[str, Any]:
    return {
        "DhcpConfigurations": [
            {"Key": key, "Values": [{"Value": value} for value in values]}
            for key, values in options.configurations
        ],
        "DhcpOptionsId": options.dhcp_options_id,
        "OwnerId": OWNER_ID,
        "Tags": _tags(options.tags),
    }


def vpc_json(topology: Topology, vpc: Vpc) -> dict[str, Any]:
    return {
        "VpcId": vpc.vpc_id,
        "CidrBlock": str(vpc.cidr_block),
        "CidrBlockAssociationSet": [
            {
                "AssociationId": assoc_id,
                "CidrBlock": str(block),
                "CidrBlockState": {"State": "associated"},
            }
            for block, assoc_id in zip(vpc.cidr_blocks, vpc.cidr_association_ids, strict=False)
        ],
        "DhcpOptionsId": vpc.dhcp_options_id or "default",
        "InstanceTenancy": vpc.instance_tenancy,
        "IsDefault": vpc.is_default,
        "OwnerId": OWNER_ID,
        "State": "available",
        "EnableDnsSupport": vpc.enable_dns_support,
        "EnableDnsHostnames": vpc.enable_dns_hostnames,
        "Tags": _tags(vpc.tags),
    }


def subnet_json(topology: Topology, subnet: Subnet) -> dict[str, Any]:
    used = len(topology.used_addresses(subnet.subnet_id))
    return {
        "SubnetId": subnet.subnet_id,
        "VpcId": subnet.vpc_id,
        "CidrBlock": str(subnet.cidr_block),
        "AvailabilityZone": subnet.availability_zone,
        "AvailableIpAddressCount": usable_count(subnet.cidr_block) - used,
        "DefaultForAz": subnet.default_for_az,
        "MapPublicIpOnLaunch": subnet.map_public_ip_on_launch,
        "State": "available",
        "OwnerId": OWNER_ID,
        "Tags": _tags(subnet.tags),
    }


def route_table_json(topology: Topology, rtb: RouteTable) -> dict[str, Any]:
    routes = []
    for route in rtb.routes:
        entry: dict[str, Any] = {"DestinationCidrBlock": str(route.destination)}
        entry[ROUTE_TARGET_FIELDS[route.target_type]] = route.target_id
        if route.target_type == "instance":
            eni = topology.primary_eni(route.target_id)
            if eni is not None:
                entry["NetworkInterfaceId"] = eni.network_interface_id
        entry["Origin"] = route.origin
        entry["State"] = route_state(topology, route)
        routes.append(entry)
    associations = []
    for assoc in rtb.associations:
        item: dict[str, Any] = {
            "Main": assoc.main,
            "RouteTableAssociationId": assoc.association_id,
            "RouteTableId": rtb.route_table_id,
        }
        if assoc.subnet_id:
            item["SubnetId"] = assoc.subnet_id
        item["AssociationState"] = {"State": "associated"}
        associations.append(item)
    return {
        "RouteTableId": rtb.route_table_id,
        "VpcId": rtb.vpc_id,
        "Routes": routes,
        "Associations": associations,
        "PropagatingVgws": [],
        "OwnerId": OWNER_ID,
        "Tags": _tags(rtb.tags),
    }


def internet_gateway_json(topology: Topology, igw: InternetGateway) -> dict[str, Any]:
    attachments = [{"State": "available", "VpcId": igw.vpc_id}] if igw.vpc_id else []
    return {
        "InternetGatewayId": igw.internet_gateway_id,
        "Attachments": attachments,
        "OwnerId": OWNER_ID,
        "Tags": _tags(igw.tags),
    }


def nat_gateway_json(topology: Topology, nat: NatGateway) -> dict[str, Any]:
    address: dict[str, Any] = {
        "NetworkInterfaceId": nat.network_interface_id,
        "PrivateIp": str(nat.private_ip),
        "IsPrimary": True,
    }
    if nat.allocation_id:
        address["AllocationId"] = nat.allocation_id
    if nat.public_ip is not None:
        address["PublicIp"] = str(nat.public_ip)
    return {
        "NatGatewayId": nat.nat_gateway_id,
        "SubnetId": nat.subnet_id,
        "VpcId": nat.vpc_id,
        "State": nat.state,
        "ConnectivityType": nat.connectivity_type,
        "NatGatewayAddresses": [address],
        "Tags": _tags(nat.tags),
    }


def _permissions(rules: tuple[SecurityGroupRule, ...]) -> list[dict[str, Any]]:
    """Regroup flattened rules by protocol and ports, in order of first appearance, as AWS does."""
    grouped: dict[tuple[str, int | None, int | None], dict[str, Any]] = {}
    for rule in rules:
        key = (rule.protocol, rule.from_port, rule.to_port)
        perm = grouped.get(key)
        if perm is None:
            perm = {"IpProtocol": rule.protocol}
            if rule.protocol != "-1":
                perm["FromPort"] = rule.from_port
                perm["ToPort"] = rule.to_port
            perm.update(IpRanges=[], Ipv6Ranges=[], PrefixListIds=[], UserIdGroupPairs=[])
            grouped[key] = perm
        extra = {"Description": rule.description} if rule.description else {}
        if rule.cidr is not None:
            perm["IpRanges"].append({"CidrIp": str(rule.cidr), **extra})
        elif rule.group_id is not None:
            perm["UserIdGroupPairs"].append({"GroupId": rule.group_id, "UserId": OWNER_ID, **extra})
        elif rule.prefix_list_id is not None:
            perm["PrefixListIds"].append({"PrefixListId": rule.prefix_list_id, **extra})
    return list(grouped.values())


def security_group_json(topology: Topology, sg: SecurityGroup) -> dict[str, Any]:
    return {
        "GroupId": sg.group_id,
        "GroupName": sg.group_name,
        "Description": sg.description,
        "VpcId": sg.vpc_id,
        "IpPermissions": _permissions(sg.ingress),
        "IpPermissionsEgress": _permissions(sg.egress),
        "OwnerId": OWNER_ID,
        "Tags": _tags(sg.tags),
    }


def network_acl_json(topology: Topology, acl: NetworkAcl) -> dict[str, Any]:
    entries = []
    for entry in acl.entries:
        item: dict[str, Any] = {
            "RuleNumber": entry.rule_number,
            "Egress": entry.egress,
            "RuleAction": entry.rule_action,
            "Protocol": entry.protocol,
            "CidrBlock": str(entry.cidr),
        }
        if entry.port_range is not None:
            item["PortRange"] = {"From": entry.port_range[0], "To": entry.port_range[1]}
        if entry.icmp_type_code is not None:
            item["IcmpTypeCode"] = {
                "Type": entry.icmp_type_code[0],
                "Code": entry.icmp_type_code[1],
            }
        entries.append(item)
    associations = [
        {
            "NetworkAclAssociationId": a.association_id,
            "NetworkAclId": acl.network_acl_id,
            "SubnetId": a.subnet_id,
        }
        for a in acl.associations
    ]
    return {
        "NetworkAclId": acl.network_acl_id,
        "VpcId": acl.vpc_id,
        "IsDefault": acl.is_default,
        "Entries": entries,
        "Associations": associations,
        "OwnerId": OWNER_ID,
        "Tags": _tags(acl.tags),
    }


def _association(
    topology: Topology, eni: NetworkInterface, private_ip: Any
) -> dict[str, Any] | None:
    vpc = topology.vpcs.get(eni.vpc_id)
    dns = bool(vpc and vpc.enable_dns_hostnames and vpc.enable_dns_support)
    eip = topology.eip_for(eni.network_interface_id, private_ip)
    if eip is not None:
        return {
            "PublicIp": str(eip.public_ip),
            "IpOwnerId": OWNER_ID,
            "AllocationId": eip.allocation_id,
            "AssociationId": eip.association_id,
            "PublicDnsName": public_dns_name(topology.region, eip.public_ip) if dns else "",
        }
    for ip in eni.private_ip_addresses:
        if ip.address == private_ip and ip.public_ip is not None:
            return {
                "PublicIp": str(ip.public_ip),
                "IpOwnerId": "amazon",
                "PublicDnsName": public_dns_name(topology.region, ip.public_ip) if dns else "",
            }
    return None


def network_interface_json(topology: Topology, eni: NetworkInterface) -> dict[str, Any]:
    private_ips = []
    for ip in eni.private_ip_addresses:
        item: dict[str, Any] = {
            "Primary": ip.primary,
            "PrivateIpAddress": str(ip.address),
            "PrivateDnsName": private_dns_name(topology.region, ip.address),
        }
        association = _association(topology, eni, ip.address)
        if association is not None:
            item["Association"] = association
        private_ips.append(item)
    data: dict[str, Any] = {
        "NetworkInterfaceId": eni.network_interface_id,
        "SubnetId": eni.subnet_id,
        "VpcId": eni.vpc_id,
        "AvailabilityZone": eni.availability_zone,
        "Description": eni.description,
        "Groups": [
            {"GroupId": g, "GroupName": getattr(topology.security_groups.get(g), "group_name", "")}
            for g in eni.groups
        ],
        "InterfaceType": eni.interface_type,
        "MacAddress": eni.mac_address,
        "OwnerId": OWNER_ID,
        "PrivateDnsName": private_dns_name(topology.region, eni.primary_ip),
        "PrivateIpAddress": str(eni.primary_ip),
        "PrivateIpAddresses": private_ips,
        "RequesterManaged": eni.requester_managed,
        "SourceDestCheck": eni.source_dest_check,
        "Status": "in-use" if eni.attachment else "available",
        "TagSet": _tags(eni.tags),
    }
    primary_association = _association(topology, eni, eni.primary_ip)
    if primary_association is not None:
        data["Association"] = primary_association
    if eni.attachment is not None:
        attachment: dict[str, Any] = {
            "AttachmentId": eni.attachment.attachment_id,
            "DeviceIndex": eni.attachment.device_index,
            "Status": eni.attachment.status,
            "DeleteOnTermination": eni.attachment.delete_on_termination,
        }
        if eni.attachment.instance_id:
            attachment["InstanceId"] = eni.attachment.instance_id
            attachment["InstanceOwnerId"] = OWNER_ID
        data["Attachment"] = attachment
    return data


def instance_json(topology: Topology, instance: Instance) -> dict[str, Any]:
    enis = topology.enis_of_instance(instance.instance_id)
    primary = enis[0] if enis else None
    data: dict[str, Any] = {
        "InstanceId": instance.instance_id,
        "ImageId": instance.image_id,
        "InstanceType": instance.instance_type,
        "State": {"Code": INSTANCE_STATE_CODES.get(instance.state, 16), "Name": instance.state},
        "SubnetId": instance.subnet_id,
        "VpcId": instance.vpc_id,
        "Placement": {"AvailabilityZone": instance.availability_zone, "Tenancy": "default"},
        "NetworkInterfaces": [network_interface_json(topology, e) for e in enis],
        "SecurityGroups": [
            {"GroupId": g, "GroupName": getattr(topology.security_groups.get(g), "group_name", "")}
            for g in (primary.groups if primary else ())
        ],
        "SourceDestCheck": primary.source_dest_check if primary else True,
        "AssociatePublicIpAddress": instance.associate_public_ip,
        "Tags": _tags(instance.tags),
    }
    if instance.key_name:
        data["KeyName"] = instance.key_name
    if primary is not None:
        data["PrivateIpAddress"] = str(primary.primary_ip)
        data["PrivateDnsName"] = private_dns_name(topology.region, primary.primary_ip)
        public = topology.public_ip_of(primary, primary.primary_ip)
        vpc = topology.vpcs.get(instance.vpc_id)
        data["PublicDnsName"] = ""
        if public is not None:
            data["PublicIpAddress"] = str(public)
            if vpc and vpc.enable_dns_hostnames and vpc.enable_dns_support:
                data["PublicDnsName"] = public_dns_name(topology.region, public)
    return data


def address_json(topology: Topology, eip: Address) -> dict[str, Any]:
    data: dict[str, Any] = {
        "AllocationId": eip.allocation_id,
        "PublicIp": str(eip.public_ip),
        "Domain": "vpc",
        "PublicIpv4Pool": "amazon",
        "NetworkBorderGroup": topology.region,
        "Tags": _tags(eip.tags),
    }
    if eip.association_id:
        eni = topology.network_interfaces.get(eip.network_interface_id or "")
        data["AssociationId"] = eip.association_id
        data["NetworkInterfaceId"] = eip.network_interface_id
        data["NetworkInterfaceOwnerId"] = OWNER_ID
        data["PrivateIpAddress"] = str(eip.private_ip)
        if eni is not None and eni.instance_id:
            data["InstanceId"] = eni.instance_id
    return data


def peering_json(topology: Topology, pcx: VpcPeeringConnection) -> dict[str, Any]:
    def side(vpc_id: str, cidrs: Any, region: str | None) -> dict[str, Any]:
        vpc = topology.vpcs.get(vpc_id)
        blocks = list(vpc.cidr_blocks) if vpc else list(cidrs)
        info: dict[str, Any] = {
            "VpcId": vpc_id,
            "OwnerId": OWNER_ID,
            "Region": region or topology.region,
        }
        if blocks:
            info["CidrBlock"] = str(blocks[0])
            info["CidrBlockSet"] = [{"CidrBlock": str(b)} for b in blocks]
        return info

    return {
        "VpcPeeringConnectionId": pcx.vpc_peering_connection_id,
        "RequesterVpcInfo": side(pcx.requester_vpc_id, pcx.requester_cidrs, pcx.requester_region),
        "AccepterVpcInfo": side(pcx.accepter_vpc_id, pcx.accepter_cidrs, pcx.accepter_region),
        "Status": {"Code": pcx.status, "Message": _PCX_MESSAGES.get(pcx.status, pcx.status)},
        "Tags": _tags(pcx.tags),
    }


_PCX_MESSAGES = {
    "active": "Active",
    "pending-acceptance": "Pending Acceptance by " + OWNER_ID,
    "rejected": "Rejected",
    "deleted": "Deleted",
}

_WRITE: dict[str, Any] = {
    "dhcp-options": dhcp_options_json,
    "vpc": vpc_json,
    "subnet": subnet_json,
    "route-table": route_table_json,
    "internet-gateway": internet_gateway_json,
    "nat-gateway": nat_gateway_json,
    "security-group": security_group_json,
    "network-acl": network_acl_json,
    "network-interface": network_interface_json,
    "instance": instance_json,
    "address": address_json,
    "vpc-peering-connection": peering_json,
}
# kind -> (bundle key, writer), in the kinds' order; the API's collections use the same keys.
WRITERS: dict[str, tuple[str, Any]] = {
    kind.name: (kind.bundle_key, _WRITE[kind.name]) for kind in KINDS
}


def resource_json(topology: Topology, kind: str, resource: Any) -> dict[str, Any]:
    """One resource in describe-* shape (an instance as in ``Reservations[].Instances[]``)."""
    return WRITERS[kind][1](topology, resource)  # type: ignore[no-any-return]


def reservation_json(topology: Topology, instances: list[Instance]) -> dict[str, Any]:
    return {
        "ReservationId": instances[0].reservation_id,
        "OwnerId": OWNER_ID,
        "Groups": [],
        "Instances": [instance_json(topology, i) for i in instances],
    }


def write_bundle(topology: Topology) -> dict[str, Any]:
    """The whole topology as one bundle, resources sorted by id so the document is stable."""
    bundle: dict[str, Any] = {}
    for kind, (key, writer) in WRITERS.items():
        items = sorted(topology.resources[kind].values(), key=resource_id)
        if kind == "instance":
            by_reservation: dict[str, list[Instance]] = {}
            for instance in items:
                by_reservation.setdefault(instance.reservation_id, []).append(instance)
            bundle[key] = [
                reservation_json(topology, group) for _, group in sorted(by_reservation.items())
            ]
        else:
            bundle[key] = [writer(topology, r) for r in items]
    return bundle

"""What each console form does: parse its fields, call the engine operation, say what to select.

The same operations as the JSON API, so the browser and scripts obey one set of AWS rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.engine import AwsError, Topology
from app.engine import operations as op
from app.engine.request import DEFAULT_INTERNET_SOURCE
from app.i18n import gettext as _

from .language import N_

Form = dict[str, Any]
Action = Callable[[Topology, Form], str]  # returns the id of the resource to show next

# Security-group and NACL rule presets, as the console's "Type" list offers them.
SG_PRESETS: dict[str, tuple[str, int | None, int | None]] = {
    "ssh": ("tcp", 22, 22),
    "http": ("tcp", 80, 80),
    "https": ("tcp", 443, 443),
    "mysql": ("tcp", 3306, 3306),
    "postgresql": ("tcp", 5432, 5432),
    "icmp": ("icmp", -1, -1),
    "all": ("-1", None, None),
    "custom-tcp": ("tcp", None, None),
    "custom-udp": ("udp", None, None),
}
PRESET_LABELS = {  # message ids: the editors translate them
    "ssh": N_("SSH (TCP 22)"),
    "http": N_("HTTP (TCP 80)"),
    "https": N_("HTTPS (TCP 443)"),
    "mysql": N_("MySQL/Aurora (TCP 3306)"),
    "postgresql": N_("PostgreSQL (TCP 5432)"),
    "icmp": N_("All ICMP (ping)"),
    "all": N_("All traffic"),
    "custom-tcp": N_("Custom TCP"),
    "custom-udp": N_("Custom UDP"),
}
NACL_PRESETS = {**SG_PRESETS, "ephemeral": ("tcp", 1024, 65535)}
NACL_PRESET_LABELS = {**PRESET_LABELS, "ephemeral": N_("Ephemeral ports (TCP 1024-65535)")}
AMIS = {
    "ami-0abcdef1234567890": "Amazon Linux 2023",
    "ami-0fedcba9876543210": "Ubuntu 24.04 LTS",
    "ami-0123456789abcdef0": "Windows Server 2022",
}
INSTANCE_TYPES = ("t3.micro", "t3.small", "t3.medium", "m5.large")
MY_IP = f"{DEFAULT_INTERNET_SOURCE}/32"


class FieldError(AwsError):
    """An AwsError that knows which form field it is about."""

    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(code, message)
        self.field = field


def text(form: Form, name: str, *, required: str | None = None) -> str:
    value = str(form.get(name, "") or "").strip()
    if required and not value:
        # ``required`` is a message id (N_ at the call): the field's name in the reader's words.
        raise FieldError(
            "MissingParameter", _("%(field)s is required.") % {"field": _(required)}, name
        )
    return value


def optional(form: Form, name: str) -> str | None:
    return text(form, name) or None


def flag(form: Form, name: str) -> bool:
    return str(form.get(name, "")).lower() in ("on", "true", "1", "yes")


def number(form: Form, name: str, label: str) -> int:
    value = text(form, name, required=label)
    try:
        return int(value)
    except ValueError:
        raise FieldError(
            "InvalidParameterValue",
            _("%(field)s must be a whole number.") % {"field": _(label)},
            name,
        ) from None


def many(form: Form, name: str) -> list[str]:
    value = form.get(name) or []
    values = value if isinstance(value, list) else [value]
    return [v for v in (str(x).strip() for x in values) if v]


def name_tags(form: Form) -> list[dict[str, str]]:
    name = text(form, "Name")
    if len(name) > 256:
        raise FieldError("InvalidParameterValue", _("A name is at most 256 characters."), "Name")
    return [{"Key": "Name", "Value": name}] if name else []


def ports(form: Form, preset: tuple[str, int | None, int | None]) -> tuple[int | None, int | None]:
    protocol, low, high = preset
    if protocol in ("tcp", "udp") and low is None:
        raw = text(form, "PortRange", required=N_("The port range"))
        parts = raw.split("-")
        try:
            low, high = int(parts[0]), int(parts[-1])
        except ValueError:
            raise FieldError(
                "InvalidParameterValue",
                _("Write a port (22) or a range (1024-65535)."),
                "PortRange",
            ) from None
    return low, high


# ---- VPC, subnet ----------------------------------------------------------------------------
def create_vpc(t: Topology, f: Form) -> str:
    return op.create_vpc(
        t, cidr_block=text(f, "CidrBlock", required=N_("The IPv4 CIDR block")), tags=name_tags(f)
    ).vpc_id


DHCP_FIELDS = (
    ("DomainName", "domain-name"),
    ("DomainNameServers", "domain-name-servers"),
    ("NtpServers", "ntp-servers"),
    ("NetbiosNameServers", "netbios-name-servers"),
    ("NetbiosNodeType", "netbios-node-type"),
)


def create_dhcp_options(t: Topology, f: Form) -> str:
    """The console's form: one box per option, several addresses separated by commas."""
    configurations = [
        {"Key": key, "Values": [text(f, field)]} for field, key in DHCP_FIELDS if text(f, field)
    ]
    if not configurations:
        raise FieldError(
            "MissingParameter",
            _("Fill in at least one option, e.g. the domain name."),
            "DomainName",
        )
    return op.create_dhcp_options(
        t, dhcp_configurations=configurations, tags=name_tags(f)
    ).dhcp_options_id


def associate_dhcp_options(t: Topology, f: Form) -> str:
    vpc_id = text(f, "VpcId")
    op.associate_dhcp_options(
        t,
        vpc_id=vpc_id,
        dhcp_options_id=text(f, "DhcpOptionsId", required=N_("The DHCP options set")),
    )
    return vpc_id


def modify_vpc(t: Topology, f: Form) -> str:
    vpc_id = text(f, "VpcId")
    op.modify_vpc_attribute(
        t,
        vpc_id=vpc_id,
        enable_dns_support=flag(f, "EnableDnsSupport"),
        enable_dns_hostnames=flag(f, "EnableDnsHostnames"),
    )
    return vpc_id


def associate_vpc_cidr(t: Topology, f: Form) -> str:
    vpc_id = text(f, "VpcId")
    op.associate_vpc_cidr_block(
        t, vpc_id=vpc_id, cidr_block=text(f, "CidrBlock", required=N_("The CIDR block"))
    )
    return vpc_id


def create_subnet(t: Topology, f: Form) -> str:
    return op.create_subnet(
        t,
        vpc_id=text(f, "VpcId", required=N_("The VPC")),
        cidr_block=text(f, "CidrBlock", required=N_("The IPv4 CIDR block")),
        availability_zone=optional(f, "AvailabilityZone"),
        map_public_ip_on_launch=flag(f, "MapPublicIpOnLaunch"),
        tags=name_tags(f),
    ).subnet_id


def modify_subnet(t: Topology, f: Form) -> str:
    subnet_id = text(f, "SubnetId")
    op.modify_subnet_attribute(
        t, subnet_id=subnet_id, map_public_ip_on_launch=flag(f, "MapPublicIpOnLaunch")
    )
    return subnet_id


# ---- gateways -------------------------------------------------------------------------------
def create_igw(t: Topology, f: Form) -> str:
    return op.create_internet_gateway(t, tags=name_tags(f)).internet_gateway_id


def attach_igw(t: Topology, f: Form) -> str:
    igw = text(f, "InternetGatewayId")
    op.attach_internet_gateway(
        t, internet_gateway_id=igw, vpc_id=text(f, "VpcId", required=N_("The VPC"))
    )
    return igw


def detach_igw(t: Topology, f: Form) -> str:
    igw_id = text(f, "InternetGatewayId")
    igw = t.get("internet-gateway", igw_id)
    op.detach_internet_gateway(t, internet_gateway_id=igw_id, vpc_id=igw.vpc_id or "")
    return igw_id


def create_nat(t: Topology, f: Form) -> str:
    allocation = optional(f, "AllocationId")
    connectivity = text(f, "ConnectivityType") or "public"
    if allocation == "new" and connectivity == "public":
        allocation = op.allocate_address(t).allocation_id
    return op.create_nat_gateway(
        t,
        subnet_id=text(f, "SubnetId", required=N_("The subnet")),
        allocation_id=allocation if connectivity == "public" else None,
        connectivity_type=connectivity,
        tags=name_tags(f),
    ).nat_gateway_id


# ---- route tables ---------------------------------------------------------------------------
def create_route_table(t: Topology, f: Form) -> str:
    return op.create_route_table(
        t, vpc_id=text(f, "VpcId", required=N_("The VPC")), tags=name_tags(f)
    ).route_table_id


TARGET_PARAMETER = {
    "igw": "gateway_id",
    "nat": "nat_gateway_id",
    "eni": "network_interface_id",
    "i": "instance_id",
    "pcx": "vpc_peering_connection_id",
}


def create_route(t: Topology, f: Form) -> str:
    rtb = text(f, "RouteTableId")
    target = text(f, "Target", required=N_("The target"))
    parameter = TARGET_PARAMETER.get(target.split("-")[0])
    if parameter is None:
        raise FieldError(
            "InvalidParameterValue",
            _("'%(target)s' is not a route target.") % {"target": target},
            "Target",
        )
    op.create_route(
        t,
        route_table_id=rtb,
        destination_cidr_block=text(f, "DestinationCidrBlock", required=N_("The destination")),
        **{parameter: target},
    )
    return rtb


def delete_route(t: Topology, f: Form) -> str:
    rtb = text(f, "RouteTableId")
    op.delete_route(t, route_table_id=rtb, destination_cidr_block=text(f, "DestinationCidrBlock"))
    return rtb


def associate_route_table(t: Topology, f: Form) -> str:
    rtb = text(f, "RouteTableId")
    op.associate_subnet(
        t, route_table_id=rtb, subnet_id=text(f, "SubnetId", required=N_("The subnet"))
    )
    return rtb


def disassociate_route_table(t: Topology, f: Form) -> str:
    rtb = text(f, "RouteTableId")
    op.disassociate_route_table(
        t, association_id=text(f, "AssociationId"), route_table_id=rtb or None
    )
    return rtb


def set_main_route_table(t: Topology, f: Form) -> str:
    rtb = text(f, "RouteTableId")
    op.set_main_route_table(t, route_table_id=rtb)
    return rtb


# ---- security groups ------------------------------------------------------------------------
def create_sg(t: Topology, f: Form) -> str:
    return op.create_security_group(
        t,
        group_name=text(f, "GroupName", required=N_("The security group name")),
        # AWS requires a description (CreateSecurityGroup GroupDescription); the form used to
        # copy the name into it instead of saying so.
        description=text(f, "Description", required=N_("A description")),
        vpc_id=text(f, "VpcId", required=N_("The VPC")),
        tags=name_tags(f),
    ).group_id


def sg_rule_permission(f: Form) -> dict[str, Any]:
    preset = SG_PRESETS.get(text(f, "Type"))
    if preset is None:
        raise FieldError("InvalidParameterValue", _("Choose a type."), "Type")
    low, high = ports(f, preset)
    permission: dict[str, Any] = {"IpProtocol": preset[0]}
    if preset[0] != "-1":
        permission.update(FromPort=low, ToPort=high)
    peer = text(f, "PeerCidr") or text(f, "Peer", required=N_("The source or destination"))
    if peer == "my-ip":
        peer = MY_IP
    if peer.startswith("sg-"):
        permission["UserIdGroupPairs"] = [{"GroupId": peer}]
    else:
        permission["IpRanges"] = [{"CidrIp": peer}]
    return permission


def authorize_sg(t: Topology, f: Form) -> str:
    group = text(f, "GroupId")
    op.authorize(
        t,
        group_id=group,
        ip_permissions=[sg_rule_permission(f)],
        egress=text(f, "Direction") == "egress",
    )
    return group


def revoke_sg(t: Topology, f: Form) -> str:
    group_id = text(f, "GroupId")
    egress = text(f, "Direction") == "egress"
    sg = t.get("security-group", group_id)
    rules = sg.egress if egress else sg.ingress
    index = number(f, "Index", N_("The rule"))
    if not 0 <= index < len(rules):
        raise AwsError("InvalidPermission.NotFound", _("That rule is no longer there."))
    rule = rules[index]
    permission: dict[str, Any] = {"IpProtocol": rule.protocol}
    if rule.protocol != "-1":
        permission.update(FromPort=rule.from_port, ToPort=rule.to_port)
    if rule.group_id:
        permission["UserIdGroupPairs"] = [{"GroupId": rule.group_id}]
    else:
        permission["IpRanges"] = [{"CidrIp": str(rule.cidr)}]
    op.revoke(t, group_id=group_id, ip_permissions=[permission], egress=egress)
    return group_id


# ---- network ACLs ---------------------------------------------------------------------------
def create_nacl(t: Topology, f: Form) -> str:
    return op.create_network_acl(
        t, vpc_id=text(f, "VpcId", required=N_("The VPC")), tags=name_tags(f)
    ).network_acl_id


def create_nacl_entry(t: Topology, f: Form) -> str:
    acl = text(f, "NetworkAclId")
    preset = NACL_PRESETS.get(text(f, "Type"))
    if preset is None:
        raise FieldError("InvalidParameterValue", _("Choose a type."), "Type")
    low, high = ports(f, preset)
    protocol = preset[0]
    op.create_network_acl_entry(
        t,
        network_acl_id=acl,
        rule_number=number(f, "RuleNumber", N_("The rule number")),
        egress=text(f, "Direction") == "egress",
        rule_action=text(f, "RuleAction") or "allow",
        protocol=protocol,
        cidr_block=text(f, "CidrBlock", required=N_("The CIDR block")),
        port_range={"From": low, "To": high} if protocol in ("tcp", "udp") else None,
        icmp_type_code={"Type": -1, "Code": -1} if protocol == "icmp" else None,
    )
    return acl


def delete_nacl_entry(t: Topology, f: Form) -> str:
    acl = text(f, "NetworkAclId")
    op.delete_network_acl_entry(
        t,
        network_acl_id=acl,
        rule_number=number(f, "RuleNumber", N_("The rule number")),
        egress=text(f, "Direction") == "egress",
    )
    return acl


def associate_nacl(t: Topology, f: Form) -> str:
    acl = text(f, "NetworkAclId")
    op.associate_subnet_with_acl(
        t, network_acl_id=acl, subnet_id=text(f, "SubnetId", required=N_("The subnet"))
    )
    return acl


# ---- ENIs, Elastic IPs, instances -----------------------------------------------------------
def create_eni(t: Topology, f: Form) -> str:
    return op.create_network_interface(
        t,
        subnet_id=text(f, "SubnetId", required=N_("The subnet")),
        private_ip_address=optional(f, "PrivateIpAddress"),
        groups=many(f, "Groups") or None,
        description=text(f, "Description"),
        tags=name_tags(f),
    ).network_interface_id


def assign_ip(t: Topology, f: Form) -> str:
    eni = text(f, "NetworkInterfaceId")
    address = optional(f, "PrivateIpAddress")
    op.assign_private_ip_addresses(
        t,
        network_interface_id=eni,
        private_ip_addresses=[address] if address else None,
        secondary_private_ip_address_count=0 if address else 1,
    )
    return eni


def unassign_ip(t: Topology, f: Form) -> str:
    eni = text(f, "NetworkInterfaceId")
    op.unassign_private_ip_addresses(
        t, network_interface_id=eni, private_ip_addresses=[text(f, "PrivateIpAddress")]
    )
    return eni


def modify_eni(t: Topology, f: Form) -> str:
    eni = text(f, "NetworkInterfaceId")
    groups = many(f, "Groups")
    op.modify_network_interface_attribute(
        t,
        network_interface_id=eni,
        source_dest_check=flag(f, "SourceDestCheck"),
        groups=groups or None,
    )
    return eni


def attach_eni(t: Topology, f: Form) -> str:
    eni = text(f, "NetworkInterfaceId")
    op.attach_network_interface(
        t,
        network_interface_id=eni,
        instance_id=text(f, "InstanceId", required=N_("The instance")),
        device_index=number(f, "DeviceIndex", N_("The device index")),
    )
    return eni


def detach_eni(t: Topology, f: Form) -> str:
    eni = text(f, "NetworkInterfaceId")
    op.detach_network_interface(t, network_interface_id=eni)
    return eni


def allocate_eip(t: Topology, f: Form) -> str:
    return op.allocate_address(t, tags=name_tags(f)).allocation_id


def associate_eip(t: Topology, f: Form) -> str:
    allocation = text(f, "AllocationId")
    target = text(f, "Target", required=N_("The instance or network interface"))
    if target.startswith("i-"):
        op.associate_address(t, allocation_id=allocation, instance_id=target)
    else:
        eni, _at, address = target.partition("@")
        op.associate_address(
            t,
            allocation_id=allocation,
            network_interface_id=eni,
            private_ip_address=address or None,
        )
    return allocation


def disassociate_eip(t: Topology, f: Form) -> str:
    allocation = text(f, "AllocationId")
    op.disassociate_address(t, allocation_id=allocation)
    return allocation


def launch_instance(t: Topology, f: Form) -> str:
    public = text(f, "AutoAssignPublicIp")
    existing = optional(f, "NetworkInterfaceId")
    groups = many(f, "SecurityGroupIds")
    private_ip = optional(f, "PrivateIpAddress")
    try:
        return op.run_instances(
            t,
            subnet_id=None if existing else text(f, "SubnetId", required=N_("The subnet")),
            image_id=text(f, "ImageId") or "ami-0abcdef1234567890",
            instance_type=text(f, "InstanceType") or "t3.micro",
            key_name=optional(f, "KeyName"),
            security_group_ids=groups or None,
            private_ip_address=private_ip,
            associate_public_ip_address={"enable": True, "disable": False}.get(public),
            network_interface_id=existing,
            tags=name_tags(f),
        ).instance_id
    except AwsError as error:
        if error.code != "InvalidParameterCombination":
            raise
        # With an existing interface RunInstances refuses, in this order, instance-level
        # groups, a private IP and an auto-assigned public IP: show it beside that field.
        if groups:
            field = "SecurityGroupIds"
        elif private_ip:
            field = "PrivateIpAddress"
        else:
            field = "AutoAssignPublicIp"
        raise FieldError(error.code, error.message, field) from error


def instance_state(operation: Callable[..., Any]) -> Action:
    def run(t: Topology, f: Form) -> str:
        instance = text(f, "InstanceId")
        operation(t, instance_id=instance)
        return instance

    return run


# ---- peering, names, deletes ----------------------------------------------------------------
def create_peering(t: Topology, f: Form) -> str:
    return op.create_vpc_peering_connection(
        t,
        vpc_id=text(f, "VpcId", required=N_("The requester VPC")),
        peer_vpc_id=text(f, "PeerVpcId", required=N_("The accepter VPC")),
        tags=name_tags(f),
    ).vpc_peering_connection_id


def peering_state(operation: Callable[..., Any]) -> Action:
    def run(t: Topology, f: Form) -> str:
        pcx = text(f, "VpcPeeringConnectionId")
        operation(t, vpc_peering_connection_id=pcx)
        return pcx

    return run


def rename(t: Topology, f: Form) -> str:
    rid = text(f, "ResourceId")
    op.rename(t, kind=text(f, "Kind"), resource_id=rid, name=text(f, "Name"))
    return rid


def delete(t: Topology, f: Form) -> str:
    kind = text(f, "Kind")
    rid = text(f, "ResourceId")
    op.delete_resource(t, kind=kind, resource_id=rid)
    # Deleted NAT gateways and peering connections stay listed (as AWS shows them): stay on them.
    return rid if kind in ("nat-gateway", "vpc-peering-connection") else ""


ACTIONS: dict[str, Action] = {
    "create-vpc": create_vpc,
    "modify-vpc": modify_vpc,
    "create-dhcp": create_dhcp_options,
    "associate-dhcp": associate_dhcp_options,
    "associate-vpc-cidr": associate_vpc_cidr,
    "create-subnet": create_subnet,
    "modify-subnet": modify_subnet,
    "create-igw": create_igw,
    "attach-igw": attach_igw,
    "detach-igw": detach_igw,
    "create-nat": create_nat,
    "create-route-table": create_route_table,
    "create-route": create_route,
    "delete-route": delete_route,
    "associate-route-table": associate_route_table,
    "disassociate-route-table": disassociate_route_table,
    "set-main": set_main_route_table,
    "create-sg": create_sg,
    "authorize-sg": authorize_sg,
    "revoke-sg": revoke_sg,
    "create-nacl": create_nacl,
    "create-nacl-entry": create_nacl_entry,
    "delete-nacl-entry": delete_nacl_entry,
    "associate-nacl": associate_nacl,
    "create-eni": create_eni,
    "assign-ip": assign_ip,
    "unassign-ip": unassign_ip,
    "modify-eni": modify_eni,
    "attach-eni": attach_eni,
    "detach-eni": detach_eni,
    "allocate-eip": allocate_eip,
    "associate-eip": associate_eip,
    "disassociate-eip": disassociate_eip,
    "launch-instance": launch_instance,
    "start-instance": instance_state(op.start_instances),
    "stop-instance": instance_state(op.stop_instances),
    "terminate-instance": instance_state(op.terminate_instances),
    "create-peering": create_peering,
    "accept-peering": peering_state(op.accept_vpc_peering_connection),
    "reject-peering": peering_state(op.reject_vpc_peering_connection),
    "rename": rename,
    "delete": delete,
}

# What each action did, for the "Done: …" notice (English: the action's name in words).
DONE_WORDS = {
    "create-vpc": N_("create vpc"),
    "modify-vpc": N_("modify vpc"),
    "create-dhcp": N_("create dhcp"),
    "associate-dhcp": N_("associate dhcp"),
    "associate-vpc-cidr": N_("associate vpc cidr"),
    "create-subnet": N_("create subnet"),
    "modify-subnet": N_("modify subnet"),
    "create-igw": N_("create igw"),
    "attach-igw": N_("attach igw"),
    "detach-igw": N_("detach igw"),
    "create-nat": N_("create nat"),
    "create-route-table": N_("create route table"),
    "create-route": N_("create route"),
    "delete-route": N_("delete route"),
    "associate-route-table": N_("associate route table"),
    "disassociate-route-table": N_("disassociate route table"),
    "set-main": N_("set main"),
    "create-sg": N_("create sg"),
    "authorize-sg": N_("authorize sg"),
    "revoke-sg": N_("revoke sg"),
    "create-nacl": N_("create nacl"),
    "create-nacl-entry": N_("create nacl entry"),
    "delete-nacl-entry": N_("delete nacl entry"),
    "associate-nacl": N_("associate nacl"),
    "create-eni": N_("create eni"),
    "assign-ip": N_("assign ip"),
    "unassign-ip": N_("unassign ip"),
    "modify-eni": N_("modify eni"),
    "attach-eni": N_("attach eni"),
    "detach-eni": N_("detach eni"),
    "allocate-eip": N_("allocate eip"),
    "associate-eip": N_("associate eip"),
    "disassociate-eip": N_("disassociate eip"),
    "launch-instance": N_("launch instance"),
    "start-instance": N_("start instance"),
    "stop-instance": N_("stop instance"),
    "terminate-instance": N_("terminate instance"),
    "create-peering": N_("create peering"),
    "accept-peering": N_("accept peering"),
    "reject-peering": N_("reject peering"),
    "rename": N_("rename"),
    "delete": N_("delete"),
}


def done_notice(action: str) -> str:
    """``Done: create subnet.`` in the reader's language."""
    words = DONE_WORDS.get(action)
    return _("Done: %(action)s.") % {"action": _(words) if words else action.replace("-", " ")}


# The create form each create action comes from (to show it again, with its error).
CREATE_FORMS = {
    "create-dhcp": "dhcp-options",
    "create-vpc": "vpc",
    "create-subnet": "subnet",
    "create-igw": "internet-gateway",
    "create-route-table": "route-table",
    "create-nat": "nat-gateway",
    "create-sg": "security-group",
    "create-nacl": "network-acl",
    "create-eni": "network-interface",
    "launch-instance": "instance",
    "allocate-eip": "address",
    "create-peering": "vpc-peering-connection",
}

# Which field an AWS error is about, when the form has that field (shown next to it).
ERROR_FIELDS = {
    "InvalidVpc.Range": "CidrBlock",
    "InvalidSubnet.Range": "CidrBlock",
    "InvalidSubnet.Conflict": "CidrBlock",
    "InvalidIPAddress.InUse": "PrivateIpAddress",
    "InsufficientFreeAddressesInSubnet": "SubnetId",
    "RouteAlreadyExists": "DestinationCidrBlock",
    "Gateway.NotAttached": "Target",
    "InvalidGroup.Duplicate": "GroupName",
    "NetworkAclEntryAlreadyExists": "RuleNumber",
    "InvalidPermission.Duplicate": "Peer",
    "VpcLimitExceeded": "CidrBlock",
    "SubnetLimitExceeded": "CidrBlock",
}

"""Request bodies, named after the parameters of the AWS API calls they stand for."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.engine.regions import DEFAULT_REGION

Id = Annotated[str, Field(min_length=1, max_length=64)]
Text = Annotated[str, Field(max_length=255)]
Port = Annotated[int, Field(ge=-1, le=65535)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def examples(*items: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": list(items)})


class Tag(Body):
    Key: str = Field(min_length=1, max_length=128)
    Value: str = Field(default="", max_length=256)


TagList = Annotated[list[Tag], Field(default_factory=list, max_length=50)]


def tags(items: list[Tag]) -> list[dict[str, str]]:
    return [t.model_dump() for t in items]


class TopologyCreate(Body):
    model_config = examples(
        {"name": "SSH lab", "region": "ap-northeast-1", "template": "seed-002-ssh"}
    )
    name: str = Field(min_length=1, max_length=200)
    region: str = Field(default=DEFAULT_REGION, max_length=32)
    template: str = Field(
        default="blank",
        max_length=32,
        description="blank, default-vpc, seed-002-ssh or seed-001-nat",
    )


class TopologyUpdate(Body):
    model_config = examples({"name": "SSH lab (week 2)"})
    name: str = Field(min_length=1, max_length=200)


class TopologyDuplicate(Body):
    model_config = examples({"name": "SSH lab (my try)"}, {})
    name: str | None = Field(
        default=None, min_length=1, max_length=200, description="Default: “<name> (copy)”"
    )


class VpcCreate(Body):
    model_config = examples(
        {"CidrBlock": "192.168.0.0/16", "Tags": [{"Key": "Name", "Value": "myvpc"}]}
    )
    CidrBlock: str = Field(max_length=64)
    InstanceTenancy: Literal["default", "dedicated"] = "default"
    Tags: TagList


class DhcpConfiguration(Body):
    Key: str = Field(min_length=1, max_length=64)
    Values: list[str] = Field(min_length=1, max_length=8)


class DhcpOptionsCreate(Body):
    model_config = examples(
        {
            "DhcpConfigurations": [
                {"Key": "domain-name", "Values": ["example.internal"]},
                {"Key": "domain-name-servers", "Values": ["AmazonProvidedDNS"]},
            ],
            "Tags": [{"Key": "Name", "Value": "my-dhcp"}],
        }
    )
    DhcpConfigurations: list[DhcpConfiguration] = Field(min_length=1, max_length=8)
    Tags: TagList


class DhcpOptionsRef(Body):
    model_config = examples({"DhcpOptionsId": "dopt-0123456789abcdef0"})
    DhcpOptionsId: str = Field(min_length=1, max_length=64)


class SubnetCreate(Body):
    model_config = examples(
        {
            "VpcId": "vpc-0123456789abcdef0",
            "CidrBlock": "192.168.1.0/24",
            "AvailabilityZone": "ap-northeast-1b",
        }
    )
    VpcId: Id
    CidrBlock: str = Field(max_length=64)
    AvailabilityZone: str | None = Field(default=None, max_length=32)
    MapPublicIpOnLaunch: bool = False
    Tags: TagList


class VpcScoped(Body):
    model_config = examples({"VpcId": "vpc-0123456789abcdef0"})
    VpcId: Id
    Tags: TagList


class TagsOnly(Body):
    model_config = examples({"Tags": [{"Key": "Name", "Value": "mygateway"}]})
    Tags: TagList


class NatGatewayCreate(Body):
    model_config = examples(
        {"SubnetId": "subnet-0123456789abcdef0", "AllocationId": "eipalloc-0123456789abcdef0"}
    )
    SubnetId: Id
    AllocationId: Id | None = None
    ConnectivityType: Literal["public", "private"] = "public"
    PrivateIpAddress: str | None = Field(default=None, max_length=15)
    Tags: TagList


class SecurityGroupCreate(Body):
    model_config = examples(
        {"GroupName": "ssh", "Description": "SSH from my PC", "VpcId": "vpc-0123456789abcdef0"}
    )
    GroupName: str = Field(min_length=1, max_length=255)
    Description: Text = Field(
        description="Required, as AWS's GroupDescription: an empty one is MissingParameter."
    )
    VpcId: Id
    Tags: TagList


class NetworkInterfaceCreate(Body):
    model_config = examples(
        {
            "SubnetId": "subnet-0123456789abcdef0",
            "PrivateIpAddress": "10.0.1.11",
            "Groups": ["sg-0123456789abcdef0"],
        }
    )
    SubnetId: Id
    PrivateIpAddress: str | None = Field(default=None, max_length=15)
    Groups: list[Id] | None = Field(default=None, max_length=10)
    Description: Text = ""
    SecondaryPrivateIpAddressCount: int = Field(default=0, ge=0, le=49)
    SourceDestCheck: bool = True
    Tags: TagList


class RunInstances(Body):
    model_config = examples(
        {
            "SubnetId": "subnet-0123456789abcdef0",
            "ImageId": "ami-0abcdef1234567890",
            "InstanceType": "t3.micro",
            "SecurityGroupIds": ["sg-0123456789abcdef0"],
            "KeyName": "mykeypair",
            "PrivateIpAddress": "192.168.1.4",
        }
    )
    ImageId: str = Field(default="ami-0abcdef1234567890", max_length=64)
    InstanceType: str = Field(default="t3.micro", max_length=32)
    SubnetId: Id | None = None
    SecurityGroupIds: list[Id] | None = Field(default=None, max_length=10)
    KeyName: str | None = Field(default=None, max_length=255)
    PrivateIpAddress: str | None = Field(default=None, max_length=15)
    AssociatePublicIpAddress: bool | None = None
    NetworkInterfaceId: Id | None = Field(
        default=None,
        description="An existing interface to launch with; it brings its own groups and "
        "address, so SecurityGroupIds and PrivateIpAddress are InvalidParameterCombination.",
    )
    Tags: TagList


class AllocateAddress(Body):
    model_config = examples({"Domain": "vpc"})
    Domain: Literal["vpc"] = "vpc"
    Tags: TagList


class PeeringCreate(Body):
    model_config = examples(
        {"VpcId": "vpc-0123456789abcdef0", "PeerVpcId": "vpc-0fedcba9876543210"}
    )
    VpcId: Id
    PeerVpcId: Id
    Tags: TagList


# ---- actions --------------------------------------------------------------------------------
class CidrBlock(Body):
    model_config = examples({"CidrBlock": "10.1.0.0/16"})
    CidrBlock: str = Field(max_length=64)


class VpcAttributes(Body):
    model_config = examples({"EnableDnsHostnames": True})
    EnableDnsSupport: bool | None = None
    EnableDnsHostnames: bool | None = None


class SubnetAttributes(Body):
    model_config = examples({"MapPublicIpOnLaunch": True})
    MapPublicIpOnLaunch: bool


class RouteSpec(Body):
    model_config = examples(
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0123456789abcdef0"}
    )
    DestinationCidrBlock: str = Field(max_length=64)
    GatewayId: Id | None = None
    NatGatewayId: Id | None = None
    NetworkInterfaceId: Id | None = None
    InstanceId: Id | None = None
    VpcPeeringConnectionId: Id | None = None

    def targets(self) -> dict[str, str | None]:
        return {
            "gateway_id": self.GatewayId,
            "nat_gateway_id": self.NatGatewayId,
            "network_interface_id": self.NetworkInterfaceId,
            "instance_id": self.InstanceId,
            "vpc_peering_connection_id": self.VpcPeeringConnectionId,
        }


class SubnetRef(Body):
    model_config = examples({"SubnetId": "subnet-0123456789abcdef0"})
    SubnetId: Id


class AssociationRef(Body):
    model_config = examples({"AssociationId": "rtbassoc-0123456789abcdef0"})
    AssociationId: Id


class VpcRef(Body):
    model_config = examples({"VpcId": "vpc-0123456789abcdef0"})
    VpcId: Id


class IpRange(Body):
    CidrIp: str = Field(max_length=64)
    Description: Text | None = None


class GroupPair(Body):
    GroupId: Id
    UserId: str | None = Field(default=None, max_length=32)
    Description: Text | None = None


class IpPermission(Body):
    IpProtocol: str = Field(max_length=8)
    FromPort: Port | None = None
    ToPort: Port | None = None
    IpRanges: list[IpRange] = Field(default_factory=list, max_length=60)
    UserIdGroupPairs: list[GroupPair] = Field(default_factory=list, max_length=60)


class Permissions(Body):
    model_config = examples(
        {
            "IpPermissions": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 22,
                    "ToPort": 22,
                    "IpRanges": [{"CidrIp": "203.0.113.5/32", "Description": "my PC"}],
                }
            ]
        }
    )
    IpPermissions: list[IpPermission] = Field(min_length=1, max_length=60)

    def as_aws(self) -> list[dict[str, Any]]:
        return [p.model_dump(exclude_none=True) for p in self.IpPermissions]


class PortRangeSpec(Body):
    From: int = Field(ge=0, le=65535)
    To: int = Field(ge=0, le=65535)


class IcmpTypeCodeSpec(Body):
    Type: int = Field(ge=-1, le=255)
    Code: int = Field(ge=-1, le=255)


class NetworkAclEntry(Body):
    model_config = examples(
        {
            "RuleNumber": 100,
            "Egress": True,
            "RuleAction": "allow",
            "Protocol": "tcp",
            "CidrBlock": "0.0.0.0/0",
            "PortRange": {"From": 1024, "To": 65535},
        }
    )
    RuleNumber: int = Field(ge=1, le=32766)
    Egress: bool
    RuleAction: Literal["allow", "deny"]
    Protocol: str = Field(max_length=8)
    CidrBlock: str = Field(
        max_length=64,
        description="Required: the addresses the entry allows or denies (0.0.0.0/0 for all).",
    )
    PortRange: PortRangeSpec | None = None
    IcmpTypeCode: IcmpTypeCodeSpec | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "rule_number": self.RuleNumber,
            "egress": self.Egress,
            "rule_action": self.RuleAction,
            "protocol": self.Protocol,
            "cidr_block": self.CidrBlock,
            "port_range": self.PortRange.model_dump() if self.PortRange else None,
            "icmp_type_code": self.IcmpTypeCode.model_dump() if self.IcmpTypeCode else None,
        }


class NetworkAclEntryRef(Body):
    model_config = examples({"RuleNumber": 100, "Egress": True})
    RuleNumber: int = Field(ge=1, le=32767)
    Egress: bool


class AssociateAddress(Body):
    model_config = examples(
        {"InstanceId": "i-0123456789abcdef0"},
        {"NetworkInterfaceId": "eni-0123456789abcdef0", "PrivateIpAddress": "10.0.1.11"},
    )
    InstanceId: Id | None = None
    NetworkInterfaceId: Id | None = None
    PrivateIpAddress: str | None = Field(default=None, max_length=15)
    AllowReassociation: bool = True


class PrivateIps(Body):
    model_config = examples(
        {"PrivateIpAddresses": ["10.0.1.50"]}, {"SecondaryPrivateIpAddressCount": 2}
    )
    PrivateIpAddresses: list[str] = Field(default_factory=list, max_length=49)
    SecondaryPrivateIpAddressCount: int = Field(default=0, ge=0, le=49)


class AttachInterface(Body):
    model_config = examples({"InstanceId": "i-0123456789abcdef0", "DeviceIndex": 1})
    InstanceId: Id
    DeviceIndex: int = Field(ge=0, le=15)


class InterfaceAttributes(Body):
    model_config = examples({"SourceDestCheck": False})
    SourceDestCheck: bool | None = None
    Groups: list[Id] | None = Field(default=None, max_length=10)
    Description: Text | None = None


class AnalysisRequest(Body):
    """A "test connection" request (api-contract: Analyses)."""

    model_config = examples(
        {
            "source": "203.0.113.5",
            "destination": "i-0123456789abcdef0",
            "protocol": "tcp",
            "destination_port": 22,
        },
        {
            "source": "i-0123456789abcdef0",
            "destination": "internet",
            "protocol": "tcp",
            "destination_port": 443,
        },
        {"source": "internet", "destination": "eni-0123456789abcdef0", "protocol": "icmp"},
    )
    source: str = Field(
        min_length=1,
        max_length=64,
        description="An instance (i-…), a network interface (eni-…), 'internet' or an IPv4 address",
    )
    destination: str = Field(
        min_length=1,
        max_length=64,
        description="An instance (i-…), a network interface (eni-…), an internet gateway "
        "(igw-…), 'internet' or an IPv4 address: a host on the internet, an address of an "
        "interface (private, public or Elastic IP), or a service AWS provides inside the "
        "source's VPC, which security groups and network ACLs do not filter: the Amazon DNS "
        "server (the VPC's primary CIDR base + 2, or 169.254.169.253; while enableDnsSupport "
        "is on), instance metadata (169.254.169.254), the Amazon Time Sync Service "
        "(169.254.169.123)",
    )
    protocol: Literal["tcp", "udp", "icmp"] = "tcp"
    destination_port: int | None = Field(default=None, ge=0, le=65535)
    source_port: int | None = Field(default=None, ge=0, le=65535)
    source_ip: str | None = Field(default=None, max_length=15)
    destination_ip: str | None = Field(default=None, max_length=15)
    icmp_type: int | None = Field(default=None, ge=0, le=255)
    icmp_code: int | None = Field(default=None, ge=0, le=255)


class LabStart(Body):
    model_config = examples({"name": "SSH from home (my try)"}, {})
    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Default: the lab's title in the reader's language",
    )


class LabStep(Body):
    model_config = examples({"step": 0})
    step: int = Field(
        ge=0,
        le=1000,
        description="0-based: an earlier step, or a later one whose steps before it all pass",
    )

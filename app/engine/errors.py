"""Domain errors: every refusal carries the exact AWS error code and a sentence for a learner."""

from __future__ import annotations


class AwsError(Exception):
    """An AWS API error, e.g. ``AwsError("InvalidSubnet.Range", "The CIDR ... is not inside ...")``.

    ``code`` is the EC2 API error code, ``message`` one sentence a learner understands, and
    ``resource_id`` the offending resource where there is one (the import names it).
    """

    def __init__(self, code: str, message: str, *, resource_id: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.resource_id = resource_id


def not_found(kind: str, resource_id: str) -> AwsError:
    """The ``Invalid<Resource>ID.NotFound`` error of the EC2 API for ``kind``."""
    code, label = _NOT_FOUND[kind]
    return AwsError(code, f"The {label} '{resource_id}' does not exist.", resource_id=resource_id)


_NOT_FOUND: dict[str, tuple[str, str]] = {
    "vpc": ("InvalidVpcID.NotFound", "VPC"),
    "subnet": ("InvalidSubnetID.NotFound", "subnet"),
    "route-table": ("InvalidRouteTableID.NotFound", "route table"),
    "internet-gateway": ("InvalidInternetGatewayID.NotFound", "internet gateway"),
    "nat-gateway": ("NatGatewayNotFound", "NAT gateway"),
    "security-group": ("InvalidGroup.NotFound", "security group"),
    "network-acl": ("InvalidNetworkAclID.NotFound", "network ACL"),
    "network-interface": ("InvalidNetworkInterfaceID.NotFound", "network interface"),
    "instance": ("InvalidInstanceID.NotFound", "instance"),
    "address": ("InvalidAllocationID.NotFound", "Elastic IP allocation"),
    "vpc-peering-connection": ("InvalidVpcPeeringConnectionID.NotFound", "VPC peering connection"),
}

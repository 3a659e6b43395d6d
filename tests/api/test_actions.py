"""AWS actions as verbs: routes, associations, IGW, SG rules, NACL entries, EIPs, instances,
ENIs, peering, VPC and subnet attributes — each with its success and its refusals."""

from fastapi.testclient import TestClient

from .lab import Lab

SSH = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


def base(client: TestClient) -> tuple[Lab, dict]:
    lab = Lab(client)
    vpc = lab.vpc("10.0.0.0/16")
    subnet = lab.ok(
        "POST",
        "subnets",
        {"VpcId": vpc, "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "ap-northeast-1a"},
        201,
    )["SubnetId"]
    igw = lab.ok("POST", "internet-gateways", None, 201)["InternetGatewayId"]
    rtb = lab.ok("POST", "route-tables", {"VpcId": vpc}, 201)["RouteTableId"]
    return lab, {"vpc": vpc, "subnet": subnet, "igw": igw, "rtb": rtb}


def test_vpc_and_subnet_attributes(client: TestClient) -> None:
    lab, ids = base(client)
    vpc = lab.ok("POST", f"vpcs/{ids['vpc']}/modify-attribute", {"EnableDnsHostnames": True})
    assert vpc["EnableDnsHostnames"] is True
    lab.fails(
        "POST",
        f"vpcs/{ids['vpc']}/modify-attribute",
        {"EnableDnsSupport": False},
        400,
        "InvalidParameterValue",
    )
    vpc = lab.ok("POST", f"vpcs/{ids['vpc']}/associate-cidr-block", {"CidrBlock": "10.1.0.0/16"})
    assert [b["CidrBlock"] for b in vpc["CidrBlockAssociationSet"]] == [
        "10.0.0.0/16",
        "10.1.0.0/16",
    ]
    lab.fails(
        "POST",
        f"vpcs/{ids['vpc']}/associate-cidr-block",
        {"CidrBlock": "10.0.5.0/24"},
        400,
        "InvalidVpc.Range",
    )
    subnet = lab.ok(
        "POST", f"subnets/{ids['subnet']}/modify-attribute", {"MapPublicIpOnLaunch": True}
    )
    assert subnet["MapPublicIpOnLaunch"] is True
    lab.fails(
        "POST",
        "subnets/subnet-nope/modify-attribute",
        {"MapPublicIpOnLaunch": True},
        404,
        "InvalidSubnetID.NotFound",
    )


def test_routes_and_associations(client: TestClient) -> None:
    lab, ids = base(client)
    rtb, igw = ids["rtb"], ids["igw"]
    route = {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw}
    lab.fails("POST", f"route-tables/{rtb}/routes", route, 409, "Gateway.NotAttached")
    lab.ok("POST", f"internet-gateways/{igw}/attach", {"VpcId": ids["vpc"]})
    table = lab.ok("POST", f"route-tables/{rtb}/routes", route, 201)
    assert {
        "DestinationCidrBlock": "0.0.0.0/0",
        "GatewayId": igw,
        "Origin": "CreateRoute",
        "State": "active",
    } in table["Routes"]
    lab.fails("POST", f"route-tables/{rtb}/routes", route, 409, "RouteAlreadyExists")
    lab.fails(
        "POST",
        f"route-tables/{rtb}/routes",
        {"DestinationCidrBlock": "8.8.8.0/24"},
        400,
        "MissingParameter",
    )
    lab.fails(
        "PUT",
        f"route-tables/{rtb}/routes",
        {"DestinationCidrBlock": "9.9.9.0/24", "GatewayId": igw},
        404,
        "InvalidRoute.NotFound",
    )
    lab.ok("PUT", f"route-tables/{rtb}/routes", route)
    lab.fails(
        "DELETE",
        "route-tables/" + rtb + "/routes?DestinationCidrBlock=10.0.0.0/16",
        None,
        400,
        "InvalidParameterValue",
    )
    table = lab.ok(
        "DELETE", f"route-tables/{rtb}/routes", params={"DestinationCidrBlock": "0.0.0.0/0"}
    )
    assert all(r["DestinationCidrBlock"] != "0.0.0.0/0" for r in table["Routes"])

    table = lab.ok("POST", f"route-tables/{rtb}/associate", {"SubnetId": ids["subnet"]})
    association = next(a for a in table["Associations"] if a.get("SubnetId") == ids["subnet"])
    lab.fails(
        "POST",
        f"route-tables/{rtb}/associate",
        {"SubnetId": ids["subnet"]},
        409,
        "Resource.AlreadyAssociated",
    )
    lab.ok(
        "POST",
        f"route-tables/{rtb}/disassociate",
        {"AssociationId": association["RouteTableAssociationId"]},
    )
    lab.fails(
        "POST",
        f"route-tables/{rtb}/disassociate",
        {"AssociationId": "rtbassoc-x"},
        404,
        "InvalidAssociationID.NotFound",
    )
    table = lab.ok("POST", f"route-tables/{rtb}/set-main")
    assert any(a["Main"] for a in table["Associations"])
    main_assoc = next(a for a in table["Associations"] if a["Main"])
    old_main = next(t for t in lab.items("route-tables", "RouteTables") if t["RouteTableId"] != rtb)
    lab.ok(
        "POST",
        f"route-tables/{old_main['RouteTableId']}/replace-association",
        {"AssociationId": main_assoc["RouteTableAssociationId"]},
    )
    lab.fails(
        "DELETE", f"route-tables/{old_main['RouteTableId']}", None, 409, "DependencyViolation"
    )


def test_internet_gateway_attach_and_detach(client: TestClient) -> None:
    lab, ids = base(client)
    igw = ids["igw"]
    lab.fails(
        "POST", f"internet-gateways/{igw}/detach", {"VpcId": ids["vpc"]}, 409, "Gateway.NotAttached"
    )
    attached = lab.ok("POST", f"internet-gateways/{igw}/attach", {"VpcId": ids["vpc"]})
    assert attached["Attachments"] == [{"State": "available", "VpcId": ids["vpc"]}]
    second = lab.ok("POST", "internet-gateways", None, 201)["InternetGatewayId"]
    lab.fails(
        "POST",
        f"internet-gateways/{second}/attach",
        {"VpcId": ids["vpc"]},
        409,
        "Resource.AlreadyAssociated",
    )
    lab.fails(
        "POST",
        f"internet-gateways/{igw}/attach",
        {"VpcId": "vpc-nope"},
        404,
        "InvalidVpcID.NotFound",
    )
    lab.fails("DELETE", f"internet-gateways/{igw}", None, 409, "DependencyViolation")
    assert (
        lab.ok("POST", f"internet-gateways/{igw}/detach", {"VpcId": ids["vpc"]})["Attachments"]
        == []
    )


def test_security_group_rules(client: TestClient) -> None:
    lab, ids = base(client)
    sg = lab.ok(
        "POST",
        "security-groups",
        {"GroupName": "web", "Description": "web", "VpcId": ids["vpc"]},
        201,
    )["GroupId"]
    before = lab.ok("GET", "export")
    lab.fails(
        "POST",
        f"security-groups/{sg}/authorize-ingress",
        {"IpPermissions": [SSH, SSH]},
        409,
        "InvalidPermission.Duplicate",
    )
    assert lab.ok("GET", "export") == before  # one call naming a rule twice stores nothing
    group = lab.ok("POST", f"security-groups/{sg}/authorize-ingress", {"IpPermissions": [SSH]})
    assert group["IpPermissions"][0]["FromPort"] == 22
    lab.fails(
        "POST",
        f"security-groups/{sg}/authorize-ingress",
        {"IpPermissions": [SSH]},
        409,
        "InvalidPermission.Duplicate",
    )
    lab.fails(
        "POST",
        f"security-groups/{sg}/authorize-ingress",
        {
            "IpPermissions": [
                {
                    "IpProtocol": "tcp",
                    "FromPort": 22,
                    "ToPort": 22,
                    "UserIdGroupPairs": [{"GroupId": "sg-nope"}],
                }
            ]
        },
        404,
        "InvalidGroup.NotFound",
    )
    lab.fails(
        "POST",
        f"security-groups/{sg}/authorize-ingress",
        {"IpPermissions": []},
        422,
        "InvalidParameterValue",
    )
    group = lab.ok("POST", f"security-groups/{sg}/revoke-ingress", {"IpPermissions": [SSH]})
    assert group["IpPermissions"] == []
    lab.fails(
        "POST",
        f"security-groups/{sg}/revoke-ingress",
        {"IpPermissions": [SSH]},
        404,
        "InvalidPermission.NotFound",
    )
    everything = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    group = lab.ok("POST", f"security-groups/{sg}/revoke-egress", {"IpPermissions": [everything]})
    assert group["IpPermissionsEgress"] == []
    group = lab.ok(
        "POST", f"security-groups/{sg}/authorize-egress", {"IpPermissions": [everything]}
    )
    assert group["IpPermissionsEgress"][0]["IpProtocol"] == "-1"


def test_network_acl_entries_and_association(client: TestClient) -> None:
    lab, ids = base(client)
    acl = lab.ok("POST", "network-acls", {"VpcId": ids["vpc"]}, 201)
    assert [e["RuleNumber"] for e in acl["Entries"]] == [32767, 32767]
    acl_id = acl["NetworkAclId"]
    entry = {
        "RuleNumber": 100,
        "Egress": True,
        "RuleAction": "allow",
        "Protocol": "tcp",
        "CidrBlock": "0.0.0.0/0",
        "PortRange": {"From": 1024, "To": 65535},
    }
    acl = lab.ok("POST", f"network-acls/{acl_id}/entries", entry, 201)
    assert {
        "RuleNumber": 100,
        "Egress": True,
        "RuleAction": "allow",
        "Protocol": "6",
        "CidrBlock": "0.0.0.0/0",
        "PortRange": {"From": 1024, "To": 65535},
    } in acl["Entries"]
    lab.fails("POST", f"network-acls/{acl_id}/entries", entry, 409, "NetworkAclEntryAlreadyExists")
    lab.ok("PUT", f"network-acls/{acl_id}/entries", {**entry, "RuleAction": "deny"})
    lab.fails(
        "PUT",
        f"network-acls/{acl_id}/entries",
        {**entry, "RuleNumber": 7},
        404,
        "InvalidNetworkAclEntry.NotFound",
    )
    lab.fails(
        "POST",
        f"network-acls/{acl_id}/entries",
        {**entry, "RuleNumber": 40000},
        422,
        "InvalidParameterValue",
    )
    lab.ok("POST", f"network-acls/{acl_id}/delete-entry", {"RuleNumber": 100, "Egress": True})
    lab.fails(
        "POST",
        f"network-acls/{acl_id}/delete-entry",
        {"RuleNumber": 32767, "Egress": True},
        400,
        "InvalidParameterValue",
    )
    acl = lab.ok("POST", f"network-acls/{acl_id}/associate", {"SubnetId": ids["subnet"]})
    assert [a["SubnetId"] for a in acl["Associations"]] == [ids["subnet"]]
    lab.fails("DELETE", f"network-acls/{acl_id}", None, 409, "DependencyViolation")


def test_elastic_ips_instances_and_interfaces(client: TestClient) -> None:
    lab, ids = base(client)
    lab.ok("POST", f"internet-gateways/{ids['igw']}/attach", {"VpcId": ids["vpc"]})
    instance = lab.ok("POST", "instances", {"SubnetId": ids["subnet"]}, 201)["InstanceId"]
    eni = lab.ok(
        "POST",
        "network-interfaces",
        {"SubnetId": ids["subnet"], "PrivateIpAddress": "10.0.1.11"},
        201,
    )
    assert eni["PrivateIpAddress"] == "10.0.1.11" and eni["Status"] == "available"
    lab.fails(
        "POST",
        "network-interfaces",
        {"SubnetId": ids["subnet"], "PrivateIpAddress": "10.0.1.11"},
        409,
        "InvalidIPAddress.InUse",
    )
    eni_id = eni["NetworkInterfaceId"]
    eni = lab.ok(
        "POST",
        f"network-interfaces/{eni_id}/assign-private-ip-addresses",
        {"SecondaryPrivateIpAddressCount": 1},
    )
    assert len(eni["PrivateIpAddresses"]) == 2
    secondary = eni["PrivateIpAddresses"][1]["PrivateIpAddress"]
    eip = lab.ok("POST", "addresses", None, 201)["AllocationId"]
    lab.fails("POST", f"addresses/{eip}/associate", {}, 400, "InvalidParameterCombination")
    address = lab.ok(
        "POST",
        f"addresses/{eip}/associate",
        {"NetworkInterfaceId": eni_id, "PrivateIpAddress": secondary},
    )
    assert address["PrivateIpAddress"] == secondary
    lab.ok(
        "POST",
        f"network-interfaces/{eni_id}/unassign-private-ip-addresses",
        {"PrivateIpAddresses": [secondary]},
    )
    assert "AssociationId" not in lab.ok("GET", f"addresses/{eip}")
    eni = lab.ok(
        "POST", f"network-interfaces/{eni_id}/modify-attribute", {"SourceDestCheck": False}
    )
    assert eni["SourceDestCheck"] is False
    eni = lab.ok(
        "POST", f"network-interfaces/{eni_id}/attach", {"InstanceId": instance, "DeviceIndex": 1}
    )
    assert eni["Attachment"]["InstanceId"] == instance
    lab.fails(
        "POST",
        f"network-interfaces/{eni_id}/attach",
        {"InstanceId": instance, "DeviceIndex": 2},
        409,
        "InvalidNetworkInterface.InUse",
    )
    lab.fails("DELETE", f"network-interfaces/{eni_id}", None, 409, "InvalidNetworkInterface.InUse")
    lab.ok("POST", f"network-interfaces/{eni_id}/detach")
    lab.fails(
        "POST", f"network-interfaces/{eni_id}/detach", None, 404, "InvalidAttachmentID.NotFound"
    )
    stopped = lab.ok("POST", f"instances/{instance}/stop")
    assert stopped["State"]["Name"] == "stopped"
    # Stopping a stopped instance is harmless, as in AWS.
    assert lab.ok("POST", f"instances/{instance}/stop")["State"]["Name"] == "stopped"
    assert lab.ok("POST", f"instances/{instance}/start")["State"]["Name"] == "running"
    assert lab.ok("POST", f"instances/{instance}/terminate")["State"]["Name"] == "terminated"
    lab.fails("POST", f"instances/{instance}/start", None, 409, "IncorrectInstanceState")
    view = lab.ok("GET", f"instances/{instance}/view")
    assert view["state"] == "terminated" and view["ip_route"] == []


def test_instance_view_over_http(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    instance = next(i for i in lab.instances() if i["PrivateIpAddress"] == "192.168.1.4")
    view = lab.ok("GET", f"instances/{instance['InstanceId']}/view")
    assert view["ip_route"][0] == "default via 192.168.1.1 dev eth0"
    assert view["public_ip"] == instance["PublicIpAddress"]
    assert not any(view["public_ip"] in line for line in view["ip_addr"])
    lab.fails("GET", "instances/i-nope/view", None, 404, "InvalidInstanceID.NotFound")


def test_peering_request_accept_reject(client: TestClient) -> None:
    lab = Lab(client)
    a, b, c = lab.vpc("10.1.0.0/16"), lab.vpc("10.2.0.0/16"), lab.vpc("10.1.128.0/17")
    pcx = lab.ok("POST", "vpc-peering-connections", {"VpcId": a, "PeerVpcId": b}, 201)
    assert pcx["Status"]["Code"] == "pending-acceptance"
    pcx_id = pcx["VpcPeeringConnectionId"]
    lab.fails(
        "POST",
        "vpc-peering-connections",
        {"VpcId": a, "PeerVpcId": b},
        409,
        "VpcPeeringConnectionAlreadyExists",
    )
    lab.fails(
        "POST",
        "vpc-peering-connections",
        {"VpcId": a, "PeerVpcId": c},
        400,
        "InvalidParameterValue",
    )
    assert lab.ok("POST", f"vpc-peering-connections/{pcx_id}/accept")["Status"]["Code"] == "active"
    lab.fails(
        "POST", f"vpc-peering-connections/{pcx_id}/reject", None, 409, "InvalidStateTransition"
    )
    lab.ok("DELETE", f"vpc-peering-connections/{pcx_id}", status=204)
    assert lab.ok("GET", f"vpc-peering-connections/{pcx_id}")["Status"]["Code"] == "deleted"

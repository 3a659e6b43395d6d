"""Instance operations: launch (with its primary ENI), start, stop, terminate.

Public IPv4 on launch follows EC2 UG using-instance-addressing: from the subnet's
``MapPublicIpOnLaunch`` unless overridden at launch, only for a new primary ENI; released on stop
and replaced by a new one on start; never given when the instance has more than one ENI.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..messages import message, text
from ..model import Attachment, Instance, NetworkInterface
from ..topology import Topology
from ..wording import state_word
from ._rules import parse_tags, refuse, require
from .address import free_addresses, new_public_ip, set_auto_public_ip, without_public_ips
from .network_interface import create_network_interface

# What a learner reads when AWS refuses (ids for the engine catalog, English here).
text(
    "error.instance._state.IncorrectInstanceState",
    "Instance {instance_id} is {state}, so it cannot be {action}.",
)
text(
    "error.instance.run_instances.InvalidAMIID.Malformed", "'{image_id}' is not an AMI id (ami-…)."
)
text(
    "error.instance.run_instances.InvalidNetworkInterface.InUse",
    "{network_interface_id} is already attached to {instance_id}.",
)
text(
    "error.instance.run_instances.InvalidParameterCombination",
    "Launching with the existing network interface {network_interface_id}, the instance uses "
    "that interface's security groups: leave the security groups out, or change the "
    "interface's groups (ModifyNetworkInterfaceAttribute).",
)
text(
    "error.instance.run_instances.InvalidParameterCombination.2",
    "Launching with the existing network interface {network_interface_id}, the instance uses "
    "that interface's private IP: leave the private IP out.",
)
text(
    "error.instance.run_instances.InvalidParameterCombination.3",
    "{network_interface_id} is in {subnet_id}, not in {subnet_id2}.",
)
text(
    "error.instance.run_instances.InvalidParameterCombination.4",
    "A public IP is auto-assigned only to a new network interface; associate an Elastic IP "
    "with the existing one instead.",
)
text(
    "error.instance.run_instances.InvalidParameterValue",
    "'{instance_type}' is not an instance type such as t3.micro.",
)
text(
    "error.instance.run_instances.MissingParameter",
    "Choose a subnet, or a network interface to launch with.",
)


def run_instances(
    topology: Topology,
    *,
    subnet_id: str | None = None,
    image_id: str = "ami-0abcdef1234567890",
    instance_type: str = "t3.micro",
    key_name: str | None = None,
    security_group_ids: Any = None,
    private_ip_address: str | None = None,
    associate_public_ip_address: bool | None = None,
    network_interface_id: str | None = None,
    tags: Any = None,
) -> Instance:
    """Launch one instance, as the console's launch wizard does.

    Either a subnet (a new primary ENI is made, with ``private_ip_address`` or the lowest free
    address) or an existing, unattached ``network_interface_id`` as the primary ENI (seed 004),
    which brings its own security groups and private IP.
    """
    require(
        bool(subnet_id) or bool(network_interface_id),
        "MissingParameter",
        message("error.instance.run_instances.MissingParameter"),
    )
    require(
        isinstance(image_id, str) and image_id.startswith("ami-"),
        "InvalidAMIID.Malformed",
        message("error.instance.run_instances.InvalidAMIID.Malformed", image_id=image_id),
    )
    require(
        isinstance(instance_type, str) and "." in instance_type,
        "InvalidParameterValue",
        message("error.instance.run_instances.InvalidParameterValue", instance_type=instance_type),
    )
    if network_interface_id:
        # An existing interface brings its own security groups and addresses: RunInstances
        # refuses instance-level SecurityGroupIds or PrivateIpAddress beside a network interface
        # (InvalidParameterCombination, "Network interfaces and an instance-level security
        # groups may not be specified on the same request").
        # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html
        require(
            not security_group_ids,
            "InvalidParameterCombination",
            message(
                "error.instance.run_instances.InvalidParameterCombination",
                network_interface_id=network_interface_id,
            ),
        )
        require(
            not private_ip_address,
            "InvalidParameterCombination",
            message(
                "error.instance.run_instances.InvalidParameterCombination.2",
                network_interface_id=network_interface_id,
            ),
        )
    instance_id = topology.ids.new("instance")
    if network_interface_id:
        eni: NetworkInterface = topology.get("network-interface", network_interface_id)
        require(
            eni.attachment is None,
            "InvalidNetworkInterface.InUse",
            message(
                "error.instance.run_instances.InvalidNetworkInterface.InUse",
                network_interface_id=network_interface_id,
                instance_id=eni.instance_id,
            ),
        )
        require(
            not subnet_id or subnet_id == eni.subnet_id,
            "InvalidParameterCombination",
            message(
                "error.instance.run_instances.InvalidParameterCombination.3",
                network_interface_id=network_interface_id,
                subnet_id=eni.subnet_id,
                subnet_id2=subnet_id,
            ),
        )
        require(
            not associate_public_ip_address,
            "InvalidParameterCombination",
            message("error.instance.run_instances.InvalidParameterCombination.4"),
        )
        public = False
    else:
        subnet = topology.get("subnet", subnet_id or "")
        public = (
            subnet.map_public_ip_on_launch
            if associate_public_ip_address is None
            else associate_public_ip_address
        )
        eni = create_network_interface(
            topology,
            subnet_id=subnet.subnet_id,
            private_ip_address=private_ip_address,
            groups=security_group_ids,
            description="Primary network interface",
        )
    subnet = topology.subnets[eni.subnet_id]
    eni = dataclasses.replace(
        eni,
        attachment=Attachment(
            topology.ids.new("eni-attachment"),
            0,
            instance_id,
            delete_on_termination=not network_interface_id,
        ),
    )
    if public:
        eni = set_auto_public_ip(eni, eni.primary_ip, new_public_ip(topology))
    topology.put(eni)
    instance = Instance(
        instance_id=instance_id,
        subnet_id=subnet.subnet_id,
        vpc_id=subnet.vpc_id,
        state="running",
        instance_type=instance_type,
        image_id=image_id,
        key_name=key_name or None,
        availability_zone=subnet.availability_zone,
        reservation_id=topology.ids.new("reservation"),
        associate_public_ip=bool(public),
        tags=parse_tags(tags),
    )
    return topology.put(instance)  # type: ignore[no-any-return]


ACTIONS = {
    "stopped": text("word.action.stopped", "stopped"),
    "started": text("word.action.started", "started"),
    "terminated": text("word.action.terminated", "terminated"),
}


def _state(topology: Topology, instance_id: str, allowed: tuple[str, ...], action: str) -> Instance:
    instance: Instance = topology.get("instance", instance_id)
    if instance.state not in allowed:
        raise refuse(
            "IncorrectInstanceState",
            message(
                "error.instance._state.IncorrectInstanceState",
                instance_id=instance_id,
                state=state_word(instance.state),
                action=message(ACTIONS[action]),
            ),
        )
    return instance


def stop_instances(topology: Topology, *, instance_id: str) -> Instance:
    """Stopped: private IPs and EIPs stay; the auto-assigned public IP is released."""
    instance = _state(topology, instance_id, ("running", "stopped", "pending"), "stopped")
    for eni in topology.enis_of_instance(instance_id):
        topology.put(without_public_ips(eni))
    return topology.put(dataclasses.replace(instance, state="stopped"))  # type: ignore


def start_instances(topology: Topology, *, instance_id: str) -> Instance:
    """Running again, with a *new* auto-assigned public IP if it had one and has one ENI."""
    instance = _state(topology, instance_id, ("stopped", "running"), "started")
    if instance.state == "running":
        return instance
    enis = topology.enis_of_instance(instance_id)
    if instance.associate_public_ip and len(enis) == 1:
        primary = enis[0]
        if topology.eip_for(primary.network_interface_id, primary.primary_ip) is None:
            topology.put(set_auto_public_ip(primary, primary.primary_ip, new_public_ip(topology)))
    return topology.put(dataclasses.replace(instance, state="running"))  # type: ignore


def terminate_instances(topology: Topology, *, instance_id: str) -> Instance:
    """Terminated: ENIs made at launch are deleted (their EIPs disassociated), others detached."""
    instance = _state(
        topology,
        instance_id,
        ("running", "stopped", "pending", "stopping", "terminated"),
        "terminated",
    )
    if instance.state == "terminated":
        return instance
    for eni in topology.enis_of_instance(instance_id):
        free_addresses(topology, eni.network_interface_id)
        if eni.attachment is not None and eni.attachment.delete_on_termination:
            topology.remove("network-interface", eni.network_interface_id)
        else:
            topology.put(dataclasses.replace(without_public_ips(eni), attachment=None))
    return topology.put(dataclasses.replace(instance, state="terminated"))  # type: ignore

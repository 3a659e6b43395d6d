"""The hop-by-hop analysis: follow a packet there and back, recording every decision as a hop.

A blocked hop does not end the walk where the packet could still go on: the walk continues as if
the hop had allowed it, so every problem on the path is reported at once (api-contract), like the
Reachability Analyzer's "blocked path". Every hop after a block on its leg, and the whole reply to
a blocked request, is a *would-be* hop (``after_block``): its message says what *would* happen if
the block were fixed and never that anything is delivered. One problem gets one explanation, even
when both legs meet it (a stopped instance neither receives the request nor sends the reply).
Where a packet cannot go on (no route, no public address at the internet gateway), the path ends.
"""

from __future__ import annotations

import dataclasses
from ipaddress import IPv4Address
from typing import Any

from . import explain, services
from .addressing import is_private
from .asymmetric_reply import drop_asymmetric_reply
from .labels import nacl_entry_label, sg_rule_label
from .model import NatGateway, NetworkInterface, Route, RouteTable, Subnet
from .nacl import evaluate_nacl
from .packet import Header
from .request import Endpoint, ResolvedRequest, resolve_request
from .routing import describe_target, longest_prefix_match
from .security_group import SgDecision, evaluate_security_groups, reply_decision
from .services import Service
from .topology import Topology
from .trace import Analysis, Component, Explanation, Hop

MAX_HOPS = 64  # a routing loop (appliance routes pointing at each other) ends here


def _ref(kind: str, resource: Any, rid: str) -> Component:
    return Component(rid, kind, getattr(resource, "name", None))


class _Stop(Exception):
    """The packet cannot go on: the path ends at the hop just recorded."""


class Walk:
    """One direction of travel. ``reply`` marks the return path (stateful components pass it)."""

    def __init__(
        self,
        topology: Topology,
        path: str,
        *,
        reply: bool,
        nat_table: dict[str, tuple[IPv4Address, int | None, IPv4Address, int | None]],
        target: Endpoint,
        earlier: list[Explanation] | None = None,
    ) -> None:
        self.t = topology
        self.path = path
        self.reply = reply
        self.nat_table = nat_table  # nat id -> (original src, sport, translated src, sport)
        self.target = target
        self.earlier = earlier or []  # the problems of the request's leg, for the reply's leg
        self.via_appliance: NetworkInterface | None = None  # the last middlebox passed
        self.hops: list[Hop] = []
        self.explanations: list[Explanation] = []
        self.delivered = False
        self.final_header: Header | None = None
        self.delivered_to: Endpoint | None = None

    # ---- recording ------------------------------------------------------------------------
    @property
    def blocked(self) -> bool:
        return bool(self.explanations)

    @property
    def would_be(self) -> bool:
        """Is the next hop after a block (of this leg, or of the request this leg answers)?"""
        return bool(self.earlier or self.explanations)

    def verb(self, present: str, *, second: bool = False) -> str:
        """``sends`` where the packet goes, ``would send`` on a would-be hop; ``second`` is the
        second verb of a pair (``maps … and sends`` / ``would map … and send``)."""
        if not self.would_be:
            return present
        return bare(present) if second else f"would {bare(present)}"

    def unless_fixed(self) -> str:
        """What a would-be delivery depends on: `` if the earlier block were fixed``."""
        if not self.would_be:
            return ""
        many = len(self.earlier) + len(self.explanations) > 1
        return f" if the earlier block{'s' if many else ''} were fixed"

    def explained(
        self, code: str, component: Component, fix: str, direction: str | None = None
    ) -> bool:
        """One problem, one explanation: is this block one already explained, with the very same
        fix? (A stopped instance neither receives the request nor sends the reply; a network ACL
        shared by two subnets misses one rule for both.) Such a hop is recorded as what it
        becomes once that fix is made."""
        key = (code, component.id, direction, fix)
        return any(
            (e.code, e.component.id, e.direction, e.suggested_fix) == key
            for e in (*self.earlier, *self.explanations)
        )

    def hop(
        self,
        component: Component,
        action: str,
        header: Header,
        message: str,
        out: Header | None = None,
        **details: Any,
    ) -> Hop:
        if len(self.hops) >= MAX_HOPS:
            self.hops.append(
                Hop(
                    component,
                    "blocked",
                    header,
                    header,
                    "The packet is going round in circles: the routes form a loop.",
                    after_block=self.would_be,
                )
            )
            self.explanations.append(
                Explanation(
                    "NO_PATH",
                    self.path,
                    component,
                    "The routes send the packet round in a loop, so it never arrives.",
                    "Check the routes to network interfaces and instances: one must lead out.",
                )
            )
            raise _Stop
        hop = Hop(
            component,
            action,
            header,
            out or header,
            message,
            {k: v for k, v in details.items() if v is not None},
            after_block=self.would_be,
        )
        self.hops.append(hop)
        return hop

    def block(
        self,
        component: Component,
        header: Header,
        code: str,
        message: str,
        fix: str,
        *,
        direction: str | None = None,
        refs: dict[str, Any] | None = None,
        stop: bool = False,
        **details: Any,
    ) -> None:
        self.hop(component, "blocked", header, message, **details)
        self.explanations.append(
            Explanation(code, self.path, component, message, fix, direction, refs or {})
        )
        if stop:
            raise _Stop

    def run(self, start: Endpoint, header: Header) -> None:
        try:
            if start.service is not None:
                self.answer_from_service(start.service, header)
            elif start.eni is not None:
                self.emit_from_eni(start.eni, header)
            else:
                self.on_internet(header)
        except _Stop:
            pass

    # ---- an ENI sends ---------------------------------------------------------------------
    def emit_from_eni(self, eni: NetworkInterface, header: Header) -> None:
        instance = self.t.instances.get(eni.instance_id or "")
        if instance is not None:
            ref = _ref("instance", instance, instance.instance_id)
            if self.running(ref, instance, header):
                self.hop(
                    ref,
                    "sent",
                    header,
                    f"Instance {instance.instance_id} {self.verb('sends')} the {self.what}: "
                    f"{header.describe()}.",
                )
        self.eni_hop(eni, header, sending=True)
        if self.target.service is not None and not self.reply:
            self.to_service(eni, self.target.service, header)
            return
        self.security_groups(eni, header, "egress")
        self.leave_subnet(self.t.subnets[eni.subnet_id], header)

    # ---- AWS-provided services: the Amazon DNS server, instance metadata, Time Sync ---------
    def to_service(self, eni: NetworkInterface, service: Service, header: Header) -> None:
        """Straight from the interface to the service: no security group, network ACL or route
        table is consulted on the way (services.py cites the AWS documentation)."""
        ref = _service_ref(service, eni.vpc_id)
        refused = services.refusal(self.t, service, eni.vpc_id, header)
        if refused is not None:
            self.block(
                ref,
                header,
                refused.code,
                refused.message,
                refused.fix,
                refs=refused.refs,
                stop=True,
            )
            return
        self.hop(
            ref,
            "delivered",
            header,
            f"The {ref.name} {self.verb('receives')} the {self.what} at {service.address}"
            f"{self.unless_fixed()}. {services.UNFILTERED}",
        )
        self.delivered = True
        self.final_header = header
        answering = Service(service.kind, service.address, eni.vpc_id)
        self.delivered_to = Endpoint(str(service.address), service.address, service=answering)

    def answer_from_service(self, service: Service, header: Header) -> None:
        self.hop(
            _service_ref(service, service.vpc_id),
            "sent",
            header,
            f"The {service.title} {self.verb('sends')} the reply: {header.describe()}. "
            f"{services.UNFILTERED_REPLY}",
        )
        assert self.target.eni is not None  # only an instance's interface asks a service
        self.receive(self.target.eni, header)

    @property
    def what(self) -> str:
        return "reply" if self.reply else "packet"

    def running(self, ref: Component, instance: Any, header: Header) -> bool:
        """Only a running instance sends or receives (BAD_STATE); the walk goes on. False when
        this hop is the block; a block the request's leg already explained is not repeated."""
        fix = f"Start instance {instance.instance_id}."
        if instance.state == "running" or self.explained("BAD_STATE", ref, fix):
            return True
        self.block(
            ref,
            header,
            "BAD_STATE",
            f"Instance {instance.instance_id} is {instance.state}; only a running "
            "instance sends or receives traffic.",
            fix,
            refs={"instance": {"id": instance.instance_id}},
        )
        return False

    def eni_hop(self, eni: NetworkInterface, header: Header, *, sending: bool) -> None:
        ref = _ref("network-interface", eni, eni.network_interface_id)
        attached = {"id": eni.instance_id, "type": "instance"} if eni.instance_id else None
        eni_id = eni.network_interface_id
        fix = f"Attach {eni_id} to an instance."
        if (
            eni.attachment is None
            and eni.interface_type == "interface"
            and not self.explained("BAD_STATE_ATTACHMENT", ref, fix)
        ):
            self.block(
                ref,
                header,
                "BAD_STATE_ATTACHMENT",
                f"Network interface {eni_id} is not attached to an "
                "instance, so nothing sends or receives through it.",
                fix,
                refs={"network_interface": {"id": eni_id}},
            )
            return
        own = header.source_ip if sending else header.destination_ip
        fix = (
            f"Disable the source/destination check on {eni_id} "
            "(needed for NAT instances and routers)."
        )
        if (
            own not in eni.addresses
            and eni.source_dest_check
            and not self.explained("ENI_SOURCE_DEST_CHECK_RESTRICTION", ref, fix)
        ):
            which = "from" if sending else "to"
            self.block(
                ref,
                header,
                "ENI_SOURCE_DEST_CHECK_RESTRICTION",
                f"Network interface {eni_id} has the source/destination "
                f"check on, so it drops traffic {which} {own}, which is not one of its own "
                "addresses.",
                fix,
                refs={"network_interface": {"id": eni_id}},
                attached_to=attached,
            )
            return
        verb = self.verb("sends" if sending else "receives")
        self.hop(
            ref,
            "forwarded",
            header,
            f"Network interface {eni_id} ({own}) {verb} the {self.what}.",
            attached_to=attached,
        )

    # ---- security groups ------------------------------------------------------------------
    def security_groups(self, eni: NetworkInterface, header: Header, direction: str) -> None:
        if eni.interface_type != "interface" or not eni.groups:
            return  # NAT gateway and other service ENIs have no security group (VPC UG)
        if self.reply:
            decision = reply_decision(self.t, eni.groups, direction)
        else:
            decision = evaluate_security_groups(
                self.t,
                eni.groups,
                header,
                direction,
                eni.vpc_id,
                through_appliance=direction == "ingress" and self.via_appliance is not None,
            )
        groups = [g.group_id for g in decision.groups] or list(eni.groups)
        group = decision.ignored_group or decision.group or next(iter(decision.groups), None)
        ref = _ref("security-group", group, group.group_id if group else groups[0])
        if decision.allowed:
            self._sg_allowed(ref, decision, groups, header)
        else:
            self._sg_blocked(eni, ref, decision, groups, header)

    def _sg_allowed(
        self, ref: Component, decision: SgDecision, groups: list[str], header: Header
    ) -> None:
        direction = decision.direction
        way = "inbound" if direction == "ingress" else "outbound"
        if decision.reason == "reply":
            self.hop(
                ref,
                "allowed",
                header,
                f"Security groups are stateful: the reply of an allowed connection "
                f"{self.verb('passes')} {', '.join(groups)} whatever their {way} rules.",
                security_groups=groups,
                security_group_rule={"direction": direction, "reply": True},
            )
            return
        rule = decision.rule
        assert rule is not None
        self.hop(
            ref,
            "allowed",
            header,
            f"Security group {ref.id} {self.verb('allows')} it {way}: {sg_rule_label(rule)}.",
            security_groups=groups,
            security_group_rule=_sg_rule_json(rule, direction),
        )

    def _sg_blocked(
        self,
        eni: NetworkInterface,
        ref: Component,
        decision: SgDecision,
        groups: list[str],
        header: Header,
    ) -> None:
        direction = decision.direction
        way = "inbound" if direction == "ingress" else "outbound"
        code = "SG_HAS_NO_RULES" if decision.reason == "no-rules" else "ENI_SG_RULES_MISMATCH"
        refs: dict[str, Any] = {
            "network_interface": {"id": eni.network_interface_id},
            "security_groups": [{"id": g} for g in groups],
        }
        if decision.ignored_rule is not None and self.via_appliance is not None:
            message, fix = self._sg_through_appliance(eni, ref, decision, groups, header)
            refs["appliance"] = {"id": self.via_appliance.network_interface_id}
            refs["referenced_group"] = {"id": decision.ignored_rule.group_id}
        else:
            message = _sg_refusal(eni, groups, header, way, code)
            fix = explain.sg_fix(self.t, ref.id, header, direction=direction)
        if self.explained(code, ref, fix, direction):
            self.hop(
                ref,
                "allowed",
                header,
                f"Security group {ref.id} would allow it {way} once the fix above is made "
                "(the same rule is missing here).",
                security_groups=groups,
            )
            return
        self.block(
            ref, header, code, message, fix, direction=direction, refs=refs, security_groups=groups
        )

    def _sg_through_appliance(
        self,
        eni: NetworkInterface,
        ref: Component,
        decision: SgDecision,
        groups: list[str],
        header: Header,
    ) -> tuple[str, str]:
        """A rule referencing the sender's group would allow it, but a middlebox forwarded the
        packet: such a rule does not match (security_group.py cites the AWS guide)."""
        rule, appliance = decision.ignored_rule, self.via_appliance
        assert rule is not None and appliance is not None
        message = (
            f"{_sg_refusal(eni, groups, header, 'inbound', 'ENI_SG_RULES_MISMATCH')} The rule "
            f"{sg_rule_label(rule)} of {ref.id} references {rule.group_id}, but the packet came "
            f"through the appliance {appliance.network_interface_id}, and a rule that references "
            "a security group does not match traffic a middlebox appliance forwards."
        )
        return message, explain.sg_fix_through_appliance(self.t, ref.id, header)

    # ---- network ACLs ---------------------------------------------------------------------
    def network_acl(self, subnet: Subnet, header: Header, *, egress: bool) -> None:
        acl = self.t.network_acl_for(subnet.subnet_id)
        if acl is None:
            return
        decision = evaluate_nacl(acl, header, egress=egress)
        entry = decision.entry
        ref = _ref("network-acl", acl, acl.network_acl_id)
        rule_json = _nacl_rule_json(entry)
        leaves = "leaves" if egress else "enters"
        if decision.allowed:
            self.hop(
                ref,
                "allowed",
                header,
                f"Network ACL {acl.network_acl_id} {self.verb('allows')} the "
                f"{self.what} as it {leaves} {subnet.subnet_id}: {rule_json['label']}.",
                acl_rule=rule_json,
                subnet={"id": subnet.subnet_id},
            )
            return
        # A reply is addressed to the client's ephemeral port (VPC UG: nacl-ephemeral-ports).
        ephemeral = self.reply and header.protocol in ("tcp", "udp")
        fix = explain.nacl_fix(
            self.t, acl, header, egress=egress, matched_rule=entry.rule_number, ephemeral=ephemeral
        )
        direction = "egress" if egress else "ingress"
        if self.explained("SUBNET_ACL_RESTRICTION", ref, fix, direction):
            self.hop(
                ref,
                "allowed",
                header,
                f"Network ACL {acl.network_acl_id} would allow the {self.what} as it {leaves} "
                f"{subnet.subnet_id} once the fix above is made (the same rule is missing here).",
                subnet={"id": subnet.subnet_id},
            )
            return
        self.block(
            ref,
            header,
            "SUBNET_ACL_RESTRICTION",
            self._nacl_message(acl.network_acl_id, subnet, header, rule_json, egress, ephemeral),
            fix,
            direction=direction,
            refs={
                "subnet": {"id": subnet.subnet_id},
                "acl_rule": {"rule_number": entry.rule_number, "rule_action": entry.rule_action},
            },
            acl_rule=rule_json,
            subnet={"id": subnet.subnet_id},
        )

    def _nacl_message(
        self,
        acl_id: str,
        subnet: Subnet,
        header: Header,
        rule_json: dict[str, Any],
        egress: bool,
        ephemeral: bool,
    ) -> str:
        number = rule_json["rule_number"]
        way = "outbound" if egress else "inbound"
        rule_words = "no rule allows" if number == 32767 else f"rule {number} denies"
        message = (
            f"The network ACL {acl_id} of subnet {subnet.subnet_id}: "
            f"{rule_words} {way} {explain.traffic_words(header)} "
            f"{'to' if egress else 'from'} "
            f"{header.destination_ip if egress else header.source_ip}, so the "
            f"{self.what} is dropped ({rule_json['label']})."
        )
        if ephemeral:
            message += (
                f" Network ACLs are stateless: allow the client's ephemeral ports "
                f"({explain.EPHEMERAL_RANGE[0]}-{explain.EPHEMERAL_RANGE[1]}) {way}."
            )
        return message

    # ---- leaving a subnet: NACL, then the route table -------------------------------------
    def leave_subnet(self, subnet: Subnet, header: Header) -> None:
        dst = header.destination_ip
        local = self.t.eni_with_private_ip(subnet.vpc_id, dst)
        if local is not None and local.subnet_id == subnet.subnet_id:
            # Inside one subnet neither route tables nor NACLs apply (VPC UG: vpc-network-acls,
            # "NACLs are evaluated when traffic enters or leaves a subnet").
            self.arrive_at_eni(local, header)
            return
        self.network_acl(subnet, header, egress=True)
        rtb = self.t.route_table_for(subnet.subnet_id)
        if rtb is None:
            self.block(
                Component(subnet.subnet_id, "subnet", subnet.name),
                header,
                "UNASSOCIATED_COMPONENT",
                f"Subnet {subnet.subnet_id} has no route table (its VPC has no main table).",
                f"Associate a route table with {subnet.subnet_id}.",
                stop=True,
            )
            return
        decision = longest_prefix_match(self.t, rtb, dst)
        ref = _ref("route-table", rtb, rtb.route_table_id)
        route = decision.route
        if route is None:
            self.block(
                ref,
                header,
                "NO_ROUTE_TO_DESTINATION",
                f"Route table {rtb.route_table_id} of subnet {subnet.subnet_id} has no route "
                f"that matches {dst}, so the {'reply' if self.reply else 'packet'} "
                "cannot leave the subnet.",
                self._route_fix(rtb, subnet, dst),
                refs={
                    "route_table": {"id": rtb.route_table_id},
                    "subnet": {"id": subnet.subnet_id},
                },
                stop=True,
            )
            return
        route_json = {
            "destination": str(route.destination),
            "target": describe_target(route),
            "target_type": route.target_type,
            "state": decision.state,
        }
        if decision.state == "blackhole":
            self.block(
                ref,
                header,
                "BAD_STATE_ROUTE",
                f"The route {route.destination} → {describe_target(route)} in "
                f"{rtb.route_table_id} is a blackhole: its target is deleted or detached, "
                "so matching traffic is dropped.",
                f"Replace the route {route.destination} in {rtb.route_table_id} with one to "
                "a target that exists (or re-attach the gateway).",
                refs={"route_table": {"id": rtb.route_table_id}},
                route=route_json,
                stop=True,
            )
            return
        self.hop(
            ref,
            "forwarded",
            header,
            f"Route table {rtb.route_table_id} {self.verb('sends')} {dst} to "
            f"{describe_target(route)} "
            f"(route {route.destination}, the longest prefix that matches).",
            route=route_json,
            subnet={"id": subnet.subnet_id},
        )
        self.follow_route(route, rtb, subnet, header)

    def _route_fix(self, rtb: RouteTable, subnet: Subnet, dst: IPv4Address) -> str:
        if not is_private(dst):
            igw = self.t.internet_gateway_of(subnet.vpc_id)
            if igw is not None:
                return (
                    f"Add the route 0.0.0.0/0 → {igw.internet_gateway_id} to {rtb.route_table_id}."
                )
            return (
                f"Create an internet gateway, attach it to {subnet.vpc_id} and add the route "
                f"0.0.0.0/0 → igw-… to {rtb.route_table_id}."
            )
        for pcx in self.t.peerings.values():
            peer = self.t.vpcs.get(pcx.peer_of(subnet.vpc_id) or "")
            if peer is not None and peer.contains(dst):
                block = next(b for b in peer.cidr_blocks if dst in b)
                return (
                    f"Add the route {block} → {pcx.vpc_peering_connection_id} to "
                    f"{rtb.route_table_id}."
                )
        return f"Add a route that covers {dst} to {rtb.route_table_id}."

    def follow_route(self, route: Route, rtb: RouteTable, subnet: Subnet, header: Header) -> None:
        kind = route.target_type
        if kind == "local":
            self.deliver_in_vpc(subnet.vpc_id, header)
        elif kind == "internet-gateway":
            self.exit_igw(route.target_id, subnet.vpc_id, header)
        elif kind == "nat-gateway":
            self.to_nat_gateway(self.t.nat_gateways[route.target_id], header)
        elif kind == "vpc-peering-connection":
            self.cross_peering(route.target_id, subnet.vpc_id, header)
        elif kind in ("network-interface", "instance"):
            eni = (
                self.t.network_interfaces.get(route.target_id)
                if kind == "network-interface"
                else self.t.primary_eni(route.target_id)
            )
            if eni is None:
                self.block(
                    _ref("route-table", rtb, rtb.route_table_id),
                    header,
                    "BAD_STATE_ROUTE",
                    f"The target {route.target_id} has no network interface.",
                    f"Replace the route {route.destination}.",
                    stop=True,
                )
                return
            self.to_appliance(eni, subnet, header)
        else:
            self.block(
                Component(route.target_id, kind),
                header,
                "UNSUPPORTED_COMPONENT",
                f"The route {route.destination} sends the packet to {route.target_id} "
                f"({kind.replace('-', ' ')}), which the lab does not model, so the "
                "analysis ends here.",
                "None in the lab: this path leaves the part of the network it simulates.",
                refs={"route_table": {"id": rtb.route_table_id}},
                stop=True,
            )

    # ---- inside a VPC -----------------------------------------------------------------------
    def deliver_in_vpc(self, vpc_id: str, header: Header) -> None:
        eni = self.t.eni_with_private_ip(vpc_id, header.destination_ip)
        if eni is None:
            vpc = self.t.vpcs[vpc_id]
            self.block(
                _ref("vpc", vpc, vpc_id),
                header,
                "NO_PATH",
                f"No network interface in {vpc_id} has the address "
                f"{header.destination_ip}, so nothing receives the packet.",
                "Check the destination address.",
                stop=True,
            )
            return
        self.network_acl(self.t.subnets[eni.subnet_id], header, egress=False)
        self.arrive_at_eni(eni, header)

    def arrive_at_eni(self, eni: NetworkInterface, header: Header) -> None:
        nat = self.t.nat_gateway_of_eni(eni.network_interface_id)
        if nat is not None:
            self.at_nat_gateway_from_outside(nat, header)
            return
        self.security_groups(eni, header, "ingress")
        self.receive(eni, header)

    def receive(self, eni: NetworkInterface, header: Header) -> None:
        """Past the security groups: the interface takes the packet, for its instance or to
        forward it on (an appliance)."""
        self.eni_hop(eni, header, sending=False)
        if header.destination_ip not in eni.addresses:
            self.forward_from_appliance(eni, header)
            return
        instance = self.t.instances.get(eni.instance_id or "")
        if instance is not None:
            ref = _ref("instance", instance, instance.instance_id)
            if self.running(ref, instance, header):
                self.hop(
                    ref,
                    "delivered",
                    header,
                    f"Instance {instance.instance_id} {self.verb('receives')} the {self.what}"
                    f"{self.unless_fixed()}.",
                )
        self.delivered = True
        self.final_header = header
        self.delivered_to = Endpoint(eni.network_interface_id, header.destination_ip, eni, instance)

    # ---- appliances: routes to an ENI or instance -------------------------------------------
    def to_appliance(self, eni: NetworkInterface, from_subnet: Subnet, header: Header) -> None:
        if eni.subnet_id != from_subnet.subnet_id:
            self.network_acl(self.t.subnets[eni.subnet_id], header, egress=False)
        self.arrive_at_eni(eni, header)

    def forward_from_appliance(self, eni: NetworkInterface, header: Header) -> None:
        """An instance that routes (source/dest check off) sends the packet on unchanged.

        *(Our choice: the lab cannot see an appliance's own NAT rules, so it forwards as a
        router would, without translating.)* From here on, a rule referencing the sender's group
        no longer matches at the destination (security_group.py). *(Our choice, AWS is silent:
        the appliance's own groups judge the packet as usual, references included, since it
        arrives there straight from its sender; and a rule referencing the appliance's group
        does not match at the destination either, since the packet still carries the
        sender's address.)*
        """
        self.security_groups(eni, header, "egress")
        self.via_appliance = eni
        self.leave_subnet(self.t.subnets[eni.subnet_id], header)

    # ---- internet gateway -----------------------------------------------------------------
    def exit_igw(self, igw_id: str, vpc_id: str, header: Header) -> None:
        igw = self.t.internet_gateways[igw_id]
        ref = _ref("internet-gateway", igw, igw_id)
        src, dst = header.source_ip, header.destination_ip
        if is_private(dst):
            self.block(
                ref,
                header,
                "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS",
                f"Internet gateway {igw_id} does not send traffic to the private address "
                f"{dst}: private (RFC 1918) addresses are not reachable on the internet.",
                f"Route {dst} through a peering connection or gateway that reaches it, "
                "not the internet gateway.",
                stop=True,
            )
        public = self._public_address_of(vpc_id, src)
        if public is None:
            owner = self.t.eni_with_private_ip(vpc_id, src)
            who = owner.network_interface_id if owner else str(src)
            self.block(
                ref,
                header,
                "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
                f"Internet gateway {igw_id} drops the packet: its source {src} "
                f"({who}) has no public IP or Elastic IP to translate to, so a reply "
                "could never come back.",
                f"Allocate an Elastic IP and associate it with {who}, or route 0.0.0.0/0 "
                "from its subnet through a NAT gateway in a public subnet.",
                refs={"network_interface": {"id": who}},
                stop=True,
            )
            return
        out = dataclasses.replace(header, source_ip=public)
        self.hop(
            ref,
            "translated",
            header,
            f"Internet gateway {igw_id} {self.verb('maps')} the private source {src} to its "
            f"public address {public} (1:1 static NAT) and "
            f"{self.verb('sends', second=True)} the packet to the internet.",
            out=out,
        )
        if self.target.via_igw and self.target.via_igw != igw_id and not self.reply:
            self.block(
                ref,
                out,
                "NO_PATH",
                f"The packet leaves through {igw_id}, not {self.target.via_igw}.",
                f"Route the traffic to {self.target.via_igw}.",
                stop=True,
            )
        self.on_internet(out)

    def _public_address_of(self, vpc_id: str, private: IPv4Address) -> IPv4Address | None:
        eni = self.t.eni_with_private_ip(vpc_id, private)
        if eni is None:
            return None
        nat = self.t.nat_gateway_of_eni(eni.network_interface_id)
        if nat is not None:
            return nat.public_ip
        return self.t.public_ip_of(eni, private)

    def on_internet(self, header: Header) -> None:
        dst = header.destination_ip
        service = self.target.service
        if service is not None and not self.reply:
            # Link-local and VPC+2 addresses are reached from inside a VPC only (services.py).
            self.block(
                _service_ref(service, service.vpc_id),
                header,
                "NO_PATH",
                f"{dst} is a link-local address (169.254.0.0/16): it never leaves an "
                "instance's own link, so no host on the internet reaches it."
                if service.kind == "link-local"
                else f"{dst} is the {service.title}: it answers only instances inside "
                f"{service.vpc_id or 'their VPC'}, never a host on the internet.",
                f"Test from an instance inside {service.vpc_id or 'a VPC'}.",
                refs={"vpc": {"id": service.vpc_id}} if service.vpc_id else None,
                stop=True,
            )
        owner = self.t.owner_of_public_ip(dst)
        if owner is not None:
            self.enter_via_igw(owner[0].vpc_id, header)
            return
        eip = next((a for a in self.t.addresses.values() if a.public_ip == dst), None)
        if eip is not None:
            self.block(
                _ref("address", eip, eip.allocation_id),
                header,
                "NO_PATH",
                f"The Elastic IP {dst} ({eip.allocation_id}) is not associated with any "
                "network interface, so nothing answers at it.",
                f"Associate {eip.allocation_id} with an instance or network interface.",
                stop=True,
            )
            return
        target_eni = self.target.eni
        if target_eni is not None and dst in target_eni.addresses:
            # A private address named from the internet: the IGW of its VPC explains the drop.
            self.enter_via_igw(target_eni.vpc_id, header)
            return
        if not is_private(dst) or not self.target.inside:
            self.hop(
                Component("internet", "internet", str(dst)),
                "delivered",
                header,
                f"The {self.what} {self.verb('reaches')} the internet host {dst}"
                f"{self.unless_fixed()}.",
            )
            self.delivered = True
            self.final_header = header
            self.delivered_to = Endpoint(str(dst), dst)
            return
        self.block(
            Component("internet", "internet"),
            header,
            "NO_PATH",
            f"{dst} is a private address: the internet cannot deliver to it.",
            "Address the instance by its public IP or Elastic IP.",
            stop=True,
        )

    def enter_via_igw(self, vpc_id: str, header: Header) -> None:
        igw = self.t.internet_gateway_of(vpc_id)
        if igw is None:
            vpc = self.t.vpcs[vpc_id]
            self.block(
                _ref("vpc", vpc, vpc_id),
                header,
                "NO_PATH",
                f"{vpc_id} has no internet gateway attached, so nothing from the internet "
                "can enter it.",
                f"Create an internet gateway and attach it to {vpc_id}.",
                stop=True,
            )
            return
        ref = _ref("internet-gateway", igw, igw.internet_gateway_id)
        if is_private(header.source_ip):
            self.block(
                ref,
                header,
                "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS",
                f"Internet gateway {igw.internet_gateway_id} drops traffic from the private "
                f"address {header.source_ip}.",
                "Use a public source address.",
                stop=True,
            )
        owner = self.t.owner_of_public_ip(header.destination_ip)
        if owner is None or owner[0].vpc_id != vpc_id or owner[0].attachment is None:
            eni = self.t.eni_with_private_ip(vpc_id, header.destination_ip)
            who = eni.network_interface_id if eni else str(header.destination_ip)
            self.block(
                ref,
                header,
                "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
                f"Internet gateway {igw.internet_gateway_id} only accepts traffic to the "
                f"public IP of a network interface; {header.destination_ip} is not one, so "
                "the packet is dropped.",
                f"Allocate an Elastic IP, associate it with {who}, and connect to the Elastic IP.",
                refs={"network_interface": {"id": who}},
                stop=True,
            )
            return
        eni, private = owner
        out = dataclasses.replace(header, destination_ip=private)
        self.hop(
            ref,
            "translated",
            header,
            f"Internet gateway {igw.internet_gateway_id} {self.verb('maps')} "
            f"{header.destination_ip} to the private address {private}.",
            out=out,
        )
        self.network_acl(self.t.subnets[eni.subnet_id], out, egress=False)
        self.arrive_at_eni(eni, out)

    # ---- NAT gateway ------------------------------------------------------------------------
    def to_nat_gateway(self, nat: NatGateway, header: Header) -> None:
        """Source NAT to the gateway's private IP and a remapped port (VPC UG: vpc-nat-gateway)."""
        ref = _ref("nat-gateway", nat, nat.nat_gateway_id)
        nat_subnet = self.t.subnets[nat.subnet_id]
        src_eni = self.t.eni_with_private_ip(nat.vpc_id, header.source_ip)
        if src_eni is None or src_eni.subnet_id != nat.subnet_id:
            self.network_acl(nat_subnet, header, egress=False)
        vpc = self.t.vpcs[nat.vpc_id]
        if not vpc.contains(header.source_ip):
            self.block(
                ref,
                header,
                "NGW_REQUIRES_SOURCE_IN_VPC",
                f"NAT gateway {nat.nat_gateway_id} only serves sources in {nat.vpc_id}; "
                f"{header.source_ip} is not.",
                "Give the peered VPC a NAT gateway of its own.",
            )
        port = _remap_port(header)
        out = dataclasses.replace(
            header,
            source_ip=nat.private_ip,
            source_port=port if header.protocol != "icmp" else None,
        )
        self.nat_table[nat.nat_gateway_id] = (
            header.source_ip,
            header.source_port,
            nat.private_ip,
            out.source_port,
        )
        ports = f", source port {header.source_port} → {port}" if header.protocol != "icmp" else ""
        self.hop(
            ref,
            "translated",
            header,
            f"NAT gateway {nat.nat_gateway_id} {self.verb('replaces')} the source "
            f"{header.source_ip} with its own private address {nat.private_ip}{ports}.",
            out=out,
            notes=[{"code": "NGW_SOURCE_ADDRESS_REASSIGN"}]
            + ([{"code": "REMAP_EPHEMERAL_PORT"}] if header.protocol != "icmp" else []),
        )
        self.leave_subnet(nat_subnet, out)

    def at_nat_gateway_from_outside(self, nat: NatGateway, header: Header) -> None:
        ref = _ref("nat-gateway", nat, nat.nat_gateway_id)
        entry = self.nat_table.get(nat.nat_gateway_id)
        if not self.reply or entry is None:
            self.block(
                ref,
                header,
                "NGW_REQUIRES_SOURCE_IN_VPC",
                f"NAT gateway {nat.nat_gateway_id} never accepts connections initiated "
                "from outside; it only carries replies to connections its VPC opened.",
                "To reach an instance from the internet, give it a public IP or Elastic "
                "IP in a public subnet (or use a bastion host).",
                stop=True,
            )
            return
        original_src, original_port, _, _ = entry
        out = dataclasses.replace(
            header, destination_ip=original_src, destination_port=original_port
        )
        self.hop(
            ref,
            "translated",
            header,
            f"NAT gateway {nat.nat_gateway_id} {self.verb('translates')} the reply back to "
            f"{original_src}" + (f":{original_port}" if original_port else "") + ".",
            out=out,
        )
        self.leave_subnet(self.t.subnets[nat.subnet_id], out)

    # ---- peering ----------------------------------------------------------------------------
    def cross_peering(self, pcx_id: str, vpc_id: str, header: Header) -> None:
        pcx = self.t.peerings[pcx_id]
        ref = _ref("vpc-peering-connection", pcx, pcx_id)
        if pcx.status != "active":
            self.block(
                ref,
                header,
                "BAD_STATE",
                f"Peering connection {pcx_id} is {pcx.status}; it carries traffic only "
                "once accepted (active).",
                f"Accept {pcx_id}.",
                stop=True,
            )
        peer_id = pcx.peer_of(vpc_id)
        peer = self.t.vpcs.get(peer_id or "")
        if peer is None:
            self.block(
                ref,
                header,
                "UNSUPPORTED_COMPONENT",
                f"Peering connection {pcx_id} leads to {peer_id}, which is not in this "
                "topology, so the analysis ends here.",
                f"Import {peer_id} to follow the path further.",
                stop=True,
            )
            return
        local = self.t.vpcs[vpc_id]
        if not peer.contains(header.destination_ip) or not local.contains(header.source_ip):
            self.block(
                ref,
                header,
                "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
                f"Peering connection {pcx_id} carries only traffic between addresses of "
                f"{vpc_id} and {peer.vpc_id}; peering is not transitive, so "
                f"{header.source_ip} → {header.destination_ip} is dropped.",
                "Peer the two VPCs directly, or use a transit gateway.",
                stop=True,
            )
        self.hop(
            ref,
            "forwarded",
            header,
            f"Peering connection {pcx_id} {self.verb('carries')} the packet from {vpc_id} "
            f"to {peer.vpc_id}.",
        )
        self.deliver_in_vpc(peer.vpc_id, header)


def _service_ref(service: Service, vpc_id: str | None) -> Component:
    name = f"{service.title} of {vpc_id}" if vpc_id and service.kind == "amazon-dns" else None
    return Component(str(service.address), service.kind, name or service.title)


def bare(verb: str) -> str:
    """The bare infinitive of a verb in the third person: what follows ``would``.

    >>> [bare(v) for v in ("sends", "passes", "carries", "reaches", "receives", "maps")]
    ['send', 'pass', 'carry', 'reach', 'receive', 'map']
    """
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("sses", "ches", "shes", "xes")):
        return verb[:-2]
    return verb[:-1]


def _remap_port(header: Header) -> int:
    """A deterministic port in 1024-65535 for the NAT gateway's translation (teaching aid)."""
    seed = (int(header.source_ip) * 31 + (header.source_port or 0)) % 64512
    return 1024 + seed


def _sg_refusal(
    eni: NetworkInterface, groups: list[str], header: Header, way: str, code: str
) -> str:
    if code == "SG_HAS_NO_RULES":
        return (
            f"The security groups {', '.join(groups)} of {eni.network_interface_id} "
            f"have no {way} rules at all, so they allow no {way} traffic."
        )
    peer = f"from {header.source_ip}" if way == "inbound" else f"to {header.destination_ip}"
    return (
        f"No {way} rule of the security groups {', '.join(groups)} of "
        f"{eni.network_interface_id} allows {explain.traffic_words(header)} {peer}."
    )


def _nacl_rule_json(entry: Any) -> dict[str, Any]:
    return {
        "rule_number": entry.rule_number,
        "egress": entry.egress,
        "rule_action": entry.rule_action,
        "cidr": str(entry.cidr),
        "protocol": entry.protocol,
        "port_range": list(entry.port_range) if entry.port_range else None,
        "label": nacl_entry_label(entry),
    }


def _sg_rule_json(rule: Any, direction: str) -> dict[str, Any]:
    port_range = None
    if rule.protocol in ("tcp", "udp"):
        port_range = [rule.from_port, rule.to_port]
    return {
        "direction": direction,
        "protocol": rule.protocol,
        "port_range": port_range,
        "cidr": str(rule.cidr) if rule.cidr is not None else None,
        "referenced_group": rule.group_id,
        "label": sg_rule_label(rule),
    }


def analyze(topology: Topology, request: dict[str, Any]) -> Analysis:
    """Can ``source`` reach ``destination``, hop by hop there and back, and if not, why?

    >>> # analyze(topology, {"source": "203.0.113.5", "destination": "i-…", "protocol": "tcp",
    >>> #                    "destination_port": 22}).reachable
    """
    resolved = resolve_request(topology, request)
    return trace(topology, resolved)


def trace(topology: Topology, req: ResolvedRequest) -> Analysis:
    nat_table: dict[str, Any] = {}
    forward = Walk(topology, "forward", reply=False, nat_table=nat_table, target=req.destination)
    forward.run(req.source, req.header)
    back: Walk | None = None
    if forward.delivered and forward.final_header is not None and forward.delivered_to is not None:
        # The reply to a blocked request exists only once the block is fixed: all of it is a
        # would-be path (``earlier`` carries the request's problems).
        back = Walk(
            topology,
            "return",
            reply=True,
            nat_table=nat_table,
            target=req.source,
            earlier=forward.explanations,
        )
        back.run(forward.delivered_to, forward.final_header.reply())
        if (
            back.delivered
            and back.final_header is not None
            and back.final_header.source_ip != req.header.destination_ip
        ):
            drop_asymmetric_reply(
                topology, back.hops, back.explanations, back.final_header.source_ip, req
            )
    explanations = forward.explanations + (back.explanations if back else [])
    reachable = forward.delivered and back is not None and back.delivered and not explanations
    return Analysis(reachable, req.echo, forward.hops, back.hops if back else [], explanations)

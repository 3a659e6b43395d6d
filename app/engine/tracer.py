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
from .labels import nacl_entry_label, sg_rule_label, sg_rule_words
from .messages import Message, join, message
from .model import NatGateway, NetworkInterface, Route, RouteTable, Subnet
from .nacl import evaluate_nacl
from .packet import Header
from .request import Endpoint, ResolvedRequest, resolve_request
from .routing import describe_target, longest_prefix_match
from .security_group import SgDecision, evaluate_security_groups, reply_decision
from .services import Service
from .topology import Topology
from .trace import Analysis, Component, Explanation, Hop
from .wording import said_header, state_word

# The words of every decision are declared (``text(id, English)``) in wording.py.

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

    def said(self, message_id: str, **params: Any) -> Message:
        """A hop's message: ``<id>`` where the packet goes (``sends``), ``<id>.would`` on a
        would-be hop (``would send``), whose delivery waits on the earlier ``blocks``."""
        if not self.would_be:
            return message(message_id, **params)
        many = len(self.earlier) + len(self.explanations) > 1
        blocks = message("word.blocks" if many else "word.block")
        return message(f"{message_id}.would", blocks=blocks, **params)

    @property
    def what_word(self) -> Message:
        return message("word.reply" if self.reply else "word.packet")

    def explained(
        self, code: str, component: Component, fix: Message, direction: str | None = None
    ) -> bool:
        """One problem, one explanation: is this block one already explained, with the very same
        fix? (A stopped instance neither receives the request nor sends the reply; a network ACL
        shared by two subnets misses one rule for both.) Such a hop is recorded as what it
        becomes once that fix is made."""
        key = (code, component.id, direction, str(fix))
        return any(
            (e.code, e.component.id, e.direction, str(e.suggested_fix)) == key
            for e in (*self.earlier, *self.explanations)
        )

    def hop(
        self,
        component: Component,
        action: str,
        header: Header,
        words: Message,
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
                    str(loop := message("hop.loop")),
                    after_block=self.would_be,
                    said=loop,
                )
            )
            self.explanations.append(
                Explanation.of(
                    "NO_PATH",
                    self.path,
                    component,
                    message("explain.loop"),
                    message("fix.loop"),
                )
            )
            raise _Stop
        hop = Hop(
            component,
            action,
            header,
            out or header,
            str(words),
            {k: v for k, v in details.items() if v is not None},
            after_block=self.would_be,
            said=words,
        )
        self.hops.append(hop)
        return hop

    def block(
        self,
        component: Component,
        header: Header,
        code: str,
        words: Message,
        fix: Message,
        *,
        direction: str | None = None,
        refs: dict[str, Any] | None = None,
        stop: bool = False,
        **details: Any,
    ) -> None:
        self.hop(component, "blocked", header, words, **details)
        self.explanations.append(
            Explanation.of(code, self.path, component, words, fix, direction, refs)
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
                    self.said(
                        "hop.instance.sent",
                        instance=instance.instance_id,
                        what=self.what_word,
                        traffic=said_header(header),
                    ),
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
            self.said(
                "hop.service.delivered",
                service=_service_name(service, eni.vpc_id),
                what=self.what_word,
                address=service.address,
            ),
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
            self.said(
                "hop.service.sent", service=service.title_message, traffic=said_header(header)
            ),
        )
        assert self.target.eni is not None  # only an instance's interface asks a service
        self.receive(self.target.eni, header)

    def running(self, ref: Component, instance: Any, header: Header) -> bool:
        """Only a running instance sends or receives (BAD_STATE); the walk goes on. False when
        this hop is the block; a block the request's leg already explained is not repeated."""
        fix = message("fix.instance.start", instance=instance.instance_id)
        if instance.state == "running" or self.explained("BAD_STATE", ref, fix):
            return True
        self.block(
            ref,
            header,
            "BAD_STATE",
            message(
                "explain.instance.state",
                instance=instance.instance_id,
                state=state_word(instance.state),
            ),
            fix,
            refs={"instance": {"id": instance.instance_id}},
        )
        return False

    def eni_hop(self, eni: NetworkInterface, header: Header, *, sending: bool) -> None:
        ref = _ref("network-interface", eni, eni.network_interface_id)
        attached = {"id": eni.instance_id, "type": "instance"} if eni.instance_id else None
        eni_id = eni.network_interface_id
        fix = message("fix.eni.attach", eni=eni_id)
        if (
            eni.attachment is None
            and eni.interface_type == "interface"
            and not self.explained("BAD_STATE_ATTACHMENT", ref, fix)
        ):
            self.block(
                ref,
                header,
                "BAD_STATE_ATTACHMENT",
                message("explain.eni.unattached", eni=eni_id),
                fix,
                refs={"network_interface": {"id": eni_id}},
            )
            return
        own = header.source_ip if sending else header.destination_ip
        fix = message("fix.eni.source_dest_check", eni=eni_id)
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
                message(f"explain.eni.source_dest_check.{which}", eni=eni_id, address=own),
                fix,
                refs={"network_interface": {"id": eni_id}},
                attached_to=attached,
            )
            return
        self.hop(
            ref,
            "forwarded",
            header,
            self.said(
                "hop.eni.sends" if sending else "hop.eni.receives",
                eni=eni_id,
                address=own,
                what=self.what_word,
            ),
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
        way = explain.way(direction == "egress")
        if decision.reason == "reply":
            self.hop(
                ref,
                "allowed",
                header,
                self.said("hop.security_group.reply", groups=join(groups), way=way),
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
            self.said(
                "hop.security_group.allowed", group=ref.id, way=way, rule=sg_rule_words(rule)
            ),
            security_groups=groups,
            security_group_rule=_sg_rule_json(rule, direction, decision.group),
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
            refused, fix = self._sg_through_appliance(eni, ref, decision, groups, header)
            refs["appliance"] = {"id": self.via_appliance.network_interface_id}
            refs["referenced_group"] = {"id": decision.ignored_rule.group_id}
        else:
            refused = _sg_refusal(eni, groups, header, way, code)
            fix = explain.sg_fix(self.t, ref.id, header, direction=direction)
        if self.explained(code, ref, fix, direction):
            self.hop(
                ref,
                "allowed",
                header,
                message(
                    "hop.security_group.same_fix",
                    group=ref.id,
                    way=explain.way(direction == "egress"),
                ),
                security_groups=groups,
            )
            return
        self.block(
            ref, header, code, refused, fix, direction=direction, refs=refs, security_groups=groups
        )

    def _sg_through_appliance(
        self,
        eni: NetworkInterface,
        ref: Component,
        decision: SgDecision,
        groups: list[str],
        header: Header,
    ) -> tuple[Message, Message]:
        """A rule referencing the sender's group would allow it, but a middlebox forwarded the
        packet: such a rule does not match (security_group.py cites the AWS guide)."""
        rule, appliance = decision.ignored_rule, self.via_appliance
        assert rule is not None and appliance is not None
        refused = message(
            "explain.security_group.through_appliance",
            refusal=_sg_refusal(eni, groups, header, "inbound", "ENI_SG_RULES_MISMATCH"),
            rule=sg_rule_words(rule),
            group=ref.id,
            referenced=rule.group_id,
            appliance=appliance.network_interface_id,
        )
        return refused, explain.sg_fix_through_appliance(self.t, ref.id, header)

    # ---- network ACLs ---------------------------------------------------------------------
    def network_acl(self, subnet: Subnet, header: Header, *, egress: bool) -> None:
        acl = self.t.network_acl_for(subnet.subnet_id)
        if acl is None:
            return
        decision = evaluate_nacl(acl, header, egress=egress)
        entry = decision.entry
        ref = _ref("network-acl", acl, acl.network_acl_id)
        rule_json = _nacl_rule_json(entry)
        leaves = "egress" if egress else "ingress"
        if decision.allowed:
            self.hop(
                ref,
                "allowed",
                header,
                self.said(
                    f"hop.nacl.allowed.{leaves}",
                    acl=acl.network_acl_id,
                    what=self.what_word,
                    subnet=subnet.subnet_id,
                    rule=rule_json["label"],
                ),
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
                message(
                    f"hop.nacl.same_fix.{leaves}",
                    acl=acl.network_acl_id,
                    what=self.what_word,
                    subnet=subnet.subnet_id,
                ),
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
    ) -> Message:
        number = rule_json["rule_number"]
        rule_words = "no_rule" if number == 32767 else "denied"
        refused = message(
            f"explain.nacl.{rule_words}.{'outbound' if egress else 'inbound'}",
            acl=acl_id,
            subnet=subnet.subnet_id,
            number=number,
            traffic=explain.traffic_words(header),
            peer=header.destination_ip if egress else header.source_ip,
            what=self.what_word,
            rule=rule_json["label"],
        )
        if ephemeral:
            ports = f"{explain.EPHEMERAL_RANGE[0]}-{explain.EPHEMERAL_RANGE[1]}"
            refused = message(
                "explain.nacl.stateless", refusal=refused, ports=ports, way=explain.way(egress)
            )
        return refused

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
                message("explain.subnet.no_route_table", subnet=subnet.subnet_id),
                message("fix.subnet.associate_route_table", subnet=subnet.subnet_id),
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
                message(
                    "explain.route.no_match",
                    rtb=rtb.route_table_id,
                    subnet=subnet.subnet_id,
                    destination=dst,
                    what=self.what_word,
                ),
                self._route_fix(rtb, subnet, dst, header.source_ip),
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
                message(
                    "explain.route.blackhole",
                    destination=route.destination,
                    target=describe_target(route),
                    rtb=rtb.route_table_id,
                ),
                message(
                    "fix.route.blackhole", destination=route.destination, rtb=rtb.route_table_id
                ),
                refs={"route_table": {"id": rtb.route_table_id}},
                route=route_json,
                stop=True,
            )
            return
        self.hop(
            ref,
            "forwarded",
            header,
            self.said(
                "hop.route.forwarded",
                rtb=rtb.route_table_id,
                destination=dst,
                target=describe_target(route),
                route=route.destination,
            ),
            route=route_json,
            subnet={"id": subnet.subnet_id},
        )
        self.follow_route(route, rtb, subnet, header)

    def _has_public_source(self, subnet: Subnet, source: IPv4Address) -> bool:
        """Does the sender at ``source`` in ``subnet`` have a public IP or Elastic IP?"""
        eni = self.t.eni_with_private_ip(subnet.vpc_id, source)
        return eni is None or self.t.public_ip_of(eni, source) is not None

    def _nat_for(self, subnet: Subnet) -> str | None:
        """An available public NAT gateway of the VPC, in another subnet that routes to the
        internet gateway, by id (None: the VPC has none)."""
        for nat in sorted(self.t.nat_gateways.values(), key=lambda n: n.nat_gateway_id):
            if (
                nat.vpc_id == subnet.vpc_id
                and nat.subnet_id != subnet.subnet_id
                and nat.state == "available"
                and nat.connectivity_type == "public"
                and nat.public_ip is not None
            ):
                return nat.nat_gateway_id
        return None

    def _route_fix(
        self, rtb: RouteTable, subnet: Subnet, dst: IPv4Address, source: IPv4Address
    ) -> Message:
        rtb_id = rtb.route_table_id
        if not is_private(dst):
            # An internet gateway translates only a sender with a public address (VPC UG:
            # "Enable internet access"); a sender without one goes out through a NAT gateway
            # in a public subnet (VPC UG: "NAT gateways"). The fix must be the one that works.
            nat = None if self._has_public_source(subnet, source) else self._nat_for(subnet)
            if nat is not None:
                return message("fix.route.to_nat", nat=nat, rtb=rtb_id)
            igw = self.t.internet_gateway_of(subnet.vpc_id)
            if igw is not None:
                return message("fix.route.to_igw", igw=igw.internet_gateway_id, rtb=rtb_id)
            return message("fix.route.create_igw", vpc=subnet.vpc_id, rtb=rtb_id)
        for pcx in self.t.peerings.values():
            peer = self.t.vpcs.get(pcx.peer_of(subnet.vpc_id) or "")
            if peer is not None and peer.contains(dst):
                block = next(b for b in peer.cidr_blocks if dst in b)
                return message(
                    "fix.route.to_peering",
                    block=block,
                    pcx=pcx.vpc_peering_connection_id,
                    rtb=rtb_id,
                )
        return message("fix.route.cover", destination=dst, rtb=rtb_id)

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
                    message("explain.route.target_without_eni", target=route.target_id),
                    message("fix.route.replace", destination=route.destination),
                    stop=True,
                )
                return
            self.to_appliance(eni, subnet, header)
        else:
            self.block(
                Component(route.target_id, kind),
                header,
                "UNSUPPORTED_COMPONENT",
                message(
                    "explain.route.unsupported",
                    destination=route.destination,
                    target=route.target_id,
                    kind=kind.replace("-", " "),
                ),
                message("fix.route.unsupported"),
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
                message("explain.vpc.no_interface", vpc=vpc_id, address=header.destination_ip),
                message("fix.check_destination"),
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
                    self.said(
                        "hop.instance.delivered",
                        instance=instance.instance_id,
                        what=self.what_word,
                    ),
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
                message("explain.igw.private_destination", igw=igw_id, address=dst),
                message("fix.igw.private_destination", address=dst),
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
                message("explain.igw.no_public_ip", igw=igw_id, source=src, who=who),
                message("fix.igw.no_public_ip", who=who),
                refs={"network_interface": {"id": who}},
                stop=True,
            )
            return
        out = dataclasses.replace(header, source_ip=public)
        self.hop(
            ref,
            "translated",
            header,
            self.said("hop.igw.egress", igw=igw_id, source=src, public=public),
            out=out,
        )
        if self.target.via_igw and self.target.via_igw != igw_id and not self.reply:
            self.block(
                ref,
                out,
                "NO_PATH",
                message("explain.igw.other_gateway", igw=igw_id, expected=self.target.via_igw),
                message("fix.igw.other_gateway", expected=self.target.via_igw),
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
                message("explain.internet.link_local", address=dst)
                if service.kind == "link-local"
                else message(
                    "explain.internet.service",
                    address=dst,
                    service=service.title_message,
                    vpc=service.vpc_id or message("word.their_vpc"),
                ),
                message("fix.internet.service", vpc=service.vpc_id or message("word.a_vpc")),
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
                message("explain.eip.unassociated", address=dst, allocation=eip.allocation_id),
                message("fix.eip.associate", allocation=eip.allocation_id),
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
                self.said("hop.internet.delivered", what=self.what_word, address=dst),
            )
            self.delivered = True
            self.final_header = header
            self.delivered_to = Endpoint(str(dst), dst)
            return
        self.block(
            Component("internet", "internet"),
            header,
            "NO_PATH",
            message("explain.internet.private", address=dst),
            message("fix.internet.private"),
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
                message("explain.vpc.no_igw", vpc=vpc_id),
                message("fix.vpc.attach_igw", vpc=vpc_id),
                stop=True,
            )
            return
        ref = _ref("internet-gateway", igw, igw.internet_gateway_id)
        if is_private(header.source_ip):
            self.block(
                ref,
                header,
                "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS",
                message(
                    "explain.igw.private_source",
                    igw=igw.internet_gateway_id,
                    address=header.source_ip,
                ),
                message("fix.igw.public_source"),
                stop=True,
            )
        owner = self.t.owner_of_public_ip(header.destination_ip)
        if owner is None or owner[0].vpc_id != vpc_id or owner[0].attachment is None:
            eni = self.t.eni_with_private_ip(vpc_id, header.destination_ip)
            who = eni.network_interface_id if eni else str(header.destination_ip)
            instance = self.t.instances.get(eni.instance_id or "") if eni else None
            # A stopped instance lost its auto-assigned public IP; starting it gives it a new
            # one (EC2 UG: "Public IPv4 addresses": released when the instance is stopped).
            fix = (
                message("fix.instance.start_for_public_ip", instance=instance.instance_id)
                if instance is not None
                and instance.state == "stopped"
                and instance.associate_public_ip
                and len(self.t.enis_of_instance(instance.instance_id)) == 1
                else message("fix.igw.allocate_eip", who=who)
            )
            self.block(
                ref,
                header,
                "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
                message(
                    "explain.igw.not_public_ip",
                    igw=igw.internet_gateway_id,
                    address=header.destination_ip,
                ),
                fix,
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
            self.said(
                "hop.igw.ingress",
                igw=igw.internet_gateway_id,
                public=header.destination_ip,
                private=private,
            ),
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
                message(
                    "explain.nat.source_outside_vpc",
                    nat=nat.nat_gateway_id,
                    vpc=nat.vpc_id,
                    source=header.source_ip,
                ),
                message("fix.nat.own_gateway"),
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
        icmp = header.protocol == "icmp"
        self.hop(
            ref,
            "translated",
            header,
            self.said(
                "hop.nat.translated" if icmp else "hop.nat.translated.ports",
                nat=nat.nat_gateway_id,
                source=header.source_ip,
                private=nat.private_ip,
                **({} if icmp else {"port": header.source_port, "new_port": port}),
            ),
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
                message("explain.nat.from_outside", nat=nat.nat_gateway_id),
                message("fix.nat.from_outside"),
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
            self.said(
                "hop.nat.back",
                nat=nat.nat_gateway_id,
                address=f"{original_src}" + (f":{original_port}" if original_port else ""),
            ),
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
                message("explain.peering.inactive", pcx=pcx_id, status=pcx.status),
                message("fix.peering.accept", pcx=pcx_id),
                stop=True,
            )
        peer_id = pcx.peer_of(vpc_id)
        peer = self.t.vpcs.get(peer_id or "")
        if peer is None:
            self.block(
                ref,
                header,
                "UNSUPPORTED_COMPONENT",
                message("explain.peering.unknown_peer", pcx=pcx_id, peer=peer_id),
                message("fix.peering.import", peer=peer_id),
                stop=True,
            )
            return
        local = self.t.vpcs[vpc_id]
        if not peer.contains(header.destination_ip) or not local.contains(header.source_ip):
            self.block(
                ref,
                header,
                "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
                message(
                    "explain.peering.not_transitive",
                    pcx=pcx_id,
                    vpc=vpc_id,
                    peer=peer.vpc_id,
                    source=header.source_ip,
                    destination=header.destination_ip,
                ),
                message("fix.peering.direct"),
                stop=True,
            )
        self.hop(
            ref,
            "forwarded",
            header,
            self.said("hop.peering.forwarded", pcx=pcx_id, vpc=vpc_id, peer=peer.vpc_id),
        )
        self.deliver_in_vpc(peer.vpc_id, header)


def _service_ref(service: Service, vpc_id: str | None) -> Component:
    name = f"{service.title} of {vpc_id}" if vpc_id and service.kind == "amazon-dns" else None
    return Component(str(service.address), service.kind, name or service.title)


def _service_name(service: Service, vpc_id: str | None) -> Message:
    """The service as its hop names it: the Amazon DNS server ``of vpc-…``."""
    if vpc_id and service.kind == "amazon-dns":
        return message("service.of_vpc", service=service.title_message, vpc=vpc_id)
    return service.title_message


def _remap_port(header: Header) -> int:
    """A deterministic port in 1024-65535 for the NAT gateway's translation (teaching aid)."""
    seed = (int(header.source_ip) * 31 + (header.source_port or 0)) % 64512
    return 1024 + seed


def _sg_refusal(
    eni: NetworkInterface, groups: list[str], header: Header, way: str, code: str
) -> Message:
    eni_id = eni.network_interface_id
    if code == "SG_HAS_NO_RULES":
        return message(f"explain.security_group.no_rules.{way}", groups=join(groups), eni=eni_id)
    return message(
        f"explain.security_group.no_match.{way}",
        groups=join(groups),
        eni=eni_id,
        traffic=explain.traffic_words(header),
        peer=header.source_ip if way == "inbound" else header.destination_ip,
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


def _sg_rule_json(rule: Any, direction: str, group: Any = None) -> dict[str, Any]:
    """The rule that allowed, and which it is: ``group`` holds it at ``index`` of its rules of
    ``direction`` (so a page can mark it in the group's whole list)."""
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
        **_sg_rule_place(rule, direction, group),
    }


def _sg_rule_place(rule: Any, direction: str, group: Any) -> dict[str, Any]:
    rules = (group.ingress if direction == "ingress" else group.egress) if group else ()
    if rule not in rules:
        return {}
    return {"group_id": group.group_id, "index": rules.index(rule)}


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

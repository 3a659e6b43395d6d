"""The English words of the tracer's decisions: one ``text(id, template)`` per message id.

A hop whose packet really goes has ``<id>``; a would-be hop (after a block) has ``<id>.would``,
which says what would happen, and for a delivery that it depends on the earlier ``{blocks}``.
Parameters are resource ids, addresses and rule labels, or words that are Messages themselves.
"""

from __future__ import annotations

from .messages import Message, message, text
from .packet import Header

# ---- words used inside other messages ---------------------------------------------------------
text("word.packet", "packet")
text("word.reply", "reply")
text("word.block", "block")
text("word.blocks", "blocks")
text("word.their_vpc", "their VPC")
text("word.a_vpc", "a VPC")
text("word.an_internet_gateway", "an internet gateway")
STATES = {
    "pending": text("state.pending", "pending"),
    "running": text("state.running", "running"),
    "stopping": text("state.stopping", "stopping"),
    "stopped": text("state.stopped", "stopped"),
    "shutting-down": text("state.shutting-down", "shutting-down"),
    "terminated": text("state.terminated", "terminated"),
}
text("traffic.icmp_header", "ICMP type {type} from {source} to {destination}")
text("traffic.header", "{protocol} {source}:{source_port} → {destination}:{destination_port}")
text("service.of_vpc", "{service} of {vpc}")


def state_word(state: str) -> Message | str:
    """An instance state as a word to translate (an unknown state stays as AWS spells it)."""
    return message(STATES[state]) if state in STATES else state


def said_header(header: Header) -> Message:
    """``TCP 10.0.1.5:40000 → 10.0.2.7:22`` or ``ICMP type 8 from … to …`` (Header.describe)."""
    if header.protocol == "icmp":
        return message(
            "traffic.icmp_header",
            type=header.icmp_type,
            source=header.source_ip,
            destination=header.destination_ip,
        )
    return message(
        "traffic.header",
        protocol=header.protocol.upper(),
        source=header.source_ip,
        source_port=header.source_port,
        destination=header.destination_ip,
        destination_port=header.destination_port,
    )


# ---- hops: what a component does with the packet ----------------------------------------------
text("hop.loop", "The packet is going round in circles: the routes form a loop.")
text("hop.instance.sent", "Instance {instance} sends the {what}: {traffic}.")
text("hop.instance.sent.would", "Instance {instance} would send the {what}: {traffic}.")
text("hop.instance.delivered", "Instance {instance} receives the {what}.")
text(
    "hop.instance.delivered.would",
    "Instance {instance} would receive the {what} if the earlier {blocks} were fixed.",
)
text(
    "hop.service.delivered",
    "The {service} receives the {what} at {address}. "
    "Security groups and network ACLs do not filter traffic to or from it.",
)
text(
    "hop.service.delivered.would",
    "The {service} would receive the {what} at {address} if the earlier {blocks} were fixed. "
    "Security groups and network ACLs do not filter traffic to or from it.",
)
text(
    "hop.service.sent",
    "The {service} sends the reply: {traffic}. "
    "Security groups and network ACLs do not filter its reply either.",
)
text(
    "hop.service.sent.would",
    "The {service} would send the reply: {traffic}. "
    "Security groups and network ACLs do not filter its reply either.",
)
text("hop.eni.sends", "Network interface {eni} ({address}) sends the {what}.")
text("hop.eni.sends.would", "Network interface {eni} ({address}) would send the {what}.")
text("hop.eni.receives", "Network interface {eni} ({address}) receives the {what}.")
text("hop.eni.receives.would", "Network interface {eni} ({address}) would receive the {what}.")
text(
    "hop.security_group.reply",
    "Security groups are stateful: the reply of an allowed connection passes {groups} "
    "whatever their {way} rules.",
)
text(
    "hop.security_group.reply.would",
    "Security groups are stateful: the reply of an allowed connection would pass {groups} "
    "whatever their {way} rules.",
)
text("hop.security_group.allowed", "Security group {group} allows it {way}: {rule}.")
text("hop.security_group.allowed.would", "Security group {group} would allow it {way}: {rule}.")
text(
    "hop.security_group.same_fix",
    "Security group {group} would allow it {way} once the fix above is made "
    "(the same rule is missing here).",
)
text(
    "hop.nacl.allowed.egress",
    "Network ACL {acl} allows the {what} as it leaves {subnet}: {rule}.",
)
text(
    "hop.nacl.allowed.egress.would",
    "Network ACL {acl} would allow the {what} as it leaves {subnet}: {rule}.",
)
text(
    "hop.nacl.allowed.ingress",
    "Network ACL {acl} allows the {what} as it enters {subnet}: {rule}.",
)
text(
    "hop.nacl.allowed.ingress.would",
    "Network ACL {acl} would allow the {what} as it enters {subnet}: {rule}.",
)
text(
    "hop.nacl.same_fix.egress",
    "Network ACL {acl} would allow the {what} as it leaves {subnet} once the fix above is made "
    "(the same rule is missing here).",
)
text(
    "hop.nacl.same_fix.ingress",
    "Network ACL {acl} would allow the {what} as it enters {subnet} once the fix above is made "
    "(the same rule is missing here).",
)
text(
    "hop.route.forwarded",
    "Route table {rtb} sends {destination} to {target} "
    "(route {route}, the longest prefix that matches).",
)
text(
    "hop.route.forwarded.would",
    "Route table {rtb} would send {destination} to {target} "
    "(route {route}, the longest prefix that matches).",
)
text(
    "hop.igw.egress",
    "Internet gateway {igw} maps the private source {source} to its public address {public} "
    "(1:1 static NAT) and sends the packet to the internet.",
)
text(
    "hop.igw.egress.would",
    "Internet gateway {igw} would map the private source {source} to its public address "
    "{public} (1:1 static NAT) and send the packet to the internet.",
)
text("hop.igw.ingress", "Internet gateway {igw} maps {public} to the private address {private}.")
text(
    "hop.igw.ingress.would",
    "Internet gateway {igw} would map {public} to the private address {private}.",
)
text("hop.internet.delivered", "The {what} reaches the internet host {address}.")
text(
    "hop.internet.delivered.would",
    "The {what} would reach the internet host {address} if the earlier {blocks} were fixed.",
)
text(
    "hop.nat.translated",
    "NAT gateway {nat} replaces the source {source} with its own private address {private}.",
)
text(
    "hop.nat.translated.would",
    "NAT gateway {nat} would replace the source {source} with its own private address {private}.",
)
text(
    "hop.nat.translated.ports",
    "NAT gateway {nat} replaces the source {source} with its own private address {private}, "
    "source port {port} → {new_port}.",
)
text(
    "hop.nat.translated.ports.would",
    "NAT gateway {nat} would replace the source {source} with its own private address "
    "{private}, source port {port} → {new_port}.",
)
text("hop.nat.back", "NAT gateway {nat} translates the reply back to {address}.")
text("hop.nat.back.would", "NAT gateway {nat} would translate the reply back to {address}.")
text("hop.peering.forwarded", "Peering connection {pcx} carries the packet from {vpc} to {peer}.")
text(
    "hop.peering.forwarded.would",
    "Peering connection {pcx} would carry the packet from {vpc} to {peer}.",
)
text(
    "hop.reply.other_source",
    "The reply comes from {got}, but the client spoke to {expected}, so it does not recognise "
    "the reply and drops it.",
)

# ---- explanations: why a hop blocks --------------------------------------------------------------
text("explain.loop", "The routes send the packet round in a loop, so it never arrives.")
text(
    "explain.instance.state",
    "Instance {instance} is {state}; only a running instance sends or receives traffic.",
)
text(
    "explain.eni.unattached",
    "Network interface {eni} is not attached to an instance, so nothing sends or receives "
    "through it.",
)
text(
    "explain.eni.source_dest_check.from",
    "Network interface {eni} has the source/destination check on, so it drops traffic from "
    "{address}, which is not one of its own addresses.",
)
text(
    "explain.eni.source_dest_check.to",
    "Network interface {eni} has the source/destination check on, so it drops traffic to "
    "{address}, which is not one of its own addresses.",
)
text(
    "explain.security_group.no_rules.inbound",
    "The security groups {groups} of {eni} have no inbound rules at all, so they allow no "
    "inbound traffic.",
)
text(
    "explain.security_group.no_rules.outbound",
    "The security groups {groups} of {eni} have no outbound rules at all, so they allow no "
    "outbound traffic.",
)
text(
    "explain.security_group.no_match.inbound",
    "No inbound rule of the security groups {groups} of {eni} allows {traffic} from {peer}.",
)
text(
    "explain.security_group.no_match.outbound",
    "No outbound rule of the security groups {groups} of {eni} allows {traffic} to {peer}.",
)
text(
    "explain.security_group.through_appliance",
    "{refusal} The rule {rule} of {group} references {referenced}, but the packet came through "
    "the appliance {appliance}, and a rule that references a security group does not match "
    "traffic a middlebox appliance forwards.",
)
text(
    "explain.nacl.no_rule.inbound",
    "The network ACL {acl} of subnet {subnet}: no rule allows inbound {traffic} from {peer}, "
    "so the {what} is dropped ({rule}).",
)
text(
    "explain.nacl.no_rule.outbound",
    "The network ACL {acl} of subnet {subnet}: no rule allows outbound {traffic} to {peer}, "
    "so the {what} is dropped ({rule}).",
)
text(
    "explain.nacl.denied.inbound",
    "The network ACL {acl} of subnet {subnet}: rule {number} denies inbound {traffic} from "
    "{peer}, so the {what} is dropped ({rule}).",
)
text(
    "explain.nacl.denied.outbound",
    "The network ACL {acl} of subnet {subnet}: rule {number} denies outbound {traffic} to "
    "{peer}, so the {what} is dropped ({rule}).",
)
text(
    "explain.nacl.stateless",
    "{refusal} Network ACLs are stateless: allow the client's ephemeral ports ({ports}) {way}.",
)
text(
    "explain.subnet.no_route_table",
    "Subnet {subnet} has no route table (its VPC has no main table).",
)
text(
    "explain.route.no_match",
    "Route table {rtb} of subnet {subnet} has no route that matches {destination}, so the "
    "{what} cannot leave the subnet.",
)
text(
    "explain.route.blackhole",
    "The route {destination} → {target} in {rtb} is a blackhole: its target is deleted or "
    "detached, so matching traffic is dropped.",
)
text("explain.route.target_without_eni", "The target {target} has no network interface.")
text(
    "explain.route.unsupported",
    "The route {destination} sends the packet to {target} ({kind}), which the lab does not "
    "model, so the analysis ends here.",
)
text(
    "explain.vpc.no_interface",
    "No network interface in {vpc} has the address {address}, so nothing receives the packet.",
)
text(
    "explain.vpc.no_igw",
    "{vpc} has no internet gateway attached, so nothing from the internet can enter it.",
)
text(
    "explain.igw.private_destination",
    "Internet gateway {igw} does not send traffic to the private address {address}: private "
    "(RFC 1918) addresses are not reachable on the internet.",
)
text(
    "explain.igw.no_public_ip",
    "Internet gateway {igw} drops the packet: its source {source} ({who}) has no public IP or "
    "Elastic IP to translate to, so a reply could never come back.",
)
text("explain.igw.other_gateway", "The packet leaves through {igw}, not {expected}.")
text(
    "explain.igw.private_source",
    "Internet gateway {igw} drops traffic from the private address {address}.",
)
text(
    "explain.igw.not_public_ip",
    "Internet gateway {igw} only accepts traffic to the public IP of a network interface; "
    "{address} is not one, so the packet is dropped.",
)
text(
    "explain.internet.link_local",
    "{address} is a link-local address (169.254.0.0/16): it never leaves an instance's own "
    "link, so no host on the internet reaches it.",
)
text(
    "explain.internet.service",
    "{address} is the {service}: it answers only instances inside {vpc}, never a host on the "
    "internet.",
)
text(
    "explain.internet.private",
    "{address} is a private address: the internet cannot deliver to it.",
)
text(
    "explain.eip.unassociated",
    "The Elastic IP {address} ({allocation}) is not associated with any network interface, so "
    "nothing answers at it.",
)
text(
    "explain.nat.source_outside_vpc",
    "NAT gateway {nat} only serves sources in {vpc}; {source} is not.",
)
text(
    "explain.nat.from_outside",
    "NAT gateway {nat} never accepts connections initiated from outside; it only carries "
    "replies to connections its VPC opened.",
)
text(
    "explain.peering.inactive",
    "Peering connection {pcx} is {status}; it carries traffic only once accepted (active).",
)
text(
    "explain.peering.unknown_peer",
    "Peering connection {pcx} leads to {peer}, which is not in this topology, so the analysis "
    "ends here.",
)
text(
    "explain.peering.not_transitive",
    "Peering connection {pcx} carries only traffic between addresses of {vpc} and {peer}; "
    "peering is not transitive, so {source} → {destination} is dropped.",
)
text(
    "explain.reply.other_way",
    "The reply leaves by another way than the request came in (it comes from {got}, not "
    "{expected}): the destination's subnet routes its replies elsewhere.",
)
text(
    "explain.reply.through_nat",
    "The reply leaves by another way than the request came in: route table {rtb} of {subnet} "
    "sends it to NAT gateway {nat} (route {destination} → {nat}), which gives it its own "
    "address, so the reply comes from {got} instead of {expected}, the public address of {who} "
    "the client spoke to. A NAT gateway carries connections its VPC opens; it cannot answer "
    "connections from the internet.",
)

# ---- suggested fixes ----------------------------------------------------------------------------
text("fix.loop", "Check the routes to network interfaces and instances: one must lead out.")
text("fix.instance.start", "Start instance {instance}.")
text(
    "fix.instance.start_for_public_ip",
    "Start instance {instance}: it gets a new public IP when it runs again (the one it had was "
    "released when it stopped).",
)
text("fix.eni.attach", "Attach {eni} to an instance.")
text(
    "fix.eni.source_dest_check",
    "Disable the source/destination check on {eni} (needed for NAT instances and routers).",
)
text("fix.subnet.associate_route_table", "Associate a route table with {subnet}.")
text(
    "fix.route.blackhole",
    "Replace the route {destination} in {rtb} with one to a target that exists "
    "(or re-attach the gateway).",
)
text("fix.route.to_igw", "Add the route 0.0.0.0/0 → {igw} to {rtb}.")
text("fix.route.to_nat", "Add the route 0.0.0.0/0 → {nat} to {rtb}.")
text(
    "fix.route.create_igw",
    "Create an internet gateway, attach it to {vpc} and add the route 0.0.0.0/0 → igw-… to {rtb}.",
)
text("fix.route.to_peering", "Add the route {block} → {pcx} to {rtb}.")
text("fix.route.cover", "Add a route that covers {destination} to {rtb}.")
text("fix.route.replace", "Replace the route {destination}.")
text(
    "fix.route.unsupported",
    "None in the lab: this path leaves the part of the network it simulates.",
)
text("fix.check_destination", "Check the destination address.")
text("fix.vpc.attach_igw", "Create an internet gateway and attach it to {vpc}.")
text(
    "fix.igw.private_destination",
    "Route {address} through a peering connection or gateway that reaches it, not the "
    "internet gateway.",
)
text(
    "fix.igw.no_public_ip",
    "Allocate an Elastic IP and associate it with {who}, or route 0.0.0.0/0 from its subnet "
    "through a NAT gateway in a public subnet.",
)
text("fix.igw.other_gateway", "Route the traffic to {expected}.")
text("fix.igw.public_source", "Use a public source address.")
text(
    "fix.igw.allocate_eip",
    "Allocate an Elastic IP, associate it with {who}, and connect to the Elastic IP.",
)
text("fix.internet.service", "Test from an instance inside {vpc}.")
text("fix.internet.private", "Address the instance by its public IP or Elastic IP.")
text("fix.eip.associate", "Associate {allocation} with an instance or network interface.")
text("fix.nat.own_gateway", "Give the peered VPC a NAT gateway of its own.")
text(
    "fix.nat.from_outside",
    "To reach an instance from the internet, give it a public IP or Elastic IP in a public "
    "subnet (or use a bastion host).",
)
text("fix.peering.accept", "Accept {pcx}.")
text("fix.peering.import", "Import {peer} to follow the path further.")
text("fix.peering.direct", "Peer the two VPCs directly, or use a transit gateway.")
text(
    "fix.reply.route_back",
    "Route the destination subnet's replies back the way the request came in.",
)
text(
    "fix.reply.through_nat",
    "Replace the route {destination} → {nat} in {rtb} with {destination} → {igw}, so replies "
    "leave through {expected} (a subnet whose instances take connections from the internet "
    "must be public); keep the NAT gateway for a private subnet whose instances have no public "
    "address.",
)

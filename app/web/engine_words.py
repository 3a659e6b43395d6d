"""The engine's English labels that pages show, marked for Babel and translated at the face.

The engine imports no gettext: its kind labels, service titles and template names stay English
message ids, and the pages translate them when they show them. A test checks that every one the
engine declares is here (and so in the catalog).
"""

from __future__ import annotations

from app.i18n import gettext

from .language import N_

# app/engine/kinds.py: Kind.label, as the console titles each kind.
KIND_LABELS = (
    N_("DHCP options set"),
    N_("VPC"),
    N_("Subnet"),
    N_("Internet gateway"),
    N_("Route table"),
    N_("Network ACL"),
    N_("Security group"),
    N_("Network interface"),
    N_("Instance"),
    N_("NAT gateway"),
    N_("Elastic IP"),
    N_("Peering connection"),
)
# app/engine/services.py: TITLES, for "the … at 10.0.0.2".
SERVICE_TITLES = (
    N_("Amazon DNS server (Route 53 Resolver)"),
    N_("instance metadata service"),
    N_("Amazon Time Sync Service"),
    N_("link-local address"),
)
# app/engine/templates.py: TEMPLATES, keyed by template id (the id never changes, the words may).
TEMPLATE_NAMES = {
    "blank": N_("Blank: an empty account-region"),
    "default-vpc": N_("AWS's default VPC (172.31.0.0/16, a public /20 per AZ)"),
    "seed-002-ssh": N_("Lab: SSH from home to two instances with Elastic IPs"),
    "seed-001-nat": N_("Lab: public web server, private database behind a NAT gateway"),
}
# The states AWS gives instances, NAT gateways, routes and peering connections (the values stay
# AWS's; the badges say them as the Japanese console does), and a NAT gateway's connectivity.
STATE_WORDS = {
    "pending": N_("pending"),
    "running": N_("running"),
    "stopping": N_("stopping"),
    "stopped": N_("stopped"),
    "shutting-down": N_("shutting-down"),
    "terminated": N_("terminated"),
    "available": N_("available"),
    "deleting": N_("deleting"),
    "deleted": N_("deleted"),
    "failed": N_("failed"),
    "active": N_("active"),
    "blackhole": N_("blackhole"),
    "pending-acceptance": N_("pending-acceptance"),
    "provisioning": N_("provisioning"),
    "rejected": N_("rejected"),
    "expired": N_("expired"),
    "public": N_("public"),
    "private": N_("private"),
}


def state_word(state: str) -> str:
    """An AWS state (``running``, ``blackhole``…) in the reader's words."""
    return gettext(STATE_WORDS[state]) if state in STATE_WORDS else state

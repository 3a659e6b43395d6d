"""Domain errors: every refusal carries the exact AWS error code and a sentence for a learner."""

from __future__ import annotations

from typing import Any

from .kinds import KIND
from .messages import Message, message, text

text("error.not_found", "The {noun} '{resource_id}' does not exist.")
NOUNS = {  # each kind's noun as a word to translate (kinds.py spells them in English)
    "DHCP options set": text("noun.dhcp-options", "DHCP options set"),
    "Elastic IP allocation": text("noun.address", "Elastic IP allocation"),
    "NAT gateway": text("noun.nat-gateway", "NAT gateway"),
    "VPC": text("noun.vpc", "VPC"),
    "VPC peering connection": text("noun.vpc-peering-connection", "VPC peering connection"),
    "instance": text("noun.instance", "instance"),
    "internet gateway": text("noun.internet-gateway", "internet gateway"),
    "network ACL": text("noun.network-acl", "network ACL"),
    "network interface": text("noun.network-interface", "network interface"),
    "route table": text("noun.route-table", "route table"),
    "security group": text("noun.security-group", "security group"),
    "subnet": text("noun.subnet", "subnet"),
}


class AwsError(Exception):
    """An AWS API error, e.g. ``AwsError("InvalidSubnet.Range", "The CIDR ... is not inside ...")``.

    ``code`` is the EC2 API error code, ``message`` one sentence a learner understands (in
    English), and ``resource_id`` the offending resource where there is one (the import names
    it). Given a Message, the error also keeps its ``message_id`` and ``params`` so a face can
    say it in the reader's language; the code never translates.
    """

    def __init__(
        self, code: str, message: str | Message, *, resource_id: str | None = None
    ) -> None:
        said = message if isinstance(message, Message) else None
        english = str(message)
        super().__init__(f"{code}: {english}")
        self.code = code
        self.message = english
        self.resource_id = resource_id
        self.message_id: str | None = said.id if said else None
        self.params: dict[str, Any] = said.to_dict()["params"] if said else {}

    def said(self) -> Message | str:
        """The message as data again, to be said inside another (the import names the resource
        it refuses: ``sg-1: <this message>``); plain English when it was given as a string."""
        return Message(self.message_id, self.params) if self.message_id else self.message


def not_found(kind: str, resource_id: str) -> AwsError:
    """The ``Invalid<Resource>ID.NotFound`` error of the EC2 API for ``kind``."""
    declared = KIND[kind]
    return AwsError(
        declared.not_found,
        message(
            "error.not_found",
            noun=message(NOUNS[declared.noun]) if declared.noun in NOUNS else declared.noun,
            resource_id=resource_id,
        ),
        resource_id=resource_id,
    )

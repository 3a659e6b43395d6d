"""The packet header the analysis follows, and how a reply's header is derived from it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from ipaddress import IPv4Address
from typing import Any

PROTOCOL_NUMBERS = {"tcp": 6, "udp": 17, "icmp": 1}
ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY = 8, 0


@dataclass(frozen=True)
class Header:
    """The fields the VPC's components look at: addresses, protocol, ports or ICMP type/code."""

    source_ip: IPv4Address
    destination_ip: IPv4Address
    protocol: str
    source_port: int | None = None
    destination_port: int | None = None
    icmp_type: int | None = None
    icmp_code: int | None = None

    @property
    def protocol_number(self) -> int:
        return PROTOCOL_NUMBERS[self.protocol]

    def reply(self) -> Header:
        """The reply: addresses and ports swapped; an echo request is answered by an echo reply."""
        icmp_type = self.icmp_type
        if self.protocol == "icmp" and icmp_type == ICMP_ECHO_REQUEST:
            icmp_type = ICMP_ECHO_REPLY
        return replace(
            self,
            source_ip=self.destination_ip,
            destination_ip=self.source_ip,
            source_port=self.destination_port,
            destination_port=self.source_port,
            icmp_type=icmp_type,
        )

    def describe(self) -> str:
        if self.protocol == "icmp":
            return f"ICMP type {self.icmp_type} from {self.source_ip} to {self.destination_ip}"
        return (
            f"{self.protocol.upper()} {self.source_ip}:{self.source_port} → "
            f"{self.destination_ip}:{self.destination_port}"
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source_ip": str(self.source_ip),
            "destination_ip": str(self.destination_ip),
            "protocol": self.protocol,
        }
        if self.protocol == "icmp":
            data.update(icmp_type=self.icmp_type, icmp_code=self.icmp_code)
        else:
            data.update(source_port=self.source_port, destination_port=self.destination_port)
        return data

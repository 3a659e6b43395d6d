"""The shape of an analysis result, as the OpenAPI document describes it (api-contract: Analyses).

The routes return the engine's JSON as it is; these models only document it, so every field
the contract names is in the schema while evidence the engine adds (``acl_rule``, ``route``,
``security_group_rule``…) passes as additional properties.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ComponentRef(Open):
    id: str
    type: str = Field(description="The AWS kind in kebab case: security-group, network-acl, …")
    name: str | None = None


class PacketHeader(Open):
    source_ip: str
    destination_ip: str
    protocol: Literal["tcp", "udp", "icmp"]
    source_port: int | None = None
    destination_port: int | None = None
    icmp_type: int | None = None
    icmp_code: int | None = None


class HopResult(Open):
    """One component the packet meets, in the order it meets them."""

    sequence: int
    component: ComponentRef
    action: Literal["sent", "forwarded", "allowed", "blocked", "translated", "delivered"] = Field(
        description="What the component does with the packet. On a hop with after_block true it "
        "is what the component would do once the earlier block is fixed: such a hop is never "
        "a delivery, whatever its action."
    )
    after_block: bool = Field(
        description="True for a would-be hop: it comes after a blocked hop of its own path, or "
        "belongs to the reply of a blocked request (the reply exists only once the request gets "
        "through). Its message says what would happen if the block were fixed."
    )
    inbound_header: PacketHeader
    outbound_header: PacketHeader
    message: str


class ExplanationResult(Open):
    """One problem: its Reachability Analyzer code, the resources concerned by id, and a fix."""

    code: str
    path: Literal["forward", "return"]
    direction: Literal["ingress", "egress"] | None = None
    component: ComponentRef
    message: str
    suggested_fix: str


class AnalysisResult(Open):
    """Can the source reach the destination, hop by hop there and back, and if not, why?"""

    reachable: bool
    request: dict[str, Any]
    forward_path: list[HopResult]
    return_path: list[HopResult]
    explanations: list[ExplanationResult] = Field(
        description="One per problem, in path order: a problem both paths meet (a stopped "
        "instance) is explained once."
    )
    id: int | None = Field(default=None, description="Set when the analysis is stored")


def documented(*statuses: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route that answers an analysis result."""
    return {status: {"model": AnalysisResult, "description": text} for status, text in statuses}

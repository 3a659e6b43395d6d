"""Topologies: create (blank, default VPC or a seed lab), list, rename, delete; import/export."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from app.engine.templates import TEMPLATES

from .deps import THROTTLED, StoreDep, TopologyId, throttled
from .schemas import TopologyCreate, TopologyUpdate

router = APIRouter(tags=["topologies"])


@router.get("/templates")
def list_templates() -> dict[str, Any]:
    """The starting points a new topology can be created from."""
    return {"templates": [{"name": k, "description": v[0]} for k, v in TEMPLATES.items()]}


@router.post("/topologies", status_code=201)
def create_topology(body: TopologyCreate, store: StoreDep) -> dict[str, Any]:
    """Create a topology (one account-region), blank or from a template."""
    return store.create_topology(name=body.name, region=body.region, template=body.template)


@router.get("/topologies")
def list_topologies(store: StoreDep) -> dict[str, Any]:
    """Your topologies (an instructor's students' are read through their ids)."""
    return {"topologies": store.list_topologies()}


@router.get("/topologies/{topology_id}")
def get_topology(topology_id: TopologyId, store: StoreDep) -> dict[str, Any]:
    """One topology: id, name, region and revision."""
    return store.get_topology(topology_id)


@router.patch("/topologies/{topology_id}")
def rename_topology(
    topology_id: TopologyId, body: TopologyUpdate, store: StoreDep
) -> dict[str, Any]:
    """Rename a topology."""
    return store.rename_topology(topology_id, body.name)


@router.delete("/topologies/{topology_id}", status_code=204)
def delete_topology(topology_id: TopologyId, store: StoreDep) -> Response:
    """Delete a topology with all its resources and analyses."""
    store.delete_topology(topology_id)
    return Response(status_code=204)


BUNDLE_EXAMPLE = {
    "Vpcs": [{"VpcId": "vpc-0123456789abcdef0", "CidrBlock": "10.0.0.0/16"}],
    "Subnets": [
        {
            "SubnetId": "subnet-0123456789abcdef0",
            "VpcId": "vpc-0123456789abcdef0",
            "CidrBlock": "10.0.1.0/24",
            "AvailabilityZone": "ap-northeast-1a",
        }
    ],
}

BUNDLE_EXAMPLES = {"minimal": {"summary": "A VPC and a subnet", "value": BUNDLE_EXAMPLE}}


@router.post(
    "/topologies/{topology_id}/import",
    dependencies=[throttled("import")],
    responses=THROTTLED,
)
def import_bundle(
    topology_id: TopologyId,
    store: StoreDep,
    bundle: Annotated[dict[str, Any], Body(openapi_examples=BUNDLE_EXAMPLES)],
) -> dict[str, Any]:
    """Add the resources of a describe-* bundle (at least one of its keys); all or nothing.
    Answers the count per type."""
    return {"imported": store.import_bundle(topology_id, bundle)}


@router.get("/topologies/{topology_id}/export")
def export_bundle(topology_id: TopologyId, store: StoreDep) -> dict[str, Any]:
    """The whole topology as a describe-* bundle."""
    return store.export_bundle(topology_id)

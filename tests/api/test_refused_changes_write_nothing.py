"""Every action route, generated from the app's routes: an unknown id in the URL, or the id of
another kind of resource, answers 404 and the topology is byte-for-byte what it was."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app

from .lab import Lab

PREFIX = "/api/v1/topologies/{topology_id}/"
ACTION = re.compile(r"^(?P<collection>[a-z-]+)/\{resource_id\}/(?P<action>[a-z-]+)$")


def action_routes() -> list[tuple[str, str, str]]:
    """(method, collection, action) for every route that acts on one resource, read from the
    app's own OpenAPI document, so a new route is covered without touching this test."""
    found = []
    for path, operations in create_app().openapi()["paths"].items():
        match = ACTION.match(path[len(PREFIX) :]) if path.startswith(PREFIX) else None
        if match is None:
            continue
        for method in sorted(m.upper() for m in operations if m not in ("get", "head")):
            found.append((method, match["collection"], match["action"]))
    return found


ROUTES = action_routes()


def test_the_generated_list_covers_the_actions_we_know() -> None:
    assert ("POST", "route-tables", "disassociate") in ROUTES
    assert ("POST", "vpcs", "associate-dhcp-options") in ROUTES
    assert len(ROUTES) >= 30


def real_ids(lab: Lab) -> dict[str, str]:
    """One real id per prefix, to fill bodies with ids that exist (so only the URL is wrong)."""
    bundle = lab.ok("GET", "export")
    ids: dict[str, str] = {}

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            for child in value.values():
                visit(child)
        elif isinstance(value, list):
            for child in value:
                visit(child)
        elif isinstance(value, str) and re.fullmatch(r"[a-z-]+-[0-9a-f]{17}", value):
            ids.setdefault(value.rsplit("-", 1)[0], value)

    visit(bundle)
    return ids


QUERY_VALUES = {"DestinationCidrBlock": "0.0.0.0/0"}


def query_for(client: TestClient, method: str, path: str) -> dict[str, str]:
    """A value for every required query parameter (a new one must be added above)."""
    operation = client.get("/openapi.json").json()["paths"][path][method.lower()]
    required = [
        p["name"] for p in operation.get("parameters", []) if p["in"] == "query" and p["required"]
    ]
    return {name: QUERY_VALUES[name] for name in required}


def body_for(client: TestClient, method: str, path: str, ids: dict[str, str]) -> Any:
    """The route's documented example body, its ids replaced by real ones of the same kind."""
    spec = client.get("/openapi.json").json()
    operation = spec["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    schema = content["schema"]
    ref = schema.get("$ref") or next(
        (s["$ref"] for s in schema.get("anyOf", []) if "$ref" in s), None
    )
    example = spec["components"]["schemas"][ref.rsplit("/", 1)[1]].get("examples", [{}])[0]

    def fill(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, str) and re.fullmatch(r"[a-z-]+-[0-9a-f]{17}", value):
            return ids.get(value.rsplit("-", 1)[0], value)
        return value

    return fill(example)


@pytest.mark.parametrize(("method", "collection", "action"), ROUTES)
def test_an_unknown_or_mismatched_id_in_the_url_is_404_and_writes_nothing(
    client: TestClient, method: str, collection: str, action: str
) -> None:
    lab = Lab(client, "seed-001-nat")
    ids = real_ids(lab)
    path = f"{PREFIX}{collection}/{{resource_id}}/{action}"
    body = body_for(client, method, path, ids)
    params = query_for(client, method, path)
    before = lab.ok("GET", "export")
    revision = lab.ok("GET", "")["revision"]
    other_kind = ids["vpc"] if collection != "vpcs" else ids["subnet"]
    for wrong in ("nope-0123456789abcdef0", other_kind):
        response = lab.call(method, f"{collection}/{wrong}/{action}", body, params=params)
        assert response.status_code == 404, (wrong, response.status_code, response.text)
        assert response.json()["error"]["code"].endswith("NotFound"), response.text
        assert lab.ok("GET", "export") == before
        assert lab.ok("GET", "")["revision"] == revision


def test_disassociating_another_tables_association_is_refused_and_writes_nothing(
    client: TestClient,
) -> None:
    lab = Lab(client, "seed-001-nat")
    tables = lab.items("route-tables", "RouteTables")
    public = lab.named("route-tables", "RouteTables", "public-rt")
    private = lab.named("route-tables", "RouteTables", "private-rt")
    assert len(tables) >= 2
    before = lab.ok("GET", "export")
    association = private["Associations"][0]["RouteTableAssociationId"]
    lab.fails(
        "POST",
        f"route-tables/{public['RouteTableId']}/disassociate",
        {"AssociationId": association},
        404,
        "InvalidAssociationID.NotFound",
    )
    assert lab.ok("GET", "export") == before

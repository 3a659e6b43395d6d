"""A thin helper over the test client, so API tests read as a script author's session."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1"


def expect_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The contract's error body: ``{"error": {"code", "message"}}`` with a real sentence."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert len(body["error"]["message"]) > 10, body
    return body["error"]


class Lab:
    """One topology, driven over HTTP."""

    def __init__(
        self,
        client: TestClient,
        template: str = "blank",
        name: str = "lab",
        region: str = "ap-northeast-1",
    ) -> None:
        self.client = client
        response = client.post(
            f"{API}/topologies", json={"name": name, "template": template, "region": region}
        )
        assert response.status_code == 201, response.text
        self.topology = response.json()
        self.id = self.topology["id"]

    def url(self, path: str = "") -> str:
        return f"{API}/topologies/{self.id}" + (f"/{path}" if path else "")

    def call(self, method: str, path: str, json: Any = None, **kwargs: Any) -> Any:
        return self.client.request(method, self.url(path), json=json, **kwargs)

    def ok(self, method: str, path: str, json: Any = None, status: int = 200, **kwargs: Any) -> Any:
        response = self.call(method, path, json, **kwargs)
        assert response.status_code == status, (response.status_code, response.text)
        return response.json() if response.content else None

    def fails(self, method: str, path: str, json: Any, status: int, code: str) -> dict[str, Any]:
        return expect_error(self.call(method, path, json), status, code)

    def items(self, collection: str, key: str) -> list[dict[str, Any]]:
        return self.ok("GET", collection)[key]  # type: ignore[no-any-return]

    def instances(self) -> list[dict[str, Any]]:
        return [i for r in self.items("instances", "Reservations") for i in r["Instances"]]

    def named(self, collection: str, key: str, name: str) -> dict[str, Any]:
        for item in self.items(collection, key):
            tags = item.get("Tags") or item.get("TagSet") or []
            if {"Key": "Name", "Value": name} in tags:
                return item
        raise AssertionError(f"no {collection} named {name}")

    def vpc(self, cidr: str = "10.0.0.0/16") -> str:
        return self.ok("POST", "vpcs", {"CidrBlock": cidr}, 201)["VpcId"]  # type: ignore

    def revision(self) -> int:
        return self.ok("GET", "")["revision"]  # type: ignore[no-any-return]

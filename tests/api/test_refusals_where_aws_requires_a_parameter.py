"""Over HTTP: what AWS refuses is refused with its error code, and the topology is unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .lab import Lab


class Unchanged:
    """Asserts that a refused request wrote nothing: same export, same revision."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab

    def __enter__(self) -> None:
        self.before = self.lab.ok("GET", "export"), self.lab.revision()

    def __exit__(self, *exc: object) -> None:
        assert (self.lab.ok("GET", "export"), self.lab.revision()) == self.before


def lab_with_vpc(client: TestClient) -> tuple[Lab, str]:
    lab = Lab(client)
    return lab, lab.vpc()


@pytest.mark.parametrize(
    ("body", "status"),
    [({"Description": ""}, 400), ({"Description": "  "}, 400), ({}, 422)],
    ids=["empty", "blank", "absent"],
)
def test_create_security_group_without_a_description_is_missing_parameter(
    client: TestClient, body: dict[str, Any], status: int
) -> None:
    lab, vpc = lab_with_vpc(client)
    with Unchanged(lab):
        error = lab.fails(
            "POST",
            "security-groups",
            {"GroupName": "web", "VpcId": vpc, **body},
            status,
            "MissingParameter",
        )
    assert "escription" in error["message"]
    created = lab.ok(
        "POST", "security-groups", {"GroupName": "web", "VpcId": vpc, "Description": "web"}, 201
    )
    assert created["Description"] == "web"

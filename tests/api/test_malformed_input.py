"""Malformed input gets AWS's codes: a CIDR block that is no CIDR block, a body that is no
JSON, a method the path does not serve (with every method it does serve in ``Allow``)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .lab import API, Lab, expect_error

MALFORMED_BLOCKS = ["10.0.0.0/33", "2001:db8::/56", "010.0.0.0/16", "10.0.0/16", "nonsense"]


@pytest.mark.parametrize("block", MALFORMED_BLOCKS)
def test_a_malformed_cidr_block_is_invalid_parameter_value(client: TestClient, block: str) -> None:
    lab = Lab(client)
    lab.fails("POST", "vpcs", {"CidrBlock": block}, 400, "InvalidParameterValue")
    vpc = lab.ok("POST", "vpcs", {"CidrBlock": "10.0.0.0/16"}, status=201)["VpcId"]
    lab.fails("POST", "subnets", {"VpcId": vpc, "CidrBlock": block}, 400, "InvalidParameterValue")
    lab.fails(
        "POST",
        f"vpcs/{vpc}/associate-cidr-block",
        {"CidrBlock": block},
        400,
        "InvalidParameterValue",
    )


def test_a_well_formed_block_of_the_wrong_size_is_still_a_range_error(client: TestClient) -> None:
    lab = Lab(client)
    lab.fails("POST", "vpcs", {"CidrBlock": "10.0.0.0/8"}, 400, "InvalidVpc.Range")
    vpc = lab.ok("POST", "vpcs", {"CidrBlock": "10.0.0.0/16"}, status=201)["VpcId"]
    lab.fails(
        "POST", "subnets", {"VpcId": vpc, "CidrBlock": "10.0.0.0/29"}, 400, "InvalidSubnet.Range"
    )


@pytest.mark.parametrize(
    "body",
    [b"{nope", b"\xff\xfe{", b'{"name": "x"', b"[" * 100_000],
    ids=["syntax", "not-utf8", "truncated", "nested-too-deep"],
)
def test_a_body_that_is_no_json_is_malformed_query_string(client: TestClient, body: bytes) -> None:
    response = client.post(
        f"{API}/topologies", content=body, headers={"content-type": "application/json"}
    )
    error = expect_error(response, 400, "MalformedQueryString")
    assert "JSON" in error["message"]


@pytest.mark.parametrize(
    ("path", "method", "allowed"),
    [
        ("/health", "PUT", "GET"),
        ("/topologies", "DELETE", "GET, POST"),
        ("/topologies/{id}", "POST", "GET, PATCH, DELETE"),
        ("/topologies/{id}/analyses/1", "POST", "GET, DELETE"),
    ],
)
def test_a_method_not_allowed_lists_every_method_the_path_answers(
    client: TestClient, path: str, method: str, allowed: str
) -> None:
    lab = Lab(client)
    response = client.request(method, API + path.replace("{id}", lab.id))
    error = expect_error(response, 405, "MethodNotAllowed")
    assert response.headers["Allow"] == allowed
    assert allowed in error["message"]
    for each in allowed.split(", "):  # and each of them is indeed answered
        answered = client.request(each, API + path.replace("{id}", lab.id))
        assert answered.status_code != 405, each

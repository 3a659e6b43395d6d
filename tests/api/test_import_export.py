"""Import and export of describe-* bundles over HTTP: all or nothing, real exports, round trip."""

import json

from fastapi.testclient import TestClient

from tests.engine.test_scenario_real_export import FIXTURES

from .lab import Lab


def fixture_bundle(region: str) -> dict:
    bundle: dict = {}
    for path in sorted((FIXTURES / region).glob("*.json")):
        bundle.update(json.loads(path.read_text()))
    return bundle


def test_a_real_export_imports_whole_and_answers_analyses(client: TestClient) -> None:
    lab = Lab(client, region="us-east-2")
    counts = lab.ok("POST", "import", fixture_bundle("us-east-2"))["imported"]
    assert counts["Vpcs"] == 2 and counts["Subnets"] == 4 and counts["Reservations"] == 2
    result = lab.ok(
        "POST",
        "analyses",
        {
            "source": "internet",
            "source_ip": "198.51.100.7",
            "destination": "i-01602d9efaed4409a",
            "protocol": "tcp",
            "destination_port": 22,
        },
        201,
    )
    assert result["reachable"] is True
    tgw = lab.ok(
        "POST",
        "analyses",
        {
            "source": "i-01602d9efaed4409a",
            "destination": "i-04cd3db5124a05ee6",
            "protocol": "tcp",
            "destination_port": 22,
        },
        201,
    )
    assert [e["code"] for e in tgw["explanations"]] == ["UNSUPPORTED_COMPONENT"]


def test_export_import_into_an_empty_topology_export_is_identical(client: TestClient) -> None:
    source = Lab(client, "seed-001-nat")
    exported = source.ok("GET", "export")
    copy = Lab(client, name="copy")
    copy.ok("POST", "import", exported)
    assert copy.ok("GET", "export") == exported


def test_a_broken_bundle_is_refused_whole_naming_the_offender(client: TestClient) -> None:
    lab = Lab(client, "seed-002-ssh")
    before, revision = lab.ok("GET", "export"), lab.revision()
    bundle = {
        "Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
        "Subnets": [
            {
                "SubnetId": "subnet-ok",
                "VpcId": "vpc-1",
                "CidrBlock": "10.0.1.0/24",
                "AvailabilityZone": "ap-northeast-1a",
            },
            {
                "SubnetId": "subnet-bad",
                "VpcId": "vpc-1",
                "CidrBlock": "10.0.1.128/25",
                "AvailabilityZone": "ap-northeast-1a",
            },
        ],
    }
    error = lab.fails("POST", "import", bundle, 409, "InvalidSubnet.Conflict")
    assert error["resource_id"] == "subnet-bad" and "subnet-bad" in error["message"]
    orphan = {
        "Subnets": [
            {
                "SubnetId": "subnet-o",
                "VpcId": "vpc-gone",
                "CidrBlock": "10.0.1.0/24",
                "AvailabilityZone": "ap-northeast-1a",
            }
        ]
    }
    error = lab.fails("POST", "import", orphan, 400, "InvalidVpcID.NotFound")
    assert error["resource_id"] == "subnet-o"
    lab.fails("POST", "import", {"Vpcs": "nope"}, 400, "InvalidParameterValue")
    lab.fails("POST", "import", [1, 2], 422, "InvalidParameterValue")
    assert lab.revision() == revision and lab.ok("GET", "export") == before


def test_a_bundle_in_the_wrong_region_says_which_region_to_use(client: TestClient) -> None:
    lab = Lab(client)
    error = lab.fails("POST", "import", fixture_bundle("us-west-2"), 400, "InvalidParameterValue")
    assert "us-west-2" in error["message"]


def test_oversized_and_hostile_bodies_get_4xx(client: TestClient) -> None:
    lab = Lab(client)
    huge = b'{"Vpcs": [' + b'{"VpcId": "vpc-1"},' * 200_000 + b"{}]}"
    response = client.post(
        lab.url("import"), content=huge, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "RequestTooLarge"
    nul = client.post(
        lab.url("vpcs"),
        content=b'{"CidrBlock": "10.0.0.0/16\\u0000"}',
        headers={"content-type": "application/json"},
    )
    assert nul.status_code == 400 and nul.json()["error"]["code"] == "InvalidParameterValue"
    assert client.get(lab.url("vpcs/vpc-%00")).status_code == 400
    deep = b"[" * 5000 + b"]" * 5000
    response = client.post(
        lab.url("import"), content=deep, headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500

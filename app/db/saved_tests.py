"""Saved tests in an export bundle: their requests travel under a key of the lab's own.

The describe-* bundle is the engine's; saved tests are the store's, so they travel beside it
under ``VpcLabSavedTests`` (AWS has no such key), which the store takes out before the engine
reads the bundle. Only requests travel: an import runs each one again on the imported topology,
so the results it keeps are true of that topology.
"""

from __future__ import annotations

from typing import Any

from app.engine import AwsError, Topology, analyze

SAVED_TESTS_KEY = "VpcLabSavedTests"

# The fields of a "test connection" request (app/api/schemas.py AnalysisRequest) and their type.
TEXT_FIELDS = {"source": 64, "destination": 64, "source_ip": 15, "destination_ip": 15}
NUMBER_FIELDS = {
    "destination_port": 65535,
    "source_port": 65535,
    "icmp_type": 255,
    "icmp_code": 255,
}
PROTOCOLS = ("tcp", "udp", "icmp")


def split_bundle(bundle: Any) -> tuple[Any, list[dict[str, Any]]]:
    """The bundle without its saved tests, and the saved tests' requests (checked in shape)."""
    if not isinstance(bundle, dict) or SAVED_TESTS_KEY not in bundle:
        return bundle, []
    tests = bundle[SAVED_TESTS_KEY]
    rest = {k: v for k, v in bundle.items() if k != SAVED_TESTS_KEY}
    if not isinstance(tests, list):
        raise AwsError(
            "InvalidParameterValue",
            f"{SAVED_TESTS_KEY} must be a list of test requests "
            f'(each like {{"source": "internet", "destination": "i-…", '
            f'"protocol": "tcp", "destination_port": 22}}).',
        )
    return rest, [_request(index, test) for index, test in enumerate(tests)]


def _bad(index: int, why: str) -> AwsError:
    return AwsError(
        "InvalidParameterValue",
        f"{SAVED_TESTS_KEY}[{index}]: {why} Nothing was imported.",
    )


def _request(index: int, test: Any) -> dict[str, Any]:
    if not isinstance(test, dict):
        raise _bad(index, "a saved test is an object with a source and a destination.")
    unknown = sorted(str(k) for k in test if k not in TEXT_FIELDS and k not in NUMBER_FIELDS)
    unknown = [k for k in unknown if k != "protocol"]
    if unknown:
        raise _bad(index, f"'{unknown[0][:40]}' is not a field of a test request.")
    for name in ("source", "destination"):
        if name not in test:
            raise _bad(index, f"the test has no {name}.")
    for name, longest in TEXT_FIELDS.items():
        value = test.get(name)
        if value is not None and (not isinstance(value, str) or not 1 <= len(value) <= longest):
            raise _bad(index, f"{name} must be text of 1 to {longest} characters.")
    for name, highest in NUMBER_FIELDS.items():
        value = test.get(name)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= highest
        ):
            raise _bad(index, f"{name} must be a whole number from 0 to {highest}.")
    protocol = test.get("protocol", "tcp")
    if protocol not in PROTOCOLS:
        raise _bad(index, f"protocol must be one of {', '.join(PROTOCOLS)}.")
    return dict(test)


def run_all(topology: Topology, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each request's result on ``topology``; a request it refuses is named by its place."""
    results = []
    for index, request in enumerate(requests):
        try:
            results.append(analyze(topology, request).to_dict())
        except AwsError as error:
            raise _bad(index, f"{error.code}: {error.message}") from error
    return results

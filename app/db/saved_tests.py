"""Saved tests in an export bundle: their requests travel under a key of the lab's own.

The describe-* bundle is the engine's; saved tests are the store's, so they travel beside it
under ``VpcLabSavedTests`` (AWS has no such key), which the store takes out before the engine
reads the bundle. Only requests travel: an import runs each one again on the imported topology,
so the results it keeps are true of that topology.
"""

from __future__ import annotations

from typing import Any

from app.engine import AwsError, Topology, analyze
from app.engine.messages import Message, message, text

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
EXAMPLE = '{"source": "internet", "destination": "i-…", "protocol": "tcp", "destination_port": 22}'

text("saved_tests.not_a_list", "{key} must be a list of test requests (each like {example}).")
text("saved_tests.refused", "{key}[{index}]: {why} Nothing was imported.")
text("saved_tests.not_an_object", "a saved test is an object with a source and a destination.")
text("saved_tests.unknown_field", "'{field}' is not a field of a test request.")
text("saved_tests.missing", "the test has no {field}.")
text("saved_tests.text", "{field} must be text of 1 to {longest} characters.")
text("saved_tests.number", "{field} must be a whole number from 0 to {highest}.")
text("saved_tests.protocol", "protocol must be one of {protocols}.")
text("saved_tests.analysis_refused", "{code}: {reason}")


def split_bundle(bundle: Any) -> tuple[Any, list[dict[str, Any]]]:
    """The bundle without its saved tests, and the saved tests' requests (checked in shape)."""
    if not isinstance(bundle, dict) or SAVED_TESTS_KEY not in bundle:
        return bundle, []
    tests = bundle[SAVED_TESTS_KEY]
    rest = {k: v for k, v in bundle.items() if k != SAVED_TESTS_KEY}
    if not isinstance(tests, list):
        raise AwsError(
            "InvalidParameterValue",
            message("saved_tests.not_a_list", key=SAVED_TESTS_KEY, example=EXAMPLE),
        )
    return rest, [_request(index, test) for index, test in enumerate(tests)]


def _bad(index: int, why: Message) -> AwsError:
    return AwsError(
        "InvalidParameterValue",
        message("saved_tests.refused", key=SAVED_TESTS_KEY, index=index, why=why),
    )


def _request(index: int, test: Any) -> dict[str, Any]:
    if not isinstance(test, dict):
        raise _bad(index, message("saved_tests.not_an_object"))
    unknown = sorted(str(k) for k in test if k not in TEXT_FIELDS and k not in NUMBER_FIELDS)
    unknown = [k for k in unknown if k != "protocol"]
    if unknown:
        raise _bad(index, message("saved_tests.unknown_field", field=unknown[0][:40]))
    for name in ("source", "destination"):
        if name not in test:
            raise _bad(index, message("saved_tests.missing", field=name))
    for name, longest in TEXT_FIELDS.items():
        value = test.get(name)
        if value is not None and (not isinstance(value, str) or not 1 <= len(value) <= longest):
            raise _bad(index, message("saved_tests.text", field=name, longest=longest))
    for name, highest in NUMBER_FIELDS.items():
        value = test.get(name)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= highest
        ):
            raise _bad(index, message("saved_tests.number", field=name, highest=highest))
    protocol = test.get("protocol", "tcp")
    if protocol not in PROTOCOLS:
        raise _bad(index, message("saved_tests.protocol", protocols=", ".join(PROTOCOLS)))
    return dict(test)


def run_all(topology: Topology, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each request's result on ``topology``; a request it refuses is named by its place."""
    results = []
    for index, request in enumerate(requests):
        try:
            results.append(analyze(topology, request).to_dict())
        except AwsError as error:
            raise _bad(
                index, message("saved_tests.analysis_refused", code=error.code, reason=error.said())
            ) from error
    return results

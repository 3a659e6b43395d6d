"""Schemathesis against the app's own OpenAPI document: at least 3,000 generated requests,
no 5xx, and no response that breaks the documented schema."""

from collections import Counter

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from .lab import Lab

EXAMPLES_PER_OPERATION = 25


def test_generated_requests_find_no_server_error_and_no_schema_break(client: TestClient) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    calls: Counter[str] = Counter()
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            # Half the positive traffic targets a real lab, so it reaches the engine.
            lab = Lab(client, "seed-001-nat") if mode is GenerationMode.POSITIVE else None
            pinned = {"topology_id": lab.id} if lab and "{topology_id}" in operation.path else None
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=pinned)

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],
            )
            @given(case=strategy)
            def exercise(case: schemathesis.Case) -> None:
                response = case.call()
                calls[case.operation.label] += 1
                if response.status_code >= 500:
                    failures.append(
                        f"{case.method} {case.formatted_path}: "
                        f"{response.status_code} {response.text[:200]}"
                    )
                # Schema-valid values are still refused when AWS refuses them (a /8 VPC is
                # InvalidVpc.Range), so "valid data must be accepted" does not apply here.
                case.validate_response(response, excluded_checks=[positive_data_acceptance])

            try:
                exercise()
            except Unsatisfiable:
                # No invalid input exists for an operation without parameters (e.g. /health).
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert not failures, failures
    total = sum(calls.values())
    print(f"schemathesis: {total} requests over {len(calls)} operations, no 5xx")
    assert total >= 3000, total

"""Issue 10: a real export with any one field changed to a value of another shape is either
imported or refused with a 4xx naming the problem, never a 500, and a refusal writes nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .lab import Lab

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "aws" / "hybrid-cloud" / "us-east-2"
BUNDLE: dict[str, Any] = {}
for _path in sorted(FIXTURE.glob("*.json")):
    BUNDLE.update(json.loads(_path.read_text()))


def leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document: object members and list items, nested ones included."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += leaves(child, (*path, index))
    return found


PLACES = leaves(BUNDLE)
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.text(max_size=70),
    st.just("x" * 300),
    st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
    st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=2),
)


def mutated(place: tuple[Any, ...], value: Any) -> dict[str, Any]:
    bundle = copy.deepcopy(BUNDLE)
    target: Any = bundle
    for step in place[:-1]:
        target = target[step]
    target[place[-1]] = value
    return bundle


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(place=st.sampled_from(PLACES), value=ODD_VALUES)
def test_a_mutated_real_export_never_answers_500(
    client: TestClient, place: tuple[Any, ...], value: Any
) -> None:
    lab = Lab(client, region="us-east-2")
    before = lab.ok("GET", "export")
    response = lab.call("POST", "import", mutated(place, value))
    assert response.status_code < 500, (place, value, response.text[:300])
    if response.status_code >= 400:
        assert response.json()["error"]["code"], response.text
        assert lab.ok("GET", "export") == before
    else:
        lab.ok("GET", "export")  # what was imported can be read back

"""Requests AWS refuses that the lab used to accept silently (issue 9, item 7).

A security group without a description, a network ACL entry without a CIDR block, launching
with an existing network interface and instance-level groups or a private IP, and an import
body that is not a describe-* bundle.
"""

from typing import Any

import pytest

from app.engine import AwsError, write_bundle
from app.engine import operations as op

from .lab import new_lab, public_vpc


@pytest.mark.parametrize("description", ["", "   ", None])
def test_create_security_group_without_a_description_is_missing_parameter(
    description: Any,
) -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    before = write_bundle(lab)
    with pytest.raises(AwsError) as error:
        op.create_security_group(
            lab, group_name="web", description=description, vpc_id=parts["vpc"].vpc_id
        )
    assert error.value.code == "MissingParameter"
    assert "description" in error.value.message
    assert write_bundle(lab) == before


def test_a_security_group_keeps_the_description_it_was_given() -> None:
    lab = new_lab()
    parts = public_vpc(lab)
    sg = op.create_security_group(
        lab, group_name="web", description="HTTP from anywhere", vpc_id=parts["vpc"].vpc_id
    )
    assert sg.description == "HTTP from anywhere"

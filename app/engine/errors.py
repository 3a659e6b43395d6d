"""Domain errors: every refusal carries the exact AWS error code and a sentence for a learner."""

from __future__ import annotations

from .kinds import KIND


class AwsError(Exception):
    """An AWS API error, e.g. ``AwsError("InvalidSubnet.Range", "The CIDR ... is not inside ...")``.

    ``code`` is the EC2 API error code, ``message`` one sentence a learner understands, and
    ``resource_id`` the offending resource where there is one (the import names it).
    """

    def __init__(self, code: str, message: str, *, resource_id: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.resource_id = resource_id


def not_found(kind: str, resource_id: str) -> AwsError:
    """The ``Invalid<Resource>ID.NotFound`` error of the EC2 API for ``kind``."""
    declared = KIND[kind]
    return AwsError(
        declared.not_found,
        f"The {declared.noun} '{resource_id}' does not exist.",
        resource_id=resource_id,
    )

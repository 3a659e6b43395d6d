"""The describe-* bundle: the one conversion between AWS CLI JSON and the engine's model."""

from .load import BUNDLE_KEYS, check_structure, import_bundle
from .read import InvalidBundle, read_bundle
from .write import resource_json, write_bundle

__all__ = [
    "BUNDLE_KEYS",
    "InvalidBundle",
    "check_structure",
    "import_bundle",
    "read_bundle",
    "resource_json",
    "write_bundle",
]

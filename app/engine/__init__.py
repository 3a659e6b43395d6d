"""VPC Lab's engine: AWS VPC resources, AWS's rules for changing them, and path analysis.

Standard library only (see README.md in this folder).
"""

from .bundle import InvalidBundle, import_bundle, write_bundle
from .errors import AwsError
from .ids import IdFactory
from .topology import KINDS, Topology
from .trace import Analysis, Explanation, Hop
from .tracer import analyze

__all__ = [
    "KINDS",
    "Analysis",
    "AwsError",
    "Explanation",
    "Hop",
    "IdFactory",
    "InvalidBundle",
    "Topology",
    "analyze",
    "import_bundle",
    "write_bundle",
]

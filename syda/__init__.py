"""syda: fill a whole relational schema with domain-realistic synthetic data.

The public API is declared here and only here (``tests/test_public_api.py`` keeps it that way).
"""

from syda.engine import RunReport, TableReport
from syda.errors import (
    ConfigurationError,
    GenerationError,
    OutputError,
    PlanError,
    SchemaError,
    SydaError,
)
from syda.generator import SyntheticDataGenerator
from syda.plan import Plan
from syda.providers.base import FillRequest, Provider
from syda.providers.offline import OfflineProvider
from syda.schema import load_schema
from syda.schema.ir import Schema

__version__ = "0.1.0"

__all__ = [
    "ConfigurationError",
    "FillRequest",
    "GenerationError",
    "OfflineProvider",
    "OutputError",
    "Plan",
    "PlanError",
    "Provider",
    "RunReport",
    "Schema",
    "SchemaError",
    "SydaError",
    "SyntheticDataGenerator",
    "TableReport",
    "__version__",
    "load_schema",
]

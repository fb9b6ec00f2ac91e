"""syda: fill a whole relational schema with domain-realistic synthetic data.

The public API is declared here and only here (``tests/test_public_api.py`` keeps it that way).
"""

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
from syda.profile import ColumnProfile, Profile, TableProfile, dump_profile, load_profile
from syda.profile.vector import ColumnContext, depends_on
from syda.prompts import CompiledPrompt
from syda.providers.base import FillRequest, LLMClient, LLMRequest, LLMResponse, Provider, Usage
from syda.providers.config import ModelConfig
from syda.providers.llm import LLMProvider
from syda.providers.offline import OfflineProvider
from syda.report import RunReport, TableReport
from syda.schema import load_schema
from syda.schema.ir import Schema

__version__ = "0.1.0"

__all__ = [
    "ColumnContext",
    "ColumnProfile",
    "CompiledPrompt",
    "ConfigurationError",
    "FillRequest",
    "GenerationError",
    "LLMClient",
    "LLMProvider",
    "LLMRequest",
    "LLMResponse",
    "ModelConfig",
    "OfflineProvider",
    "OutputError",
    "Plan",
    "PlanError",
    "Profile",
    "Provider",
    "RunReport",
    "Schema",
    "SchemaError",
    "SydaError",
    "SyntheticDataGenerator",
    "TableProfile",
    "TableReport",
    "Usage",
    "__version__",
    "depends_on",
    "dump_profile",
    "load_profile",
    "load_schema",
]

"""syda: fill a whole relational schema with domain-realistic synthetic data.

The public API is declared here and only here (``tests/test_public_api.py`` keeps it that way).
"""

# Underscored module names: the namespace holds the API only (tests/test_public_api.py).
import importlib as _importlib
import typing as _typing

from syda.errors import (
    ConfigurationError,
    GenerationError,
    OutputError,
    PlanError,
    SchemaError,
    SydaError,
)

if _typing.TYPE_CHECKING:
    from syda.generator import SyntheticDataGenerator
    from syda.generators.kinds import register_kind, unregister_kind
    from syda.plan import Plan
    from syda.profile import ColumnProfile, Profile, TableProfile, dump_profile, load_profile
    from syda.profile.vector import ColumnContext, depends_on
    from syda.prompts import CompiledPrompt
    from syda.providers.base import (
        BatchResult,
        BatchUsage,
        FillRequest,
        LLMClient,
        LLMRequest,
        LLMResponse,
        Provider,
        Usage,
    )
    from syda.providers.config import ModelConfig
    from syda.providers.llm import LLMProvider
    from syda.providers.offline import OfflineProvider
    from syda.report import RunReport, TableReport
    from syda.schema import load_schema
    from syda.schema.ir import Schema
    from syda.stream.run import StreamReport

# The rest of the API is imported on first use (PEP 562): ``syda --help`` and ``import
# syda.errors`` then answer without importing pandas, SQLAlchemy, sqlglot or Faker.
_HOMES = {
    "BatchResult": "syda.providers.base",
    "BatchUsage": "syda.providers.base",
    "ColumnContext": "syda.profile.vector",
    "register_kind": "syda.generators.kinds",
    "unregister_kind": "syda.generators.kinds",
    "ColumnProfile": "syda.profile",
    "CompiledPrompt": "syda.prompts",
    "FillRequest": "syda.providers.base",
    "LLMClient": "syda.providers.base",
    "LLMProvider": "syda.providers.llm",
    "LLMRequest": "syda.providers.base",
    "LLMResponse": "syda.providers.base",
    "ModelConfig": "syda.providers.config",
    "OfflineProvider": "syda.providers.offline",
    "Plan": "syda.plan",
    "Profile": "syda.profile",
    "Provider": "syda.providers.base",
    "RunReport": "syda.report",
    "Schema": "syda.schema.ir",
    "StreamReport": "syda.stream.run",
    "SyntheticDataGenerator": "syda.generator",
    "TableProfile": "syda.profile",
    "TableReport": "syda.report",
    "Usage": "syda.providers.base",
    "depends_on": "syda.profile.vector",
    "dump_profile": "syda.profile",
    "load_profile": "syda.profile",
    "load_schema": "syda.schema",
}

__version__ = "0.1.0"

__all__ = [
    "BatchResult",
    "BatchUsage",
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
    "StreamReport",
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
    "register_kind",
    "unregister_kind",
]


def __getattr__(name: str) -> _typing.Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(home), name)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

"""The import path of the syda this project grew from: ``from syda.structured import ...``.

Code and notebooks written for it keep working; new code imports from :mod:`syda` itself.
"""

from syda.generator import SyntheticDataGenerator
from syda.providers.config import ModelConfig

__all__ = ["ModelConfig", "SyntheticDataGenerator"]

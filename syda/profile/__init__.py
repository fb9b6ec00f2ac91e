"""The profile: for every column, how its values are drawn (see README, "Making data make sense").

``Schema IR -> inference -> Profile -> plan -> engine``: :func:`effective_profile` layers the
inferred specs, the schema's own and the user's; :class:`ProfileProvider` draws them. The
families of draws register themselves on import (:mod:`syda.profile.registry`).
"""

from syda.profile import (  # noqa: F401  (register their families)
    categories,
    exprs,
    numbers,
    series,
    times,
)
from syda.profile.draw import ProfileProvider, drawn_columns
from syda.profile.effective import effective_profile
from syda.profile.io import dump_profile, load_profile
from syda.profile.spec import ColumnProfile, Profile, TableProfile

__all__ = [
    "ColumnProfile",
    "Profile",
    "ProfileProvider",
    "TableProfile",
    "drawn_columns",
    "dump_profile",
    "effective_profile",
    "load_profile",
]

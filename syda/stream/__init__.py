"""The streaming engine: tables made in chunks of bounded size, to files or a database.

See :func:`syda.SyntheticDataGenerator.generate_to`. Modules: :mod:`~syda.stream.mix` (keyed
random streams and bijections), :mod:`~syda.stream.layout` (chunks, and what cannot stream),
:mod:`~syda.stream.chunk` (one chunk), :mod:`~syda.stream.store` (parent columns on disk),
:mod:`~syda.stream.uniques` (unique text across chunks), :mod:`~syda.stream.files` (file
sinks), :mod:`~syda.stream.to_db` (into a database, one transaction), :mod:`~syda.stream.run`
and :mod:`~syda.stream.on_dask` (the engines).
"""

from syda.stream.layout import StreamPlan, stream_plan
from syda.stream.run import StreamReport, run_stream

__all__ = ["StreamPlan", "StreamReport", "run_stream", "stream_plan"]

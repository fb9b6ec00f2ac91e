"""The Dask engine: every chunk a task on a ``dask.distributed`` cluster.

``scheduler=None`` starts a :class:`~dask.distributed.LocalCluster` of ``workers`` processes
(one thread each: a chunk is CPU-bound Python and numpy) and closes it afterwards;
``scheduler="tcp://host:8786"`` uses a running cluster. The stream plan is scattered once to
every worker; the tasks only name (table, chunk). Workers write their parts straight into the
staging directory, so on a real cluster the output directory must be storage every worker
mounts (NFS, a shared volume); the client only commits it at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from syda.errors import ConfigurationError
from syda.stream.collect import in_task_order
from syda.stream.layout import StreamPlan

__all__ = ["dask_client", "dask_submitter"]


@contextmanager
def dask_client(scheduler: str | None, workers: int, store: Path) -> Iterator[Any]:
    """A ``dask.distributed`` client: of a new LocalCluster, or of the cluster at ``scheduler``.

    On the way out every worker drops the memory maps of ``store`` (a long-lived cluster keeps
    its workers), then the client, and the LocalCluster if one was started, are closed.

    Raises:
        ConfigurationError: If ``dask[distributed]`` is not installed.
    """
    try:
        from dask.distributed import Client, LocalCluster  # untyped: calls are Any below
    except ImportError as exc:
        raise ConfigurationError(
            'the dask engine needs dask.distributed: pip install "syda[dask]"'
        ) from exc
    from syda.stream.chunk import forget_stores

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        yield client
    finally:
        client.run(forget_stores, store)
        client.close()
        if cluster is not None:
            cluster.close()


@contextmanager
def dask_submitter(
    splan: StreamPlan, scheduler: str | None, workers: int, store: Path
) -> Iterator[Any]:
    """A function that runs chunk tasks on the cluster and returns their summaries in order.

    Each task's end is told to the ``done`` callback as it happens; a failure is told in task
    order (:func:`~syda.stream.collect.in_task_order`).

    Raises:
        ConfigurationError: If ``dask[distributed]`` is not installed.
    """
    from syda.stream.run import chunk_task

    with dask_client(scheduler, workers, store) as client:
        shared = client.scatter(splan, broadcast=True)

        def submit(tasks: list[tuple[Any, ...]], done: Any) -> list[Any]:
            from dask.distributed import as_completed

            futures = [client.submit(chunk_task, shared, *task, pure=False) for task in tasks]
            index = {future.key: i for i, future in enumerate(futures)}
            finished = (index[future.key] for future in as_completed(futures))
            try:
                return in_task_order(futures, finished, done, client.cancel)
            except BaseException:
                client.cancel(futures)  # the level failed: stop its chunks still running
                raise

        yield submit

"""The Dask engine: every chunk a task on a ``dask.distributed`` cluster.

``scheduler=None`` starts a :class:`~dask.distributed.LocalCluster` of ``workers`` processes
(one thread each: a chunk is CPU-bound Python and numpy) and closes it afterwards;
``scheduler="tcp://host:8786"`` uses a running cluster. The stream plan is scattered once to
every worker; the tasks only name (table, chunk). Workers write their parts straight into the
staging directory, so on a real cluster the output directory must be storage every worker
mounts (NFS, a shared volume); the client only commits it at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from syda.errors import ConfigurationError
from syda.stream.layout import StreamPlan
from syda.stream.schedule import Runner

__all__ = ["dask_client", "dask_runner"]


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


class _OnCluster:
    def __init__(self, client: Any, shared: Any) -> None:
        self._client, self._shared = client, shared
        self.started: list[Any] = []

    def start(self, task: tuple[Any, ...], ended: Callable[[], None]) -> Any:
        from syda.stream.run import chunk_task

        future = self._client.submit(chunk_task, self._shared, *task, pure=False)
        future.add_done_callback(lambda _: ended())  # on a thread of the client
        self.started.append(future)
        return future

    def cancel(self, futures: Sequence[Any]) -> None:
        self._client.cancel(list(futures))


@contextmanager
def dask_runner(
    splan: StreamPlan, scheduler: str | None, workers: int, store: Path
) -> Iterator[Runner]:
    """Where chunk tasks run on the cluster: any worker may make any chunk.

    Raises:
        ConfigurationError: If ``dask[distributed]`` is not installed.
    """
    with dask_client(scheduler, workers, store) as client:
        runner = _OnCluster(client, client.scatter(splan, broadcast=True))
        try:
            yield runner
        except BaseException:
            # A failed run: stop its chunks still running (a long-lived cluster goes on).
            client.cancel([f for f in runner.started if not f.done()])
            raise

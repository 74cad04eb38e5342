"""Where work runs: in this process, on a local Dask cluster, or on any Dask scheduler.

The work of a sharded corpus (:mod:`toolkit.shards`) is a list of independent tasks, one per
shard: build a shard, count a shard, search a shard.  This module runs such lists.  There is
one switch, :func:`set_scheduler`:

* ``None`` (the default): the tasks run one after another in this process; Dask is not
  even imported.  Right for the bundled corpus and anything that fits one process.
* ``"local"``: a ``distributed.LocalCluster`` on this machine, one single-threaded worker
  process per core (``n_workers=`` to choose), so that tokenising and counting, which hold
  Python's GIL, use every core.
* an address such as ``"tcp://10.0.0.5:8786"``: a running Dask scheduler, for example one
  started on a SLURM cluster by ``dask-jobqueue`` (see the README, "Larger corpora").
  The workers must see the shard folder at the same path (a shared file system).
* a ``distributed.Client`` made by the caller.

Why Dask and nothing hand-written: Dask's distributed scheduler already does what a
map-reduce over shards needs — worker processes, serialisation of tasks and results, data
locality, failure reporting, a dashboard — on a laptop, a lab server or a cluster, and it is
the engine of the scientific Python stack this toolkit is built on.  This module only
submits tasks and collects their results in order, with a progress bar (``tqdm.auto``) that
counts the tasks done over all workers; it has no scheduler, RPC or worker pool of its own.

A task that fails on a worker raises its exception here, in the caller's process, with the
shard named by the task itself (see :mod:`toolkit.shards`).
"""

from __future__ import annotations

import os
import types
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from ._progress import progress_options
from .errors import ParameterError

__all__ = ["set_scheduler", "get_scheduler", "run_tasks", "stream_tasks"]

_STATE: dict[str, Any] = {"spec": None, "client": None, "cluster": None}


def _close() -> None:
    client, cluster = _STATE["client"], _STATE["cluster"]
    _STATE.update(spec=None, client=None, cluster=None)
    if client is not None and cluster is not None:  # we made both; a user's client is theirs
        client.close()
        cluster.close()


def set_scheduler(scheduler: Any = None, *, n_workers: int | None = None) -> Any:
    """Choose where the work of sharded corpora runs.

    Parameters
    ----------
    scheduler : None, "local", str or distributed.Client
        ``None``: in this process, one task after another (the default).  ``"local"``: a
        Dask ``LocalCluster`` of single-threaded worker processes on this machine (its
        workers' statistical profiler is off and its event-loop checks are every half
        second, which leaves the cores to the tasks).  A
        scheduler address (``"tcp://host:8786"``): a running Dask cluster whose workers see
        the shard folders at the same paths.  A ``distributed.Client``: that client.
    n_workers : int, optional
        With ``"local"``: the number of worker processes (default: the number of cores).

    Returns
    -------
    distributed.Client or None
        The client the work now goes to (``None`` in process); its ``dashboard_link``
        shows the workers at work.

    Raises
    ------
    ParameterError
        An unknown ``scheduler`` value, or ``n_workers`` below 1 or given without
        ``"local"``.

    Examples
    --------
    >>> import toolkit as tk
    >>> tk.set_scheduler(None) is None      # in process (the default)
    True
    >>> tk.get_scheduler()
    'in-process'

    On a machine with several cores, ``client = tk.set_scheduler("local")`` starts one
    worker per core; ``tk.set_scheduler(None)`` shuts it down again.  On a SLURM cluster::

        from dask_jobqueue import SLURMCluster
        cluster = SLURMCluster(cores=1, processes=1, memory="4GB", walltime="02:00:00")
        cluster.scale(jobs=16)
        tk.set_scheduler(cluster.scheduler_address)
    """
    if n_workers is not None and (
        isinstance(n_workers, bool) or not isinstance(n_workers, int) or n_workers < 1
    ):
        raise ParameterError("n_workers", n_workers, "n_workers must be a whole number ≥ 1")
    if n_workers is not None and scheduler != "local":
        raise ParameterError("n_workers", n_workers, 'n_workers applies only to scheduler="local"')
    if scheduler is None or scheduler == "in-process":
        _close()
        return None
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:  # pragma: no cover - a dependency of the toolkit
        raise ParameterError(
            "scheduler", scheduler, "Dask's distributed package is not installed"
        ) from err
    if isinstance(scheduler, Client):
        _close()
        _STATE.update(spec="client", client=scheduler)
        return scheduler
    if scheduler == "local":
        import dask

        _close()
        workers = n_workers or os.cpu_count() or 1
        with dask.config.set(_LOCAL_CONFIG):  # read as the scheduler and workers start
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=40,
            )
            client = Client(cluster)
        _STATE.update(spec=f"local ({workers} workers)", client=client, cluster=cluster)
        return client
    if isinstance(scheduler, str) and "://" in scheduler:
        _close()
        client = Client(scheduler)
        _STATE.update(spec=scheduler, client=client)
        return client
    raise ParameterError(
        "scheduler",
        scheduler,
        "scheduler must be None, 'local', a scheduler address such as 'tcp://host:8786', "
        "or a distributed.Client",
    )


def get_scheduler() -> str:
    """Where work runs now: ``"in-process"``, ``"local (N workers)"``, an address or
    ``"client"``.

    Examples
    --------
    >>> import toolkit as tk
    >>> tk.get_scheduler()
    'in-process'
    """
    return _STATE["spec"] or "in-process"


#: Dask settings of the local cluster: the workers' statistical profiler (a stack sample
#: every 10 ms, for the dashboard's profile page) and the 20 ms event-loop tick together
#: took about 15% of a core with two idle workers on two cores, time the shards' tasks need;
#: off and every half second they take 4%.  A cluster given by address keeps its own.
_LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.admin.system-monitor.interval": "2s",
}


def _client() -> Any:
    return _STATE["client"]


#: Task arguments known to be smaller than this (names, numbers, short lists, small arrays)
#: travel inside the task; others are scattered to the worker first.
_INLINE_BYTES = 64_000


def _small(value: Any, budget: int = _INLINE_BYTES) -> bool:
    """Whether ``value`` is known to take fewer than ``budget`` bytes."""
    if value is None or isinstance(value, bool | int | float | np.generic):
        return True
    if isinstance(value, types.BuiltinFunctionType):
        return True
    if isinstance(value, types.FunctionType):  # by reference, unless it carries data
        return value.__closure__ is None and _small(value.__defaults__ or (), budget)
    if isinstance(value, str | bytes | bytearray):
        return len(value) < budget
    if isinstance(value, np.ndarray):
        return value.dtype != object and value.nbytes < budget
    if isinstance(value, list | tuple | frozenset | set | dict):
        if len(value) > budget // 8:
            return False
        items = list(value.items()) if isinstance(value, dict) else list(value)
        share = budget // max(len(items), 1)
        return all(_small(v, share) for v in items)
    return False


def run_tasks(
    function: Callable[..., Any],
    tasks: Iterable[tuple[Any, ...]],
    *,
    desc: str = "shards",
    progress: bool | None = None,
) -> list[Any]:
    """``[function(*task) for task in tasks]``, run where :func:`set_scheduler` says, the
    results in the order of ``tasks``.

    Examples
    --------
    >>> run_tasks(pow, [(2, 3), (3, 2)])
    [8, 9]
    """
    tasks = list(tasks)
    return list(stream_tasks(function, tasks, desc=desc, progress=progress, total=len(tasks)))


def stream_tasks(
    function: Callable[..., Any],
    tasks: Iterable[tuple[Any, ...]],
    *,
    desc: str = "shards",
    progress: bool | None = None,
    in_flight: int | None = None,
    total: int | None = None,
) -> Iterator[Any]:
    """Run ``function(*task)`` for each task and yield the results in task order.

    ``tasks`` is consumed lazily: at most ``in_flight`` tasks (default: twice the number of
    workers) are submitted and not yet returned, so a stream of tasks that carry data (the
    texts of the next shard) never has to be held whole in memory.  In process the tasks run
    one at a time.

    Examples
    --------
    >>> list(stream_tasks(divmod, iter([(7, 2), (9, 4)])))
    [(3, 1), (2, 1)]
    """
    opts = progress_options(progress)
    client = _client()
    bar = tqdm(total=total, desc=desc, unit="task", **opts)
    try:
        if client is None:
            for task in tasks:
                result = function(*task)
                bar.update(1)
                yield result
            return
        if in_flight is None:
            in_flight = 2 * max(len(client.scheduler_info().get("workers", {})), 1)
        pending: deque[Any] = deque()
        iterator = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < in_flight:
                try:
                    task = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                with warnings.catch_warnings():
                    # data travels with its task once, to one worker: Dask's advice to
                    # scatter data used by many tasks does not apply
                    warnings.filterwarnings("ignore", "Sending large graph", UserWarning)
                    args = list(task)
                    large = [i for i, a in enumerate(args) if not _small(a)]
                    if large:  # large arguments go straight to a worker, not via the scheduler
                        sent = client.scatter([args[i] for i in large], hash=False, direct=True)
                        for i, future in zip(large, sent, strict=True):
                            args[i] = future
                    pending.append(client.submit(function, *args, pure=False))
            if not pending:
                return
            future = pending.popleft()
            result = future.result()  # re-raises a worker's exception here
            future.release()
            bar.update(1)
            yield result
    finally:
        bar.close()

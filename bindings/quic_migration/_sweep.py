# SPDX-License-Identifier: GPL-2.0-only
"""Parameter sweeps: every combination of a grid times run numbers, each run in its own process.

Executor choice. The ns-3 simulator is process-global, so each run gets a
fresh process: ``python -m quic_migration._worker`` started with
:mod:`subprocess` (same interpreter, ``sys.executable``), the configuration as
JSON on stdin and the table rows as JSON on stdout. This was preferred over a
``multiprocessing`` pool because:

* nothing of the caller is re-imported (the 'spawn' and 'forkserver' start
  methods re-import ``__main__``, which breaks scripts without an
  ``if __name__ == "__main__"`` guard, and 'fork' would copy ns-3 state);
* a run that crashes (an ns-3 abort) fails that task with its stderr instead
  of breaking the whole pool;
* the local pool and dask execute the very same task function
  (:func:`_run_task`), so the rows cannot depend on the executor.

Locally, a thread pool of ``workers`` threads (default: the CPU count) drives
the subprocesses. With a ``dask.distributed.Client``, each task is submitted
to the cluster and the dask worker runs the same subprocess (so a worker with
several threads still never runs two simulations in one process); the package
must be importable on the workers.
"""

import concurrent.futures
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any, Dict, List, Optional

from ._core import ScenarioConfig, make_config, validate

__all__ = ["sweep", "SweepTable", "SweepError"]

# Directory that holds the quic_migration package (added to the worker's PYTHONPATH).
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class SweepError(RuntimeError):
    """A task of a sweep failed; ``options`` holds its configuration, ``kind`` the error type."""

    def __init__(self, message: str, options: Optional[Dict[str, Any]] = None, kind: str = ""):
        """Record the message, the task's options and the worker's exception type name."""
        super().__init__(message)
        self.options = options or {}
        self.kind = kind


class SweepTable(list):
    """The rows of a sweep (a list of flat dicts, in grid order x runs).

    ``summaries`` holds the summary.json text of every task (task order) when
    the sweep was called with ``keep_summaries=True``, else None.
    """

    summaries: Optional[List[str]] = None

    @property
    def columns(self) -> List[str]:
        """Column names, in first-seen order."""
        seen: Dict[str, None] = {}
        for row in self:
            for key in row:
                seen.setdefault(key, None)
        return list(seen)

    def column(self, name: str) -> List[Any]:
        """The values of one column (None where a row lacks it)."""
        return [row.get(name) for row in self]

    def to_dataframe(self):
        """Return a pandas.DataFrame of the rows (pandas is optional: ImportError if absent)."""
        try:
            import pandas
        except ImportError as e:
            raise ImportError(
                "SweepTable.to_dataframe() needs pandas (Debian: python3-pandas); "
                "the table itself is a list of dict rows"
            ) from e
        return pandas.DataFrame(list(self), columns=self.columns)


def _run_task(spec: Dict[str, Any]) -> Dict[str, Any]:
    """Run one task in a fresh Python process; return the worker's reply (raises SweepError).

    ``spec``: {"options": {...}, "keep_summary": bool, "level": str}. When options["out"] is
    None the run writes into a temporary directory removed afterwards. Used by
    both executors (it is what dask ships to its workers).
    """
    options = dict(spec["options"])
    tmp = None
    if options.get("out") is None:
        tmp = tempfile.mkdtemp(prefix="quic-migration-task-")
        options["out"] = os.path.join(tmp, "out")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH", "")) if p
    )
    payload = json.dumps(
        {
            "options": options,
            "keep_summary": bool(spec.get("keep_summary")),
            "level": spec.get("level", "connection"),
        }
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "quic_migration._worker"],
            input=payload,
            capture_output=True,
            text=True,
            env=env,
            timeout=spec.get("timeout"),
        )
    except subprocess.TimeoutExpired as e:
        raise SweepError(
            f"sweep task timed out after {e.timeout} s: {spec['options']}", spec["options"], "Timeout"
        ) from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    try:
        reply = json.loads(proc.stdout)
    except ValueError:
        tail = "\n".join(proc.stderr.strip().splitlines()[-10:])
        raise SweepError(
            f"sweep task process exited with status {proc.returncode} without a result "
            f"(options {spec['options']}):\n{tail}",
            spec["options"],
            "Crash",
        ) from None
    if "error" in reply:
        err = reply["error"]
        raise SweepError(
            f"sweep task failed with {err['type']}: {err['message']} (options {spec['options']})",
            spec["options"],
            err["type"],
        )
    return reply


class _Progress:
    """A one-line text progress bar on stderr."""

    def __init__(self, total: int, enabled: Optional[bool]):
        """``enabled``: True, False, or None = only when stderr is a terminal."""
        tty = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()
        self.enabled = tty if enabled is None else bool(enabled)
        self.tty = tty
        self.total = total
        self.done = 0
        self.start = time.monotonic()

    def step(self) -> None:
        """Count one finished task and redraw."""
        self.done += 1
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        width = 30
        filled = int(width * self.done / self.total) if self.total else width
        line = (
            f"[sweep] [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} runs, "
            f"{elapsed:.1f} s elapsed, ~{eta:.1f} s left"
        )
        if self.tty:
            sys.stderr.write("\r" + line + ("\n" if self.done == self.total else ""))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()


def _normalise_grid(grid: Mapping) -> Dict[str, List[Any]]:
    """Check the grid: known option names (Python or runner spelling), non-empty value lists."""
    if not isinstance(grid, Mapping):
        raise TypeError(f"grid: expected a dict of option -> list of values, got {type(grid).__name__}")
    names = ScenarioConfig.option_names()
    out: Dict[str, List[Any]] = {}
    for key, values in grid.items():
        name = str(key).replace("-", "_")
        if name not in names:
            raise ValueError(f"grid: unknown option '{key}' (options: {', '.join(names)})")
        if name in ("out", "run"):
            raise ValueError(
                f"grid: '{name}' cannot be swept (run numbers come from runs=, outputs from out=)"
            )
        if name in out:
            raise ValueError(f"grid: option '{name}' given twice")
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise TypeError(f"grid['{key}']: expected a list of values, got {type(values).__name__}")
        values = list(values)
        if not values:
            raise ValueError(f"grid['{key}']: the list of values is empty")
        out[name] = values
    return out


def _run_numbers(runs) -> List[int]:
    """runs=N -> [1..N]; an iterable -> its run numbers."""
    if isinstance(runs, bool):
        raise TypeError("runs: expected an int or a list of ints, got bool")
    if isinstance(runs, int):
        if runs < 1:
            raise ValueError(f"runs: expected at least 1, got {runs}")
        return list(range(1, runs + 1))
    if isinstance(runs, Iterable) and not isinstance(runs, (str, bytes)):
        numbers = list(runs)
        if not numbers or any(isinstance(r, bool) or not isinstance(r, int) for r in numbers):
            raise TypeError("runs: expected a non-empty list of ints")
        if len(set(numbers)) != len(numbers):
            raise ValueError("runs: run numbers must be distinct")
        return numbers
    raise TypeError(f"runs: expected an int or a list of ints, got {type(runs).__name__}")


def sweep(
    grid: Mapping,
    runs=1,
    client=None,
    workers: Optional[int] = None,
    progress: Optional[bool] = None,
    *,
    base=None,
    out=None,
    keep_summaries: bool = False,
    timeout: Optional[float] = None,
    level: str = "connection",
    **overrides,
) -> SweepTable:
    """Run every combination of ``grid`` x ``runs``, each run in its own process.

    Args:
        grid: dict of option -> list of values, e.g. ``{"loss": [0, 0.01],
            "delay": ["10ms", "50ms"]}`` (Python or runner option names; not
            ``out`` or ``run``). An empty dict runs the base configuration.
        runs: number of replications (run numbers 1..runs) or a list of run
            numbers; ``seed`` stays the base's (or the grid's) seed.
        client: a ``dask.distributed.Client`` to run the tasks on its cluster;
            None for a local pool of subprocesses.
        workers: local pool size (default: the CPU count); ignored with a client.
        progress: text progress bar on stderr: True, False, or None = only when
            stderr is a terminal.
        base: the configuration the grid changes (ScenarioConfig, mapping or
            None for the defaults), with ``overrides`` applied on top.
        out: directory for the outputs of the runs (``<out>/task-0000`` ...);
            None: each run writes into a temporary directory removed afterwards
            (the rows hold the results).
        keep_summaries: keep every run's summary.json text in
            ``table.summaries`` (for plots or :meth:`Result.from_summary`).
        timeout: wall-clock limit per run, seconds (None: no limit).
        level: rows per run: "connection" (default, one per connection),
            "path" (one per path of each side) or "event" (one per timeline
            event); see :meth:`Result.to_records`.

    Returns:
        a :class:`SweepTable`: one row per run and connection (or path, or event: ``level``; see
        :meth:`Result.to_records`), in grid order (first key outermost) and run
        order, whatever the executor; ``to_dataframe()`` if pandas is installed.
        The same seeds give the same rows on either executor.

    Raises:
        TypeError / ValueError for a bad grid or configuration (checked for every
        combination before any process starts); SweepError when a run fails.
    """
    grid = _normalise_grid(grid)
    run_numbers = _run_numbers(runs)
    if level not in ("connection", "path", "event"):
        raise ValueError(f"level: expected 'connection', 'path' or 'event', got {level!r}")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ValueError(f"workers: expected a positive int, got {workers!r}")
    if timeout is not None and (not isinstance(timeout, (int, float)) or timeout <= 0):
        raise ValueError(f"timeout: expected a positive number of seconds, got {timeout!r}")
    base_cfg = make_config(base, **overrides)
    if out is not None:
        out = os.path.abspath(os.fspath(out))

    # Expand and check every task before starting anything.
    specs = []
    keys = list(grid)
    for combo in itertools.product(*(grid[k] for k in keys)):
        for run_number in run_numbers:
            cfg = base_cfg.copy()
            for key, value in zip(keys, combo):
                setattr(cfg, key, value)
            cfg.run = run_number
            task_out = None if out is None else os.path.join(out, f"task-{len(specs):04d}")
            if task_out is not None:
                cfg.out = task_out
            try:
                validate(cfg)
            except ValueError as e:
                shown = dict(zip(keys, combo), run=run_number)
                raise ValueError(f"sweep combination {shown}: {e}") from None
            options = cfg.to_dict()
            options["out"] = task_out
            specs.append(
                {"options": options, "keep_summary": keep_summaries, "timeout": timeout, "level": level}
            )

    bar = _Progress(len(specs), progress)
    replies: List[Optional[Dict[str, Any]]] = [None] * len(specs)
    if client is None:
        _run_local(specs, replies, workers or os.cpu_count() or 1, bar)
    else:
        _run_dask(client, specs, replies, bar)

    table = SweepTable()
    for reply in replies:
        table.extend(reply["records"])
    table.summaries = [r["summary_json"] for r in replies] if keep_summaries else None
    return table


def _run_local(specs, replies, workers: int, bar: _Progress) -> None:
    """Run the tasks on a thread pool of subprocess drivers; first failure cancels the rest."""
    lock = threading.Lock()
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_run_task, spec): i for i, spec in enumerate(specs)}
        try:
            for future in concurrent.futures.as_completed(futures):
                replies[futures[future]] = future.result()
                with lock:
                    bar.step()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _run_dask(client, specs, replies, bar: _Progress) -> None:
    """Run the tasks on a dask.distributed cluster; first failure cancels the rest."""
    from distributed import as_completed

    futures = client.map(_run_task, specs, pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    try:
        for future in as_completed(futures):
            replies[index[future.key]] = future.result()
            bar.step()
    except BaseException:
        client.cancel(futures)
        raise

# SPDX-License-Identifier: GPL-2.0-only
"""quic_migration.sweep(): grid x runs, each run in its own process.

A 2 x 2 grid with 2 runs of small transfers on the local process pool and on
a dask.distributed LocalCluster (2 worker processes, 1 thread each) gives the
same rows for the same seeds, in grid order, equal to in-process runs; bad
grids fail before any process starts; a failing task raises SweepError; the
progress bar appears only when asked (or on a terminal). The cluster is closed
even when a check fails.
"""

import json
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = pathlib.Path(os.environ.get("QUIC_MIGRATION_BUILD_DIR", ROOT / "build"))
PYDIR = BUILD / "python"

if not list((PYDIR / "quic_migration").glob("_quic_migration*.so")):
    pytest.skip(
        f"Python extension not built: no {PYDIR}/quic_migration/_quic_migration*.so "
        "(pybind11 missing at configure time? run utils/install-deps.sh, then cmake)",
        allow_module_level=True,
    )
sys.path.insert(0, str(PYDIR))
try:
    import quic_migration as qm
except ImportError as e:
    pytest.skip(
        f"cannot import quic_migration with {sys.executable}: {e}", allow_module_level=True
    )

GRID = {"loss": [0.01, 0.03], "delay": ["5ms", "20ms"]}
BASE = dict(bytes=100_000, seed=7)


@pytest.fixture(scope="module")
def local_rows():
    """The reference sweep, on the local pool."""
    return qm.sweep(GRID, runs=2, workers=2, progress=False, keep_summaries=True, **BASE)


def test_local_sweep_rows(local_rows):
    rows = local_rows
    assert isinstance(rows, qm.SweepTable) and len(rows) == 8
    # Grid order (first key outermost), then run order.
    expected = [
        (loss, delay, run)
        for loss in (0.01, 0.03)
        for delay in (5_000_000, 20_000_000)
        for run in (1, 2)
    ]
    assert [(r["loss"], r["delay"], r["run"]) for r in rows] == expected
    assert all(r["seed"] == 7 and r["bytes"] == 100_000 for r in rows)
    assert all(r["transfer_delivered_bytes"] == 100_000 for r in rows)
    assert all(r["client_handshake_confirmed"] for r in rows)
    # Replications differ (different loss patterns), grid points differ.
    assert rows[0] != rows[1]
    assert {"loss", "delay", "run", "transfer_goodput_bps"} <= set(rows.columns)
    assert rows.column("run") == [1, 2] * 4
    # Summaries kept, one per task, consistent with the rows.
    assert len(rows.summaries) == 8
    again = qm.Result.from_summary(rows.summaries[3])
    assert again.totals.delivered_bytes == 100_000 and again.config.run == 2


def test_rows_equal_in_process_runs(local_rows, tmp_path):
    """A task's row is exactly what run() in this process gives for the same options."""
    result = qm.run(loss=0.03, delay="20ms", run=2, out=tmp_path / "r", **BASE)
    assert result.to_records() == [local_rows[7]]
    assert result.summary_json() == local_rows.summaries[7]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dask_sweep_equals_local(local_rows):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=40,
    ) as cluster, distributed.Client(cluster) as client:
        rows = qm.sweep(GRID, runs=2, client=client, progress=False, keep_summaries=True, **BASE)
    assert list(rows) == list(local_rows)
    assert rows.summaries == local_rows.summaries


def test_outputs_kept_when_out_given(tmp_path):
    rows = qm.sweep({"loss": [0.0, 0.02]}, runs=[3], out=tmp_path, progress=False, bytes=50_000)
    assert [r["run"] for r in rows] == [3, 3]
    dirs = sorted(p.name for p in tmp_path.iterdir())
    assert dirs == ["task-0000", "task-0001"]
    summary = json.loads((tmp_path / "task-0001" / "summary.json").read_text())
    assert summary["config"]["loss"] == 0.02 and summary["config"]["run"] == 3


def test_progress_bar(capsys):
    qm.sweep({}, runs=2, progress=True, bytes=20_000)
    err = capsys.readouterr().err
    assert "[sweep]" in err and "2/2 runs" in err
    qm.sweep({}, runs=1, progress=False, bytes=20_000)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "grid,kwargs,exc,fragment",
    [
        ({"nonsense": [1]}, {}, ValueError, "unknown option"),
        ({"out": ["a"]}, {}, ValueError, "cannot be swept"),
        ({"run": [1, 2]}, {}, ValueError, "cannot be swept"),
        ({"loss": []}, {}, ValueError, "empty"),
        ({"loss": 0.1}, {}, TypeError, "list of values"),
        ({"delay": "5ms"}, {}, TypeError, "list of values"),
        ({"loss": [0.1, 1.5]}, {}, ValueError, "loss"),
        ({"delay": [0.5]}, {}, TypeError, "delay"),
        ({"loss": [0.1]}, {"runs": 0}, ValueError, "runs"),
        ({"loss": [0.1]}, {"runs": [1, 1]}, ValueError, "distinct"),
        ({"loss": [0.1]}, {"workers": 0}, ValueError, "workers"),
        ({"loss": [0.1]}, {"cc": "Cubic"}, ValueError, "congestion control"),
        ([("loss", [0.1])], {}, TypeError, "grid"),
    ],
)
def test_bad_sweeps_fail_before_running(grid, kwargs, exc, fragment, tmp_path):
    with pytest.raises(exc, match=fragment):
        qm.sweep(grid, out=tmp_path, progress=False, **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_failing_task_raises_sweep_error():
    from quic_migration import _sweep

    options = qm.ScenarioConfig(bytes=1000).to_dict()
    options["out"] = None
    options["loss"] = 2.0  # bypasses the parent's checks: the worker reports the ValueError
    with pytest.raises(qm.SweepError, match="ValueError") as info:
        _sweep._run_task({"options": options})
    assert info.value.kind == "ValueError" and info.value.options["loss"] == 2.0


def test_sweep_example(tmp_path):
    script = ROOT / "examples" / "python" / "rebinding_sweep.py"
    env = dict(os.environ, QUIC_MIGRATION_BUILD_DIR=str(BUILD))
    proc = subprocess.run(
        [sys.executable, str(script), "--bytes=1000000", "--runs=1", "--loss", "0",
         "--intervals", "none", "200ms", "--horizon=2s",
         f"--csv={tmp_path / 't.csv'}", f"--plot={tmp_path / 't.png'}"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "mean goodput per grid point" in proc.stdout
    lines = (tmp_path / "t.csv").read_text().splitlines()
    assert len(lines) == 3
    # The second row rebinds every 200 ms: its timeline is in the table.
    assert "200000000ns:rebind;400000000ns:rebind" in lines[2] and "rebind" not in lines[1]
    assert "interval=200ms" in proc.stdout
    assert (tmp_path / "t.png").is_file()


def test_path_level_sweep_equals_in_process(tmp_path):
    """level="path": one row per path of each side, equal to Result.to_records(level="path")."""
    grid = {"event": [[], ["0.3s:rebind"]]}
    base = dict(bytes=600_000, seed=3)
    rows = qm.sweep(grid, runs=1, workers=2, progress=False, level="path", **base)
    direct = []
    for events in grid["event"]:
        result = qm.run(out=tmp_path / str(len(direct)), event=events, **base)
        direct += result.to_records(level="path")
    assert list(rows) == direct
    # Without the rebinding one path per side; with it the server has a second path.
    assert [(r["event"], r["side"], r["path"]) for r in rows] == [
        ("", "client", 0), ("", "server", 0),
        ("300000000ns:rebind", "client", 0), ("300000000ns:rebind", "server", 0),
        ("300000000ns:rebind", "server", 1),
    ]
    with pytest.raises(ValueError, match="level"):
        qm.sweep(grid, level="paths")

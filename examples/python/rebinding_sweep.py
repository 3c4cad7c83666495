#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Rebinding-interval sweep: goodput and losses over a grid of path conditions x replications.

The experiment this script is for: how often a NAT rebinds the client's
address (the rebinding interval) against the transfer's goodput, handshake
time and losses. The scenario layer has no rebinding yet, so today the grid
sweeps what exists, the packet loss rate and the one-way delay (the RTT), and
the script is already shaped for the rebinding interval: build_grid() adds
the key "rebinding_interval" (values from --rebinding-intervals) as soon as
ScenarioConfig has that option, and it becomes one more column of the table.
Nothing else changes.

Each run is its own process (quic_migration.sweep): a local pool by default,
or a dask.distributed LocalCluster with --dask N. The same seeds give the same
table either way.

Run (from the repository root, after `cmake --build build`):

    /usr/bin/python3 examples/python/rebinding_sweep.py
    /usr/bin/python3 examples/python/rebinding_sweep.py --loss 0 0.01 0.02 0.05 \\
        --delay 10ms 50ms --runs 5 --bytes 2000000 --csv sweep.csv --plot sweep.png
    /usr/bin/python3 examples/python/rebinding_sweep.py --dask 2

Defaults: 2 loss rates x 2 delays x 2 runs of 200 kB: a few seconds.
"""

import argparse
import csv
import os
import pathlib
import statistics
import sys


def _import_quic_migration():
    """Import quic_migration, adding the build tree's python directory if needed."""
    import importlib

    try:
        return importlib.import_module("quic_migration")
    except ImportError:
        root = pathlib.Path(__file__).resolve().parents[2]
        build = pathlib.Path(os.environ.get("QUIC_MIGRATION_BUILD_DIR", root / "build"))
        sys.path.insert(0, str(build / "python"))
        return importlib.import_module("quic_migration")


# The grid key of the rebinding interval, once the scenario layer offers it.
REBINDING_KEY = "rebinding_interval"


def build_grid(qm, args) -> dict:
    """The sweep grid: loss x delay today, x rebinding interval when the option exists."""
    grid = {"loss": args.loss, "delay": args.delay}
    if REBINDING_KEY in qm.ScenarioConfig.option_names():
        grid[REBINDING_KEY] = args.rebinding_intervals or ["1s", "5s"]
    elif args.rebinding_intervals:
        print(
            f"note: ScenarioConfig has no '{REBINDING_KEY}' option yet; "
            "--rebinding-intervals ignored",
            file=sys.stderr,
        )
    return grid


# Columns of the printed table: (header, row key, format).
COLUMNS = (
    ("goodput Mbps", "transfer_goodput_bps", lambda v: f"{v / 1e6:.3f}"),
    ("duration s", "transfer_duration", lambda v: "-" if v is None else f"{v:.3f}"),
    ("handshake ms", "handshake_duration", lambda v: "-" if v is None else f"{v * 1e3:.1f}"),
    ("lost", "totals_packets_lost", str),
    ("PTOs", "client_pto_count", str),
)


def print_table(rows, keys) -> None:
    """One line per run."""
    header = [*keys, "run", *(c[0] for c in COLUMNS)]
    lines = [header]
    for row in rows:
        lines.append(
            [_fmt_key(k, row[k]) for k in keys]
            + [str(row["run"])]
            + [fmt(row[key]) for _, key, fmt in COLUMNS]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.rjust(w) for cell, w in zip(line, widths)))


def _fmt_key(key, value) -> str:
    """Grid values as they were meant: times in ms."""
    if key in ("delay", REBINDING_KEY):
        return f"{value / 1e6:g}ms"
    return f"{value:g}" if isinstance(value, float) else str(value)


def summarise(rows, keys):
    """Mean and spread of the goodput per grid point (over the runs)."""
    groups = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row["transfer_goodput_bps"] / 1e6)
    print("\nmean goodput per grid point (Mbps, over the runs):")
    for point, values in groups.items():
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        label = ", ".join(f"{k}={_fmt_key(k, v)}" for k, v in zip(keys, point))
        print(f"  {label}: {statistics.mean(values):.3f} +- {spread:.3f} (n={len(values)})")
    return groups


def plot(groups, keys, path) -> None:
    """Goodput against the first grid key, one line per value of the others."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.5), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    lines = {}
    for point, values in groups.items():
        lines.setdefault(point[1:], []).append((point[0], statistics.mean(values)))
    for rest, pts in lines.items():
        pts.sort()
        label = ", ".join(f"{k}={_fmt_key(k, v)}" for k, v in zip(keys[1:], rest)) or "all"
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
    ax.set_xlabel(keys[0])
    ax.set_ylabel("goodput (Mbps)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    fig.savefig(path)
    print(f"figure: {path}")


def main(argv=None) -> int:
    """Parse the options, run the sweep, print (and optionally save) the table."""
    qm = _import_quic_migration()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loss", type=float, nargs="+", default=[0.0, 0.02], help="loss rates [0 0.02]")
    parser.add_argument("--delay", nargs="+", default=["10ms", "40ms"], help="one-way delays [10ms 40ms]")
    parser.add_argument("--rebinding-intervals", nargs="*", default=None,
                        help="NAT rebinding intervals, once the scenario layer supports them "
                        "[1s 5s]")
    parser.add_argument("--runs", type=int, default=2, help="replications (run numbers 1..N) [2]")
    parser.add_argument("--seed", type=int, default=1, help="RNG seed [1]")
    parser.add_argument("--bytes", type=int, default=200_000, help="bytes per transfer [200000]")
    parser.add_argument("--workers", type=int, default=None, help="local processes [CPU count]")
    parser.add_argument("--dask", type=int, default=0, metavar="N",
                        help="run on a dask LocalCluster of N worker processes")
    parser.add_argument("--csv", default=None, help="write the table to this CSV file")
    parser.add_argument("--plot", default=None, help="write goodput vs the first grid key (.png/.svg)")
    args = parser.parse_args(argv)

    grid = build_grid(qm, args)
    keys = list(grid)
    common = dict(grid=grid, runs=args.runs, bytes=args.bytes, seed=args.seed)
    try:
        if args.dask:
            from distributed import Client, LocalCluster

            with LocalCluster(n_workers=args.dask, threads_per_worker=1, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                rows = qm.sweep(client=client, **common)
        else:
            rows = qm.sweep(workers=args.workers, **common)
    except (TypeError, ValueError, qm.SweepError) as e:
        print(f"rebinding_sweep: error: {e}", file=sys.stderr)
        return 2

    print_table(rows, keys)
    groups = summarise(rows, keys)
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=rows.columns)
            writer.writeheader()
            writer.writerows(rows)
        print(f"table: {args.csv} ({len(rows)} rows)")
    if args.plot:
        plot(groups, keys, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())

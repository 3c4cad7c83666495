#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Rebinding-interval sweep: goodput and losses against how often a NAT rebinds the client.

The experiment: a NAT in front of the client rebinds its port every
INTERVAL of simulated time (timeline events `rebind` at INTERVAL, 2 x
INTERVAL, ... up to --horizon; RFC 9000 §9.3: the server sees a new peer
address each time, validates it and switches to it), crossed with the packet
loss rate. For each grid point and replication the table shows the transfer's
goodput and duration, the handshake time, lost packets and probe timeouts.
The interval "none" is the baseline without rebinding.

Each run is its own process (quic_migration.sweep): a local pool by default,
or a dask.distributed LocalCluster with --dask N. The same seeds give the same
table either way.

Run from the build tree (from the repository root, after `cmake --build build`;
the script adds build/python to sys.path, or set QUIC_MIGRATION_BUILD_DIR):

    /usr/bin/python3 examples/python/rebinding_sweep.py
    /usr/bin/python3 examples/python/rebinding_sweep.py --intervals none 200ms 500ms 1s \
        --loss 0 0.01 --runs 5 --bytes 4000000 --csv sweep.csv --plot sweep.png
    /usr/bin/python3 examples/python/rebinding_sweep.py --dask 2

Defaults: 3 intervals x 2 loss rates x 2 runs of 1 MB: a few seconds.
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


# The grid key of the rebinding interval: the timeline (option "event").
REBINDING_KEY = "event"


def rebinding_events(interval: str, horizon_ns: int, parse_ns) -> list:
    """The timeline of one interval: a rebind every interval up to the horizon ([] = none)."""
    if interval == "none":
        return []
    step = parse_ns(interval)
    if step <= 0:
        raise ValueError(f"rebinding interval {interval!r}: must be positive")
    return [f"{k * step}ns:rebind" for k in range(1, horizon_ns // step + 1)]


def build_grid(qm, args):
    """The sweep grid (event timeline x loss) and {timeline text: interval label}."""
    def parse_ns(text):
        return qm.ScenarioConfig(delay=text).delay  # the scenario layer's time syntax

    horizon = parse_ns(args.horizon)
    timelines, labels = [], {}
    for interval in args.intervals:
        events = rebinding_events(interval, horizon, parse_ns)
        timelines.append(events)
        labels[";".join(events)] = interval
    return {REBINDING_KEY: timelines, "loss": args.loss}, labels


# Columns of the printed table: (header, row key, format).
COLUMNS = (
    ("goodput Mbps", "transfer_goodput_bps", lambda v: f"{v / 1e6:.3f}"),
    ("duration s", "transfer_duration", lambda v: "-" if v is None else f"{v:.3f}"),
    ("handshake ms", "handshake_duration", lambda v: "-" if v is None else f"{v * 1e3:.1f}"),
    ("lost", "totals_packets_lost", str),
    ("PTOs", "client_pto_count", str),
)


def print_table(rows, keys, labels) -> None:
    """One line per run."""
    header = [*("interval" if k == REBINDING_KEY else k for k in keys), "run", *(c[0] for c in COLUMNS)]
    lines = [header]
    for row in rows:
        lines.append(
            [_fmt_key(k, row[k], labels) for k in keys]
            + [str(row["run"])]
            + [fmt(row[key]) for _, key, fmt in COLUMNS]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.rjust(w) for cell, w in zip(line, widths)))


def _fmt_key(key, value, labels) -> str:
    """Grid values as they were meant: the interval for a timeline."""
    if key == REBINDING_KEY:
        return labels.get(value, value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def summarise(rows, keys, labels):
    """Mean and spread of the goodput per grid point (over the runs)."""
    groups = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row["transfer_goodput_bps"] / 1e6)
    print("\nmean goodput per grid point (Mbps, over the runs):")
    for point, values in groups.items():
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        label = ", ".join(
            f"{'interval' if k == REBINDING_KEY else k}={_fmt_key(k, v, labels)}"
            for k, v in zip(keys, point)
        )
        print(f"  {label}: {statistics.mean(values):.3f} +- {spread:.3f} (n={len(values)})")
    return groups


def plot(groups, keys, labels, path) -> None:
    """Goodput per rebinding interval (x axis, in grid order), one line per loss rate."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.5), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    lines = {}
    order = list(labels)
    for point, values in groups.items():
        lines.setdefault(point[1:], []).append((order.index(point[0]), statistics.mean(values)))
    for rest, pts in lines.items():
        pts.sort()
        label = ", ".join(f"{k}={_fmt_key(k, v, labels)}" for k, v in zip(keys[1:], rest)) or "all"
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label)
    ax.set_xticks(range(len(order)), [labels[k] for k in order])
    ax.set_xlabel("NAT rebinding interval")
    ax.set_ylabel("goodput (Mbps)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    fig.savefig(path)
    print(f"figure: {path}")


def main(argv=None) -> int:
    """Parse the options, run the sweep, print (and optionally save) the table."""
    qm = _import_quic_migration()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--intervals", nargs="+", default=["none", "250ms", "1s"],
                        help="NAT rebinding intervals, 'none' = no rebinding [none 250ms 1s]")
    parser.add_argument("--horizon", default="10s",
                        help="rebind events up to this simulated time [10s]")
    parser.add_argument("--loss", type=float, nargs="+", default=[0.0, 0.01], help="loss rates [0 0.01]")
    parser.add_argument("--runs", type=int, default=2, help="replications (run numbers 1..N) [2]")
    parser.add_argument("--seed", type=int, default=1, help="RNG seed [1]")
    parser.add_argument("--bytes", type=int, default=1_000_000, help="bytes per transfer [1000000]")
    parser.add_argument("--workers", type=int, default=None, help="local processes [CPU count]")
    parser.add_argument("--dask", type=int, default=0, metavar="N",
                        help="run on a dask LocalCluster of N worker processes")
    parser.add_argument("--csv", default=None, help="write the table to this CSV file")
    parser.add_argument("--plot", default=None, help="write goodput vs the first grid key (.png/.svg)")
    args = parser.parse_args(argv)

    try:
        grid, labels = build_grid(qm, args)
    except (TypeError, ValueError) as e:
        print(f"rebinding_sweep: error: {e}", file=sys.stderr)
        return 2
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

    print_table(rows, keys, labels)
    groups = summarise(rows, keys, labels)
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=rows.columns)
            writer.writeheader()
            writer.writerows(rows)
        print(f"table: {args.csv} ({len(rows)} rows)")
    if args.plot:
        plot(groups, keys, labels, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())

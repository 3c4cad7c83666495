#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Migration timeline of one QUIC transfer: delivered bytes, congestion window, RTT, events.

Runs one scenario through the Python bindings (or loads the summary.json of a
quic-migration-sim run with --from-summary) and draws
quic_migration.plot.timeline(): delivered bytes over time (one colour per
network path), the client's congestion window and smoothed RTT, and a marker
for every timeline event. Today a run has one path and no events (the scenario
layer supports no event type yet); the figure gains the markers and path
colours without change once it does.

Run (from the repository root, after `cmake --build build`):

    /usr/bin/python3 examples/python/timeline_plot.py
    /usr/bin/python3 examples/python/timeline_plot.py --bytes=5000000 --loss=0.02 \\
        --plot=timeline.svg
    /usr/bin/python3 examples/python/timeline_plot.py --from-summary=results/run1

Defaults: 2 MB over 10 Mbps, 20 ms one-way delay, 1 % loss, outputs in
quic-migration-timeline/ (summary.json and timeline.png); well under a second.
"""

import argparse
import os
import pathlib
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


def main(argv=None) -> int:
    """Parse the options, run (or load) the scenario, draw and report."""
    qm = _import_quic_migration()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bytes", type=int, default=2_000_000, help="bytes to transfer [2000000]")
    parser.add_argument("--data-rate", default="10Mbps", help="link data rate [10Mbps]")
    parser.add_argument("--delay", default="20ms", help="one-way delay [20ms]")
    parser.add_argument("--loss", type=float, default=0.01, help="packet loss probability [0.01]")
    parser.add_argument("--seed", type=int, default=1, help="RNG seed [1]")
    parser.add_argument("--run", type=int, default=1, help="RNG run number [1]")
    parser.add_argument("--out", default="quic-migration-timeline", help="output directory")
    parser.add_argument("--plot", default=None, help="figure file (.png/.svg/.pdf) [<out>/timeline.png]")
    parser.add_argument("--from-summary", default=None, help="plot this summary.json (file or directory) instead of running")
    args = parser.parse_args(argv)

    try:
        if args.from_summary:
            result = qm.Result.from_summary(args.from_summary)
            out = pathlib.Path(result.output_dir)
        else:
            result = qm.run(
                bytes=args.bytes,
                data_rate=args.data_rate,
                delay=args.delay,
                loss=args.loss,
                seed=args.seed,
                run=args.run,
                out=args.out,
            )
            out = pathlib.Path(args.out)
    except (TypeError, ValueError, OSError) as e:
        print(f"timeline_plot: error: {e}", file=sys.stderr)
        return 2

    plot_path = pathlib.Path(args.plot) if args.plot else out / "timeline.png"
    qm.plot.timeline(result, plot_path)

    for conn in result.connections:
        t = conn.transfer
        print(
            f"connection {conn.id}: {conn.client_address} -> {conn.server_address}: "
            f"{t.delivered_bytes}/{t.requested_bytes} bytes, "
            + (f"complete in {t.duration:.3f} s, goodput {t.goodput_bps / 1e6:.3f} Mbps"
               if t.complete else "NOT complete")
        )
        print(
            f"  handshake {conn.handshake_duration * 1e3:.1f} ms, lost {conn.client.packets_lost} "
            f"packets, final cwnd {conn.client.final_cwnd} bytes, "
            f"srtt {conn.client.final_srtt * 1e3:.2f} ms"
        )
    print(f"events: {len(result.events)}; stop: {result.stop_reason} at {result.end_time:.3f} s")
    print(f"figure: {plot_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

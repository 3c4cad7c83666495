#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Migration timeline of one QUIC transfer: delivered bytes, congestion window, RTT, events.

Runs one scenario through the Python bindings (or loads the summary.json of a
quic-migration-sim run with --from-summary) and draws
quic_migration.plot.timeline(): delivered bytes over time coloured by the
server's network path, the congestion window and smoothed RTT of each client
path, a marker for every timeline event (NAT rebinding, migration) and for
every path validation. It prints the per-path results and, with --trace, the
path and timeline events as the run reports them (on_event callback).

Run from the build tree (from the repository root, after `cmake --build build`;
the script adds build/python to sys.path, or set QUIC_MIGRATION_BUILD_DIR):

    /usr/bin/python3 examples/python/timeline_plot.py
    /usr/bin/python3 examples/python/timeline_plot.py --bytes=5000000 --loss=0.02 \\
        --rebind-at 1s 2s --migrate-at 3s --trace --plot=timeline.svg
    /usr/bin/python3 examples/python/timeline_plot.py --from-summary=results/run1

Defaults: 2 MB over 10 Mbps, 20 ms one-way delay, 1 % loss, a NAT rebinding at
0.5 s and a migration at 1 s, outputs in quic-migration-timeline/ (summary.json
and timeline.png); about a second.
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
    parser.add_argument("--rebind-at", nargs="*", default=["0.5s"], help="NAT rebinding times [0.5s]")
    parser.add_argument("--migrate-at", nargs="*", default=["1s"], help="client migration times [1s]")
    parser.add_argument("--series-interval", default="50ms", help="per-path sampling interval [50ms]")
    parser.add_argument("--trace", action="store_true", help="print path and timeline events")
    parser.add_argument("--out", default="quic-migration-timeline", help="output directory")
    parser.add_argument("--plot", default=None, help="figure file (.png/.svg/.pdf) [<out>/timeline.png]")
    parser.add_argument("--from-summary", default=None, help="plot this summary.json (file or directory) instead of running")
    args = parser.parse_args(argv)

    try:
        if args.from_summary:
            result = qm.Result.from_summary(args.from_summary)
            out = pathlib.Path(result.output_dir)
        else:
            events = [f"{t}:rebind" for t in args.rebind_at]
            events += [f"{t}:migrate:policy=probe" for t in args.migrate_at]

            def on_event(e):
                if e.kind in ("path", "timeline"):
                    where = f"{e.side} path {e.path}" if e.path is not None else e.side or "timeline"
                    detail = e.fields.get("detail") or f"{e.fields.get('from')} -> {e.fields.get('to')}"
                    print(f"  {e.time:9.6f} s  {where:14s} {e.name}: {detail}")

            result = qm.run(
                event=events,
                series_interval=args.series_interval,
                on_event=on_event if args.trace else None,
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
        for p in conn.paths:
            print(
                f"  {p.side} path {p.id}: {p.local_address} -> {p.remote_address}"
                f"{' (active)' if p.active else ''}: validated={p.validated}, "
                f"{p.bytes_sent} bytes sent, {p.bytes_received} received, "
                f"{p.packets_lost} lost, active {p.active_duration:.3f} s, "
                f"cwnd {p.final_cwnd} bytes, srtt {p.final_srtt * 1e3:.2f} ms"
            )
    for e in result.events:
        print(f"event {e.type} at {e.time:g} s: {e.outcome}")
    print(f"events: {len(result.events)}; stop: {result.stop_reason} at {result.end_time:.3f} s")
    print(f"figure: {plot_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run the benchmark programs of utils/bench and print one table (make bench).

Each program prints one "BENCH {json}" line; this script collects them, computes the ratios of
the bulk transfers measured in this invocation and writes everything to <build>/bench/results.json.

  run-bench.py --build build                      # make bench
  run-bench.py --build build --sizes 10MB,100MB,1GB
  run-bench.py --build build --callgrind          # make bench-callgrind
  run-bench.py --build build --smoke              # CTest bench-smoke: tiny runs, no timing checks
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time

SIZE_UNITS = {"KB": 10**3, "MB": 10**6, "GB": 10**9, "B": 1}


def parse_size(text):
    m = re.fullmatch(r"\s*(\d+)\s*(KB|MB|GB|B)?\s*", text, re.IGNORECASE)
    if not m:
        raise argparse.ArgumentTypeError(f"bad size {text!r} (e.g. 10MB, 1GB)")
    return int(m.group(1)) * SIZE_UNITS[(m.group(2) or "B").upper()]


def run(build, program, args, log):
    """Run one benchmark program; return its BENCH record (with 'exit' added)."""
    cmd = [os.path.join(build, "bin", program)] + [f"--{k}={v}" for k, v in args.items()]
    print("$ " + " ".join(cmd), file=log, flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(proc.stdout, file=log, flush=True)
    record = None
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH "):
            record = json.loads(line[len("BENCH "):])
    if record is None:
        raise RuntimeError(f"{program}: no BENCH line (exit {proc.returncode}):\n{proc.stdout}")
    record["exit"] = proc.returncode
    record["args"] = args
    return record


def human_size(n):
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= factor and n % factor == 0:
            return f"{n // factor} {unit}"
    return f"{n} B"


def best_of(records):
    """One record for repeated identical runs: the first one's fields, with wall and CPU time
    (and the per-packet figures) the minimum over the runs, and every run's times kept.
    Simulations are deterministic, so the runs differ only in the machine's noise (other
    load, a virtual CPU being descheduled), which only ever adds time."""
    best = dict(records[0])
    best["runs_wall_s"] = [r["wall_s"] for r in records]
    best["runs_cpu_s"] = [r["cpu_s"] for r in records]
    best["wall_s"] = min(best["runs_wall_s"])
    best["cpu_s"] = min(best["runs_cpu_s"])
    if best["rx_packets"] > 0:
        best["us_per_packet"] = best["wall_s"] * 1e6 / best["rx_packets"]
        best["cpu_us_per_packet"] = best["cpu_s"] * 1e6 / best["rx_packets"]
    best["exit"] = max(r["exit"] for r in records)
    return best


def bulk(build, size, log, repeat=1):
    """QUIC, both TCPs and UDP with QUIC's packet count, for one size; with repeat > 1 each is
    run that many times, interleaved (quic, tcp-newreno, tcp-cubic, udp, quic, ...), and the
    best time of each counts."""
    runs = {p: [] for p in ("quic", "tcp-newreno", "tcp-cubic", "udp")}
    for _ in range(max(1, repeat)):
        for proto in ("quic", "tcp-newreno", "tcp-cubic"):
            runs[proto].append(run(build, "quic-bench-bulk", {"proto": proto, "bytes": size}, log))
        runs["udp"].append(run(
            build,
            "quic-bench-bulk",
            {"proto": "udp", "packets": runs["quic"][0]["rx_packets"], "bytes": size},
            log,
        ))
    out = {p: best_of(r) for p, r in runs.items()}
    out["repeat"] = max(1, repeat)
    tcp = min(("tcp-newreno", "tcp-cubic"), key=lambda p: out[p]["wall_s"])
    q = out["quic"]
    out["reference_tcp"] = tcp
    out["quic_over_tcp"] = q["wall_s"] / out[tcp]["wall_s"]
    out["quic_over_udp"] = q["wall_s"] / out["udp"]["wall_s"]
    out["quic_over_tcp_cpu"] = q["cpu_s"] / min(out[p]["cpu_s"] for p in ("tcp-newreno", "tcp-cubic"))
    out["quic_over_udp_cpu"] = q["cpu_s"] / out["udp"]["cpu_s"]
    return out


def table(results):
    rows = []
    hdr = ("benchmark", "case", "wall s", "CPU s", "us/pkt wall", "us/pkt CPU", "packets",
           "peak RSS MiB", "notes")
    for size, b in results.get("bulk", {}).items():
        for proto in ("quic", "tcp-newreno", "tcp-cubic", "udp"):
            r = b[proto]
            note = "ok" if r["exit"] == 0 else f"FAILED (exit {r['exit']})"
            if proto == "quic":
                if b.get("repeat", 1) > 1:
                    note += f"; best of {b['repeat']} runs each"
                note += (f"; QUIC/TCP wall {b['quic_over_tcp']:.2f} (vs {b['reference_tcp']}),"
                         f" CPU {b['quic_over_tcp_cpu']:.2f}; QUIC/UDP wall"
                         f" {b['quic_over_udp']:.2f}, CPU {b['quic_over_udp_cpu']:.2f}")
            rows.append((f"bulk {human_size(int(size))}", proto, f"{r['wall_s']:.2f}",
                         f"{r['cpu_s']:.2f}", f"{r['us_per_packet']:.2f}",
                         f"{r['cpu_us_per_packet']:.2f}", str(r["rx_packets"]),
                         f"{r['peak_rss_kib'] / 1024:.0f}", note))
    for n, r in results.get("scale", {}).items():
        note = "ok" if r["exit"] == 0 else f"FAILED (exit {r['exit']})"
        note += (f"; {r['kib_per_idle_connection']:.1f} KiB/idle conn;"
                 f" {r['established_end']}/{n} open at end; {r['nat_rebinds']} rebinds")
        rows.append(("scale 30 s", f"N={n}", f"{r['wall_s']:.2f}", f"{r['cpu_s']:.2f}", "-", "-",
                     "-", f"{r['peak_rss_kib'] / 1024:.0f}", note))
    r = results.get("migration")
    if r:
        note = "ok" if r["exit"] == 0 else f"FAILED (exit {r['exit']})"
        note += (f"; {r['us_wall_per_migration']:.1f} us wall ({r['us_cpu_per_migration']:.1f} CPU)"
                 f" per migration, {r['migrations']} migrations")
        rows.append(("migration storm", f"N={r['n']}", f"{r['storm_wall_s']:.2f}",
                     f"{r['storm_cpu_s']:.2f}", "-", "-", "-", f"{r['peak_rss_kib'] / 1024:.0f}",
                     note))
    widths = [max(len(str(x[i])) for x in rows + [hdr]) for i in range(len(hdr))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(hdr, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join(lines)


def callgrind(build, outdir, log):
    """Fixed small QUIC transfer under callgrind: total instructions and the top functions."""
    out = os.path.join(outdir, "callgrind.out")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
           os.path.join(build, "bin", "quic-bench-bulk"), "--proto=quic", "--bytes=2000000"]
    print("$ " + " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(proc.stdout, file=log, flush=True)
    if proc.returncode != 0:
        raise RuntimeError(f"callgrind run failed:\n{proc.stdout}")
    ann = subprocess.run(["callgrind_annotate", "--threshold=99", out],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    with open(os.path.join(outdir, "callgrind-annotate.txt"), "w") as f:
        f.write(ann)
    total = None
    top = []
    for line in ann.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS", line) or \
            re.match(r"\s*([\d,]+)\s+PROGRAM TOTALS", line)
        if m:
            total = int(m.group(1).replace(",", ""))
            continue
        m = re.match(r"\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(\S.*)", line)
        if m and total is not None and len(top) < 20:
            top.append({"ir": int(m.group(1).replace(",", "")), "percent": float(m.group(2)),
                        "function": m.group(3)})
    print(f"callgrind: quic-bench-bulk --proto=quic --bytes=2000000: {total:,} instructions")
    for t in top:
        print(f"  {t['percent']:5.1f}%  {t['ir']:>14,}  {t['function'][:110]}")
    print(f"(full: {out}, {os.path.join(outdir, 'callgrind-annotate.txt')})")
    return {"program": "quic-bench-bulk --proto=quic --bytes=2000000", "total_ir": total,
            "top": top}


def callgrind_run(build, outdir, name, args, log):
    """One quic-bench-bulk run under callgrind: its BENCH record and instructions per library
    (exclusive counts summed by object file: module, ns-3, openssl, libc, other)."""
    out = os.path.join(outdir, f"callgrind-{name}.out")
    cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
           os.path.join(build, "bin", "quic-bench-bulk")] + [f"--{k}={v}" for k, v in args.items()]
    print("$ " + " ".join(cmd), file=log, flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(proc.stdout, file=log, flush=True)
    record = None
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH "):
            record = json.loads(line[len("BENCH "):])
    if proc.returncode != 0 or record is None:
        raise RuntimeError(f"callgrind run {name} failed:\n{proc.stdout}")
    ann = subprocess.run(["callgrind_annotate", "--threshold=100", out],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    libs = {}
    for line in ann.splitlines():
        m = re.match(r"\s*([\d,]+) \([^)]*\)\s+(.*)\[(.*)\]\s*$", line)
        if not m:
            continue
        obj = m.group(3).split("/")[-1]
        if "quic-migration" in obj:
            lib = "module"
        elif "libns3" in obj:
            lib = "ns-3"
        elif "libcrypto" in obj:
            lib = "openssl"
        elif obj.startswith("libc.so") or "libstdc++" in obj:
            lib = "libc"
        else:
            lib = "other"
        libs[lib] = libs.get(lib, 0) + int(m.group(1).replace(",", ""))
    os.remove(out)
    return {"record": record, "ir": sum(libs.values()), "libs": libs}


def callgrind_compare(build, outdir, log, small=2_000_000, large=10_000_000):
    """Instructions per delivered packet, QUIC vs TCP vs UDP: the difference between a small and
    a large transfer under callgrind divided by the difference in delivered packets, so that
    start-up costs cancel. Instruction counts repeat to a few instructions, unlike times on a
    shared machine."""
    runs = {}
    for size in (small, large):
        for proto in ("quic", "tcp-newreno", "tcp-cubic"):
            runs[(proto, size)] = callgrind_run(build, outdir, f"{proto}-{size}",
                                                {"proto": proto, "bytes": size}, log)
        runs[("udp", size)] = callgrind_run(
            build, outdir, f"udp-{size}",
            {"proto": "udp", "packets": runs[("quic", size)]["record"]["rx_packets"],
             "bytes": size}, log)
    per = {}
    for proto in ("quic", "tcp-newreno", "tcp-cubic", "udp"):
        a, b = runs[(proto, small)], runs[(proto, large)]
        packets = b["record"]["rx_packets"] - a["record"]["rx_packets"]
        libs = {k: (b["libs"].get(k, 0) - a["libs"].get(k, 0)) / packets
                for k in sorted(set(a["libs"]) | set(b["libs"]))}
        per[proto] = {"ir_per_packet": (b["ir"] - a["ir"]) / packets, "by_library": libs,
                      "packets": packets}
    tcp = min(("tcp-newreno", "tcp-cubic"), key=lambda p: per[p]["ir_per_packet"])
    res = {"sizes": [small, large], "per_packet": per, "reference_tcp": tcp,
           "quic_over_tcp": per["quic"]["ir_per_packet"] / per[tcp]["ir_per_packet"],
           "quic_over_udp": per["quic"]["ir_per_packet"] / per["udp"]["ir_per_packet"]}
    print(f"instructions per delivered packet (callgrind, {human_size(large)} minus "
          f"{human_size(small)} transfer):")
    for proto, v in per.items():
        split = ", ".join(f"{k} {x / 1000:.1f}k" for k, x in v["by_library"].items()
                          if abs(x) >= 50)
        print(f"  {proto:12s} {v['ir_per_packet'] / 1000:6.1f}k  ({split})")
    print(f"  QUIC/TCP {res['quic_over_tcp']:.2f} (reference {tcp}), "
          f"QUIC/UDP {res['quic_over_udp']:.2f}")
    return res


def smoke(build):
    """Tiny runs: each program exits 0 and reports sane numbers (never timing)."""
    failures = []
    log = sys.stdout
    size = 300000
    b = bulk(build, size, log)
    for proto in ("quic", "tcp-newreno", "tcp-cubic", "udp"):
        r = b[proto]
        expected = size if proto != "udp" else b["quic"]["rx_packets"] * 1252
        if r["exit"] != 0 or r["delivered"] != expected or r["rx_packets"] <= 0 or \
                r["wall_s"] < 0 or r["peak_rss_kib"] <= 0:
            failures.append(f"bulk {proto}: {r}")
    rs = run(build, "quic-bench-scale",
            {"n": 10, "duration": 12, "rebind": 4, "interval": 1, "spread": 1, "idle-until": 3},
            log)
    if rs["exit"] != 0 or rs["established_end"] != 10 or rs["nat_rebinds"] <= 0 or \
            rs["peer_address_changes"] <= 0 or rs["peak_rss_kib"] <= 0:
        failures.append(f"scale: {rs}")
    r = run(build, "quic-bench-migration", {"n": 10, "window": 3}, log)
    if r["exit"] != 0 or r["migrations"] <= 0 or r["path_switches"] <= 0 or \
            r["established_end"] != 10:
        failures.append(f"migration: {r}")
    print(table({"bulk": {str(size): b}, "scale": {"10": rs}, "migration": r}))
    for f in failures:
        print("FAILED: " + f)
    print(f"{3 - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


def machine():
    info = {"uname": " ".join(platform.uname()), "python": platform.python_version()}
    try:
        lscpu = subprocess.run(["lscpu"], stdout=subprocess.PIPE, text=True).stdout
        for line in lscpu.splitlines():
            key, _, value = line.partition(":")
            if key.strip() in ("Model name", "CPU(s)", "CPU max MHz", "L3 cache"):
                info[key.strip()] = value.strip()
    except OSError:
        pass
    try:
        info["loadavg"] = open("/proc/loadavg").read().split()[:3]
    except OSError:
        pass
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--sizes", default="10MB,100MB",
                    help="bulk transfer sizes, comma-separated (BENCH_SIZES)")
    ap.add_argument("--scale", default="1000,10000", help="connection counts (BENCH_SCALE)")
    ap.add_argument("--migration-n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs of each bulk transfer, interleaved; the best time counts "
                         "(BENCH_REPEAT)")
    ap.add_argument("--callgrind", action="store_true")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    if args.smoke:
        return smoke(build)
    outdir = os.path.join(build, "bench")
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "bench.log"), "a") as log:
        print(f"# {time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())} UTC", file=log)
        if args.callgrind:
            res = callgrind(build, outdir, log)
            res["compare"] = callgrind_compare(build, outdir, log)
            with open(os.path.join(outdir, "callgrind.json"), "w") as f:
                json.dump(res, f, indent=2)
            return 0
        results = {"machine": machine(), "bulk": {}, "scale": {}}
        for s in [parse_size(x) for x in args.sizes.split(",") if x.strip()]:
            print(f"bulk {human_size(s)} ...", file=sys.stderr, flush=True)
            results["bulk"][str(s)] = bulk(build, s, log, args.repeat)
        for n in [int(x) for x in args.scale.split(",") if x.strip()]:
            print(f"scale N={n} ...", file=sys.stderr, flush=True)
            results["scale"][str(n)] = run(build, "quic-bench-scale", {"n": n}, log)
        if args.migration_n > 0:
            print(f"migration N={args.migration_n} ...", file=sys.stderr, flush=True)
            results["migration"] = run(build, "quic-bench-migration",
                                       {"n": args.migration_n}, log)
    print(table(results))
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    print(f"results: {os.path.join(outdir, 'results.json')} (program output: bench.log)")
    failed = [k for k, v in results["bulk"].items() for p in ("quic", "tcp-newreno", "tcp-cubic",
                                                             "udp") if v[p]["exit"] != 0]
    failed += [k for k, v in results["scale"].items() if v["exit"] != 0]
    if results.get("migration", {}).get("exit", 0) != 0:
        failed.append("migration")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

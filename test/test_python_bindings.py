# SPDX-License-Identifier: GPL-2.0-only
"""The Python bindings (package quic_migration, extension _quic_migration).

Checks: run() and its typed results (bytes delivered, handshake confirmed,
series non-empty, to_dict() equal to summary.json); ScenarioConfig's defaults
and option names equal the runner's (--help); every bad input raises
ValueError/TypeError and the interpreter survives (nothing is created); a
Python exception or a signal during a run aborts it cleanly; one run at a time
per process; plot.timeline() writes a figure with the expected panels; the same
scenario and seed through Python and through quic-migration-sim give identical
summary.json (and pcap) bytes. The extension is taken from
$QUIC_MIGRATION_BUILD_DIR/python (default build/python).
"""

import copy
import datetime
import json
import os
import pathlib
import pickle
import re
import signal
import subprocess
import sys
import threading

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = pathlib.Path(os.environ.get("QUIC_MIGRATION_BUILD_DIR", ROOT / "build"))
SIM = BUILD / "bin" / "quic-migration-sim"
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
except ImportError as e:  # e.g. another interpreter than the one the extension is built for
    pytest.skip(
        f"cannot import quic_migration with {sys.executable}: {e}", allow_module_level=True
    )

# Small and fast: 200 kB at 10 Mbps is a few ms of wall time.
SMALL = dict(bytes=200_000)


def run_sim(args, cwd):
    """Run the runner, fail with its output on a non-zero status."""
    proc = subprocess.run(
        [str(SIM), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, f"{args}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


# =============================================================================================
# run() and the results
# =============================================================================================


def test_run_delivers_and_reports(tmp_path):
    out = tmp_path / "r"
    result = qm.run(bytes=300_000, loss=0.01, out=out)
    assert isinstance(result, qm.Result)
    assert result.stop_reason == "transfer-complete"
    assert result.output_dir == str(out)
    assert len(result.connections) == 1
    conn = result.connections[0]
    assert isinstance(conn, qm.ConnectionResult)
    assert conn.transfer.delivered_bytes == conn.transfer.requested_bytes == 300_000
    assert conn.transfer.complete and conn.transfer.pattern_errors == 0
    assert conn.client.handshake_confirmed and conn.handshake_confirmed
    assert conn.handshake_duration > 0 and conn.transfer.goodput_bps > 0
    assert result.totals.delivered_bytes == 300_000 and result.totals.handshakes_confirmed == 1
    assert result.events == []

    # Series: the three of connection 0, non-empty, times increasing, in s and ns.
    assert set(result.series) == {"cwnd", "srtt", "delivered"}
    for name, series in result.series.items():
        assert len(series) > 0, name
        assert (series.t_ns[1:] >= series.t_ns[:-1]).all(), name
        assert series.t[0] == series.t_ns[0] / 1e9
        assert len(series.points()) == len(series)
    assert result.series["delivered"].v[-1] == 300_000
    assert result.series["srtt"].unit == "s" and 0.03 < result.series["srtt"].v[-1] < 0.2
    assert result.series["cwnd"].v.max() > 0

    # Plain forms: to_dict() is summary.json, which is also the file written.
    text = result.summary_json()
    assert (out / "summary.json").read_text() == text
    assert result.to_dict() == json.loads(text)
    json.dumps(result.to_dict())  # plain values only
    assert conn.to_dict() == json.loads(text)["connections"][0]

    rows = result.to_records()
    assert len(rows) == 1
    row = rows[0]
    assert row["loss"] == 0.01 and row["bytes"] == 300_000 and "out" not in row
    assert row["transfer_delivered_bytes"] == 300_000
    assert row["client_handshake_confirmed"] is True
    assert all(not isinstance(v, (dict, list)) for v in row.values())

    # Loading the summary back gives the same results (config: resolved values).
    again = qm.Result.from_summary(out)
    assert again.to_dict() == result.to_dict()
    assert again.connections[0].series["srtt"] == conn.series["srtt"]
    assert again.config.cc == "ns3::QuicNewReno" and again.config.bytes == 300_000


def test_same_seed_same_bytes_in_process(tmp_path):
    """Runs in one process do not leak state: same seed -> same summary, other run differs."""
    a = qm.run(bytes=200_000, loss=0.02, out=tmp_path / "a")
    b = qm.run(bytes=200_000, loss=0.02, out=tmp_path / "b")
    c = qm.run(bytes=200_000, loss=0.02, run=2, out=tmp_path / "c")
    assert a.summary_json() == b.summary_json()
    assert a.to_records() == b.to_records()
    assert c.totals.to_dict() != a.totals.to_dict()


def test_progress_callback(tmp_path):
    calls = []
    result = qm.run(
        bytes=500_000,
        out=tmp_path / "p",
        on_progress=lambda t_ns, delivered: calls.append((t_ns, delivered)),
        progress_interval="100ms",
    )
    assert calls and all(isinstance(t, int) for t, _ in calls)
    assert [t for t, _ in calls] == [100_000_000 * (i + 1) for i in range(len(calls))]
    assert calls[-1][1] <= 500_000 and result.totals.delivered_bytes == 500_000


# =============================================================================================
# ScenarioConfig: names, defaults, types
# =============================================================================================


def runner_help_options():
    """{option name: default text or None} from `quic-migration-sim --help`."""
    text = subprocess.run([str(SIM), "--help"], capture_output=True, text=True, check=True).stdout
    section = text.split("Scenario options", 1)[1].split("Runner options", 1)[0]
    options = {}
    current = None
    for line in section.splitlines():
        m = re.match(r"^  --([a-z0-9-]+)", line)
        if m:
            current = m.group(1)
            options[current] = line
        elif current and line.strip():
            options[current] += " " + line.strip()
    defaults = {}
    for name, body in options.items():
        m = re.search(r"\[([^\[\]]*)\]\s*$", body)
        defaults[name] = m.group(1) if m and "=arg" not in m.group(1) else None
    return defaults


@pytest.mark.skipif(not SIM.is_file(), reason=f"runner not built: {SIM}")
def test_options_and_defaults_equal_the_runners():
    defaults = runner_help_options()
    assert len(defaults) >= 25
    # Same option names, every one bound to a Python attribute.
    table = qm.options()
    assert [o["name"] for o in table] == list(defaults)
    assert all(o["python_name"] == o["name"].replace("-", "_") for o in table), (
        "an option of the scenario layer has no Python attribute yet: extend Bindings() in "
        "bindings/quic-migration-python.cc"
    )
    assert qm.ScenarioConfig.option_names() == [n.replace("-", "_") for n in defaults]
    # Setting each option to the default the runner prints changes nothing.
    reference = qm.ScenarioConfig()
    for name, default in defaults.items():
        if default is None:
            continue
        cfg = qm.ScenarioConfig()
        cfg.set_option(name, default)
        assert cfg == reference, f"--{name} default [{default}] differs from ScenarioConfig()"
    # Switches default to false, the event list to empty.
    assert not any((reference.ipv6, reference.pcap, reference.keylog, reference.qlog))
    assert reference.event == [] and reference.cc == ""
    assert reference.to_args() == []


def test_config_values_and_conversions(tmp_path):
    cfg = qm.ScenarioConfig(
        data_rate="100Mbps",
        delay="5ms",
        start_time=datetime.timedelta(milliseconds=250),
        stop_margin=500_000_000,
        loss=0.25,
        out=tmp_path / "x",
    )
    assert cfg.data_rate == 100_000_000 and cfg.delay == 5_000_000
    assert cfg.start_time == 250_000_000 and cfg.stop_margin == 500_000_000
    assert cfg.out == str(tmp_path / "x")
    d = cfg.to_dict()
    assert list(d) == qm.ScenarioConfig.option_names()
    assert qm.ScenarioConfig(**d) == cfg
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    other = copy.deepcopy(cfg)
    other.loss = 0.5
    assert cfg.loss == 0.25 and other != cfg
    assert eval(repr(cfg), {"ScenarioConfig": qm.ScenarioConfig}) == cfg
    assert "--delay=5000000ns" in cfg.to_args() and "--loss=0.25" in cfg.to_args()
    numpy = pytest.importorskip("numpy")
    cfg.bytes = numpy.int64(12345)
    cfg.loss = numpy.float64(0.125)
    cfg.ipv6 = numpy.bool_(True)
    assert (cfg.bytes, cfg.loss, cfg.ipv6) == (12345, 0.125, True)
    with pytest.raises(AttributeError):
        cfg.no_such_option = 1


# =============================================================================================
# Validation: errors, never an abort
# =============================================================================================

# (keyword arguments, exception, fragment of the message)
BAD_INPUTS = [
    (dict(delay=-1), ValueError, "delay"),
    (dict(delay="-5ms"), ValueError, "must not be negative"),
    (dict(delay="5 parsecs"), ValueError, "expected a time"),
    (dict(loss=1.0), ValueError, "loss"),
    (dict(loss=-0.01), ValueError, "loss"),
    (dict(loss=float("nan")), ValueError, "loss"),
    (dict(cc="Cubic"), ValueError, "unknown congestion control"),
    (dict(data_rate=0), ValueError, "data-rate"),
    (dict(data_rate="fast"), ValueError, "data_rate"),
    (dict(queue=0), ValueError, "queue"),
    (dict(seed=0), ValueError, "seed"),
    (dict(mtu=1000), ValueError, "mtu"),
    (dict(max_udp_payload_size=100), ValueError, "max-udp-payload-size"),
    (dict(initial_rtt="20s"), ValueError, "initial-rtt"),
    (dict(start_time="2s", max_time="1s"), ValueError, "max-time"),
    (dict(bytes=-1), ValueError, "negative"),
    (dict(queue=2**40), ValueError, "at most"),
    (dict(delay=2**70), ValueError, "range"),
    (dict(loss_direction="up"), ValueError, "loss-direction"),
    (dict(pcap_prefix="a/b"), ValueError, "pcap-prefix"),
    (dict(event=["1s:rebind-port"]), ValueError, "not supported"),
    (dict(event=["soon"]), ValueError, "invalid event"),
    (dict(delay=0.02), TypeError, "delay"),
    (dict(bytes="1000"), TypeError, "bytes"),
    (dict(bytes=1e6), TypeError, "bytes"),
    (dict(ipv6=1), TypeError, "ipv6"),
    (dict(loss="0.1"), TypeError, "loss"),
    (dict(cc=3), TypeError, "cc"),
    (dict(out=5), TypeError, "out"),
    (dict(event="1s:rebind-port"), TypeError, "event"),
    (dict(data_rate=1.5), TypeError, "data_rate"),
    (dict(seed=True), TypeError, "seed"),
    (dict(no_such_option=1), TypeError, "no_such_option"),
]


@pytest.mark.parametrize(
    "kwargs,exc,fragment", BAD_INPUTS, ids=[",".join(k) + "-" + str(i) for i, (k, _, _) in enumerate(BAD_INPUTS)]
)
def test_bad_input_raises(tmp_path, kwargs, exc, fragment):
    out = tmp_path / "never"
    with pytest.raises(exc) as info:
        qm.run(**{"out": out, **kwargs})
    assert fragment in str(info.value)
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_bad_output_directory(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory")
    with pytest.raises(ValueError, match="not a directory"):
        qm.validate(out=blocker / "sub")
    with pytest.raises(ValueError, match="not a directory"):
        qm.run(bytes=1000, out=blocker)
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(ValueError, match="not writable"):
            qm.run(bytes=1000, out=locked / "out")


def test_other_bad_arguments(tmp_path):
    with pytest.raises(TypeError, match="on_progress"):
        qm.run(bytes=1000, out=tmp_path / "o", on_progress=42)
    with pytest.raises(ValueError, match="at least 1 ms"):
        qm.run(bytes=1000, out=tmp_path / "o", on_progress=print, progress_interval=10)
    with pytest.raises(TypeError, match="config"):
        qm.run(config=42)
    with pytest.raises(TypeError):
        qm.run(qm.ScenarioConfig(), nonsense=3)
    assert not (tmp_path / "o").exists()


def test_interpreter_survives_bad_inputs(tmp_path):
    """After every kind of bad input, a run still works in this process."""
    for kwargs, exc, _ in BAD_INPUTS:
        with pytest.raises(exc):
            qm.run(**{"out": tmp_path / "never", **kwargs})
    result = qm.run(out=tmp_path / "ok", **SMALL)
    assert result.totals.delivered_bytes == SMALL["bytes"]


# =============================================================================================
# Aborting a run: Python exceptions, signals, concurrent runs
# =============================================================================================

LONG = dict(bytes=500_000_000, data_rate="1Gbps")  # seconds of wall time if not aborted


class Stop(Exception):
    """Raised to abort a run."""


def test_exception_in_callback_aborts_cleanly(tmp_path):
    out = tmp_path / "long"

    def callback(t_ns, delivered):
        if t_ns >= 300_000_000:
            raise Stop("enough")

    with pytest.raises(Stop, match="enough"):
        qm.run(out=out, on_progress=callback, progress_interval="100ms", **LONG)
    assert list(tmp_path.iterdir()) == []  # no output, no staging directory left behind
    assert qm.run(out=tmp_path / "after", **SMALL).totals.delivered_bytes == SMALL["bytes"]


def test_signal_during_run_raises(tmp_path):
    """A signal handler's exception reaches Python while the GIL is released (slices)."""
    armed = threading.Event()

    def handler(signum, frame):
        if armed.is_set():
            raise Stop("signal")

    old = signal.signal(signal.SIGUSR1, handler)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGUSR1))
    try:
        armed.set()
        timer.start()
        with pytest.raises(Stop, match="signal"):
            qm.run(out=tmp_path / "long", **LONG)
    finally:
        armed.clear()
        timer.cancel()
        signal.signal(signal.SIGUSR1, old)
    assert list(tmp_path.iterdir()) == []


def test_one_run_at_a_time(tmp_path):
    started = threading.Event()
    stop = threading.Event()
    errors = []

    def callback(t_ns, delivered):
        started.set()
        if stop.is_set():
            raise Stop()

    def background():
        try:
            qm.run(out=tmp_path / "bg", on_progress=callback, progress_interval="10ms", **LONG)
        except Stop:
            pass
        except Exception as e:  # reported below
            errors.append(e)

    thread = threading.Thread(target=background)
    thread.start()
    try:
        assert started.wait(30)
        with pytest.raises(RuntimeError, match="already in progress"):
            qm.run(out=tmp_path / "fg", **SMALL)
    finally:
        stop.set()
        thread.join(60)
    assert not thread.is_alive() and errors == []
    assert qm.run(out=tmp_path / "fg", **SMALL).totals.delivered_bytes == SMALL["bytes"]


# =============================================================================================
# Plot
# =============================================================================================


def test_timeline_plot(tmp_path):
    plot = pytest.importorskip("quic_migration.plot")
    result = qm.run(bytes=300_000, loss=0.01, out=tmp_path / "r")
    png = tmp_path / "timeline.png"
    fig = plot.timeline(result, png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(fig.axes) == 3
    assert tuple(ax.get_ylabel() for ax in fig.axes) == plot.PANEL_LABELS
    assert fig.axes[-1].get_xlabel() == "time (s)"
    assert all(len(ax.get_lines()) >= 1 for ax in fig.axes)
    # One path: the delivered panel has one line, the server's path 0 from the client.
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels == ["server path 0: from 10.1.1.1:49153"]

    svg = tmp_path / "timeline.svg"
    plot.timeline(result, svg)
    assert b"<svg" in svg.read_bytes()[:500]
    with pytest.raises(ValueError, match="unsupported"):
        plot.timeline(result, tmp_path / "timeline.bmp")


def test_timeline_events_and_paths(tmp_path):
    """Without per-path series: markers on every panel, a new colour after a rebinding."""
    plot = pytest.importorskip("quic_migration.plot")
    result = qm.run(bytes=300_000, series_interval=0, out=tmp_path / "r")
    t = result.series["delivered"].t
    middle = float(t[len(t) // 2])
    events = [
        qm.EventResult(middle, "rebind-port", {}, True, middle, "port changed"),
        qm.EventResult(middle + 0.01, "path-challenge", {}, False, None, ""),
    ]
    fig = plot.timeline(result, tmp_path / "e.png", events=events)
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels[:2] == ["path 0", "path 1"]
    for ax in fig.axes:  # data line(s) + one vertical marker per event
        verticals = [l for l in ax.get_lines() if len(set(l.get_xdata())) == 1 and len(l.get_xdata()) == 2]
        assert len(verticals) == 2
    assert plot.event_category("rebind-address") == "rebinding"
    assert plot.event_category("migrate") == "migration"
    assert plot.event_category("spoofed-packet") == "attack"


# =============================================================================================
# Python and the runner: byte-identical outputs
# =============================================================================================


@pytest.mark.skipif(not SIM.is_file(), reason=f"runner not built: {SIM}")
@pytest.mark.parametrize(
    "runner_args,kwargs",
    [
        (["--bytes=150000"], dict(bytes=150_000)),
        (
            ["--bytes=400000", "--loss=0.02", "--delay=5ms", "--seed=3", "--run=2", "--ipv6",
             "--data-rate=20Mbps", "--series-max-points=40", "--pcap", "--keylog",
             "--loss-direction=client-to-server", "--cc=NewReno"],
            dict(bytes=400_000, loss=0.02, delay="5ms", seed=3, run=2, ipv6=True,
                 data_rate=20_000_000, series_max_points=40, pcap=True, keylog=True,
                 loss_direction="client-to-server", cc="NewReno"),
        ),
        (
            ["--bytes=2000000", "--loss=0.01", "--event=0.5s:rebind",
             "--event=1s:migrate:policy=switch", "--series-interval=30ms", "--pcap"],
            dict(bytes=2_000_000, loss=0.01, event=["0.5s:rebind", "1s:migrate:policy=switch"],
                 series_interval="30ms", pcap=True),
        ),
    ],
    ids=["defaults", "lossy-ipv6-pcap", "rebind-migrate-paths"],
)
def test_python_and_runner_identical(tmp_path, runner_args, kwargs):
    run_sim([*runner_args, f"--out={tmp_path / 'cli'}"], cwd=tmp_path)
    cli = tmp_path / "cli"
    # In this process (after many other runs): summary.json is byte-identical.
    result = qm.run(out=tmp_path / "py", **kwargs)
    assert (tmp_path / "py" / "summary.json").read_bytes() == (cli / "summary.json").read_bytes()
    assert result.summary_json().encode() == (cli / "summary.json").read_bytes()
    assert sorted(os.listdir(tmp_path / "py")) == sorted(os.listdir(cli)) == result.files
    # In a fresh interpreter: every file (pcaps, key log) is byte-identical too.
    code = (
        "import sys, quic_migration as qm; "
        f"qm.run(out=sys.argv[1], **{kwargs!r})"
    )
    env = dict(os.environ, PYTHONPATH=str(PYDIR))
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "fresh")],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for name in result.files:
        assert (tmp_path / "fresh" / name).read_bytes() == (cli / name).read_bytes(), name
    # to_args() reproduces the configuration on the runner's command line too.
    args = [a for a in result.config.to_args() if not a.startswith("--out=")]
    run_sim([*args, f"--out={tmp_path / 'args'}"], cwd=tmp_path)
    assert (tmp_path / "args" / "summary.json").read_bytes() == (cli / "summary.json").read_bytes()


def test_repeated_ipv6_runs_identical(tmp_path):
    kwargs = dict(bytes=50_000, ipv6=True, pcap=True, start_time="1ms")
    first = qm.run(out=tmp_path / "0", **kwargs)
    for i in range(1, 4):
        qm.run(out=tmp_path / str(i), **kwargs)
        for name in first.files:
            assert (tmp_path / "0" / name).read_bytes() == (tmp_path / str(i) / name).read_bytes()


# =============================================================================================
# Example
# =============================================================================================


def test_timeline_example(tmp_path):
    script = ROOT / "examples" / "python" / "timeline_plot.py"
    env = dict(os.environ, QUIC_MIGRATION_BUILD_DIR=str(BUILD))
    proc = subprocess.run(
        [sys.executable, str(script), "--bytes=200000", f"--out={tmp_path / 'o'}"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "o" / "timeline.png").is_file()
    assert "200000/200000" in proc.stdout


def test_events_and_their_metrics_match_summary(tmp_path):
    """Timeline events (rebind, migrate) come back typed, with the summary's metrics."""
    r = qm.run(
        bytes=4_000_000,
        event=["1s:rebind", "2s:migrate:policy=switch"],
        out=tmp_path / "ev",
    )
    summary = json.loads(r.summary_json())
    assert [e.to_dict() for e in r.events] == summary["events"]
    assert [e.type for e in r.events] == ["rebind", "migrate"]
    for e in r.events:
        assert e.outcome == "ok"
        assert e.metrics["validation_time"] is not None
    loaded = qm.Result.from_summary(tmp_path / "ev")
    assert [e.to_dict() for e in loaded.events] == summary["events"]


# =============================================================================================
# Per-path results, per-path series, trace callbacks (issue #7)
# =============================================================================================

# A transfer long enough for a NAT rebinding (RFC 9000 §9.3) and a client migration (§9.2).
MOVES = dict(bytes=3_000_000, event=["0.6s:rebind", "1.4s:migrate:policy=probe"])


@pytest.fixture(scope="module")
def moves(tmp_path_factory):
    out = tmp_path_factory.mktemp("moves") / "r"
    return qm.run(out=out, **MOVES)


def test_paths_per_connection_and_side(moves):
    """MIG/NAT: the server sees three paths (handshake, rebinding, migration), the client
    two (the rebinding moves its socket without a new path); bytes and packets per path add
    up to the endpoint counters; one active path per side, on the final addresses."""
    conn = moves.connections[0]
    assert conn.transfer.complete
    assert [e.outcome for e in moves.events] == ["ok", "ok"]
    client = [p for p in conn.paths if p.side == "client"]
    server = [p for p in conn.paths if p.side == "server"]
    assert [p.id for p in client] == sorted(p.id for p in client) and len(client) == 2
    assert len(server) == 3
    for side, paths, endpoint in (("client", client, conn.client), ("server", server, conn.server)):
        assert sum(p.packets_sent for p in paths) == endpoint.packets_sent, side
        assert sum(p.packets_received for p in paths) == endpoint.packets_received, side
        assert sum(p.packets_lost for p in paths) == endpoint.packets_lost, side
        assert all(p.packets_sent > 0 and p.bytes_sent > 0 for p in paths), side
        assert [p.active for p in paths].count(True) == 1, side
        assert all(p.final_cwnd > 0 and p.final_srtt > 0 for p in paths), side
        total_active = sum(p.active_duration for p in paths)
        assert abs(total_active - (moves.end_time - paths[0].created_time)) < 1e-6, side
    # The server's active path ends on the client's final address, validated (§8.2).
    active = next(p for p in server if p.active)
    assert active.remote_address == conn.client_address and active.validated
    # The paths created by the rebinding and the migration were validated after the events.
    rebind, migrate = moves.events
    assert server[1].created_time >= rebind.executed_time
    assert server[1].validated_time is not None and server[1].validated_time > rebind.time
    assert client[1].created_time >= migrate.executed_time
    assert client[1].validated_time is not None and client[1].local_address.startswith("10.1.1.101:")
    assert conn.path("server", 2) is server[2]
    with pytest.raises(KeyError):
        conn.path("client", 7)


def test_path_series(moves):
    """cwnd, RTT and bytes of every path sampled every series-interval (100 ms default)."""
    conn = moves.connections[0]
    for p in conn.paths:
        s = p.series
        assert len(s) >= 2 and s.stride == 1
        assert all(len(getattr(s, a)) == len(s) for a in s._ARRAYS)
        assert (np.diff(s.t_ns) > 0).all()
        steps = np.diff(s.t_ns)[:-1]  # the last sample is at the end of the run
        assert (steps == 100_000_000).all(), p
        assert s.t[-1] == moves.end_time
        assert (np.diff(s.bytes_sent) >= 0).all() and s.bytes_sent[-1] == p.bytes_sent
        assert s.bytes_received[-1] == p.bytes_received
        assert s.cwnd[-1] == p.final_cwnd and s.srtt[-1] == p.final_srtt
        assert set(s.active.tolist()) <= {0, 1}
    # The handshake path of the server stops receiving after the rebinding.
    server0 = conn.path("server", 0).series
    after = server0.t > moves.events[0].executed_time + 0.5
    assert after.any() and len(set(server0.bytes_received[after].tolist())) == 1
    assert server0.active[after].max() == 0
    # Plain forms: the summary's objects, and one record per path.
    summary = json.loads(moves.summary_json())
    assert [p.to_dict() for p in conn.paths] == summary["connections"][0]["paths"]
    assert moves.to_dict() == summary
    rows = moves.to_records(level="path")
    assert len(rows) == len(conn.paths)
    assert {(r["side"], r["path"]) for r in rows} == {(p.side, p.id) for p in conn.paths}
    assert all(not isinstance(v, (dict, list)) for r in rows for v in r.values())
    events = moves.to_records(level="event")
    assert [r["event_type"] for r in events] == ["rebind", "migrate"]
    with pytest.raises(ValueError, match="level"):
        moves.to_records(level="nope")
    again = qm.Result.from_summary(moves.output_dir)
    assert again.connections[0].paths == conn.paths


def test_series_interval_option(tmp_path):
    none = qm.run(out=tmp_path / "a", series_interval=0, **SMALL)
    assert all(len(p.series) == 0 for p in none.connections[0].paths)
    fine = qm.run(out=tmp_path / "b", series_interval="20ms", series_max_points=8, **SMALL)
    for p in fine.connections[0].paths:
        assert 2 <= len(p.series) <= 8 and p.series.stride > 1
    for bad in ("-1ms", "10us"):
        with pytest.raises(ValueError, match="series-interval"):
            qm.run(out=tmp_path / "never", series_interval=bad, **SMALL)
    with pytest.raises(TypeError, match="series_interval"):
        qm.ScenarioConfig(series_interval=0.1)
    assert not (tmp_path / "never").exists()


def test_trace_callbacks(tmp_path, moves):
    events, packets = [], []
    result = qm.run(out=tmp_path / "cb", on_event=events.append, on_packet=packets.append, **MOVES)
    # Callbacks observe, they do not change the run.
    assert result.summary_json() == moves.summary_json()
    assert all(isinstance(e, qm.TraceEvent) for e in events + packets)
    assert [e.time_ns for e in events] == sorted(e.time_ns for e in events)
    kinds = {(e.kind, e.side, e.name) for e in events}
    for side in ("client", "server"):
        assert ("handshake", side, "handshake_complete") in kinds
        assert ("cid", side, "issued") in kinds
    assert ("handshake", "client", "handshake_confirmed") in kinds
    assert ("path", "client", "rebound") in kinds and ("path", "client", "migration_started") in kinds
    assert ("path", "server", "path_validated") in kinds
    timeline = [e for e in events if e.kind == "timeline"]
    assert [(e.name, e.fields["outcome"]) for e in timeline] == [("rebind", "ok"), ("migrate", "ok")]
    assert [e.time for e in timeline] == [ev.executed_time for ev in result.events]
    # Path events carry the path id when the addresses name a path of that side.
    validated = [e for e in events if e.kind == "path" and e.name == "path_validated"]
    conn = result.connections[0]
    for e in validated:
        p = conn.path(e.side, e.path)
        assert (p.local_address, p.remote_address) == (e.fields["from"], e.fields["to"])
    assert e.to_dict()["name"] == "path_validated" and e.to_dict()["from"] == e.fields["from"]
    # Packets: one record per packet sent, received, lost, per side and path.
    assert not any(e.kind == "packet" for e in events)
    for side, endpoint in (("client", conn.client), ("server", conn.server)):
        mine = [p for p in packets if p.side == side]
        assert sum(p.name == "packet_sent" for p in mine) == endpoint.packets_sent
        assert sum(p.name == "packet_received" for p in mine) == endpoint.packets_received
        assert sum(p.name == "packet_lost" for p in mine) == endpoint.packets_lost
        for path in (q for q in conn.paths if q.side == side):
            assert sum(p.path == path.id and p.name == "packet_sent" for p in mine) == path.packets_sent
    first = packets[0]
    assert (first.side, first.name, first.fields["type"]) == ("client", "packet_sent", "Initial")
    assert first.fields["datagram_size"] >= 1200 and first.fields["packet_number"] == 0


def test_exception_in_trace_callback_stops_cleanly(tmp_path, moves):
    """An exception in on_event stops the simulation, leaves nothing behind, propagates;
    the next run in this process is identical to an undisturbed one."""
    seen = []

    def on_event(e):
        seen.append(e)
        if e.kind == "path" and e.name == "path_validated":
            raise Stop(f"stop at {e.time}")

    with pytest.raises(Stop, match="stop at"):
        qm.run(out=tmp_path / "x", on_event=on_event, **MOVES)
    assert list(tmp_path.iterdir()) == []
    assert seen[-1].name == "path_validated"  # nothing delivered after the raising call
    with pytest.raises(ZeroDivisionError):
        qm.run(out=tmp_path / "y", on_packet=lambda p: 1 / 0, **SMALL)
    assert list(tmp_path.iterdir()) == []
    again = qm.run(out=tmp_path / "again", **MOVES)
    assert again.summary_json() == moves.summary_json()
    for bad in (dict(on_event=1), dict(on_packet="print")):
        with pytest.raises(TypeError, match="callable"):
            qm.run(out=tmp_path / "never", **bad, **SMALL)


def test_timeline_plot_colours_paths(tmp_path, moves):
    """Delivered bytes coloured by server path, cwnd and RTT panels one line per client path,
    event markers (rebinding, migration) and path-validation markers."""
    plot = pytest.importorskip("quic_migration.plot")
    fig = plot.timeline(moves, tmp_path / "moves.svg")
    assert b"<svg" in (tmp_path / "moves.svg").read_bytes()[:500]
    ax_bytes, ax_cwnd, ax_rtt = fig.axes
    assert tuple(ax.get_ylabel() for ax in fig.axes) == plot.PANEL_LABELS
    data = [l for l in ax_bytes.get_lines() if l.get_label().startswith("server path")]
    assert [l.get_label().split(":")[0] for l in data] == ["server path 0", "server path 1", "server path 2"]
    assert [l.get_color() for l in data] == [plot.path_colour(i) for i in range(3)]
    # Each server path's part of the delivered curve starts after the event that made it.
    assert min(data[1].get_xdata()) >= moves.events[0].executed_time
    assert min(data[2].get_xdata()) >= moves.events[1].executed_time
    for ax in (ax_cwnd, ax_rtt):
        labels = [l.get_label() for l in ax.get_lines() if l.get_label().startswith("client path")]
        assert [x.split(":")[0] for x in labels] == ["client path 0", "client path 1"]
    validations = [p.validated_time for p in moves.connections[0].paths if p.validated_time]
    for ax in fig.axes:
        xs = sorted(l.get_xdata()[0] for l in ax.get_lines() if len(set(l.get_xdata())) == 1)
        assert xs == sorted([e.executed_time for e in moves.events] + validations)


def test_trace_callbacks_run_between_slices(tmp_path):
    """Events are delivered in simulation order between slices: at a slice boundary T (here
    the progress call at T) every event before T has been delivered and none after it; a run
    started from inside a callback is refused (the simulation is still in progress)."""
    log = []
    refused = []

    def on_event(e):
        log.append(("event", e.time_ns))
        if not refused:
            with pytest.raises(RuntimeError, match="already in progress"):
                qm.run(out=tmp_path / "nested", **SMALL)
            refused.append(True)

    qm.run(
        out=tmp_path / "s",
        on_event=on_event,
        on_progress=lambda t_ns, delivered: log.append(("progress", t_ns)),
        progress_interval="50ms",
        check_interval="50ms",
        event=["0.3s:rebind"],
        **SMALL,
    )
    assert refused and not (tmp_path / "nested").exists()
    progress = [i for i, (kind, _) in enumerate(log) if kind == "progress"]
    assert len(progress) > 5
    for i in progress:
        boundary = log[i][1]
        assert all(t <= boundary for kind, t in log[:i] if kind == "event")
        assert all(t >= boundary for kind, t in log[i + 1:] if kind == "event")

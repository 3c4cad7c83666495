# SPDX-License-Identifier: GPL-2.0-only
"""The scenario runner quic-migration-sim and its summary.json.

Runs the built runner ($QUIC_MIGRATION_BUILD_DIR/bin/quic-migration-sim) on
small scenarios and checks: summary.json validates against
doc/summary.schema.json (with the small JSON-Schema checker below, which
implements exactly the keywords the schema uses), the transfer is delivered
and the handshake confirmed, same seed+run gives byte-identical outputs and
another run number different packets, config-file/command-line precedence,
ns-3 attribute options, and that every usage error exits with 2, prints one
line on stderr and creates nothing.
"""

import json
import math
import os
import pathlib
import re
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = pathlib.Path(os.environ.get("QUIC_MIGRATION_BUILD_DIR", ROOT / "build"))
SIM = BUILD / "bin" / "quic-migration-sim"
SCHEMA_PATH = ROOT / "doc" / "summary.schema.json"

pytestmark = pytest.mark.skipif(
    not SIM.is_file(), reason=f"runner not built: {SIM} is missing (cmake --build build)"
)

# Small and fast: 1 MB at 10 Mbps is under 0.1 s of wall time.
SMALL = ["--data-rate=10Mbps", "--delay=20ms", "--bytes=1000000"]


def run_sim(args, cwd, check=True):
    """Run the runner; returns the CompletedProcess."""
    proc = subprocess.run(
        [str(SIM), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"quic-migration-sim {' '.join(args)} exited with {proc.returncode}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        )
    return proc


def load_summary(out_dir):
    return json.loads((out_dir / "summary.json").read_text())


# ---------------------------------------------------------------------------------------------
# A minimal JSON-Schema (draft 2020-12 subset) checker
# ---------------------------------------------------------------------------------------------

# Keywords with a meaning for validation, all implemented below.
VALIDATION_KEYWORDS = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "minimum", "maximum", "pattern", "$ref",
}
# Keywords that only annotate.
ANNOTATION_KEYWORDS = {"$schema", "$id", "title", "description", "$defs"}

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


def _resolve(root, ref):
    assert ref.startswith("#/"), f"only local references are supported: {ref}"
    node = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def validate(instance, schema, root=None, path="$"):
    """Return a list of error strings (empty when the instance is valid)."""
    root = schema if root is None else root
    errors = []
    if "$ref" in schema:
        errors += validate(instance, _resolve(root, schema["$ref"]), root, path)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](instance) for t in types):
            return errors + [f"{path}: {instance!r} is not of type {types}"]
    if "const" in schema and instance != schema["const"]:
        errors.append(f"{path}: {instance!r} != const {schema['const']!r}")
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{path}: {instance!r} not in {schema['enum']}")
    if _TYPES["number"](instance):
        if "minimum" in schema and instance < schema["minimum"]:
            errors.append(f"{path}: {instance} < minimum {schema['minimum']}")
        if "maximum" in schema and instance > schema["maximum"]:
            errors.append(f"{path}: {instance} > maximum {schema['maximum']}")
    if isinstance(instance, str) and "pattern" in schema:
        if not re.search(schema["pattern"], instance):
            errors.append(f"{path}: {instance!r} does not match {schema['pattern']}")
    if isinstance(instance, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in instance:
                errors.append(f"{path}: missing required property {key!r}")
        for key, value in instance.items():
            if key in props:
                errors += validate(value, props[key], root, f"{path}.{key}")
            elif "additionalProperties" in schema:
                extra = schema["additionalProperties"]
                if extra is False:
                    errors.append(f"{path}: unexpected property {key!r}")
                elif isinstance(extra, dict):
                    errors += validate(value, extra, root, f"{path}.{key}")
    if isinstance(instance, list) and "items" in schema:
        for i, item in enumerate(instance):
            errors += validate(item, schema["items"], root, f"{path}[{i}]")
    return errors


def _walk_schemas(schema, path="$"):
    """Yield (path, subschema) for every schema object in the document."""
    yield path, schema
    for key in ("properties", "$defs"):
        for name, sub in schema.get(key, {}).items():
            yield from _walk_schemas(sub, f"{path}.{key}.{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _walk_schemas(schema[key], f"{path}.{key}")


@pytest.fixture(scope="module")
def schema():
    return json.loads(SCHEMA_PATH.read_text())


def test_schema_uses_only_checked_keywords(schema):
    for path, sub in _walk_schemas(schema):
        unknown = set(sub) - VALIDATION_KEYWORDS - ANNOTATION_KEYWORDS
        assert not unknown, f"{path} uses keywords the checker does not implement: {unknown}"


def test_schema_documents_every_property(schema):
    for path, sub in _walk_schemas(schema):
        assert sub.get("description"), f"{path} has no description"


def test_checker_rejects_bad_documents(schema):
    assert validate({}, schema)  # every required member missing
    bad = {"schema_version": 2}
    assert any("const" in e for e in validate(bad, schema))


# ---------------------------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """One 1 MB transfer with every output enabled."""
    cwd = tmp_path_factory.mktemp("small")
    proc = run_sim([*SMALL, "--out=out", "--pcap", "--keylog", "--qlog"], cwd)
    return cwd, cwd / "out", proc


def test_small_run_summary(small_run, schema):
    cwd, out, proc = small_run
    summary = load_summary(out)
    assert validate(summary, schema) == []
    (conn,) = summary["connections"]
    assert conn["transfer"]["complete"] is True
    assert conn["transfer"]["delivered_bytes"] == 1000000 == conn["transfer"]["requested_bytes"]
    assert conn["transfer"]["pattern_errors"] == 0
    assert conn["client"]["handshake_confirmed"] and conn["server"]["handshake_confirmed"]
    assert conn["server"]["stream_bytes_delivered"] == 1000000
    assert summary["run"]["stop_reason"] == "transfer-complete"
    assert summary["totals"]["transfers_complete"] == 1
    # 10 Mbps: the goodput cannot exceed the link rate.
    assert 0 < conn["transfer"]["goodput_bps"] < 10_000_000
    # The client completes the handshake after about one RTT (40 ms + serialisation).
    hs = conn["client"]["handshake_complete_time"] - conn["client"]["first_initial_sent_time"]
    assert 0.040 <= hs < 0.080
    # The readable summary names the essentials.
    assert "handshake" in proc.stdout and "goodput" in proc.stdout
    assert proc.stderr == ""


def test_small_run_files(small_run):
    cwd, out, _ = small_run
    summary = load_summary(out)
    names = sorted(p.name for p in out.iterdir())
    assert names == summary["files"]
    assert "summary.json" in names and "keylog.txt" in names
    assert {"quic-0-0.pcap", "quic-1-0.pcap"} <= set(names)
    assert len([n for n in names if n.endswith(".sqlog")]) == 2
    # No temporary directory left next to the output directory.
    assert sorted(p.name for p in cwd.iterdir()) == ["out"]
    # Times are written with nine decimals, no absolute path appears.
    text = (out / "summary.json").read_text()
    assert re.search(r'"delay": 0\.020000000,', text)
    assert str(cwd) not in text


def test_series_are_consistent(small_run):
    _, out, _ = small_run
    summary = load_summary(out)
    for name, series in summary["connections"][0]["series"].items():
        assert series["points"] == len(series["t"]) == len(series["v"]), name
        assert series["points"] > 0, name
        assert series["t"] == sorted(series["t"]), name
    delivered = summary["connections"][0]["series"]["delivered"]
    assert delivered["v"][-1] == 1000000


def test_series_are_bounded(tmp_path):
    run_sim([*SMALL, "--out=out", "--series-max-points=16"], tmp_path)
    summary = load_summary(tmp_path / "out")
    conn = summary["connections"][0]
    for name, series in conn["series"].items():
        assert series["points"] <= 16, name
    cwnd = conn["series"]["cwnd"]
    assert cwnd["stride"] > 1 and cwnd["changes"] > 16
    assert conn["series"]["delivered"]["v"][-1] == 1000000


def test_same_seed_and_run_is_byte_identical(small_run, tmp_path):
    _, first, _ = small_run
    run_sim([*SMALL, "--out=again", "--pcap", "--keylog", "--qlog"], tmp_path)
    second = tmp_path / "again"
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_other_run_number_changes_packets(small_run, tmp_path):
    _, first, _ = small_run
    run_sim([*SMALL, "--out=run2", "--pcap", "--run=2"], tmp_path)
    other = tmp_path / "run2"
    assert (first / "quic-0-0.pcap").read_bytes() != (other / "quic-0-0.pcap").read_bytes()
    assert load_summary(other)["config"]["run"] == 2


def test_handshake_only(tmp_path, schema):
    run_sim(["--bytes=0", "--out=out"], tmp_path)
    summary = load_summary(tmp_path / "out")
    assert validate(summary, schema) == []
    conn = summary["connections"][0]
    assert conn["client"]["handshake_confirmed"]
    assert summary["run"]["stop_reason"] == "handshake-confirmed"
    assert conn["transfer"]["delivered_bytes"] == 0
    # Stops stop-margin (1 s) after the confirmation.
    assert math.isclose(
        summary["run"]["end_time"], conn["client"]["handshake_confirmed_time"] + 1.0, abs_tol=1e-9
    )


def test_stop_time(tmp_path, schema):
    run_sim([*SMALL, "--stop-time=300ms", "--out=out"], tmp_path)
    summary = load_summary(tmp_path / "out")
    assert validate(summary, schema) == []
    assert summary["run"] == {"end_time": 0.3, "stop_reason": "stop-time"}
    transfer = summary["connections"][0]["transfer"]
    assert transfer["complete"] is False and transfer["completion_time"] is None
    assert 0 < transfer["delivered_bytes"] < 1000000


def test_random_loss(tmp_path, schema):
    run_sim(["--bytes=300000", "--loss=0.03", "--out=out"], tmp_path)
    summary = load_summary(tmp_path / "out")
    assert validate(summary, schema) == []
    conn = summary["connections"][0]
    assert conn["transfer"]["complete"] and conn["transfer"]["delivered_bytes"] == 300000
    assert conn["transfer"]["pattern_errors"] == 0
    drops = summary["totals"]["link_loss_drops"]
    assert drops["client_to_server"] > 0 and drops["server_to_client"] > 0
    assert conn["client"]["packets_lost"] > 0


def test_loss_direction(tmp_path):
    run_sim(["--bytes=300000", "--loss=0.05", "--loss-direction=client-to-server", "--out=o"],
            tmp_path)
    drops = load_summary(tmp_path / "o")["totals"]["link_loss_drops"]
    assert drops["client_to_server"] > 0 and drops["server_to_client"] == 0


def test_ipv6(tmp_path, schema):
    run_sim(["--bytes=200000", "--ipv6", "--out=out"], tmp_path)
    summary = load_summary(tmp_path / "out")
    assert validate(summary, schema) == []
    conn = summary["connections"][0]
    assert summary["topology"]["address_family"] == "ipv6"
    assert conn["client_address"].startswith("[2001:db8::")
    assert conn["transfer"]["complete"]


@pytest.mark.parametrize("ipv6", [False, True])
def test_preferred_address(tmp_path, schema, ipv6):
    """PA-03 PA-04 PA-06: --preferred-address: the client validates the server's preferred
    address after the handshake and moves there, the server follows; all data delivered."""
    args = ["--bytes=1000000", "--preferred-address", "--qlog", "--out=out"]
    if ipv6:
        args.append("--ipv6")
    run_sim(args, tmp_path)
    summary = load_summary(tmp_path / "out")
    assert validate(summary, schema) == []
    assert summary["config"]["preferred-address"] is True
    conn = summary["connections"][0]
    pa = conn["preferred_address"]
    assert pa["address"] == ("[2001:db8::200]:4433" if ipv6 else "10.1.1.200:4433")
    assert pa["client_moved"] and pa["server_moved"]
    handshake_end = conn["transfer"]["start_time"] + conn["handshake_duration"]
    assert pa["client_switch_time"] >= handshake_end
    assert conn["transfer"]["complete"]
    assert conn["transfer"]["delivered_bytes"] == 1000000
    # Without the option there is no preferred address at all.
    run_sim(["--bytes=100000", "--out=plain"], tmp_path)
    plain = load_summary(tmp_path / "plain")
    assert "preferred_address" not in plain["connections"][0]
    assert plain["config"]["preferred-address"] is False


def test_preferred_address_needs_single_link(tmp_path):
    proc = run_sim(["--preferred-address", "--access=p2p:rate=10Mbps,delay=10ms", "--out=out"],
                   tmp_path, check=False)
    assert proc.returncode == 2
    assert "preferred-address needs the single-link topology" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_rebind_and_migrate_events(tmp_path, schema):
    args = ["--bytes=4000000", "--data-rate=10Mbps", "--delay=20ms",
            "--event", "1s:rebind", "--event", "3s:migrate:policy=switch", "--out=out"]
    proc = run_sim(args, tmp_path)
    summary = load_summary(tmp_path / "out")
    assert validate(summary, schema) == []
    (conn,) = summary["connections"]
    assert conn["transfer"]["complete"] is True
    assert conn["transfer"]["delivered_bytes"] == 4000000
    assert conn["transfer"]["pattern_errors"] == 0
    rebind, migrate = summary["events"]
    assert (rebind["type"], migrate["type"]) == ("rebind", "migrate")
    assert migrate["params"] == {"policy": "switch"}
    for ev in (rebind, migrate):
        assert ev["executed"] is True and ev["outcome"] == "ok", ev
        assert ev["validation_time"] is not None and ev["validation_time"] > 0
        assert ev["switch_time"] is not None and ev["switch_time"] > 0
        assert ev["migration_delay"] is not None
        assert ev["migration_delay"] >= ev["switch_time"]
        assert ev["received_from_unvalidated"] > 0
        assert ev["amplification_ratio"] is not None and ev["amplification_ratio"] <= 3
        assert ev["bytes_to_unvalidated"] <= 3 * ev["received_from_unvalidated"]
        assert ev["cwnd_before"] > 0 and ev["cwnd_after"] > 0
    # The rebinding keeps the address and changes the port; the migration moves the client
    # to its second address, where it ends.
    assert rebind["new_address"].startswith("10.1.1.1:")
    assert migrate["new_address"].startswith("10.1.1.101:")
    assert conn["client_address"] == migrate["new_address"]
    assert "rebind: ok" in proc.stdout and "migrate: ok" in proc.stdout
    # Path counters of both sides (GetStats()) in the readable summary: the server followed
    # two peer address changes, the client switched once (its migration).
    (paths,) = [line for line in proc.stdout.splitlines() if "paths:" in line]
    assert "switches 1 / 2," in paths and "peer address changes 0 / 2," in paths
    # Deterministic: the same run gives a byte-identical summary.json.
    run_sim(args[:-1] + ["--out=again"], tmp_path)
    assert (tmp_path / "out" / "summary.json").read_bytes() == (
        tmp_path / "again" / "summary.json").read_bytes()


def test_migrate_probe_policy_and_refused_event(tmp_path, schema):
    # probe-then-switch; an event before the handshake is refused; one after the end never
    # runs.
    run_sim(["--bytes=2000000", "--event=0.05s:rebind", "--event=1s:migrate:policy=probe",
             "--event=100s:rebind", "--out=out"], tmp_path)
    summary = load_summary(tmp_path / "out")
    assert validate(summary, schema) == []
    early, probe, late = summary["events"]
    assert early["executed"] and early["outcome"] == "refused"
    assert early["validation_time"] is None and early["cwnd_before"] is None
    assert probe["outcome"] == "ok"
    assert probe["validation_time"] is not None and probe["switch_time"] is not None
    # Probe first: the client validated the path before the server saw non-probing packets.
    assert probe["validation_time"] <= probe["switch_time"]
    assert late["executed"] is False and late["outcome"] == "not-executed"
    assert late["executed_time"] is None
    assert summary["connections"][0]["transfer"]["complete"]


def test_ipv6_rebind(tmp_path, schema):
    run_sim(["--bytes=2000000", "--ipv6", "--event=1s:rebind", "--out=out"], tmp_path)
    summary = load_summary(tmp_path / "out")
    assert validate(summary, schema) == []
    (ev,) = summary["events"]
    assert ev["outcome"] == "ok" and ev["new_address"].startswith("[2001:db8::")
    assert ev["validation_time"] is not None


def test_access_networks_and_address_events(tmp_path, schema):
    """--access builds the multi-access topology (QuicMigrationTopologyHelper); linkdown,
    route, linkup, migrate:if=N and renumber events run on it (QuicAddressChanger)."""
    args = ["--access=p2p:rate=10Mbps,delay=10ms;p2p:rate=20Mbps,delay=25ms,nat=1",
            "--bytes=4000000",
            "--event", "1s:renumber:if=0", "--event", "2s:linkdown:if=0",
            "--event", "2.2s:route:if=1", "--event", "3s:linkup:if=0",
            "--event", "3.5s:migrate:if=0,policy=switch", "--out=out"]
    run_sim(args, tmp_path)
    summary = load_summary(tmp_path / "out")
    assert validate(summary, schema) == []
    assert summary["config"]["access"] == args[0].split("=", 1)[1]
    topo = summary["topology"]
    assert topo["kind"] == "multi-access"
    assert topo["server_node"] == 2
    assert len(topo["access_networks"]) == 2 and "nat=1" in topo["access_networks"][1]
    (conn,) = summary["connections"]
    assert conn["transfer"]["complete"] is True
    assert conn["transfer"]["delivered_bytes"] == 4000000
    assert conn["transfer"]["pattern_errors"] == 0
    events = summary["events"]
    assert [e["type"] for e in events] == ["renumber", "linkdown", "route", "linkup", "migrate"]
    for ev in events:
        assert ev["executed"] is True and ev["outcome"] == "ok", ev
    # The any-address socket follows the renumbering (10.1.1.101) and the default route (the
    # NAT of access 1, 10.254.2.1); the migration brings the client back to access 0.
    renumber, route, migrate = events[0], events[2], events[4]
    assert "10.1.1.1 -> 10.1.1.101" in renumber["detail"]
    assert renumber["new_address"].startswith("10.1.1.101:")
    assert renumber["validation_time"] is not None
    assert route["new_address"].startswith("10.254.2.1:")
    assert route["validation_time"] is not None
    assert migrate["new_address"].startswith("10.1.1.101:")
    assert migrate["validation_time"] is not None


def test_queue_drops_are_counted(tmp_path):
    # A 5-packet queue overflows during slow start; every datagram the client sent either
    # left its device or was counted as a queue drop.
    run_sim([*SMALL, "--queue=5", "--out=out"], tmp_path)
    summary = load_summary(tmp_path / "out")
    conn = summary["connections"][0]
    assert summary["totals"]["queue_drops"]["client_to_server"] > 0
    assert conn["transfer"]["complete"]
    assert (
        conn["server"]["datagrams_received"]
        == conn["client"]["datagrams_sent"] - summary["totals"]["queue_drops"]["client_to_server"]
    )


def test_rerun_replaces_previous_outputs(tmp_path):
    run_sim(["--bytes=100000", "--out=out", "--pcap", "--keylog"], tmp_path)
    (tmp_path / "out" / "notes.txt").write_text("mine")
    run_sim(["--bytes=50000", "--out=out"], tmp_path)
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "summary.json"]
    assert load_summary(out)["config"]["bytes"] == 50000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_progress_lines(tmp_path):
    proc = run_sim([*SMALL, "--out=out", "--progress", "--progress-interval=200ms"], tmp_path)
    lines = [l for l in proc.stderr.splitlines() if l.startswith("[progress]")]
    assert len(lines) >= 3
    assert "t=0.200 s" in lines[0]
    # Not a terminal and no --progress: quiet.
    proc = run_sim([*SMALL, "--out=out2"], tmp_path)
    assert proc.stderr == ""


# ---------------------------------------------------------------------------------------------
# Options: help, config file, ns-3 attributes
# ---------------------------------------------------------------------------------------------


def _help_options(text):
    return set(re.findall(r"^\s+(?:-[a-z] \[ )?--([a-z0-9-]+)", text, re.M))


def test_help_lists_every_config_key(small_run, tmp_path):
    proc = run_sim(["--help"], tmp_path)
    assert proc.returncode == 0
    options = _help_options(proc.stdout)
    config_keys = set(load_summary(small_run[1])["config"])
    assert config_keys <= options, config_keys - options
    assert {"config", "help", "progress", "progress-interval", "out"} <= options
    assert "--ns3::" in proc.stdout
    assert list(tmp_path.iterdir()) == []


def test_config_file_and_command_line_precedence(tmp_path):
    cfg = tmp_path / "scenario.ini"
    cfg.write_text(
        "# a scenario\n"
        "data-rate = 5Mbps\n"
        "delay = 10ms\n"
        "bytes = 200000\n"
        "queue = 50\n"
        "ns3::QuicConnection::MaxUdpPayloadSize = 1300\n"
    )
    run_sim(["--config", str(cfg), "--delay=30ms", "--out=out",
             "--ns3::QuicConnection::MaxUdpPayloadSize=1350"], tmp_path)
    config = load_summary(tmp_path / "out")["config"]
    assert config["data-rate"] == 5_000_000  # from the file
    assert config["queue"] == 50  # from the file
    assert config["bytes"] == 200000  # from the file
    assert config["delay"] == 0.03  # command line wins
    assert config["max-udp-payload-size"] == 1350  # command line wins


def test_ns3_attribute_changes_packet_sizes(small_run, tmp_path):
    run_sim([*SMALL, "--out=big", "--pcap", "--ns3::QuicConnection::MaxUdpPayloadSize=1300"],
            tmp_path)
    default = load_summary(small_run[1])
    bigger = load_summary(tmp_path / "big")
    assert default["config"]["max-udp-payload-size"] == 1252
    assert bigger["config"]["max-udp-payload-size"] == 1300
    d = default["connections"][0]["client"]["max_datagram_size"]
    b = bigger["connections"][0]["client"]["max_datagram_size"]
    assert 1200 <= d <= 1252 < b <= 1300
    # Fewer, larger packets carry the same megabyte.
    assert (
        bigger["connections"][0]["client"]["datagrams_sent"]
        < default["connections"][0]["client"]["datagrams_sent"]
    )
    assert max_pcap_record(tmp_path / "big" / "quic-0-0.pcap") > max_pcap_record(
        small_run[1] / "quic-0-0.pcap"
    )


def max_pcap_record(path):
    """Largest captured length in a classic pcap file."""
    data = path.read_bytes()
    assert data[:4] in (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4")
    order = "little" if data[:4] == b"\xd4\xc3\xb2\xa1" else "big"
    pos, largest = 24, 0
    while pos + 16 <= len(data):
        incl = int.from_bytes(data[pos + 8 : pos + 12], order)
        largest = max(largest, incl)
        pos += 16 + incl
    assert pos == len(data), "truncated pcap"
    return largest


def test_scenario_knob_overrides_attribute_option(tmp_path):
    run_sim(["--bytes=100000", "--out=out", "--max-udp-payload-size=1400",
             "--ns3::QuicConnection::MaxUdpPayloadSize=1300", "--cc=NewReno",
             "--initial-rtt=100ms"], tmp_path)
    config = load_summary(tmp_path / "out")["config"]
    assert config["max-udp-payload-size"] == 1400
    assert config["cc"] == "ns3::QuicNewReno"
    assert config["initial-rtt"] == 0.1


def test_print_attributes(tmp_path):
    proc = run_sim(["--PrintAttributes=ns3::QuicConnection"], tmp_path)
    assert "MaxUdpPayloadSize" in proc.stdout
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# Errors: exit 2, one line on stderr, nothing created
# ---------------------------------------------------------------------------------------------

ERROR_CASES = {
    "unknown-option": (["--bogus=1"], "unknown option"),
    "malformed-loss": (["--loss=abc"], "loss"),
    "negative-delay": (["--delay=-5ms"], "delay"),
    "loss-out-of-range": (["--loss=1.5"], "loss"),
    "loss-one": (["--loss=1"], "loss"),
    "malformed-time": (["--delay=5xs"], "delay"),
    "zero-rate": (["--data-rate=0bps"], "data-rate"),
    "malformed-rate": (["--data-rate=fast"], "data-rate"),
    "negative-bytes": (["--bytes=-5"], "bytes"),
    "unwritable-out": (["--out=afile/sub"], "not a directory"),
    "out-is-a-file": (["--out=afile"], "not a directory"),
    "unknown-cc": (["--cc=NoSuchCc"], "congestion control"),
    "mtu-too-small": (["--mtu=1200"], "RFC 9000"),
    "unsupported-event": (["--event=5s:rebind-port"], "not supported"),
    "malformed-event": (["--event=rebind"], "event"),
    "unknown-event-type": (["--event=2s:teleport"], "not supported"),
    "bad-migrate-policy": (["--event=3s:migrate:policy=sometimes"], "policy"),
    "unknown-event-param": (["--event=2s:rebind:port=5"], "parameter"),
    "migrate-ipv6": (["--ipv6", "--event=3s:migrate"], "IPv4"),
    "bad-attribute-value": (["--ns3::QuicConnection::MaxAckDelay=abc"], "MaxAckDelay"),
    "attribute-out-of-range": (["--ns3::QuicConnection::MaxUdpPayloadSize=100"],
                               "MaxUdpPayloadSize"),
    "unknown-attribute": (["--ns3::QuicConnection::NoSuch=1"], "unknown attribute"),
    # ns-3's integer/double parsers abort on malformed text: checked before them.
    "malformed-integer-attribute": (["--ns3::QuicConnection::MaxPaths=abc"], "MaxPaths"),
    "fractional-integer-attribute": (["--ns3::QuicConnection::MaxAckRanges=1.5"],
                                     "MaxAckRanges"),
    "malformed-double-attribute": (["--ns3::QuicEndpoint::StatelessResetRate=x"],
                                   "StatelessResetRate"),
    "config-is-a-directory": (["--config=."], "config file"),
    "missing-value": (["--loss"], "loss"),
    "missing-config": (["--config=nonexistent.ini"], "config file"),
    "positional": (["stray"], "unexpected argument"),
    "stop-before-start": (["--start-time=2s", "--stop-time=1s"], "stop-time"),
    "bad-access-type": (["--access=wifi:rate=10Mbps"], "access"),
    "bad-access-key": (["--access=p2p:color=red"], "access"),
    "access-ipv6": (["--access=p2p", "--ipv6"], "IPv4"),
    "linkdown-without-access": (["--event=1s:linkdown:if=0"], "access"),
    "linkdown-without-if": (["--access=p2p;p2p", "--event=1s:linkdown"], "if=N"),
    "route-bad-if": (["--access=p2p;p2p", "--event=1s:route:if=2"], "if"),
    "migrate-if-without-access": (["--event=1s:migrate:if=1"], "access"),
}


@pytest.mark.parametrize("case", sorted(ERROR_CASES))
def test_usage_errors(case, tmp_path):
    args, needle = ERROR_CASES[case]
    (tmp_path / "afile").write_text("a regular file")
    before = sorted(p.name for p in tmp_path.iterdir())
    out_args = [] if any(a.startswith("--out") for a in args) else ["--out=out"]
    proc = run_sim([*args, *out_args], tmp_path, check=False)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("quic-migration-sim: error: ")
    assert needle in lines[0]
    assert proc.stdout == ""
    # Nothing created: no output directory, no temporary directory.
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "afile").read_text() == "a regular file"


def test_config_file_errors(tmp_path):
    cfg = tmp_path / "bad.ini"
    cfg.write_text("no-such-option = 3\n")
    proc = run_sim(["--config", str(cfg), "--out=out"], tmp_path, check=False)
    assert proc.returncode == 2
    assert "no-such-option" in proc.stderr
    cfg.write_text("loss = lots\n")
    proc = run_sim(["--config", str(cfg), "--out=out"], tmp_path, check=False)
    assert proc.returncode == 2
    assert "loss" in proc.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# The validation example (examples/quic-validation.cc) runs its bands
# ---------------------------------------------------------------------------------------------


def test_validation_example(tmp_path):
    example = BUILD / "bin" / "quic-validation"
    if not example.is_file():
        pytest.skip(f"example not built: {example} is missing")
    proc = subprocess.run([str(example), "--validate", "--outDir=v"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "validation passed" in proc.stdout
    assert "OUT OF BAND" not in proc.stdout
    for case in ("handshake", "clean", "loss"):
        assert (tmp_path / "v" / case / "summary.json").is_file()


def test_validation_example_fails_out_of_band(tmp_path):
    example = BUILD / "bin" / "quic-validation"
    if not example.is_file():
        pytest.skip(f"example not built: {example} is missing")
    # 1 MB instead of 10 MB: slow start weighs more, the clean goodput (~8.4 Mbps) leaves
    # its [9.0, 9.6] band.
    proc = subprocess.run([str(example), "--validate", "--validation=clean", "--bytes=1000000",
                           "--outDir=v"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "OUT OF BAND" in proc.stdout and "VALIDATION FAILED" in proc.stdout


def test_attack_events(tmp_path, schema):
    """Attack timeline events (doc "Attackers"): the documented config file runs, the summary
    validates, and the copy race obeys SEC-01/AMP-05 with all data delivered intact."""
    config = ROOT / "examples" / "configs" / "attack-copy-race.conf"
    proc = run_sim(["--config", str(config), "--pcap=false", "--out=out"], tmp_path)
    summary = load_summary(tmp_path / "out")
    assert validate(summary, schema) == []
    (conn,) = summary["connections"]
    assert conn["transfer"]["complete"] is True
    assert conn["transfer"]["pattern_errors"] == 0
    race, reset = summary["events"]
    assert (race["type"], reset["type"]) == ("attack-copy-race", "attack-reset")
    a = race["attack"]
    assert race["outcome"] == "ok" and a["source"] == "10.9.1.1"
    assert a["injected"] > 0 and a["server_moved_to_source"] is True
    assert a["bytes_from_source"] > 0
    assert a["bytes_to_source"] <= 3 * a["bytes_from_source"]  # AMP-05
    assert a["max_amplification_ratio"] is not None and a["max_amplification_ratio"] <= 3
    assert a["validation_failures"] >= 1 and a["fallbacks"] >= 1  # SEC-01
    assert a["final_server_peer"].startswith("10.1.1.1:")
    r = reset["attack"]
    assert r["injected"] == 20 and r["client_drops"] >= 20
    assert conn["client"]["state"] != "DRAINING"  # SR-09: the forged resets were ignored
    assert "attack-copy-race: ok" in proc.stdout
    # Invalid attack parameters are rejected before anything runs.
    bad = run_sim(["--event", "1s:attack-inject:mode=nonsense", "--out=bad"], tmp_path,
                  check=False)
    assert bad.returncode == 2 and "invalid mode 'nonsense'" in bad.stderr
    assert not (tmp_path / "bad").exists()
    v6 = run_sim(["--ipv6", "--event", "1s:attack-reset", "--out=bad"], tmp_path, check=False)
    assert v6.returncode == 2 and "needs IPv4" in v6.stderr

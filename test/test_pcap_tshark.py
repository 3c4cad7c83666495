# SPDX-License-Identifier: GPL-2.0-only
"""Captures of quic-migration-sim decoded by tshark with the key log.

A transfer is run with --pcap --keylog and both link pcaps are dissected by
tshark (Wireshark 4.0 on Debian 12) with `-o tls.keylog_file:keylog.txt`:

* no malformed packet (`_ws.malformed`) and no expert info at all
  (`_ws.expert.severity`: not even a warning such as a bad checksum);
* nothing left undecrypted: no `quic.decryption_failed` (tshark's "Failed to
  create decryption context" on long-header packets) and no
  `quic.remaining_payload` (the payload bytes tshark could not decrypt, on any
  packet type);
* the TLS ClientHello (tls.handshake.type 1) in an Initial packet
  (quic.long.packet_type 0) and the ServerHello (2), then EncryptedExtensions
  (8), Certificate (11), CertificateVerify (15) and both Finished (20);
* STREAM frames (quic.frame_type 0x08-0x0f) decoded in 1-RTT (short header,
  quic.short) packets, and HANDSHAKE_DONE (0x1e);
* the client-side capture holds exactly the datagrams the client's device sent
  (client datagrams_sent minus the queue drops) and received.

Without the key log the same capture must show quic.remaining_payload (the
negative control that makes the zero counts above meaningful).
"""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = pathlib.Path(os.environ.get("QUIC_MIGRATION_BUILD_DIR", ROOT / "build"))
SIM = BUILD / "bin" / "quic-migration-sim"
TSHARK = shutil.which("tshark")

pytestmark = [
    pytest.mark.skipif(not SIM.is_file(), reason=f"runner not built: {SIM} is missing"),
    pytest.mark.skipif(TSHARK is None, reason="tshark not installed (utils/install-deps.sh)"),
]

FIELDS = [
    "frame.number",
    "ip.src",
    "ipv6.src",
    "udp.srcport",
    "_ws.malformed",
    "_ws.expert.severity",
    "_ws.expert.message",
    "quic.decryption_failed",
    "quic.remaining_payload",
    "quic.short",
    "quic.long.packet_type",
    "quic.frame_type",
    "tls.handshake.type",
]


def tshark_rows(pcap, keylog=None):
    """One dict per frame, every field a list of its occurrences."""
    cmd = [TSHARK, "-r", str(pcap), "-n", "-d", "udp.port==4433,quic", "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=;"]
    if keylog is not None:
        cmd += ["-o", f"tls.keylog_file:{keylog}"]
    for f in FIELDS:
        cmd += ["-e", f]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = []
    for line in proc.stdout.splitlines():
        cells = line.split("\t")
        cells += [""] * (len(FIELDS) - len(cells))
        rows.append({f: ([v for v in c.split(";") if v != ""]) for f, c in zip(FIELDS, cells)})
    return rows


def count(rows, field):
    """Frames in which a field occurs."""
    return sum(1 for r in rows if r[field])


@pytest.fixture(scope="module", params=["ipv4", "ipv6"])
def capture(request, tmp_path_factory):
    cwd = tmp_path_factory.mktemp(f"tshark-{request.param}")
    args = [str(SIM), "--bytes=300000", "--pcap", "--keylog", "--out=out"]
    if request.param == "ipv6":
        args.append("--ipv6")
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = cwd / "out"
    summary = json.loads((out / "summary.json").read_text())
    return request.param, out, summary


def test_keylog_has_both_secrets(capture):
    _, out, _ = capture
    labels = {line.split()[0] for line in (out / "keylog.txt").read_text().splitlines()}
    assert labels == {
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET",
        "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0",
        "SERVER_TRAFFIC_SECRET_0",
    }


@pytest.mark.parametrize("node", [0, 1])
def test_capture_is_clean_and_decrypted(capture, node):
    family, out, summary = capture
    rows = tshark_rows(out / f"quic-{node}-0.pcap", out / "keylog.txt")
    quic = [r for r in rows if r["quic.frame_type"] or r["quic.remaining_payload"]]
    assert len(quic) > 200
    problems = [
        (r["frame.number"], r["_ws.expert.message"]) for r in rows if r["_ws.expert.severity"]
    ]
    assert problems == [], problems[:5]
    assert count(rows, "_ws.malformed") == 0
    assert count(rows, "quic.decryption_failed") == 0
    assert count(rows, "quic.remaining_payload") == 0

    # The TLS handshake, message by message, inside CRYPTO frames (type 0x06).
    tls = [int(t) for r in rows for t in r["tls.handshake.type"]]
    assert sorted(tls) == [1, 2, 8, 11, 15, 20, 20]
    hello = [r for r in rows if "1" in r["tls.handshake.type"]]
    assert len(hello) == 1
    assert hello[0]["quic.long.packet_type"][0] == "0"  # Initial
    assert "6" in hello[0]["quic.frame_type"]

    # STREAM frames decoded in 1-RTT packets, and HANDSHAKE_DONE.
    stream_1rtt = [
        r for r in rows
        if r["quic.short"] and any(0x08 <= int(t) <= 0x0F for t in r["quic.frame_type"])
    ]
    assert len(stream_1rtt) > 200
    assert any("30" in r["quic.frame_type"] for r in rows)  # HANDSHAKE_DONE = 0x1e

    # Every datagram the client's device sent is in the capture.
    client_ip = summary["connections"][0]["client_address"].rsplit(":", 1)[0].strip("[]")
    src = "ipv6.src" if family == "ipv6" else "ip.src"
    from_client = sum(1 for r in quic if client_ip in r[src])
    client = summary["connections"][0]["client"]
    server = summary["connections"][0]["server"]
    drops = summary["totals"]["queue_drops"]
    assert from_client == client["datagrams_sent"] - drops["client_to_server"]
    assert len(quic) - from_client == server["datagrams_sent"] - drops["server_to_client"]


def test_without_keylog_payloads_stay_encrypted(capture):
    _, out, _ = capture
    rows = tshark_rows(out / "quic-0-0.pcap")
    assert count(rows, "quic.remaining_payload") > 200
    assert count(rows, "quic.decryption_failed") > 0
    assert not any(r["quic.short"] and r["quic.frame_type"] for r in rows)

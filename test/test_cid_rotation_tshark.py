# SPDX-License-Identifier: GPL-2.0-only
"""Destination-CID rotation seen on the wire (issue: connection IDs, RFC 9000 §9.5).

A 10 MB transfer with the client rotating its Destination Connection ID every 100 ms
(``--ns3::QuicConnection::CidRotationInterval=100ms`` through the runner). tshark decrypts
the client's capture with the key log; every DCID the client switches to must be one the
server issued in a NEW_CONNECTION_ID frame (read from the server's qlog), each appears on the
wire, and none is used again after the switch (PRIV-01). The transfer arrives intact.
"""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

BUILD = pathlib.Path(os.environ.get("QUIC_MIGRATION_BUILD_DIR", "build"))
RUNNER = BUILD / "bin" / "quic-migration-sim"


@pytest.fixture(scope="module")
def rotation_run(tmp_path_factory):
    if not RUNNER.exists():
        pytest.skip(f"runner not built: {RUNNER}")
    if shutil.which("tshark") is None:
        pytest.skip("tshark is not installed (utils/install-deps.sh installs it)")
    out = tmp_path_factory.mktemp("rotation") / "out"
    subprocess.run(
        [
            str(RUNNER),
            "--bytes=10000000",
            "--pcap",
            "--keylog",
            "--qlog",
            f"--out={out}",
            "--ns3::QuicConnection::CidRotationInterval=100ms",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return out


def issued_cids(out):
    """connection_id values of the NEW_CONNECTION_ID frames the server sent (its qlog)."""
    cids = []
    (qlog,) = out.glob("*_server.sqlog")
    for record in qlog.read_text().split("\x1e"):
        record = record.strip()
        if not record:
            continue
        event = json.loads(record)
        if event.get("name") != "transport:packet_sent":
            continue
        for frame in event["data"].get("frames", []):
            if frame.get("frame_type") == "new_connection_id":
                cids.append(frame["connection_id"])
    return cids


def client_dcids(out):
    """The DCIDs of the client's short-header packets, in order, as tshark decodes them."""
    result = subprocess.run(
        [
            "tshark",
            "-r",
            str(out / "quic-0-0.pcap"),
            "-o",
            f"tls.keylog_file:{out / 'keylog.txt'}",
            "-Y",
            "ip.src==10.1.1.1 && quic.header_form==0",
            "-T",
            "fields",
            "-e",
            "quic.header_form",
            "-e",
            "quic.dcid",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    dcids = []
    for line in result.stdout.splitlines():
        forms, _, cids = line.partition("\t")
        # One value per QUIC packet of the frame (coalesced packets): keep the short headers.
        for form, cid in zip(forms.split(","), cids.split(",")):
            if form in ("0", "False") and cid:
                dcids.append(cid.replace(":", ""))
    return dcids


def test_transfer_intact(rotation_run):
    summary = json.loads((rotation_run / "summary.json").read_text())
    transfer = summary["connections"][0]["transfer"]
    assert transfer["delivered_bytes"] == transfer["requested_bytes"] == 10000000
    assert transfer["pattern_errors"] == 0


def test_every_new_cid_appears_on_the_wire(rotation_run):
    issued = issued_cids(rotation_run)
    dcids = client_dcids(rotation_run)
    assert dcids, "tshark decoded no short-header packet"
    runs = [c for i, c in enumerate(dcids) if i == 0 or dcids[i - 1] != c]
    # About one switch per 100 ms of an 8.5 s transfer.
    assert len(runs) > 40, runs
    # PRIV-01: a DCID is never used again once the client moved away from it.
    assert len(set(runs)) == len(runs)
    # Every DCID after the handshake one was issued by the server in a NEW_CONNECTION_ID.
    assert set(runs[1:]) <= set(issued)
    # And the rotation consumed issued CIDs in the order they were issued.
    positions = [issued.index(c) for c in runs[1:]]
    assert positions == sorted(positions)

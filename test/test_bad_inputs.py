# SPDX-License-Identifier: GPL-2.0-only
"""Bad inputs: every configuration error gets a clear one-line message and leaves nothing.

Each case of CASES is one bad input to the scenario runner (command-line option, config
file, ns-3 attribute) or to the Python API. A runner case must exit with 2, print exactly
one line on stderr starting with "quic-migration-sim: error: " and containing the case's
needle, print nothing on stdout, and leave the working directory as it was (no output
directory, no partial file). A Python case must raise the expected exception with the
needle in its message and create nothing.

The "Bad inputs" table of doc/quic-migration.rst is generated from these cases and the
messages they actually get; test_doc_table_is_current keeps it true. To regenerate it:

    QUIC_MIGRATION_BUILD_DIR=build /usr/bin/python3 test/test_bad_inputs.py --rst
"""

import os
import pathlib
import subprocess
import sys
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = pathlib.Path(os.environ.get("QUIC_MIGRATION_BUILD_DIR", ROOT / "build"))
SIM = BUILD / "bin" / "quic-migration-sim"
DOC = ROOT / "doc" / "quic-migration.rst"
PREFIX = "quic-migration-sim: error: "


class Case:
    """One bad input.

    surface: "command line", "config file", "attribute" or "Python";
    args: runner arguments (a config file case writes ``config`` to bad.ini and passes
    --config bad.ini, or passes a directory when ``config`` is None and config_dir);
    python: source of a call on the module ``q`` (Python cases); error: expected exception.
    """

    def __init__(self, surface, shown, needle, args=(), config=None, config_dir=False,
                 python=None, error=None):
        self.surface = surface
        self.shown = shown
        self.needle = needle
        self.args = list(args)
        self.config = config
        self.config_dir = config_dir
        self.python = python
        self.error = error


CASES = [
    # Command line
    Case("command line", "--bogus=1", "unknown option", ["--bogus=1"]),
    Case("command line", "stray", "unexpected argument", ["stray"]),
    Case("command line", "--loss (last, no value)", "loss", ["--out=out", "--loss"]),
    Case("command line", "--loss=abc", "loss", ["--loss=abc"]),
    Case("command line", "--loss=1.5", "loss", ["--loss=1.5"]),
    Case("command line", "--loss=-0.1", "loss", ["--loss=-0.1"]),
    Case("command line", "--loss=nan", "loss", ["--loss=nan"]),
    Case("command line", "--loss-direction=sideways", "loss-direction",
         ["--loss-direction=sideways"]),
    Case("command line", "--delay=-5ms", "delay", ["--delay=-5ms"]),
    Case("command line", "--delay=5xs", "delay", ["--delay=5xs"]),
    Case("command line", "--stop-time=abc", "stop-time", ["--stop-time=abc"]),
    Case("command line", "--max-time=-1s", "max-time", ["--max-time=-1s"]),
    Case("command line", "--start-time=2s --stop-time=1s", "stop-time",
         ["--start-time=2s", "--stop-time=1s"]),
    Case("command line", "--data-rate=0bps", "data-rate", ["--data-rate=0bps"]),
    Case("command line", "--data-rate=fast", "data-rate", ["--data-rate=fast"]),
    Case("command line", "--bytes=-5", "bytes", ["--bytes=-5"]),
    Case("command line", "--bytes=1e9x", "bytes", ["--bytes=1e9x"]),
    Case("command line", "--queue=-3", "queue", ["--queue=-3"]),
    Case("command line", "--queue=0", "queue", ["--queue=0"]),
    Case("command line", "--mtu=-1", "mtu", ["--mtu=-1"]),
    Case("command line", "--mtu=1200", "RFC 9000", ["--mtu=1200"]),
    Case("command line", "--seed=0", "seed", ["--seed=0"]),
    Case("command line", "--run=abc", "run", ["--run=abc"]),
    Case("command line", "--ipv6=maybe", "ipv6", ["--ipv6=maybe"]),
    Case("command line", "--series-max-points=0", "series-max-points",
         ["--series-max-points=0"]),
    Case("command line", "--max-udp-payload-size=99999", "max-udp-payload-size",
         ["--max-udp-payload-size=99999"]),
    Case("command line", "--certificate-size=10", "certificate-size",
         ["--certificate-size=10"]),
    Case("command line", "--initial-rtt=20s", "initial-rtt", ["--initial-rtt=20s"]),
    Case("command line", "--cc=NoSuchCc", "congestion control", ["--cc=NoSuchCc"]),
    Case("command line", "--pcap-prefix=a/b", "pcap-prefix", ["--pcap-prefix=a/b"]),
    Case("command line", "--out=afile (a regular file)", "not a directory", ["--out=afile"]),
    Case("command line", "--out=afile/sub", "not a directory", ["--out=afile/sub"]),
    Case("command line", "--event=rebind", "event", ["--event=rebind"]),
    Case("command line", "--event=abc:rebind", "not a time", ["--event=abc:rebind"]),
    Case("command line", "--event=-1s:rebind", "negative", ["--event=-1s:rebind"]),
    Case("command line", "--event=2s:teleport", "not supported", ["--event=2s:teleport"]),
    Case("command line", "--event=2s:rebind:port=5", "parameter",
         ["--event=2s:rebind:port=5"]),
    Case("command line", "--event=3s:migrate:policy=sometimes", "policy",
         ["--event=3s:migrate:policy=sometimes"]),
    Case("command line", "--ipv6 --event=3s:migrate", "IPv4", ["--ipv6", "--event=3s:migrate"]),
    Case("command line", "--RngSeed=3", "--seed", ["--RngSeed=3"]),
    Case("command line", "--PrintAttributes=ns3::Nope", "unknown TypeId",
         ["--PrintAttributes=ns3::Nope"]),
    # ns-3 attributes
    Case("attribute", "--ns3::QuicConnection::NoSuch=1", "unknown attribute",
         ["--ns3::QuicConnection::NoSuch=1"]),
    Case("attribute", "--ns3::NoSuchType::X=1", "unknown ns-3 type", ["--ns3::NoSuchType::X=1"]),
    Case("attribute", "--ns3::QuicConnection::MaxAckDelay=abc", "MaxAckDelay",
         ["--ns3::QuicConnection::MaxAckDelay=abc"]),
    Case("attribute", "--ns3::QuicConnection::MaxUdpPayloadSize=100", "MaxUdpPayloadSize",
         ["--ns3::QuicConnection::MaxUdpPayloadSize=100"]),
    Case("attribute", "--ns3::QuicConnection::MaxPaths=abc", "MaxPaths",
         ["--ns3::QuicConnection::MaxPaths=abc"]),
    Case("attribute", "--ns3::QuicConnection::MaxAckRanges=1.5", "MaxAckRanges",
         ["--ns3::QuicConnection::MaxAckRanges=1.5"]),
    Case("attribute", "--ns3::QuicEndpoint::MaxConnections=-1", "MaxConnections",
         ["--ns3::QuicEndpoint::MaxConnections=-1"]),
    Case("attribute", "--ns3::QuicEndpoint::StatelessResetRate=abc", "StatelessResetRate",
         ["--ns3::QuicEndpoint::StatelessResetRate=abc"]),
    Case("attribute", "--ns3::QuicConnection::DisableActiveMigration=perhaps",
         "DisableActiveMigration", ["--ns3::QuicConnection::DisableActiveMigration=perhaps"]),
    Case("attribute", "--ns3::QuicConnection::CongestionControl=ns3::Nope", "CongestionControl",
         ["--ns3::QuicConnection::CongestionControl=ns3::Nope"]),
    # Config files
    Case("config file", "--config=nonexistent.ini", "config file",
         ["--config=nonexistent.ini"]),
    Case("config file", "--config=adir (a directory)", "config file", config_dir=True),
    Case("config file", "no-such-option = 3", "no-such-option", config="no-such-option = 3\n"),
    Case("config file", "loss 0.5 (no '=')", "invalid line", config="loss 0.5\n"),
    Case("config file", "[section] / loss = 0.1", "section.loss",
         config="[section]\nloss = 0.1\n"),
    Case("config file", "loss = lots", "loss", config="loss = lots\n"),
    Case("config file", "bytes = -1", "bytes", config="bytes = -1\n"),
    Case("config file", "delay = (empty)", "delay", config="delay =\n"),
    Case("config file", "event = 2s", "event", config="event = 2s\n"),
    Case("config file", "loss = 0.1 / loss = 0.2", "more than once",
         config="loss = 0.1\nloss = 0.2\n"),
    Case("config file", "config = other.ini", "config", config="config = other.ini\n"),
    Case("config file", "ns3::QuicConnection::MaxAckRanges = abc", "MaxAckRanges",
         config="ns3::QuicConnection::MaxAckRanges = abc\n"),
    # Python
    Case("Python", "validate(loss=1.5)", "loss", python="q.validate(loss=1.5)",
         error=ValueError),
    Case("Python", "validate(delay='-5ms')", "delay", python="q.validate(delay='-5ms')",
         error=ValueError),
    Case("Python", "validate(bytes=-1)", "bytes", python="q.validate(bytes=-1)",
         error=(ValueError, TypeError)),
    Case("Python", "validate(bogus=1)", "bogus", python="q.validate(bogus=1)", error=TypeError),
    Case("Python", "validate(loss='abc')", "loss", python="q.validate(loss='abc')",
         error=(ValueError, TypeError)),
    Case("Python", "validate(event=['2s:teleport'])", "not supported",
         python="q.validate(event=['2s:teleport'])", error=(ValueError, TypeError)),
    Case("Python", "validate(cc='NoSuchCc')", "congestion control",
         python="q.validate(cc='NoSuchCc')", error=ValueError),
    Case("Python", "run(bytes=1000, out='afile')", "afile",
         python="q.run(bytes=1000, out='afile')", error=(ValueError, OSError)),
]


def _ids():
    return [f"{c.surface.replace(' ', '-')}:{c.shown}" for c in CASES]


def run_case(case, workdir):
    """Run one case in workdir (which holds 'afile'); returns the one-line message."""
    workdir = pathlib.Path(workdir)
    if case.python is not None:
        sys.path.insert(0, str(BUILD / "python"))
        try:
            import quic_migration as q  # noqa: F401
        finally:
            sys.path.pop(0)
        cwd = os.getcwd()
        os.chdir(workdir)
        try:
            with pytest.raises(case.error) as info:
                eval(case.python, {"q": q})  # the cases are literal source above
        finally:
            os.chdir(cwd)
        return _normalize(f"{info.type.__name__}: {info.value}", workdir)
    args = list(case.args)
    if case.config is not None:
        (workdir / "bad.ini").write_text(case.config)
        args = ["--config", "bad.ini", *args]
    if case.config_dir:
        (workdir / "adir").mkdir()
        args = ["--config=adir", *args]
    if not any(a.startswith("--out") for a in args):
        args.append("--out=out")
    proc = subprocess.run([str(SIM), *args], cwd=workdir, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2, f"{case.shown}: exit {proc.returncode}\n{proc.stderr}"
    assert proc.stdout == "", proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(PREFIX), lines[0]
    return _normalize(lines[0][len(PREFIX):], workdir)


def _normalize(message, workdir):
    """The message with the (temporary) working directory shown as <dir>."""
    for d in {str(workdir.resolve()), str(workdir)}:
        message = message.replace(d, "<dir>")
    return message


def _fresh_dir(base):
    base = pathlib.Path(base)
    (base / "afile").write_text("a regular file")
    return sorted(p.name for p in base.iterdir())


@pytest.mark.skipif(not SIM.is_file(), reason=f"runner not built: {SIM} is missing")
@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_bad_input(case, tmp_path):
    if case.python is not None and not (BUILD / "python" / "quic_migration").is_dir():
        pytest.skip("Python bindings not built")
    before = _fresh_dir(tmp_path)
    if case.config is not None:
        before = sorted(before + ["bad.ini"])
    if case.config_dir:
        before = sorted(before + ["adir"])
    message = run_case(case, tmp_path)
    assert case.needle in message, message
    # Nothing created or changed: no output directory, no partial file.
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "afile").read_text() == "a regular file"
    if case.config_dir:
        assert list((tmp_path / "adir").iterdir()) == []


def _rst_escape(text):
    return text.replace("\\", "\\\\").replace("`", "\\`").replace("*", "\\*")


def render_table():
    """The doc table: every case and the message it gets now."""
    rows = []
    for case in CASES:
        with tempfile.TemporaryDirectory() as d:
            _fresh_dir(d)
            message = run_case(case, d)
        result = ("exit 2: " if case.python is None else "") + message
        rows.append((case.surface, case.shown, result))
    out = [".. list-table::", "   :header-rows: 1", "   :widths: 12 38 50", "",
           "   * - Where", "     - Bad input", "     - Result (exit status 2 and this one line "
           "on stderr, after ``quic-migration-sim: error:``; Python: the exception)"]
    for surface, shown, result in rows:
        out.append(f"   * - {surface}")
        out.append(f"     - ``{shown}``")
        out.append(f"     - {_rst_escape(result)}")
    return "\n".join(out) + "\n"


@pytest.mark.skipif(not SIM.is_file(), reason=f"runner not built: {SIM} is missing")
def test_doc_table_is_current():
    if not (BUILD / "python" / "quic_migration").is_dir():
        pytest.skip("Python bindings not built")
    table = render_table()
    assert table in DOC.read_text(), (
        "doc/quic-migration.rst 'Bad inputs' table is out of date; regenerate it with "
        "test/test_bad_inputs.py --rst"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--rst"]:
        sys.stdout.write(render_table())
    else:
        sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))

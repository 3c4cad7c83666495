# SPDX-License-Identifier: GPL-2.0-only
"""quic_migration: Python interface to the quic-migration ns-3 module.

Put the build tree's ``python`` directory on the path (``PYTHONPATH=build/python``)
and use Debian's interpreter (/usr/bin/python3), for which the extension is built.

    import quic_migration as qm

    result = qm.run(bytes=1_000_000, loss=0.01, out="results/r1")
    print(result.connections[0].transfer.goodput_bps, result.totals.delivered_bytes)
    for path in result.connections[0].paths:          # per side, per path
        print(path.side, path.id, path.remote_address, path.bytes_sent, path.series.cwnd[-1])
    qm.plot.timeline(result, "timeline.png")

    table = qm.sweep({"loss": [0.0, 0.01], "delay": ["10ms", "50ms"]}, runs=3, bytes=200_000)

API:
    ScenarioConfig   every option of the runner quic-migration-sim, same names ('-' -> '_'),
                     same defaults; keyword constructor, to_dict(), to_args()
    run()            one scenario in this process -> Result (typed, mirrors summary.json);
                     on_event= / on_packet= callbacks receive TraceEvent records
    validate()       check a configuration (ValueError / TypeError), create nothing
    sweep()          grid x runs, each run in its own process (local pool or dask) -> table
    plot.timeline()  migration-timeline figure (delivered bytes, cwnd, RTT, events)
    Result.from_summary()  load a summary.json written by the runner
"""

from ._quic_migration import (  # noqa: F401  (re-exported)
    SERVER_PORT,
    SUMMARY_SCHEMA_VERSION,
    VERSION,
    options,
    supported_event_types,
)
from ._core import (  # noqa: F401
    ConnectionResult,
    EndpointResult,
    EventResult,
    PathResult,
    PathSeries,
    Result,
    ScenarioConfig,
    Series,
    Totals,
    TraceEvent,
    TransferResult,
    make_config,
    run,
    validate,
)
from ._sweep import SweepError, SweepTable, sweep  # noqa: F401

__version__ = VERSION

__all__ = [
    "ScenarioConfig",
    "Result",
    "ConnectionResult",
    "EndpointResult",
    "TransferResult",
    "EventResult",
    "PathResult",
    "PathSeries",
    "TraceEvent",
    "Totals",
    "Series",
    "SweepTable",
    "SweepError",
    "make_config",
    "validate",
    "run",
    "sweep",
    "options",
    "supported_event_types",
    "plot",
    "VERSION",
    "SUMMARY_SCHEMA_VERSION",
    "SERVER_PORT",
]


def __getattr__(name):
    """Import ``quic_migration.plot`` (matplotlib) only when it is first used."""
    if name == "plot":
        import importlib

        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# SPDX-License-Identifier: GPL-2.0-only
"""run(), validate() and the typed results of a scenario run.

The results mirror summary.json (doc/summary.schema.json): field names are its
keys, times are seconds (float) of simulation time and ``None`` when the event
never happened, counts are ints. Time series keep their exact sample times as
int64 nanoseconds (``Series.t_ns``) next to the seconds (``Series.t``).
``Result.to_dict()`` equals ``json.loads(Result.summary_json())``.
"""

import dataclasses
import decimal
import json
import math
import os
from collections.abc import Mapping
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np

from . import _quic_migration as _ext

ScenarioConfig = _ext.ScenarioConfig

_NS_PER_S = 1_000_000_000

__all__ = [
    "ScenarioConfig",
    "Series",
    "PathSeries",
    "PathResult",
    "TraceEvent",
    "EndpointResult",
    "TransferResult",
    "ConnectionResult",
    "EventResult",
    "Totals",
    "Result",
    "make_config",
    "validate",
    "run",
]


# =============================================================================================
# Helpers
# =============================================================================================


def _seconds(ns: int) -> float:
    """Seconds from int nanoseconds, rounded exactly as summary.json's nine decimals read back."""
    return ns / _NS_PER_S


def _seconds_or_none(ns: int) -> Optional[float]:
    """Seconds, or None for the 'never happened' value -1."""
    return None if ns < 0 else ns / _NS_PER_S


def _llround(x: float) -> int:
    """C's llround (half away from zero), as the summary writer rounds goodput."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def _ns_from_decimal(d) -> int:
    """Exact nanoseconds from a seconds value parsed as decimal.Decimal (or int)."""
    return int(decimal.Decimal(d) * _NS_PER_S)


def _float_or_none(d) -> Optional[float]:
    """float of a Decimal/int, keeping None."""
    return None if d is None else float(d)


def _plain(d):
    """Turn the Decimals of a parsed summary into floats (recursively)."""
    if isinstance(d, decimal.Decimal):
        return float(d)
    if isinstance(d, dict):
        return {k: _plain(v) for k, v in d.items()}
    if isinstance(d, list):
        return [_plain(v) for v in d]
    return d


def make_config(config=None, **overrides) -> ScenarioConfig:
    """Return a new ScenarioConfig: a copy of ``config`` (a ScenarioConfig, a mapping of
    option names to values, or None for the runner's defaults) with ``overrides`` applied.

    Option names are the Python spellings (``data_rate``); runner spellings
    (``data-rate``) are accepted in a mapping. Raises TypeError for an unknown
    option or a wrong type, ValueError for an unparsable value.
    """
    if config is None:
        cfg = ScenarioConfig()
    elif isinstance(config, ScenarioConfig):
        cfg = config.copy()
    elif isinstance(config, Mapping):
        cfg = ScenarioConfig(**{str(k).replace("-", "_"): v for k, v in config.items()})
    else:
        raise TypeError(
            f"config: expected a ScenarioConfig, a mapping or None, got {type(config).__name__}"
        )
    names = set(ScenarioConfig.option_names())
    for key, value in overrides.items():
        if key not in names:
            raise TypeError(
                f"unexpected option '{key}' (options: {', '.join(ScenarioConfig.option_names())})"
            )
        setattr(cfg, key, value)
    return cfg


def validate(config=None, **overrides) -> ScenarioConfig:
    """Check a configuration without running it (nothing is created).

    Accepts the same arguments as :func:`make_config`. Returns the checked
    ScenarioConfig; raises ValueError with the scenario layer's one-line message
    (negative delay, loss >= 1, unknown congestion control, an output directory
    that cannot be created, ...) or TypeError for a wrong type.
    """
    cfg = make_config(config, **overrides)
    message = _ext.validate(cfg)
    if message:
        raise ValueError(message)
    return cfg


# =============================================================================================
# Typed results
# =============================================================================================


@dataclasses.dataclass(eq=False)
class Series:
    """A time series of one connection (summary.json ``series.<name>``).

    ``t_ns`` holds the sample times (int64 ns), ``v_raw`` the raw values (int64:
    bytes, or ns for series whose unit is "s"). ``t`` and ``v`` give them in the
    summary's units (seconds; bytes or seconds); ``points()`` as (time_s, value) pairs.
    """

    name: str
    unit: str
    side: str
    changes: int
    stride: int
    t_ns: np.ndarray
    v_raw: np.ndarray

    @property
    def t(self) -> np.ndarray:
        """Sample times in seconds (float64)."""
        return self.t_ns / _NS_PER_S

    @property
    def v(self) -> np.ndarray:
        """Sample values in the series' unit (seconds as float64, else int64)."""
        if self.unit == "s":
            return self.v_raw / _NS_PER_S
        return self.v_raw.copy()

    def points(self) -> List[Tuple[float, Any]]:
        """The samples as a list of (time_s, value) tuples of Python scalars."""
        return list(zip(self.t.tolist(), self.v.tolist()))

    def __len__(self) -> int:
        """Number of samples."""
        return int(self.t_ns.size)

    def __eq__(self, other) -> bool:
        """Equal when every field and every sample is equal."""
        if not isinstance(other, Series):
            return NotImplemented
        return (
            (self.name, self.unit, self.side, self.changes, self.stride)
            == (other.name, other.unit, other.side, other.changes, other.stride)
            and np.array_equal(self.t_ns, other.t_ns)
            and np.array_equal(self.v_raw, other.v_raw)
        )

    def to_dict(self) -> Dict[str, Any]:
        """The summary.json object of the series (t and v as lists)."""
        return {
            "unit": self.unit,
            "side": self.side,
            "changes": self.changes,
            "stride": self.stride,
            "points": len(self),
            "t": self.t.tolist(),
            "v": self.v.tolist(),
        }

    @classmethod
    def _from_raw(cls, name, raw, unit, side) -> "Series":
        return cls(
            name=name,
            unit=unit,
            side=side,
            changes=int(raw.changes),
            stride=int(raw.stride),
            t_ns=np.asarray(raw.time_ns, dtype=np.int64),
            v_raw=np.asarray(raw.value, dtype=np.int64),
        )

    @classmethod
    def _from_summary(cls, name, d) -> "Series":
        times = d["unit"] == "s"
        return cls(
            name=name,
            unit=d["unit"],
            side=d["side"],
            changes=int(d["changes"]),
            stride=int(d["stride"]),
            t_ns=np.asarray([_ns_from_decimal(t) for t in d["t"]], dtype=np.int64),
            v_raw=np.asarray(
                [_ns_from_decimal(v) if times else int(v) for v in d["v"]], dtype=np.int64
            ),
        )


# (name, unit, side) of the series of a connection, in summary.json order.
_SERIES = (("cwnd", "bytes", "client"), ("srtt", "s", "client"), ("delivered", "bytes", "server"))


@dataclasses.dataclass(eq=False)
class PathSeries:
    """The per-path time series of one path (summary.json ``paths[j].series``), sampled
    every ``series_interval`` from the path's own state.

    Arrays (numpy, one entry per sample): ``t_ns`` (int64 ns), ``cwnd`` (bytes),
    ``srtt_ns`` (ns), ``bytes_sent`` and ``bytes_received`` (cumulative UDP payload
    bytes), ``active`` (1 while the side's active path, else 0). ``t`` and ``srtt`` give times in seconds.
    """

    stride: int
    t_ns: np.ndarray
    cwnd: np.ndarray
    srtt_ns: np.ndarray
    bytes_sent: np.ndarray
    bytes_received: np.ndarray
    active: np.ndarray

    _ARRAYS = ("t_ns", "cwnd", "srtt_ns", "bytes_sent", "bytes_received", "active")

    @property
    def t(self) -> np.ndarray:
        """Sample times, s (float64)."""
        return self.t_ns / _NS_PER_S

    @property
    def srtt(self) -> np.ndarray:
        """Smoothed RTT, s (float64)."""
        return self.srtt_ns / _NS_PER_S

    def __len__(self) -> int:
        """Number of samples."""
        return int(self.t_ns.size)

    def __eq__(self, other) -> bool:
        """Equal when the stride and every sample are equal."""
        if not isinstance(other, PathSeries):
            return NotImplemented
        return self.stride == other.stride and all(
            np.array_equal(getattr(self, a), getattr(other, a)) for a in self._ARRAYS
        )

    def to_dict(self) -> Dict[str, Any]:
        """The summary.json object of the series (lists)."""
        return {
            "stride": self.stride,
            "points": len(self),
            "t": self.t.tolist(),
            "cwnd": self.cwnd.tolist(),
            "srtt": self.srtt.tolist(),
            "bytes_sent": self.bytes_sent.tolist(),
            "bytes_received": self.bytes_received.tolist(),
            "active": self.active.tolist(),
        }

    @classmethod
    def _from_raw(cls, p) -> "PathSeries":
        return cls(
            stride=int(p.series_stride),
            t_ns=np.asarray(p.series_time_ns, dtype=np.int64),
            cwnd=np.asarray(p.series_cwnd, dtype=np.int64),
            srtt_ns=np.asarray(p.series_srtt_ns, dtype=np.int64),
            bytes_sent=np.asarray(p.series_bytes_sent, dtype=np.int64),
            bytes_received=np.asarray(p.series_bytes_received, dtype=np.int64),
            active=np.asarray(p.series_active, dtype=np.int64),
        )

    @classmethod
    def _from_summary(cls, d) -> "PathSeries":
        return cls(
            stride=int(d["stride"]),
            t_ns=np.asarray([_ns_from_decimal(t) for t in d["t"]], dtype=np.int64),
            cwnd=np.asarray([int(v) for v in d["cwnd"]], dtype=np.int64),
            srtt_ns=np.asarray([_ns_from_decimal(v) for v in d["srtt"]], dtype=np.int64),
            bytes_sent=np.asarray([int(v) for v in d["bytes_sent"]], dtype=np.int64),
            bytes_received=np.asarray([int(v) for v in d["bytes_received"]], dtype=np.int64),
            active=np.asarray([int(v) for v in d["active"]], dtype=np.int64),
        )


@dataclasses.dataclass
class PathResult:
    """One path of one side of a connection (summary.json ``connections[i].paths[j]``).

    A NAT rebinding is one client path whose local address moved but a new server
    path; a migration is a new path on both sides. ``series`` holds its cwnd, RTT and
    byte counters over time (empty when ``series_interval`` is 0).
    """

    side: str
    id: int
    local_address: str
    remote_address: str
    validated: bool
    active: bool
    created_time: Optional[float]
    validated_time: Optional[float]
    active_duration: float
    bytes_sent: int
    bytes_received: int
    packets_sent: int
    packets_received: int
    packets_lost: int
    final_cwnd: int
    final_srtt: float
    series: PathSeries

    def to_dict(self) -> Dict[str, Any]:
        """The summary.json object of the path."""
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        d["series"] = self.series.to_dict()
        return d

    def to_record(self) -> Dict[str, Any]:
        """Flat dict of the scalars (no series)."""
        d = self.to_dict()
        del d["series"]
        d["path"] = d.pop("id")
        return d

    @classmethod
    def _from_raw(cls, p) -> "PathResult":
        return cls(
            side=p.side,
            id=int(p.id),
            local_address=p.local_address,
            remote_address=p.remote_address,
            validated=bool(p.validated),
            active=bool(p.active),
            created_time=_seconds_or_none(p.created_ns),
            validated_time=_seconds_or_none(p.validated_ns),
            active_duration=_seconds(p.active_ns),
            bytes_sent=int(p.bytes_sent),
            bytes_received=int(p.bytes_received),
            packets_sent=int(p.packets_sent),
            packets_received=int(p.packets_received),
            packets_lost=int(p.packets_lost),
            final_cwnd=int(p.final_cwnd),
            final_srtt=_seconds(p.final_srtt_ns),
            series=PathSeries._from_raw(p),
        )

    @classmethod
    def _from_summary(cls, d) -> "PathResult":
        scalars = _plain({k: v for k, v in d.items() if k != "series"})
        return cls(**scalars, series=PathSeries._from_summary(d["series"]))


@dataclasses.dataclass(frozen=True)
class TraceEvent:
    """One trace event handed to the ``on_event`` / ``on_packet`` callbacks of :func:`run`.

    ``kind``: "path" (path_created, validation_started, path_validated,
    validation_failed, peer_port_changed, peer_address_changed,
    active_path_switched, migrated, fallback, migration_started, rebound; fields
    ``from`` and ``to``), "cid" (issued, retired_local, retired_peer, rotated, ...;
    fields ``sequence``, ``cid``), "handshake" (initial_sent, handshake_complete,
    handshake_confirmed, ...), "timeline" (a timeline event that just ran, name =
    its type; fields ``outcome``, ``detail``) and, for ``on_packet``, "packet"
    (packet_sent, packet_received, packet_lost; fields ``packet_number``, ``size``,
    ``datagram_size``, ``type``). ``side`` is "client", "server" or "" (timeline);
    ``path`` the path id on that side, or None when unknown.
    """

    time_ns: int
    side: str
    kind: str
    name: str
    path: Optional[int]
    fields: Dict[str, Any]

    @property
    def time(self) -> float:
        """Simulation time, s."""
        return self.time_ns / _NS_PER_S

    def to_dict(self) -> Dict[str, Any]:
        """Plain dict: time (s), side, kind, name, path and the fields."""
        d = {
            "time": self.time,
            "side": self.side,
            "kind": self.kind,
            "name": self.name,
            "path": self.path,
        }
        d.update(self.fields)
        return d


@dataclasses.dataclass
class EndpointResult:
    """One side of a connection (summary.json ``connections[i].client`` / ``.server``)."""

    present: bool
    state: Optional[str]
    handshake_complete: bool
    handshake_confirmed: bool
    handshake_complete_time: Optional[float]
    handshake_confirmed_time: Optional[float]
    first_initial_sent_time: Optional[float]
    first_1rtt_sent_time: Optional[float]
    first_stream_data_sent_time: Optional[float]
    packets_sent: int
    packets_received: int
    packets_lost: int
    packets_dropped: int
    datagrams_sent: int
    datagrams_received: int
    bytes_sent: int
    bytes_received: int
    stream_bytes_sent: int
    stream_bytes_delivered: int
    pto_count: int
    max_datagram_size: int
    final_cwnd: int
    final_srtt: float
    close_error_code: int

    def to_dict(self) -> Dict[str, Any]:
        """The summary.json object of this side."""
        return dataclasses.asdict(self)

    @classmethod
    def _from_raw(cls, e) -> "EndpointResult":
        return cls(
            present=e.present,
            state=e.state if e.present else None,
            handshake_complete=e.handshake_complete,
            handshake_confirmed=e.handshake_confirmed,
            handshake_complete_time=_seconds_or_none(e.handshake_complete_ns),
            handshake_confirmed_time=_seconds_or_none(e.handshake_confirmed_ns),
            first_initial_sent_time=_seconds_or_none(e.first_initial_sent_ns),
            first_1rtt_sent_time=_seconds_or_none(e.first_1rtt_sent_ns),
            first_stream_data_sent_time=_seconds_or_none(e.first_stream_data_sent_ns),
            packets_sent=e.packets_sent,
            packets_received=e.packets_received,
            packets_lost=e.packets_lost,
            packets_dropped=e.packets_dropped,
            datagrams_sent=e.datagrams_sent,
            datagrams_received=e.datagrams_received,
            bytes_sent=e.bytes_sent,
            bytes_received=e.bytes_received,
            stream_bytes_sent=e.stream_bytes_sent,
            stream_bytes_delivered=e.stream_bytes_delivered,
            pto_count=e.pto_count,
            max_datagram_size=e.max_datagram_size,
            final_cwnd=e.final_cwnd,
            final_srtt=_seconds(e.final_srtt_ns),
            close_error_code=e.close_error_code,
        )

    @classmethod
    def _from_summary(cls, d) -> "EndpointResult":
        return cls(**_plain(d))


@dataclasses.dataclass
class TransferResult:
    """The transfer of a connection (summary.json ``connections[i].transfer``)."""

    requested_bytes: int
    delivered_bytes: int
    pattern_errors: int
    complete: bool
    start_time: Optional[float]
    completion_time: Optional[float]
    duration: Optional[float]
    goodput_bps: int

    def to_dict(self) -> Dict[str, Any]:
        """The summary.json object of the transfer."""
        return dataclasses.asdict(self)


@dataclasses.dataclass
class ConnectionResult:
    """One connection of a run (summary.json ``connections[i]``)."""

    id: int
    client_address: str
    server_address: str
    handshake_duration: Optional[float]
    transfer: TransferResult
    client: EndpointResult
    server: EndpointResult
    series: Dict[str, Series]
    paths: List[PathResult] = dataclasses.field(default_factory=list)

    def path(self, side: str, path_id: int) -> PathResult:
        """The path ``path_id`` of ``side`` ("client" or "server"); KeyError if absent."""
        for p in self.paths:
            if p.side == side and p.id == path_id:
                return p
        raise KeyError(f"no {side} path {path_id}")

    @property
    def delivered_bytes(self) -> int:
        """Bytes the server application received."""
        return self.transfer.delivered_bytes

    @property
    def handshake_confirmed(self) -> bool:
        """Whether the client confirmed the handshake."""
        return self.client.handshake_confirmed

    def to_dict(self) -> Dict[str, Any]:
        """The summary.json object of the connection."""
        return {
            "id": self.id,
            "client_address": self.client_address,
            "server_address": self.server_address,
            "handshake_duration": self.handshake_duration,
            "transfer": self.transfer.to_dict(),
            "client": self.client.to_dict(),
            "server": self.server.to_dict(),
            "series": {name: s.to_dict() for name, s in self.series.items()},
            "paths": [p.to_dict() for p in self.paths],
        }

    def to_record(self) -> Dict[str, Any]:
        """Flat dict of the scalars (no series): transfer_*, client_*, server_* columns."""
        row = {
            "connection": self.id,
            "client_address": self.client_address,
            "server_address": self.server_address,
            "handshake_duration": self.handshake_duration,
        }
        for prefix, obj in (
            ("transfer", self.transfer),
            ("client", self.client),
            ("server", self.server),
        ):
            for key, value in obj.to_dict().items():
                row[f"{prefix}_{key}"] = value
        return row

    @classmethod
    def _from_raw(cls, c) -> "ConnectionResult":
        cl = c.client
        handshake = None
        if cl.handshake_confirmed_ns >= 0 and cl.first_initial_sent_ns >= 0:
            handshake = _seconds(cl.handshake_confirmed_ns - cl.first_initial_sent_ns)
        duration = None
        if c.transfer_complete and c.transfer_start_ns >= 0:
            duration = _seconds(c.transfer_complete_ns - c.transfer_start_ns)
        return cls(
            id=c.id,
            client_address=c.client_address,
            server_address=c.server_address,
            handshake_duration=handshake,
            transfer=TransferResult(
                requested_bytes=c.requested_bytes,
                delivered_bytes=c.delivered_bytes,
                pattern_errors=c.pattern_errors,
                complete=c.transfer_complete,
                start_time=_seconds_or_none(c.transfer_start_ns),
                completion_time=_seconds_or_none(c.transfer_complete_ns),
                duration=duration,
                goodput_bps=_llround(c.goodput_bps),
            ),
            client=EndpointResult._from_raw(c.client),
            server=EndpointResult._from_raw(c.server),
            series={
                name: Series._from_raw(name, getattr(c, name), unit, side)
                for name, unit, side in _SERIES
            },
            paths=[PathResult._from_raw(p) for p in c.paths],
        )

    @classmethod
    def _from_summary(cls, d) -> "ConnectionResult":
        return cls(
            id=d["id"],
            client_address=d["client_address"],
            server_address=d["server_address"],
            handshake_duration=_float_or_none(d["handshake_duration"]),
            transfer=TransferResult(**_plain(d["transfer"])),
            client=EndpointResult._from_summary(d["client"]),
            server=EndpointResult._from_summary(d["server"]),
            series={name: Series._from_summary(name, s) for name, s in d["series"].items()},
            paths=[PathResult._from_summary(p) for p in d.get("paths", [])],
        )


@dataclasses.dataclass
class EventResult:
    """One event of the timeline and what happened to it (summary.json ``events[i]``).

    ``metrics`` holds the event's measurements as summary.json names them (for
    ``rebind`` and ``migrate``: ``validation_time``, ``switch_time``,
    ``migration_delay``, ``bytes_to_unvalidated``, ``amplification_ratio``, ...;
    see doc/summary.schema.json).
    """

    time: float
    type: str
    params: Dict[str, str]
    executed: bool
    executed_time: Optional[float]
    outcome: str
    metrics: Dict[str, Any] = dataclasses.field(default_factory=dict)

    _KNOWN = ("time", "type", "params", "executed", "executed_time", "outcome")

    def to_dict(self) -> Dict[str, Any]:
        """The summary.json object of the event."""
        d = dataclasses.asdict(self)
        d.update(d.pop("metrics"))
        return d

    @classmethod
    def _from_dict(cls, e: Dict[str, Any]) -> "EventResult":
        return cls(
            time=float(e["time"]),
            type=e["type"],
            params=dict(e["params"]),
            executed=e["executed"],
            executed_time=_float_or_none(e["executed_time"]),
            outcome=e["outcome"],
            metrics={
                k: (float(v) if isinstance(v, decimal.Decimal) else v)
                for k, v in e.items()
                if k not in cls._KNOWN
            },
        )


@dataclasses.dataclass
class Totals:
    """Sums over the connections and the link counters (summary.json ``totals``)."""

    connections: int
    handshakes_confirmed: int
    transfers_complete: int
    requested_bytes: int
    delivered_bytes: int
    pattern_errors: int
    packets_sent: int
    packets_lost: int
    packets_dropped: int
    link_loss_drops: Dict[str, int]
    queue_drops: Dict[str, int]

    def to_dict(self) -> Dict[str, Any]:
        """The summary.json object of the totals."""
        return dataclasses.asdict(self)

    def to_record(self) -> Dict[str, Any]:
        """Flat dict: totals_* columns (per-direction counters as *_client_to_server ...)."""
        row = {}
        for key, value in self.to_dict().items():
            if isinstance(value, dict):
                for direction, count in value.items():
                    row[f"totals_{key}_{direction}"] = count
            else:
                row[f"totals_{key}"] = value
        return row

    @classmethod
    def _compute(cls, connections, link_loss, queue) -> "Totals":
        """The totals exactly as the summary writer sums them."""
        return cls(
            connections=len(connections),
            handshakes_confirmed=sum(c.client.handshake_confirmed for c in connections),
            transfers_complete=sum(c.transfer.complete for c in connections),
            requested_bytes=sum(c.transfer.requested_bytes for c in connections),
            delivered_bytes=sum(c.transfer.delivered_bytes for c in connections),
            pattern_errors=sum(c.transfer.pattern_errors for c in connections),
            packets_sent=sum(c.client.packets_sent + c.server.packets_sent for c in connections),
            packets_lost=sum(c.client.packets_lost + c.server.packets_lost for c in connections),
            packets_dropped=sum(
                c.client.packets_dropped + c.server.packets_dropped for c in connections
            ),
            link_loss_drops={"client_to_server": link_loss[0], "server_to_client": link_loss[1]},
            queue_drops={"client_to_server": queue[0], "server_to_client": queue[1]},
        )


class Result:
    """Everything one run reports (the typed form of summary.json).

    Attributes:
        config: the ScenarioConfig that ran (from :meth:`from_summary`: the
            resolved values echoed in summary.json).
        resolved_config: summary.json's ``config`` echo (runner option names,
            every value resolved, e.g. ``cc`` = ``"ns3::QuicNewReno"``).
        module, topology: summary.json's objects of the same names.
        connections: list of :class:`ConnectionResult` (one today).
        events: list of :class:`EventResult` (empty today).
        totals: :class:`Totals`.
        end_time: simulation time at the end, s; stop_reason: why it stopped.
        files: files of the output directory, summary.json included.
        output_dir: absolute output directory (None if unknown).
        wall_clock_seconds: wall-clock duration of the run (None from a summary).
    """

    def __init__(
        self,
        *,
        config,
        summary_json,
        connections,
        events,
        totals,
        end_time,
        stop_reason,
        files,
        output_dir=None,
        wall_clock_seconds=None,
    ):
        """Build a result; use :func:`run` or :meth:`from_summary` instead."""
        self.config = config
        self._summary_json = summary_json
        head = json.loads(summary_json)
        self.module = head["module"]
        self.resolved_config = head["config"]
        self.topology = head["topology"]
        self._schema_version = head["schema_version"]
        self.connections: List[ConnectionResult] = connections
        self.events: List[EventResult] = events
        self.totals: Totals = totals
        self.end_time: float = end_time
        self.stop_reason: str = stop_reason
        self.files: List[str] = files
        self.output_dir: Optional[str] = output_dir
        self.wall_clock_seconds: Optional[float] = wall_clock_seconds

    # ---- construction ------------------------------------------------------------------------

    @classmethod
    def _from_raw(cls, config, raw, output_dir) -> "Result":
        connections = [ConnectionResult._from_raw(c) for c in raw.connections]
        return cls(
            config=config,
            summary_json=raw.summary_json,
            connections=connections,
            events=[EventResult._from_dict(e) for e in json.loads(raw.summary_json)["events"]],
            totals=Totals._compute(connections, raw.link_loss_drops, raw.queue_drops),
            end_time=_seconds(raw.end_ns),
            stop_reason=raw.stop_reason,
            files=list(raw.files),
            output_dir=output_dir,
            wall_clock_seconds=raw.wall_clock_seconds,
        )

    @classmethod
    def from_summary(cls, source) -> "Result":
        """Load a Result from summary.json: a path (file or output directory) or the JSON text.

        Lets you plot or tabulate the runner's outputs. ``config`` holds the
        resolved values of the echo (``out`` is not echoed: it is the directory of
        the file when a path is given).
        """
        output_dir = None
        if isinstance(source, (bytes, bytearray)):
            text = source.decode()
        elif isinstance(source, os.PathLike) or (
            isinstance(source, str) and not source.lstrip().startswith("{")
        ):
            path = os.fspath(source)
            if os.path.isdir(path):
                path = os.path.join(path, "summary.json")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            output_dir = os.path.dirname(os.path.abspath(path))
        elif isinstance(source, str):
            text = source
        else:
            raise TypeError(
                f"source: expected a path or JSON text, got {type(source).__name__}"
            )
        d = json.loads(text, parse_float=decimal.Decimal)
        config = ScenarioConfig()
        for name, value in d["config"].items():
            if name == "event":
                config.event = [
                    f"{_ns_from_decimal(e['time'])}ns:{e['type']}"
                    + (":" + ",".join(f"{k}={v}" for k, v in e["params"].items()) if e["params"] else "")
                    for e in value
                ]
            elif isinstance(value, bool):
                config.set_option(name, "true" if value else "false")
            else:
                config.set_option(name, str(value))
        if output_dir is not None:
            config.out = output_dir
        connections = [ConnectionResult._from_summary(c) for c in d["connections"]]
        events = [EventResult._from_dict(e) for e in d["events"]]
        t = d["totals"]
        totals = Totals(**_plain(t))
        return cls(
            config=config,
            summary_json=text,
            connections=connections,
            events=events,
            totals=totals,
            end_time=float(d["run"]["end_time"]),
            stop_reason=d["run"]["stop_reason"],
            files=list(d["files"]),
            output_dir=output_dir,
        )

    # ---- views ---------------------------------------------------------------------------

    @property
    def series(self) -> Dict[str, Series]:
        """The time series of the first connection: {"cwnd", "srtt", "delivered"}."""
        return self.connections[0].series if self.connections else {}

    def summary_json(self) -> str:
        """The exact text of summary.json (as the runner writes it for the same scenario)."""
        return self._summary_json

    def to_dict(self) -> Dict[str, Any]:
        """Plain-dict form, equal to ``json.loads(self.summary_json())``.

        The results are converted from the typed fields; module, config echo
        and topology are the summary's.
        """
        return {
            "schema_version": self._schema_version,
            "module": self.module,
            "config": self.resolved_config,
            "topology": self.topology,
            "run": {"end_time": self.end_time, "stop_reason": self.stop_reason},
            "connections": [c.to_dict() for c in self.connections],
            "totals": self.totals.to_dict(),
            "events": [e.to_dict() for e in self.events],
            "files": list(self.files),
        }

    def to_records(self, level: str = "connection") -> List[Dict[str, Any]]:
        """Table rows (flat dicts of plain Python values), e.g. for pandas.DataFrame.

        ``level="connection"`` (default): one row per connection. Columns: every
        option of the config under its Python name except ``out`` (``event``
        joined with ';'), ``end_time``, ``stop_reason``, the connection's scalars
        (``transfer_*``, ``client_*``, ``server_*``) and ``totals_*``.
        ``level="path"``: one row per path of each connection (``connection``,
        ``side``, ``path``, addresses, validated, bytes, packets, final cwnd/srtt,
        ...), after the config columns. ``level="event"``: one row per timeline
        event (``event_*`` columns; ``params`` as ``k=v`` joined with ',').
        Deterministic: the same seed and run give equal rows.
        """
        if level not in ("connection", "path", "event"):
            raise ValueError(f"level: expected 'connection', 'path' or 'event', got {level!r}")
        base = {}
        for key, value in self.config.to_dict().items():
            if key == "out":
                continue
            base[key] = ";".join(value) if key == "event" else value
        base["end_time"] = self.end_time
        base["stop_reason"] = self.stop_reason
        rows = []
        if level == "path":
            for conn in self.connections:
                for path in conn.paths:
                    row = dict(base)
                    row["connection"] = conn.id
                    row.update(path.to_record())
                    rows.append(row)
            return rows
        if level == "event":
            for index, event in enumerate(self.events):
                row = dict(base)
                row["event_index"] = index
                for key, value in event.to_dict().items():
                    if key == "params":
                        value = ",".join(f"{k}={v}" for k, v in sorted(value.items()))
                    row[f"event_{key}"] = value
                rows.append(row)
            return rows
        totals = self.totals.to_record()
        for conn in self.connections:
            row = dict(base)
            row.update(conn.to_record())
            row.update(totals)
            rows.append(row)
        return rows

    def __repr__(self) -> str:
        """Short description: stop reason, delivered bytes, connections."""
        return (
            f"<quic_migration.Result {self.stop_reason} at {self.end_time:.3f} s, "
            f"{self.totals.delivered_bytes}/{self.totals.requested_bytes} bytes delivered, "
            f"{self.totals.connections} connection(s)>"
        )


# =============================================================================================
# run
# =============================================================================================


def run(
    config=None,
    *,
    on_progress: Optional[Callable[[int, int], Any]] = None,
    progress_interval=1_000_000_000,
    check_interval=100_000_000,
    on_event: Optional[Callable[["TraceEvent"], Any]] = None,
    on_packet: Optional[Callable[["TraceEvent"], Any]] = None,
    **overrides,
) -> Result:
    """Run one scenario and return its :class:`Result`.

    ``config``: a ScenarioConfig, a mapping of options, or None (the runner's
    defaults); ``overrides``: options to change, e.g. ``run(bytes=100_000,
    loss=0.01, out="results/r1")``. The outputs (summary.json, and pcaps,
    keylog.txt, qlogs when enabled) go to ``out`` exactly as the runner writes
    them.

    ``on_progress``: optional callable(time_ns, delivered_bytes) called every
    ``progress_interval`` of simulated time (int ns or a str such as "500ms").
    Ctrl-C is checked every ``check_interval`` of simulated time. An exception
    raised there aborts the run (no output is left behind) and propagates.

    ``on_event``: optional callable(:class:`TraceEvent`) for the path,
    connection-ID, handshake and timeline events of both sides; ``on_packet``:
    optional callable(:class:`TraceEvent`) for every packet sent, received and
    declared lost (many calls: only ask for them when needed). The simulator
    buffers the events of each slice of ``check_interval`` simulated time; the
    callbacks run between slices, with the GIL held, in simulation order, never
    from inside the simulator. An exception raised by a callback stops the run
    like Ctrl-C (no output is left behind) and propagates; the next run starts
    from a clean simulator. The events of the last slice are delivered after the
    simulation ended: an exception raised then still propagates, but the outputs
    are already written.

    Raises TypeError (wrong type, unknown option), ValueError (invalid
    configuration, before ns-3 sees anything), OSError (an output could not be
    written), RuntimeError (the simulation failed, or another run is in progress
    in this process: the ns-3 simulator is process-global; use
    :func:`quic_migration.sweep` for parallel runs).
    """
    cfg = validate(config, **overrides)
    output_dir = os.path.abspath(cfg.out)
    raw = _ext.run_scenario(
        cfg,
        on_progress=on_progress,
        progress_interval=progress_interval,
        check_interval=check_interval,
        on_event=on_event,
        on_packet=on_packet,
    )
    return Result._from_raw(cfg, raw, output_dir)

# SPDX-License-Identifier: GPL-2.0-only
"""Figures of scenario results (matplotlib, Agg canvas; no pyplot, no global backend change).

:func:`timeline` draws the migration timeline of one connection: delivered
bytes over time (one colour per network path), the congestion window and the
smoothed RTT, with a vertical marker for every timeline event (rebinding,
migration, path validation, attack). Colours follow the per-path results
(``ConnectionResult.paths``, series sampled every ``series_interval``).
"""

import os
from typing import Iterable, List, Optional, Sequence, Tuple

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

__all__ = [
    "timeline",
    "event_category",
    "path_segments",
    "path_colour",
    "EVENT_STYLES",
    "PANEL_LABELS",
]

#: Marker style of each event category: (colour, line style, legend label).
EVENT_STYLES = {
    "rebinding": ("tab:orange", "--", "NAT rebinding"),
    "migration": ("tab:red", "-", "migration"),
    "validation": ("tab:green", ":", "path validation"),
    "attack": ("black", "-.", "attack"),
    "other": ("tab:gray", ":", "event"),
}

#: y-axis labels of the three panels, top to bottom.
PANEL_LABELS = ("delivered (MB)", "cwnd (kB)", "smoothed RTT (ms)")

# Categories whose events change the network path (start a new colour).
_PATH_CHANGING = ("rebinding", "migration")

# Colours of successive paths.
_PATH_COLOURS = ("tab:blue", "tab:purple", "tab:cyan", "tab:olive", "tab:brown", "tab:pink")

_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def event_category(event_type: str) -> str:
    """Map an event type (e.g. "rebind-port", "migrate", "path-challenge", "spoof") to a
    category of :data:`EVENT_STYLES`."""
    t = event_type.lower()
    if "rebind" in t or "nat" in t:
        return "rebinding"
    if "migrat" in t:
        return "migration"
    if "valid" in t or "challenge" in t or "response" in t:
        return "validation"
    if any(k in t for k in ("attack", "spoof", "replay", "amplif", "inject", "forge")):
        return "attack"
    return "other"


def _event_time(event) -> Tuple[float, bool]:
    """(time in s, executed) of an event: its execution time when it ran, else its
    configured time."""
    if event.executed and event.executed_time is not None:
        return float(event.executed_time), True
    return float(event.time), False


def path_segments(t: np.ndarray, events: Iterable) -> List[np.ndarray]:
    """Split sample indices into path segments at the executed path-changing events.

    Returns a list of index arrays, one per path (the first is the initial
    path); one segment when no rebinding or migration event was executed.
    """
    t = np.asarray(t, dtype=float)
    cuts = sorted(
        _event_time(e)[0]
        for e in events
        if e.executed and event_category(e.type) in _PATH_CHANGING
    )
    bounds = [-np.inf, *cuts, np.inf]
    segments = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        idx = np.nonzero((t >= lo) & (t < hi))[0]
        segments.append(idx)
    return segments


def path_colour(path_id: int) -> str:
    """Colour of path ``path_id`` (the same path id has the same colour on every panel)."""
    return _PATH_COLOURS[int(path_id) % len(_PATH_COLOURS)]


def _active_path_at(t: np.ndarray, paths: Sequence) -> Optional[np.ndarray]:
    """For each time in ``t``, the id of the path of ``paths`` that was active at the last
    per-path sample at or before it (the first active path before any sample); None when
    there are no per-path samples."""
    samples = []
    for p in paths:
        for when, active in zip(p.series.t_ns.tolist(), p.series.active.tolist()):
            if active:
                samples.append((when, p.id))
    if not samples:
        return None
    samples.sort()
    times = np.asarray([s[0] for s in samples], dtype=np.int64)
    ids = np.asarray([s[1] for s in samples], dtype=np.int64)
    t_ns = np.rint(np.asarray(t, dtype=float) * 1e9).astype(np.int64)
    # The sample at time T describes the path active during the interval that ends at T.
    idx = np.searchsorted(times, t_ns, side="left")
    return ids[np.minimum(idx, len(ids) - 1)]


def timeline(
    result,
    path=None,
    *,
    connection: int = 0,
    title: Optional[str] = None,
    figsize: Sequence[float] = (9.0, 7.5),
    dpi: int = 120,
    events: Optional[Iterable] = None,
) -> Figure:
    """Draw the migration timeline of one connection of a run.

    Three panels sharing the time axis (seconds of simulation time):
    delivered bytes (MB), coloured by the server path that was active (from the
    per-path series, so to the resolution of ``series_interval``; without them a
    new colour starts at every executed rebinding/migration event); congestion
    window (kB) and smoothed RTT (ms) of each client path, one line per path in
    the path's colour. Every event of the timeline is a vertical line on all
    panels (colour per category: rebinding, migration, attack; faded when it did
    not execute) with its type written on the top panel; every path validation
    (a path's ``validated_time``) is a validation line.

    Args:
        result: a :class:`quic_migration.Result` (from ``run()`` or
            ``Result.from_summary()``).
        path: file to write (format from the extension: .png, .svg or .pdf);
            None to only return the figure.
        connection: index of the connection in ``result.connections``.
        title: figure title (default: a description of the scenario).
        figsize, dpi: figure size in inches and resolution of raster output.
        events: events to mark instead of ``result.events``.

    Returns:
        the matplotlib Figure; ``fig.axes`` are the three panels, top to bottom.
    """
    if not result.connections:
        raise ValueError("timeline: the result has no connection")
    if not 0 <= connection < len(result.connections):
        raise ValueError(
            f"timeline: connection {connection} out of range (0..{len(result.connections) - 1})"
        )
    fmt = None
    if path is not None:
        path = os.fspath(path)
        ext = os.path.splitext(path)[1].lower()
        if ext not in _FORMATS:
            raise ValueError(f"timeline: unsupported file type '{ext}' (use .png, .svg or .pdf)")
        fmt = _FORMATS[ext]
    conn = result.connections[connection]
    events = list(result.events if events is None else events)

    fig = Figure(figsize=tuple(figsize), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(3, 1, sharex=True)
    ax_bytes, ax_cwnd, ax_rtt = axes
    client_paths = [p for p in getattr(conn, "paths", []) if p.side == "client" and len(p.series)]
    server_paths = [p for p in getattr(conn, "paths", []) if p.side == "server" and len(p.series)]

    # Delivered bytes, coloured by the server path that was active (per-path series), else
    # split at the executed path-changing events.
    delivered = conn.series["delivered"]
    t = delivered.t
    v = delivered.v / 1e6
    owner = _active_path_at(t, server_paths)
    if owner is not None:
        for path_id in sorted(set(owner.tolist())):
            idx = np.nonzero(owner == path_id)[0]
            p = next(p for p in server_paths if p.id == path_id)
            ax_bytes.step(
                t[idx],
                v[idx],
                where="post",
                color=path_colour(path_id),
                label=f"server path {path_id}: from {p.remote_address}",
            )
    else:
        segments = path_segments(t, events)
        for i, idx in enumerate(segments):
            if idx.size == 0:
                continue
            label = (
                f"path {i}"
                if len(segments) > 1
                else f"{conn.client_address} -> {conn.server_address}"
            )
            ax_bytes.step(t[idx], v[idx], where="post", color=path_colour(i), label=label)
    if delivered.t.size == 0:
        ax_bytes.text(0.5, 0.5, "no data delivered", transform=ax_bytes.transAxes, ha="center")
    ax_bytes.set_ylabel(PANEL_LABELS[0])
    if ax_bytes.get_lines():
        ax_bytes.legend(loc="upper left", fontsize="small")

    # Congestion window and smoothed RTT of each client path (its own state, RFC 9000 §9.4);
    # the connection's change-driven series when there are no per-path series.
    if client_paths:
        for p in client_paths:
            label = f"client path {p.id}: {p.local_address}"
            ax_cwnd.plot(
                p.series.t, p.series.cwnd / 1e3, color=path_colour(p.id), label=label, lw=1.2
            )
            ax_rtt.plot(
                p.series.t, p.series.srtt * 1e3, color=path_colour(p.id), label=label, lw=1.2
            )
        ax_cwnd.legend(loc="upper left", fontsize="small")
    else:
        cwnd = conn.series["cwnd"]
        ax_cwnd.step(cwnd.t, cwnd.v / 1e3, where="post", color=path_colour(0))
        srtt = conn.series["srtt"]
        ax_rtt.step(srtt.t, srtt.v * 1e3, where="post", color=path_colour(0))
    ax_cwnd.set_ylabel(PANEL_LABELS[1])
    ax_rtt.set_ylabel(PANEL_LABELS[2])
    ax_rtt.set_xlabel("time (s)")

    # Path validations (path_validated on either side) as validation markers.
    validations = [
        p.validated_time for p in getattr(conn, "paths", []) if p.validated_time is not None
    ]
    if validations:
        colour, style, _ = EVENT_STYLES["validation"]
        for ax in axes:
            for when in validations:
                ax.axvline(when, color=colour, linestyle=style, lw=1.0)

    for ax in axes:
        ax.grid(True, alpha=0.3)
    # Up to the last sample or event (the stop margin after completion is idle time).
    last = [float(s.t[-1]) for s in conn.series.values() if len(s)]
    last += [_event_time(e)[0] for e in events] + validations
    right = max(last) * 1.03 if last and max(last) > 0 else result.end_time
    ax_bytes.set_xlim(left=0, right=max(right, 1e-9))

    # Event markers.
    seen = {}
    if validations:
        colour, style, label = EVENT_STYLES["validation"]
        seen["validation"] = Line2D([], [], color=colour, linestyle=style, label=label)
    for event in events:
        when, executed = _event_time(event)
        category = event_category(event.type)
        colour, style, label = EVENT_STYLES[category]
        for ax in axes:
            ax.axvline(when, color=colour, linestyle=style, alpha=1.0 if executed else 0.35, lw=1.2)
        ax_bytes.annotate(
            event.type,
            xy=(when, 1.0),
            xycoords=("data", "axes fraction"),
            rotation=90,
            va="top",
            ha="right",
            fontsize="x-small",
            color=colour,
        )
        seen.setdefault(category, Line2D([], [], color=colour, linestyle=style, label=label))
    if seen:
        ax_rtt.legend(handles=list(seen.values()), loc="upper right", fontsize="small")

    if title is None:
        c = result.resolved_config
        title = (
            f"{c['bytes']} bytes, {c['data-rate'] / 1e6:g} Mbps, "
            f"delay {float(c['delay']) * 1e3:g} ms, loss {c['loss']:g}, "
            f"seed {c['seed']} run {c['run']}: {result.stop_reason}"
        )
    fig.suptitle(title, fontsize="medium")

    if path is not None:
        fig.savefig(path, format=fmt)
    return fig

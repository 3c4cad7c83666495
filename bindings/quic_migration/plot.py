# SPDX-License-Identifier: GPL-2.0-only
"""Figures of scenario results (matplotlib, Agg canvas; no pyplot, no global backend change).

:func:`timeline` draws the migration timeline of one connection: delivered
bytes over time (one colour per network path), the congestion window and the
smoothed RTT, with a vertical marker for every timeline event (rebinding,
migration, path validation, attack). Today a run has one path and no events
(the scenario layer supports no event type yet); the segmentation by path and
the markers are driven by ``Result.events`` and start working as soon as the
scenario layer reports events.
"""

import os
from typing import Iterable, List, Optional, Sequence, Tuple

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

__all__ = ["timeline", "event_category", "path_segments", "EVENT_STYLES", "PANEL_LABELS"]

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
    delivered bytes (MB, one colour per path: a new path starts at every
    executed rebinding/migration event), congestion window (kB) and smoothed
    RTT (ms) of the client. Every event of the timeline is a vertical line on
    all panels (solid colour per category: rebinding, migration, validation,
    attack; faded when it did not execute) with its type written on the top
    panel.

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

    # Delivered bytes, coloured by path.
    delivered = conn.series["delivered"]
    t = delivered.t
    v = delivered.v / 1e6
    segments = path_segments(t, events)
    for i, idx in enumerate(segments):
        if idx.size == 0:
            continue
        label = f"path {i}" if len(segments) > 1 else f"{conn.client_address} -> {conn.server_address}"
        ax_bytes.step(
            t[idx], v[idx], where="post", color=_PATH_COLOURS[i % len(_PATH_COLOURS)], label=label
        )
    if delivered.t.size == 0:
        ax_bytes.text(0.5, 0.5, "no data delivered", transform=ax_bytes.transAxes, ha="center")
    ax_bytes.set_ylabel(PANEL_LABELS[0])
    ax_bytes.legend(loc="upper left", fontsize="small")

    cwnd = conn.series["cwnd"]
    ax_cwnd.step(cwnd.t, cwnd.v / 1e3, where="post", color="tab:green")
    ax_cwnd.set_ylabel(PANEL_LABELS[1])

    srtt = conn.series["srtt"]
    ax_rtt.step(srtt.t, srtt.v * 1e3, where="post", color="tab:red")
    ax_rtt.set_ylabel(PANEL_LABELS[2])
    ax_rtt.set_xlabel("time (s)")

    for ax in axes:
        ax.grid(True, alpha=0.3)
    # Up to the last sample or event (the stop margin after completion is idle time).
    last = [float(s.t[-1]) for s in conn.series.values() if len(s)]
    last += [_event_time(e)[0] for e in events]
    right = max(last) * 1.03 if last and max(last) > 0 else result.end_time
    ax_bytes.set_xlim(left=0, right=max(right, 1e-9))

    # Event markers.
    seen = {}
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

# SPDX-License-Identifier: GPL-2.0-only
"""One sweep task in a fresh process: ``python -m quic_migration._worker``.

Reads one JSON object from stdin, ``{"options": {python option name: value},
"keep_summary": bool, "level": "connection" | "path" | "event"}``, runs the scenario with :func:`quic_migration.run` and
writes one JSON object to stdout: ``{"records": [...], "summary_json": text or
null, "wall_clock_seconds": s}``, or on a Python error ``{"error": {"type":
name, "message": text}}`` with exit status 1. Floats survive the round trip
exactly (JSON uses repr), so the rows equal those of an in-process run.
"""

import json
import sys


def main() -> int:
    """Run the task read from stdin; returns the exit status."""
    spec = json.load(sys.stdin)
    try:
        import quic_migration

        result = quic_migration.run(quic_migration.ScenarioConfig(**spec["options"]))
        reply = {
            "records": result.to_records(level=spec.get("level", "connection")),
            "summary_json": result.summary_json() if spec.get("keep_summary") else None,
            "wall_clock_seconds": result.wall_clock_seconds,
        }
        status = 0
    except Exception as e:  # reported to the parent, which raises SweepError
        reply = {"error": {"type": type(e).__name__, "message": str(e)}}
        status = 1
    sys.stdout.write(json.dumps(reply))
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())

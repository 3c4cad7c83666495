#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Requirement rows -> tests table (issue #5).

Parses the requirement matrix (rows ``| ID | Source | Level | Requirement | Test idea |``),
scans test/*.cc and test/*.py for row IDs (in test case names, comments or strings) and
writes doc/requirements-coverage.rst: one line per row with its level, its summary, the
tests citing it and a status:

* ``tested``: cited by at least one test;
* ``not modelled``: listed in doc/requirements-not-modelled.txt (the model deliberately does
  not implement it; the file gives the reason);
* ``pending: <area>``: listed in the pending section of that file (another developer's tests
  are expected to cover it);
* ``not tested``: none of the above.

A citation in a C++ test file counts if it is in an ns-3 test case (the ``TestCase``
class's doc comment, name or body, up to the next test case) and is shown as
``suite: case name``; in a Python test file, if it is in a ``test_*`` function (shown as
``file::function``). Mentions in file headers, shared fixtures or module docstrings do not
count: they assert nothing.

Usage::

    utils/requirements-table.py [--requirements FILE] [--output FILE] [--check]

``--check`` writes nothing and exits 1 if the output file is not up to date. The default
requirements file is $QUIC_REQUIREMENTS_FILE, else doc/rfc9000-migration-requirements.md
if present, else /work/shared/rfc9000-migration-requirements.md.
"""

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "doc" / "requirements-coverage.rst"
ALLOW_LIST = ROOT / "doc" / "requirements-not-modelled.txt"
# Groups whose MUST / MUST NOT rows must be cited by a test (issue #5).
CHECKED_GROUPS = ("PV", "MIG", "NAT", "AMP", "SEC", "CC", "PRIV", "PA")
# Files that talk about rows without testing them.
NOT_TESTS = {"test_requirements_coverage.py"}

ROW_RE = re.compile(r"^\|\s*([A-Z]+-\d+)\s*\|(.*)\|\s*$")
ID_RE = re.compile(r"\b([A-Z]{2,4}-\d{2})\b")


def default_requirements():
    env = os.environ.get("QUIC_REQUIREMENTS_FILE")
    if env:
        return Path(env)
    local = ROOT / "doc" / "rfc9000-migration-requirements.md"
    if local.exists():
        return local
    return Path("/work/shared/rfc9000-migration-requirements.md")


def parse_requirements(path):
    """Rows in file order: dicts with id, source, level, summary, idea."""
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        m = ROW_RE.match(line)
        if not m:
            continue
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) != 5:
            raise ValueError(f"{path}: row {m.group(1)} has {len(cells)} cells, not 5")
        rows.append(
            {
                "id": cells[0],
                "source": cells[1],
                "level": cells[2],
                "summary": cells[3],
                "idea": cells[4],
            }
        )
    return rows


def is_must(level):
    """MUST or MUST NOT among the row's keywords (merged levels included)."""
    return re.search(r"\bMUST\b", level) is not None


def group(row_id):
    return row_id.rsplit("-", 1)[0]


def _first_literal(text):
    m = re.search(r'"((?:[^"\\]|\\.)*)"', text)
    return m.group(1) if m else None


def scan_cc(path, ids):
    """{row id: set of 'suite: case'} for one C++ test file."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    suite_m = re.search(r'TestSuite\(\s*"([^"]+)"', text)
    suite = suite_m.group(1) if suite_m else path.stem
    # Test-case classes: name, declaration line, its doc comment start, its case name.
    bases = dict(re.findall(r"^class\s+(\w+)\s*(?:final\s*)?:\s*public\s+(\w+)", text, re.M))

    def is_case(name, depth=0):
        base = bases.get(name)
        return base == "TestCase" or (base in bases and depth < 8 and is_case(base, depth + 1))

    classes = []
    for m in re.finditer(r"^class\s+(\w+)\s*(?:final\s*)?:\s*public\s+(\w+)", text, re.M):
        if not is_case(m.group(1)):
            continue
        decl = text.count("\n", 0, m.start())
        start = decl
        j = decl - 1
        while j >= 0 and re.match(r"^\s*(/\*\*|\*|//|\*/)", lines[j]):
            start = j
            if re.match(r"^\s*/\*\*", lines[j]):
                break  # the doc comment starts here
            j -= 1
        body = text[m.end():]
        tc = re.search(r":\s*" + m.group(2) + r'\(\s*(?:std::string\(\s*)?"', body)
        name = _first_literal(body[tc.start():]) if tc else None
        if name is not None:
            name = name.rstrip(" ,;:")
        classes.append({"name": m.group(1), "start": start, "decl": decl, "case": name})
    # A class's extent: from its doc comment to the next class's doc comment.
    found = {}
    for i, line in enumerate(lines):
        for rid in ID_RE.findall(line):
            if rid not in ids:
                continue
            owner = None
            for k, c in enumerate(classes):
                end = classes[k + 1]["start"] if k + 1 < len(classes) else len(lines)
                if c["start"] <= i < end:
                    owner = c
            if owner is None or (suite_m and i >= text.count("\n", 0, suite_m.start())):
                continue  # file header, fixtures or the suite: not a test's citation
            found.setdefault(rid, set()).add(f"{suite}: {owner['case'] or owner['name']}")
    # Case names given where the suite adds the case: AddTestCase(new Class("name ...")).
    for m in re.finditer(r'AddTestCase\(\s*new\s+\w+\(\s*"((?:[^"\\]|\\.)*)"', text):
        name = m.group(1).rstrip(" ,;:")
        for rid in ID_RE.findall(name):
            if rid in ids:
                found.setdefault(rid, set()).add(f"{suite}: {name}")
    return found


def scan_py(path, ids):
    """{row id: set of 'file::function'} for one pytest file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = {}
    current = None
    for line in lines:
        m = re.match(r"^def\s+(test_\w+)", line)
        if m:
            current = m.group(1)
        elif re.match(r"^\S", line) and not line.startswith(("#", ")")):
            current = None  # module level: not a citation
        for rid in ID_RE.findall(line):
            if rid not in ids:
                continue
            if current:
                found.setdefault(rid, set()).add(f"{path.name}::{current}")
    return found


def scan_tests(test_dir, ids):
    citations = {}
    for path in sorted(Path(test_dir).iterdir()):
        if path.name in NOT_TESTS:
            continue
        if path.suffix == ".cc":
            part = scan_cc(path, ids)
        elif path.suffix == ".py" and path.name.startswith("test_"):
            part = scan_py(path, ids)
        else:
            continue
        for rid, labels in part.items():
            citations.setdefault(rid, set()).update(labels)
    return citations


def parse_allow_list(path):
    """({row: reason} not modelled, {row: area} pending)."""
    not_modelled = {}
    pending = {}
    if not Path(path).exists():
        return not_modelled, pending
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^([A-Z]+-\d+)\s+(.*)$", line)
        if not m:
            raise ValueError(f"{path}: cannot parse line {raw!r}")
        rid, rest = m.group(1), m.group(2).strip()
        p = re.match(r"^pending:\s*covered by\s+(.+)$", rest)
        if p:
            pending[rid] = p.group(1).strip()
        else:
            not_modelled[rid] = rest
    return not_modelled, pending


def status_of(rid, citations, not_modelled, pending):
    if citations.get(rid):
        return "tested"
    if rid in not_modelled:
        return "not modelled"
    if rid in pending:
        return "pending: " + pending[rid]
    return "not tested"


def rst_escape(text):
    return re.sub(r"([\\`*_|])", r"\\\1", text)


def render(rows, citations, not_modelled, pending):
    counts = {}
    for r in rows:
        st = status_of(r["id"], citations, not_modelled, pending).split(":")[0]
        counts[st] = counts.get(st, 0) + 1
    out = [
        ".. Generated by utils/requirements-table.py from the requirement matrix and the",
        "   test sources; do not edit (test/test_requirements_coverage.py checks it).",
        "",
        "Requirement coverage",
        "====================",
        "",
        "Each row of the RFC 9000 migration requirement matrix, the tests that cite it (test",
        "suite and case, or Python test) and its status. *not modelled* rows are listed with",
        "the reason in ``doc/requirements-not-modelled.txt``. Totals: "
        + ", ".join(f"{counts[k]} {k}" for k in sorted(counts))
        + f" ({len(rows)} rows).",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 8 10 42 32 8",
        "",
        "   * - Row",
        "     - Level",
        "     - Summary",
        "     - Tests",
        "     - Status",
    ]
    for r in rows:
        rid = r["id"]
        st = status_of(rid, citations, not_modelled, pending)
        tests = sorted(citations.get(rid, ()))
        if st == "not modelled":
            tests_text = "not modelled: " + rst_escape(not_modelled[rid])
        elif tests:
            tests_text = "; ".join(rst_escape(t) for t in tests)
        else:
            tests_text = "--"
        out += [
            f"   * - {rid}",
            f"     - {rst_escape(r['level'])}",
            f"     - {rst_escape(r['summary'])}",
            f"     - {tests_text}",
            f"     - {st}",
        ]
    out.append("")
    return "\n".join(out)


def build(requirements=None):
    """(rows, citations, not_modelled, pending, rst text)."""
    rows = parse_requirements(requirements or default_requirements())
    ids = {r["id"] for r in rows}
    citations = scan_tests(ROOT / "test", ids)
    not_modelled, pending = parse_allow_list(ALLOW_LIST)
    unknown = (set(not_modelled) | set(pending)) - ids
    if unknown:
        raise ValueError(f"{ALLOW_LIST}: unknown rows {sorted(unknown)}")
    return rows, citations, not_modelled, pending, render(rows, citations, not_modelled, pending)


def uncovered_musts(rows, citations, not_modelled, pending):
    """MUST / MUST NOT rows of the checked groups that no test cites and no list excuses."""
    return [
        r["id"]
        for r in rows
        if group(r["id"]) in CHECKED_GROUPS
        and is_must(r["level"])
        and not citations.get(r["id"])
        and r["id"] not in not_modelled
        and r["id"] not in pending
    ]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requirements", type=Path, default=None)
    ap.add_argument("--output", type=Path, default=OUTPUT)
    ap.add_argument("--check", action="store_true", help="fail if the output is stale")
    args = ap.parse_args(argv)
    rows, citations, not_modelled, pending, text = build(args.requirements)
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run utils/requirements-table.py", file=sys.stderr)
            return 1
    else:
        args.output.write_text(text, encoding="utf-8")
    missing = uncovered_musts(rows, citations, not_modelled, pending)
    if missing:
        print("MUST / MUST NOT rows cited by no test: " + " ".join(missing), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

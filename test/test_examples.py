# SPDX-License-Identifier: GPL-2.0-only
"""Every example runs, and every example is listed in test/examples-to-run.py.

test/examples-to-run.py is ns-3's list of examples to smoke-test (test.py reads
it from <module>/test/ in an ns-3 tree). Here, against the standalone build:

* every C++ example (examples/*.cc) and Python example (examples/python/*.py)
  appears in it at least once, and every entry names an existing example, so
  a new example cannot be forgotten;
* every entry runs with its parameters and exits 0, in a scratch directory
  (C++ programs from $QUIC_MIGRATION_BUILD_DIR/bin, Python scripts with
  $QUIC_MIGRATION_BUILD_DIR/python on PYTHONPATH). The do_run conditions are
  for test.py inside an ns-3 tree (which has no pybind11 package, hence "False"
  for the Python entries); this test runs every entry.
"""

import os
import pathlib
import shlex
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = pathlib.Path(os.environ.get("QUIC_MIGRATION_BUILD_DIR", ROOT / "build"))
EXAMPLES = ROOT / "examples"
LIST_FILE = ROOT / "test" / "examples-to-run.py"
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable


def load_lists():
    """The two lists, read the way test.py reads them (the file is Python)."""
    scope = {}
    exec(compile(LIST_FILE.read_text(), str(LIST_FILE), "exec"), scope)
    return scope.get("cpp_examples", []), scope.get("python_examples", [])


CPP, PY = load_lists()


def test_list_format():
    """Tuples as test.py unpacks them: (command, do_run, do_valgrind_run) and (command, do_run)."""
    assert CPP, "cpp_examples is empty"
    for entry in CPP:
        assert isinstance(entry, tuple) and len(entry) == 3, entry
        assert all(isinstance(x, str) for x in entry), entry
    for entry in PY:
        assert isinstance(entry, tuple) and len(entry) == 2, entry
        assert all(isinstance(x, str) for x in entry), entry


def test_every_example_is_listed():
    cpp_on_disk = {p.stem for p in EXAMPLES.glob("*.cc")}
    py_on_disk = {f"python/{p.name}" for p in (EXAMPLES / "python").glob("*.py")}
    cpp_listed = {cmd.split()[0] for cmd, *_ in CPP}
    py_listed = {cmd.split()[0] for cmd, *_ in PY}
    assert not cpp_on_disk - cpp_listed, (
        f"C++ examples missing from {LIST_FILE.name}: {sorted(cpp_on_disk - cpp_listed)}"
    )
    assert not py_on_disk - py_listed, (
        f"Python examples missing from {LIST_FILE.name}: {sorted(py_on_disk - py_listed)}"
    )
    assert not cpp_listed - cpp_on_disk, f"listed C++ examples not in examples/: {cpp_listed - cpp_on_disk}"
    assert not py_listed - py_on_disk, f"listed Python examples not in examples/: {py_listed - py_on_disk}"


def run_checked(argv, cwd, env=None):
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, (
        f"{' '.join(argv)} exited with {proc.returncode}\n"
        f"stdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}"
    )
    return proc


@pytest.mark.parametrize("command", [c for c, *_ in CPP])
def test_cpp_example_runs(command, tmp_path):
    name, *args = shlex.split(command)
    program = BUILD / "bin" / name
    if not program.is_file():
        pytest.skip(f"{program} not built (cmake --build build)")
    run_checked([str(program), *args], cwd=tmp_path)


@pytest.mark.parametrize("command", [c for c, *_ in PY])
def test_python_example_runs(command, tmp_path):
    script, *args = shlex.split(command)
    pydir = BUILD / "python"
    if not list((pydir / "quic_migration").glob("_quic_migration*.so")):
        pytest.skip(f"Python extension not built in {pydir}")
    env = dict(os.environ, PYTHONPATH=str(pydir), MPLBACKEND="Agg")
    run_checked([PYTHON, str(EXAMPLES / script), *args], cwd=tmp_path, env=env)

# SPDX-License-Identifier: GPL-2.0-only
"""`cmake --install` (make install) into a temporary prefix, and using the result.

Installs $QUIC_MIGRATION_BUILD_DIR into a fresh prefix, then, from outside the
source tree:

* builds test/out-of-tree (one QUIC connection between two nodes) with CMake's
  find_package(quic-migration), runs it and checks the delivered bytes;
* compiles the same main.cc with the flags from `pkg-config quic-migration`, runs
  it and checks the delivered bytes;
* imports the installed Python package (PYTHONPATH = the prefix's
  site/dist-packages directory only) and runs one small transfer through it.
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = pathlib.Path(os.environ.get("QUIC_MIGRATION_BUILD_DIR", ROOT / "build"))
OUT_OF_TREE = ROOT / "test" / "out-of-tree"
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
BYTES = 300000

pytestmark = pytest.mark.skipif(
    not (BUILD / "cmake_install.cmake").is_file() or shutil.which("cmake") is None,
    reason=f"no configured build in {BUILD} (cmake -S . -B build && cmake --build build)",
)


def run(argv, **kw):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600, **kw)
    assert proc.returncode == 0, (
        f"{' '.join(map(str, argv))} exited with {proc.returncode}\n"
        f"stdout:\n{proc.stdout[-4000:]}\nstderr:\n{proc.stderr[-4000:]}"
    )
    return proc


def delivered(output):
    m = re.search(r"delivered: (\d+) bytes, completed streams: (\d+)", output)
    assert m, f"no 'delivered:' line in:\n{output}"
    return int(m.group(1)), int(m.group(2))


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    prefix = tmp_path_factory.mktemp("install") / "prefix"
    run(["cmake", "--install", str(BUILD), "--prefix", str(prefix)])
    return prefix


def libdir(prefix):
    pcs = list(prefix.glob("lib*/**/pkgconfig/quic-migration.pc"))
    assert len(pcs) == 1, f"quic-migration.pc not installed (or twice): {pcs}"
    return pcs[0].parent.parent


def test_installed_files(prefix):
    lib = libdir(prefix)
    assert list(lib.glob("libns3-quic-migration.so*")), f"library missing in {lib}"
    for header in ("quic-migration-module.h", "quic-connection.h", "quic-helper.h"):
        assert (prefix / "include" / "ns3" / header).is_file(), header
    # Every public header of the build tree is installed.
    built = {p.name for p in (BUILD / "include" / "ns3").glob("*.h")}
    installed = {p.name for p in (prefix / "include" / "ns3").glob("*.h")}
    assert built and built <= installed, sorted(built - installed)
    cmake_dir = lib / "cmake" / "quic-migration"
    for f in ("quic-migrationConfig.cmake", "quic-migrationConfigVersion.cmake",
              "quic-migration-targets.cmake"):
        assert (cmake_dir / f).is_file(), f
    assert (prefix / "bin" / "quic-migration-sim").is_file()
    # The installed runner finds the installed library through its RPATH.
    proc = run([str(prefix / "bin" / "quic-migration-sim"), "--help"],
               env=dict(os.environ, LD_LIBRARY_PATH=""))
    assert "--bytes" in proc.stdout


def ccache_launcher():
    return ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"] if shutil.which("ccache") else []


def test_find_package_program(prefix, tmp_path):
    build = tmp_path / "oot"
    run(["cmake", "-S", str(OUT_OF_TREE), "-B", str(build), f"-DCMAKE_PREFIX_PATH={prefix}",
         *ccache_launcher()], cwd=tmp_path)
    run(["cmake", "--build", str(build), "-j", "2"], cwd=tmp_path)
    proc = run([str(build / "quic-out-of-tree"), str(BYTES)], cwd=tmp_path)
    assert delivered(proc.stdout) == (BYTES, 1)


def test_pkg_config_program(prefix, tmp_path):
    if shutil.which("pkg-config") is None:
        pytest.skip("pkg-config not installed")
    env = dict(os.environ, PKG_CONFIG_PATH=str(libdir(prefix) / "pkgconfig"))
    flags = run(["pkg-config", "--cflags", "--libs", "quic-migration"], env=env).stdout.split()
    # The .pc file is relocatable: its -I points into the prefix it was installed to.
    assert any(f.startswith("-I") and pathlib.Path(f[2:]).resolve() == (prefix / "include").resolve()
               for f in flags), flags
    compiler = ["ccache", "g++"] if shutil.which("ccache") else ["g++"]
    exe = tmp_path / "quic-out-of-tree-pc"
    run([*compiler, "-std=c++17", str(OUT_OF_TREE / "main.cc"), "-o", str(exe), *flags,
         f"-Wl,-rpath,{libdir(prefix)}"], cwd=tmp_path)
    proc = run([str(exe), str(BYTES)], cwd=tmp_path)
    assert delivered(proc.stdout) == (BYTES, 1)


def test_python_package(prefix, tmp_path):
    inits = list(prefix.glob("lib*/python3*/*-packages/quic_migration/__init__.py"))
    if not inits:
        if not list((BUILD / "python" / "quic_migration").glob("_quic_migration*.so")):
            pytest.skip("Python extension not built (pybind11 missing)")
        pytest.fail(f"Python package not installed under {prefix}")
    packages = inits[0].parent.parent
    assert list((packages / "quic_migration").glob("_quic_migration*.so"))
    code = (
        "import quic_migration as qm\n"
        "print('file', qm.__file__)\n"
        f"r = qm.run(bytes={BYTES}, delay='10ms', out='py-out')\n"
        "print('delivered', r.totals.delivered_bytes)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(packages), LD_LIBRARY_PATH="")
    proc = run([PYTHON, "-c", code], cwd=tmp_path, env=env)
    m = re.search(r"^file (.*)$", proc.stdout, re.M)
    assert m and pathlib.Path(m.group(1)).resolve().is_relative_to(prefix.resolve()), proc.stdout
    assert re.search(rf"^delivered {BYTES}$", proc.stdout, re.M), proc.stdout

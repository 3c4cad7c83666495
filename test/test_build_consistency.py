# SPDX-License-Identifier: GPL-2.0-only
"""Build-description consistency (issue: module foundation, item 5).

Runs the wscript's build() against a small recording stand-in for waf's
``bld`` and compares what it declares with the lists in CMakeLists.txt
(standalone and in-tree branches); every .cc/.h under model/, helper/ and
test/ must be listed in both, and every example in both example lists.
"""

import pathlib
import re
import types

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


class _Recorder:
    """Stand-in for a waf task generator: records attributes set on it."""

    def __init__(self, kind, name=None, deps=None, **kw):
        self.kind = kind
        self.name = name
        self.deps = list(deps or [])
        self.use = []
        self.source = []
        for k, v in kw.items():
            setattr(self, k, v)


class RecordingBld:
    """Stand-in for waf's build context, as far as the module's wscripts use it."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.modules = []
        self.test_libraries = []
        self.header_sets = []
        self.programs = []
        self.env = types.SimpleNamespace(ENABLE_EXAMPLES=True, ENABLE_TESTS=True)
        self._cwd = self.root

    def create_ns3_module(self, name, deps):
        rec = _Recorder("module", name, deps)
        self.modules.append(rec)
        return rec

    def create_ns3_module_test_library(self, name):
        rec = _Recorder("test", name)
        self.test_libraries.append(rec)
        return rec

    def create_ns3_program(self, name, deps):
        rec = _Recorder("program", name, deps, subdir=self._cwd.relative_to(self.root))
        self.programs.append(rec)
        return rec

    def __call__(self, **kw):
        rec = _Recorder(kw.get("features", ""), **{k: v for k, v in kw.items() if k != "features"})
        if "ns3header" in rec.kind:
            self.header_sets.append(rec)
        return rec

    def recurse(self, sub):
        saved = self._cwd
        self._cwd = saved / sub
        try:
            run_wscript(self._cwd / "wscript", self)
        finally:
            self._cwd = saved


def run_wscript(path, bld):
    namespace = {"__file__": str(path)}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    namespace["build"](bld)


def cmake_lists(text):
    """All set(NAME item item ...) blocks of a CMakeLists.txt."""
    text = re.sub(r"#[^\n]*", "", text)
    out = {}
    for m in re.finditer(r"set\(\s*([A-Za-z0-9_]+)\s+([^)]*)\)", text):
        out[m.group(1)] = m.group(2).split()
    return out


def build_lib_libraries(text):
    """The ns-3 module names linked by the in-tree build_lib() call."""
    text = re.sub(r"#[^\n]*", "", text)
    m = re.search(r"\bbuild_lib\((.*?)\n\s*\)", text, re.S)
    assert m, "CMakeLists.txt has no build_lib() call for in-tree builds"
    block = m.group(1)
    libs = re.search(r"LIBRARIES_TO_LINK(.*?)TEST_SOURCES", block, re.S).group(1)
    return sorted(re.findall(r"\$\{lib([a-z0-9-]+)\}", libs))


def standalone_libraries(lists):
    return sorted(x[len("ns3::lib"):] for x in lists["QUIC_MIGRATION_NS3_LIBS"])


def files_on_disk(root, *dirs):
    found = set()
    for d in dirs:
        base = root / d
        if base.is_dir():
            for p in base.rglob("*"):
                # test/out-of-tree/ is a separate program built against an install
                # (test_install.py), not part of the module.
                if p.suffix in (".cc", ".h") and p.is_file() and "out-of-tree" not in p.parts:
                    found.add(p.relative_to(root).as_posix())
    return found


def check(root):
    """Return a list of inconsistencies between wscript, CMakeLists.txt and the tree."""
    problems = []
    cm_text = (root / "CMakeLists.txt").read_text()
    cm = cmake_lists(cm_text)
    bld = RecordingBld(root)
    run_wscript(root / "wscript", bld)

    if len(bld.modules) != 1 or len(bld.test_libraries) != 1 or len(bld.header_sets) != 1:
        return ["wscript must declare one module, one test library and one header set"]
    module, test_lib, headers = bld.modules[0], bld.test_libraries[0], bld.header_sets[0]
    waf = {
        "QUIC_MIGRATION_SOURCES": module.source,
        "QUIC_MIGRATION_HEADERS": headers.source,
        "QUIC_MIGRATION_TEST_SOURCES": list(test_lib.source)
        + list(getattr(test_lib, "test_headers", [])),
    }
    for name, waf_list in waf.items():
        cm_list = cm.get(name)
        if cm_list is None:
            problems.append(f"CMakeLists.txt lacks {name}")
            continue
        for label, lst in (("CMakeLists.txt", cm_list), ("wscript", waf_list)):
            dups = {x for x in lst if lst.count(x) > 1}
            if dups:
                problems.append(f"{label} {name} lists twice: {sorted(dups)}")
        if set(cm_list) != set(waf_list):
            problems.append(
                f"{name}: only in CMakeLists.txt {sorted(set(cm_list) - set(waf_list))}, "
                f"only in wscript {sorted(set(waf_list) - set(cm_list))}"
            )

    listed_cm = set().union(*(set(cm.get(n, [])) for n in waf))
    listed_waf = set().union(*(set(v) for v in waf.values()))
    for f in sorted(files_on_disk(root, "model", "helper", "test") - listed_cm):
        problems.append(f"{f} is not listed in CMakeLists.txt")
    for f in sorted(files_on_disk(root, "model", "helper", "test") - listed_waf):
        problems.append(f"{f} is not listed in wscript")
    for f in sorted(listed_cm | listed_waf):
        if not (root / f).is_file():
            problems.append(f"{f} is listed but does not exist")

    # ns-3 module dependencies: wscript, in-tree build_lib and standalone targets agree.
    waf_deps = sorted(module.deps)
    if build_lib_libraries(cm_text) != waf_deps:
        problems.append(f"in-tree libraries {build_lib_libraries(cm_text)} != wscript {waf_deps}")
    if standalone_libraries(cm) != waf_deps:
        problems.append(f"standalone libraries {standalone_libraries(cm)} != wscript {waf_deps}")

    # Examples: both lists agree and every example source is listed.
    ex_cm = cmake_lists((root / "examples" / "CMakeLists.txt").read_text()).get(
        "QUIC_MIGRATION_EXAMPLES", []
    )
    ex_waf = [p.name for p in bld.programs]
    if sorted(ex_cm) != sorted(ex_waf):
        problems.append(f"examples: CMake {sorted(ex_cm)} != wscript {sorted(ex_waf)}")
    on_disk = {p.stem for p in (root / "examples").glob("*.cc")}
    if on_disk != set(ex_cm):
        problems.append(f"examples on disk {sorted(on_disk)} != listed {sorted(ex_cm)}")
    return problems


def test_wscript_and_cmake_agree():
    assert check(ROOT) == []


def test_checker_detects_a_missing_file(tmp_path):
    """The check must be able to fail: drop one source from the CMake list."""
    import shutil

    copy = tmp_path / "mod"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("build", ".git", "__pycache__"))
    cm = copy / "CMakeLists.txt"
    cm.write_text(cm.read_text().replace("    model/quic-frame.cc\n", "", 1))
    problems = check(copy)
    assert any("model/quic-frame.cc" in p for p in problems), problems


def test_checker_detects_an_unlisted_file(tmp_path):
    import shutil

    copy = tmp_path / "mod"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("build", ".git", "__pycache__"))
    (copy / "model" / "quic-unlisted.cc").write_text("// not listed\n")
    problems = check(copy)
    assert "model/quic-unlisted.cc is not listed in CMakeLists.txt" in problems
    assert "model/quic-unlisted.cc is not listed in wscript" in problems


if __name__ == "__main__":
    raise SystemExit(pytest.main([__file__, "-q"]))

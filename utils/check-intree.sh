#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# In-tree check: build quic-migration inside a real ns-3.37 source tree (its
# CMake build_lib() path) and run the module's test suites and examples through
# ns-3's own test.py.
#
#   utils/check-intree.sh            (or: make check-intree)
#
# Steps:
#   1. fetch Debian bookworm's ns3 source package (ns-3.37) with `apt-get source`,
#      through a PRIVATE apt configuration under $INTREE_DIR/apt (its own
#      sources, lists and cache; /etc/apt and the system's lists are not touched);
#      skipped when the sources are already there;
#   2. copy this module to <ns-3>/contrib/quic-migration (replacing an older copy);
#   3. ./ns3 configure --enable-modules=quic-migration --enable-examples --enable-tests
#      (only quic-migration and the modules it depends on are built);
#   4. build (cmake --build cmake-cache, which is what ./ns3 build runs);
#   5. ./test.py --no-build -s 'quic-*'  (every suite of the module) and
#      ./test.py --no-build -c example   (test/examples-to-run.py).
#
# Environment:
#   INTREE_DIR     work directory (default: <repo>/build-intree)
#   JOBS           build parallelism (default: 2)
#   DEBIAN_MIRROR  deb-src mirror (default: http://deb.debian.org/debian)
#   NS3_PROFILE    ./ns3 configure --build-profile (default: debug, ns-3's default;
#                  it turns compiler warnings into errors)
#
# Needs dpkg-dev (dpkg-source) and debian-archive-keyring; utils/install-deps.sh
# installs them. Takes about 35 minutes on 2 cores the first time (most of it
# compiling ns-3's core/network/internet); a re-run recompiles only the module.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INTREE_DIR=${INTREE_DIR:-$ROOT/build-intree}
JOBS=${JOBS:-2}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
NS3_PROFILE=${NS3_PROFILE:-debug}
NS3_VERSION=3.37

start=$(date +%s)
stamp() { echo "== check-intree [$(($(date +%s) - start)) s] $*"; }

mkdir -p "$INTREE_DIR"
INTREE_DIR=$(cd "$INTREE_DIR" && pwd)
SRC_DIR=$INTREE_DIR/src
APT_DIR=$INTREE_DIR/apt

find_tree() {
    local d
    for d in "$SRC_DIR"/*/ns-$NS3_VERSION "$SRC_DIR"/ns-allinone-$NS3_VERSION/ns-$NS3_VERSION; do
        if [ -x "$d/ns3" ] && [ -f "$d/test.py" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

# ---------------------------------------------------------------------------
# 1. Sources
# ---------------------------------------------------------------------------
if ! NS3_DIR=$(find_tree); then
    for tool in apt-get dpkg-source; do
        command -v "$tool" > /dev/null || {
            echo "check-intree: $tool missing (run utils/install-deps.sh)" >&2
            exit 1
        }
    done
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    [ -f "$keyring" ] || {
        echo "check-intree: $keyring missing (package debian-archive-keyring)" >&2
        exit 1
    }
    stamp "fetching the ns3 $NS3_VERSION source package from $DEBIAN_MIRROR (bookworm)"
    mkdir -p "$APT_DIR/sources.d" "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" \
        "$SRC_DIR"
    cat > "$APT_DIR/sources.d/bookworm-src.sources" << EOF
Types: deb-src
URIs: $DEBIAN_MIRROR
Suites: bookworm
Components: main
Signed-By: $keyring
EOF
    # Everything apt reads or writes is redirected into $APT_DIR: the system's
    # sources (SourceList=/dev/null, SourceParts), package lists and caches stay
    # as they are. The sandbox user is root because _apt cannot write here.
    APT_OPTS=(
        -o Dir::Etc::SourceList=/dev/null
        -o Dir::Etc::SourceParts="$APT_DIR/sources.d"
        -o Dir::State::Lists="$APT_DIR/lists"
        -o Dir::Cache="$APT_DIR/cache"
        -o Dir::Cache::pkgcache=
        -o Dir::Cache::srcpkgcache=
        -o APT::Sandbox::User=root
        -o Acquire::Languages=none
    )
    apt-get "${APT_OPTS[@]}" -q update
    (cd "$SRC_DIR" && apt-get "${APT_OPTS[@]}" -q source "ns3=$(
        apt-cache "${APT_OPTS[@]}" showsrc ns3 | sed -n "s/^Version: \($NS3_VERSION-.*\)/\1/p" | head -n1
    )")
    NS3_DIR=$(find_tree) || {
        echo "check-intree: no ns-$NS3_VERSION tree found under $SRC_DIR after apt-get source" >&2
        exit 1
    }
fi
stamp "ns-3 tree: $NS3_DIR"

# ---------------------------------------------------------------------------
# 2. The module, as contrib/quic-migration (tracked and untracked files, not
#    ignored ones such as build directories).
# ---------------------------------------------------------------------------
DEST=$NS3_DIR/contrib/quic-migration
rm -rf "$DEST"
mkdir -p "$DEST"
if git -C "$ROOT" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
        tar --null -T - -cf -) | tar -C "$DEST" -xf -
else
    tar -C "$ROOT" --exclude='./build*' --exclude='./.git' -cf - . | tar -C "$DEST" -xf -
fi
stamp "module copied to $DEST ($(find "$DEST" -type f | wc -l) files)"

# ---------------------------------------------------------------------------
# 3-4. Configure and build. ns-3's CMake runs `ccache --set-config`; a private
#      CCACHE_DIR keeps that (and ns-3's objects) out of the user's cache.
# ---------------------------------------------------------------------------
export CCACHE_DIR=${CCACHE_DIR_INTREE:-$INTREE_DIR/ccache}
cd "$NS3_DIR"
stamp "configuring (profile $NS3_PROFILE)"
./ns3 configure --build-profile="$NS3_PROFILE" --enable-modules=quic-migration \
    --filter-module-examples-and-tests=quic-migration --enable-examples --enable-tests
stamp "building with $JOBS jobs"
# Not `./ns3 build -j N`: ns-3.37's wrapper caps the job count at (cores - 1).
cmake --build cmake-cache -j "$JOBS"
stamp "build done"

# ---------------------------------------------------------------------------
# 5. ns-3's test.py: the module's suites, then its examples-to-run.py.
# ---------------------------------------------------------------------------
rc=0
stamp "test.py: suites quic-*"
./test.py --no-build --nocolor -s 'quic-*' || rc=1
stamp "test.py: examples (contrib/quic-migration/test/examples-to-run.py)"
./test.py --no-build --nocolor -c example || rc=1
if [ $rc -eq 0 ]; then
    stamp "PASS"
else
    stamp "FAIL (see the test.py output above)"
fi
exit $rc

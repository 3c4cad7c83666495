#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the Debian packages that quic-migration needs to build and test.
# Idempotent and non-interactive: packages already present are skipped, and
# `apt-get update` runs at most once, only when something has to be installed.
# Uses sudo when not run as root.
set -euo pipefail

PACKAGES=(
    # build
    build-essential cmake pkg-config clang-format
    # ns-3.37 and what its CMake package config drags in
    libns3-dev libgsl-dev libsqlite3-dev libxml2-dev
    # ns3: the helper executables that libns3-dev's CMake config checks for
    ns3
    # packet protection (AES-GCM, HKDF)
    libssl-dev
    # scenario runner
    libboost-program-options-dev
    # Python bindings and their tests
    pybind11-dev python3-dev python3-pybind11 python3-pytest
    # pcap decoding checks
    tshark
    # plots and Python sweeps
    python3-matplotlib python3-numpy python3-distributed
    # documentation (make doc, CTest "doc")
    python3-sphinx
    # make check-intree: apt-get source (dpkg-source) and the archive keyring
    dpkg-dev debian-archive-keyring
)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#PACKAGES[@]} packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer it up front.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"

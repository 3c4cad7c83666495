# SPDX-License-Identifier: GPL-2.0-only
#
# make test   install missing Debian packages, configure, build, run every test
# make demo   the same set-up, then run the main demonstration
#
# BUILD selects the build directory, JOBS the parallelism.

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all deps configure build test demo clean

all: build

deps:
	@bash utils/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) $(CMAKE_ARGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The main job: a 10 MB QUIC transfer over a 10 Mbps / 20 ms link with 1 % loss, writing
# summary.json, pcaps, the key log and qlog traces to $(BUILD)/demo.
DEMO_ARGS ?= --bytes=10000000 --data-rate=10Mbps --delay=20ms --loss=0.01 \
	--event 2s:rebind --event 5s:migrate:policy=probe --pcap --keylog --qlog --out=$(BUILD)/demo

demo: build
	$(BUILD)/bin/quic-migration-sim $(DEMO_ARGS)
	@echo "outputs in $(BUILD)/demo: summary.json, pcaps (decrypt with keylog.txt), qlog"

clean:
	rm -rf $(BUILD)

# SPDX-License-Identifier: GPL-2.0-only
#
# make test   install missing Debian packages, configure, build, run every test
# make demo   the same set-up, then run the main demonstration
#
# BUILD selects the build directory, JOBS the parallelism.

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all deps configure build test demo fuzz bench bench-callgrind clean install doc check-intree

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

# libFuzzer + ASan/UBSan targets for the wire decoders (utils/fuzz/); FUZZ_SECONDS each.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60

fuzz: deps
	cmake -S utils/fuzz -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@for t in fuzz-frames fuzz-header fuzz-transport-parameters; do \
	    echo "== $$t ($(FUZZ_SECONDS) s)"; \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	    $(FUZZ_BUILD)/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        $(FUZZ_BUILD)/corpus/$$t > $(FUZZ_BUILD)/$$t.log 2>&1; rc=$$?; \
	    grep -E "stat::number_of_executed_units|ERROR|SUMMARY" $(FUZZ_BUILD)/$$t.log; \
	    [ $$rc -eq 0 ] || { echo "$$t failed: see $(FUZZ_BUILD)/$$t.log"; exit 1; }; \
	done

# Benchmarks (utils/bench/): bulk transfer QUIC vs TCP NewReno/CUBIC vs UDP for each of
# BENCH_SIZES, BENCH_SCALE concurrent connections through a rebinding NAT, a migration storm.
# Prints one table and writes $(BUILD)/bench/results.json. The default build type
# (RelWithDebInfo, -O2) is the one measured.
BENCH_SIZES ?= 10MB,100MB
BENCH_SCALE ?= 1000,10000

bench: build
	/usr/bin/python3 utils/bench/run-bench.py --build $(BUILD) --sizes $(BENCH_SIZES) \
	    --scale $(BENCH_SCALE)

# A fixed 2 MB QUIC transfer under callgrind: total instructions and top functions.
bench-callgrind: build
	/usr/bin/python3 utils/bench/run-bench.py --build $(BUILD) --callgrind

# Install the library, headers, pkg-config and CMake package files, the scenario
# runner and the Python package under PREFIX (see cmake/QuicMigrationInstall.cmake).
PREFIX ?= /usr/local

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# HTML documentation in $(BUILD)/doc; warnings are errors.
doc: deps
	sphinx-build -W -b html doc $(BUILD)/doc

# Build the module inside an ns-3.37 source tree (fetched with apt-get source into
# build-intree/) and run its suites and examples through ns-3's test.py. About
# 35 minutes on 2 cores the first time; not part of `make test`.
check-intree: deps
	JOBS=$(JOBS) utils/check-intree.sh

clean:
	rm -rf $(BUILD)

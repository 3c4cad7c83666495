# SPDX-License-Identifier: GPL-2.0-only
#
# make test   install missing Debian packages, configure, build, run every test
# make demo   the same set-up, then run the main demonstration
# make fuzz   libFuzzer targets (FUZZ_SECONDS or FUZZ_RUNS each) and the long soak test
# make sanitize  the C++ test suites built with ASan + UBSan (build-sanitize)
#
# BUILD selects the build directory, JOBS the parallelism.

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all deps configure build test demo fuzz bench bench-callgrind clean install doc check-intree sanitize

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

# libFuzzer + ASan/UBSan targets (utils/fuzz/): the wire decoders and a live connection.
# Seeds come from a short simulated transfer (fuzz-corpus-gen) into $(FUZZ_BUILD)/seeds;
# each target runs FUZZ_SECONDS, or FUZZ_RUNS executions when set. Then the long soak test
# (100 000 hostile datagrams, quic-soak at --fullness=TAKES_FOREVER) runs on the main build.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=
FUZZ_TARGETS ?= fuzz-frames fuzz-header fuzz-transport-parameters fuzz-live
FUZZ_LIMIT = $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS))
# fuzz-live keeps a whole simulation alive across inputs, so every input allocates memory that
# outlives it (events, packets, connection state): libFuzzer's per-input leak check would run
# LeakSanitizer's full heap scan after nearly every input (3-6x slower, most of the profile).
# It is off for that target; leaks are checked by `make sanitize` (LeakSanitizer at exit of
# every test suite). ASan's allocator state (quarantine, stack depot) grows by ~1 KiB per
# input over millions of inputs, so that target runs in libFuzzer's fork mode (one worker
# process at a time, restarted every few minutes, same corpus and counts), with a smaller
# quarantine and shorter allocation stacks; out-of-memory and timeouts count as failures.
FUZZ_OPTIONS_fuzz-live = -detect_leaks=0 -fork=1 -ignore_ooms=0 -ignore_timeouts=0 -rss_limit_mb=4096
FUZZ_ASAN_fuzz-live = quarantine_size_mb=64:malloc_context_size=8

fuzz: build
	cmake -S utils/fuzz -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	rm -rf $(FUZZ_BUILD)/seeds && $(FUZZ_BUILD)/fuzz-corpus-gen $(FUZZ_BUILD)/seeds
	@for t in $(FUZZ_TARGETS); do \
	    echo "== $$t ($(FUZZ_LIMIT))"; \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	    case $$t in fuzz-live) o="$(FUZZ_OPTIONS_fuzz-live)"; a="$(FUZZ_ASAN_fuzz-live)";; \
	        *) o=""; a="";; esac; \
	    ASAN_OPTIONS=$$a $(FUZZ_BUILD)/$$t $(FUZZ_LIMIT) $$o -print_final_stats=1 \
	        $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/seeds/$$t > $(FUZZ_BUILD)/$$t.log 2>&1; rc=$$?; \
	    grep -E "stat::number_of_executed_units|fuzzed for|ERROR|SUMMARY" $(FUZZ_BUILD)/$$t.log; \
	    [ $$rc -eq 0 ] || { echo "$$t failed: see $(FUZZ_BUILD)/$$t.log"; exit 1; }; \
	done
	$(BUILD)/bin/quic-migration-test-runner --suite=quic-soak --fullness=TAKES_FOREVER

# The whole C++ test suite (every ns-3 TestSuite) built with AddressSanitizer and
# UndefinedBehaviorSanitizer in its own build directory; LeakSanitizer checks each suite's
# process at exit.
SAN_BUILD ?= build-sanitize
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

sanitize: deps
	cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DCMAKE_CXX_FLAGS="$(SAN_FLAGS)" -DCMAKE_EXE_LINKER_FLAGS="$(SAN_FLAGS)" \
	    -DCMAKE_SHARED_LINKER_FLAGS="$(SAN_FLAGS)"
	cmake --build $(SAN_BUILD) -j $(JOBS) --target ns3-quic-migration quic-migration-test-runner
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --output-on-failure -j $(JOBS) -E "^(pytest|clang-format|bench-smoke|doc)$$"

# Benchmarks (utils/bench/): bulk transfer QUIC vs TCP NewReno/CUBIC vs UDP for each of
# BENCH_SIZES, BENCH_SCALE concurrent connections through a rebinding NAT, a migration storm.
# Prints one table and writes $(BUILD)/bench/results.json. The default build type
# (RelWithDebInfo: -O3 -g) is the one measured.
# Each bulk transfer runs BENCH_REPEAT times, interleaved, and the best time counts (the
# simulations are deterministic: repeated runs differ only by the machine's noise).
BENCH_SIZES ?= 10MB,100MB
BENCH_SCALE ?= 1000,10000
BENCH_REPEAT ?= 3

bench: build
	/usr/bin/python3 utils/bench/run-bench.py --build $(BUILD) --sizes $(BENCH_SIZES) \
	    --scale $(BENCH_SCALE) --repeat $(BENCH_REPEAT)

# A fixed 2 MB QUIC transfer under callgrind: total instructions and top functions; then
# instructions per delivered packet for QUIC, TCP NewReno/CUBIC and UDP (10 MB minus 2 MB
# transfers, split by library) and the QUIC/TCP and QUIC/UDP ratios in instructions.
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
# build-intree/) and run its suites and examples through ns-3's test.py. Slow the
# first time (it compiles ~330 ns-3 files); not part of `make test`.
check-intree: deps
	JOBS=$(JOBS) utils/check-intree.sh

clean:
	rm -rf $(BUILD)

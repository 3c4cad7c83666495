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

demo: build
	$(BUILD)/bin/quic-wire-example

clean:
	rm -rf $(BUILD)

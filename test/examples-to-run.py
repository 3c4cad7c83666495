#! /usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Examples that ns-3's test.py runs as smoke tests (./test.py -c example, in an
# ns-3 tree with this module in contrib/), in ns-3's format: test.py reads this
# file from <module>/test/examples-to-run.py. test/test_examples.py (pytest,
# standalone build) runs every entry too, and fails if an example program
# (examples/*.cc) or script (examples/python/*.py) is missing here.
#
# Each entry runs with short parameters (a second or two each).

# A list of C++ examples to run in order to ensure that they remain
# buildable and runnable over time.  Each tuple in the list contains
#
#     (example_name, do_run, do_valgrind_run).
#
# See test.py for more information.
cpp_examples = [
    ("quic-wire-example", "True", "True"),
    ("quic-bulk-transfer --bytes=200000 --pcap=0 --keylog=0", "True", "True"),
    ("quic-bulk-transfer --bytes=100000 --loss=0.02 --delay=5ms --pcap=0 --keylog=0", "True", "False"),
    ("quic-validation --validation=handshake --validate=1", "True", "False"),
    ("quic-attack-scenarios --attack=victim --bytes=1000000", "True", "False"),
    ("quic-multi-access --bytes=1000000 --stop=5s", "True", "False"),
]

# A list of Python examples to run in order to ensure that they remain
# runnable over time.  Each tuple in the list contains
#
#     (example_name, do_run).
#
# The scripts use the pybind11 package `quic_migration`, which only the
# standalone build produces (build/python), not an ns-3 tree: test.py skips
# them ("False"); test/test_examples.py runs them against the standalone build.
python_examples = [
    ("python/rebinding_sweep.py --intervals none 250ms --horizon 1s --loss 0 --runs 1 --bytes 50000 --workers 1", "False"),
    ("python/timeline_plot.py --bytes=100000 --loss=0 --out=timeline-out", "False"),
]

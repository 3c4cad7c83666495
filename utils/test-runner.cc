/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The module's test runner: ns3::TestRunner with this module's TestSuites linked
// in. Accepts the options of ns-3's test-runner (--suite=NAME, --list,
// --verbose, --fullness=QUICK|EXTENSIVE|TAKES_FOREVER, --help, ...), as used by
// ns-3's test.py; CTest runs one --suite per test.

#include "ns3/test.h"

int
main(int argc, char* argv[])
{
    return ns3::TestRunner::Run(argc, argv);
}

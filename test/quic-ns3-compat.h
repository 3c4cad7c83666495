/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * Test-framework names that changed across ns-3 releases, behind one set of
 * macros so that the test suites compile unchanged on ns-3.37 (Debian 12) and
 * on ns-3.42 and later.
 *
 * ns-3.42 turned TestSuite::Type and TestCase::TestDuration into scoped enums
 * (TestSuite::Type::UNIT, TestCase::Duration::QUICK); the unscoped names
 * (TestSuite::UNIT, TestCase::QUICK) became deprecated aliases there and were
 * removed later. ns-3.37 only has the unscoped names.
 *
 * The ns-3 version comes from, in order:
 *  1. QUIC_MIGRATION_NS3_VERSION (major * 100 + minor, e.g. 337), which
 *     CMakeLists.txt defines for the test sources in both of its build paths;
 *  2. ns3/version-defines.h (NS3_VERSION_MAJOR/MINOR), which exists when ns-3 was
 *     configured with --enable-build-version (Debian's packages are);
 *  3. otherwise the pre-3.42 names (waf-era builds through wscript, <= 3.35).
 */

#ifndef QUIC_NS3_COMPAT_H
#define QUIC_NS3_COMPAT_H

#include "ns3/test.h"

#if !defined(QUIC_MIGRATION_NS3_VERSION)
#if defined(__has_include)
#if __has_include("ns3/version-defines.h")
#include "ns3/version-defines.h"
#define QUIC_MIGRATION_NS3_VERSION (NS3_VERSION_MAJOR * 100 + NS3_VERSION_MINOR)
#endif
#endif
#endif

#if !defined(QUIC_MIGRATION_NS3_VERSION)
#define QUIC_MIGRATION_NS3_VERSION 335
#endif

/// True when building against ns-3 MAJOR.MINOR or newer.
#define QUIC_NS3_VERSION_AT_LEAST(major, minor)                                                    \
    (QUIC_MIGRATION_NS3_VERSION >= (major)*100 + (minor))

#if QUIC_NS3_VERSION_AT_LEAST(3, 42)
#define QUIC_TEST_QUICK ns3::TestCase::Duration::QUICK
#define QUIC_TEST_EXTENSIVE ns3::TestCase::Duration::EXTENSIVE
#define QUIC_TEST_TAKES_FOREVER ns3::TestCase::Duration::TAKES_FOREVER
#define QUIC_SUITE_UNIT ns3::TestSuite::Type::UNIT
#define QUIC_SUITE_SYSTEM ns3::TestSuite::Type::SYSTEM
#define QUIC_SUITE_PERFORMANCE ns3::TestSuite::Type::PERFORMANCE
#else
#define QUIC_TEST_QUICK ns3::TestCase::QUICK
#define QUIC_TEST_EXTENSIVE ns3::TestCase::EXTENSIVE
#define QUIC_TEST_TAKES_FOREVER ns3::TestCase::TAKES_FOREVER
#define QUIC_SUITE_UNIT ns3::TestSuite::UNIT
#define QUIC_SUITE_SYSTEM ns3::TestSuite::SYSTEM
#define QUIC_SUITE_PERFORMANCE ns3::TestSuite::PERFORMANCE
#endif

#endif // QUIC_NS3_COMPAT_H

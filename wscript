# -*- Mode: python; py-indent-offset: 4; indent-tabs-mode: nil; coding: utf-8; -*-
# SPDX-License-Identifier: GPL-2.0-only
#
# Build description for waf-era ns-3 (<= 3.35): place this directory in
# <ns-3>/contrib/quic-migration and run ./waf configure --enable-examples --enable-tests.
# The source lists are the same as in CMakeLists.txt; test/test_build_consistency.py
# checks that the two agree and that every model/helper/test file is listed.


def options(opt):
    pass


def configure(conf):
    # OpenSSL libcrypto provides HKDF, AES-128-GCM and AES-ECB (RFC 9001 §5).
    conf.check_cfg(package='libcrypto', uselib_store='LIBCRYPTO',
                   args=['--cflags', '--libs'], mandatory=True)


def build(bld):
    module = bld.create_ns3_module(
        'quic-migration',
        ['core', 'network', 'internet', 'applications', 'point-to-point', 'csma'])
    module.source = [
        'model/quic-error.cc',
        'model/quic-varint.cc',
        'model/quic-connection-id.cc',
        'model/quic-packet-number.cc',
        'model/quic-packet-header.cc',
        'model/quic-frame.cc',
        'model/quic-transport-parameters.cc',
        'model/quic-packet-protection.cc',
        'model/quic-packet-codec.cc',
        'model/quic-rtt-estimator.cc',
        'model/quic-congestion-control.cc',
        'model/quic-new-reno.cc',
        'model/quic-loss-recovery.cc',
        'model/quic-stream.cc',
        'model/quic-tls.cc',
        'model/quic-qlog.cc',
        'model/quic-path.cc',
        'model/quic-path-validator.cc',
        'model/quic-cid-manager.cc',
        'model/quic-stateless-reset.cc',
        'model/quic-routing-wrapper.cc',
        'model/quic-nat.cc',
        'model/quic-attacker.cc',
        'model/quic-source-routing.cc',
        'model/quic-address-change.cc',
        'model/quic-connection.cc',
        'model/quic-endpoint.cc',
        'model/quic-bulk-send-application.cc',
        'model/quic-sink-application.cc',
        'model/quic-echo-application.cc',
        'helper/quic-helper.cc',
        'helper/quic-migration-scenario.cc',
        'helper/quic-nat-helper.cc',
        'helper/quic-attacker-helper.cc',
        'helper/quic-migration-topology.cc',
    ]
    module.use.append('LIBCRYPTO')

    module_test = bld.create_ns3_module_test_library('quic-migration')
    module_test.source = [
        'test/quic-varint-test.cc',
        'test/quic-packet-header-test.cc',
        'test/quic-frame-test.cc',
        'test/quic-transport-parameters-test.cc',
        'test/quic-packet-protection-test.cc',
        'test/quic-wire-integration-test.cc',
        'test/quic-recovery-test.cc',
        'test/quic-stream-test.cc',
        'test/quic-tls-test.cc',
        'test/quic-qlog-test.cc',
        'test/quic-application-test.cc',
        'test/quic-connection-test.cc',
        'test/quic-cid-manager-test.cc',
        'test/quic-cid-test.cc',
        'test/quic-nat-test.cc',
        'test/quic-migration-test.cc',
        'test/quic-requirements-test.cc',
        'test/quic-preferred-address-test.cc',
        'test/quic-soak-test.cc',
        'test/quic-bounds-test.cc',
        'test/quic-attack-test.cc',
        'test/quic-topology-test.cc',
    ]
    # Test-only headers are compiled through the test sources that include
    # them; they are named here so that the description lists every file.
    module_test.test_headers = [
        'test/quic-test-utils.h',
        'test/quic-test-record.h',
        'test/quic-rfc9001-vectors.h',
        'test/quic-ns3-compat.h',
    ]

    headers = bld(features='ns3header')
    headers.module = 'quic-migration'
    headers.source = [
        'model/quic-error.h',
        'model/quic-buffer.h',
        'model/quic-varint.h',
        'model/quic-connection-id.h',
        'model/quic-packet-number.h',
        'model/quic-packet-header.h',
        'model/quic-frame.h',
        'model/quic-transport-parameters.h',
        'model/quic-packet-protection.h',
        'model/quic-packet-codec.h',
        'model/quic-rtt-estimator.h',
        'model/quic-congestion-control.h',
        'model/quic-new-reno.h',
        'model/quic-loss-recovery.h',
        'model/quic-stream.h',
        'model/quic-tls.h',
        'model/quic-qlog.h',
        'model/quic-path.h',
        'model/quic-path-validator.h',
        'model/quic-cid-manager.h',
        'model/quic-stateless-reset.h',
        'model/quic-routing-wrapper.h',
        'model/quic-nat.h',
        'model/quic-attacker.h',
        'model/quic-source-routing.h',
        'model/quic-address-change.h',
        'model/quic-connection.h',
        'model/quic-endpoint.h',
        'model/quic-bulk-send-application.h',
        'model/quic-sink-application.h',
        'model/quic-echo-application.h',
        'helper/quic-helper.h',
        'helper/quic-migration-scenario.h',
        'helper/quic-nat-helper.h',
        'helper/quic-attacker-helper.h',
        'helper/quic-migration-topology.h',
    ]

    if bld.env.ENABLE_EXAMPLES:
        bld.recurse('examples')

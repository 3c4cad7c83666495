# SPDX-License-Identifier: GPL-2.0-only
#
# quic_migration_ns3_version(TARGET VERSION [IF_NO_VERSION_HEADER]): defines
# QUIC_MIGRATION_NS3_VERSION (major * 100 + minor, e.g. 337) for TARGET, from an
# ns-3 version string: the installed package's ns3_VERSION ("3.37") or an ns-3
# tree's VERSION file ("3.37", "3.42", or "3-dev" for ns-3-dev, taken as newer
# than any release). test/quic-ns3-compat.h picks the test-framework names from
# it. With IF_NO_VERSION_HEADER nothing is defined when the installed ns-3 has
# ns3/version-defines.h (Debian's has), which the header then reads itself.
function(quic_migration_ns3_version target version)
    if("IF_NO_VERSION_HEADER" IN_LIST ARGN)
        find_path(QUIC_MIGRATION_NS3_VERSION_HEADER_DIR ns3/version-defines.h)
        if(QUIC_MIGRATION_NS3_VERSION_HEADER_DIR)
            return()
        endif()
    endif()
    if(version MATCHES "^([0-9]+)\\.([0-9]+)")
        math(EXPR _v "${CMAKE_MATCH_1} * 100 + ${CMAKE_MATCH_2}")
    elseif(version MATCHES "^([0-9]+)-dev")
        math(EXPR _v "${CMAKE_MATCH_1} * 100 + 99")
    else()
        message(WARNING "quic-migration: unrecognised ns-3 version '${version}', assuming 3.37")
        set(_v 337)
    endif()
    target_compile_definitions(${target} PRIVATE QUIC_MIGRATION_NS3_VERSION=${_v})
endfunction()

# SPDX-License-Identifier: GPL-2.0-only
#
# Installation of the standalone build (included from CMakeLists.txt; an ns-3
# tree installs the module itself). `make install PREFIX=/opt/q` or
# `cmake --install build --prefix /opt/q` puts:
#
#   lib/libns3-quic-migration.so*                  the library
#   include/ns3/*.h                                public headers and quic-migration-module.h
#   lib/pkgconfig/quic-migration.pc                pkg-config (relocatable, needs ns-3's .pc files)
#   lib/cmake/quic-migration/                      find_package(quic-migration) ->
#                                                  quic-migration::quic-migration (pulls ns3)
#   bin/quic-migration-sim                         the scenario runner
#   lib/python3.X/{dist,site}-packages/quic_migration   the Python package and its extension
#
# Everything is relative to the prefix, so the prefix can be chosen at install time.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(QUIC_MIGRATION_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/quic-migration)

# The library: installed programs and modules find it through a relative RPATH.
set_target_properties(ns3-quic-migration PROPERTIES EXPORT_NAME quic-migration)
install(
    TARGETS ns3-quic-migration
    EXPORT quic-migration-targets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
)
install(DIRECTORY ${QUIC_MIGRATION_INCLUDE_DIR}/ns3 DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h"
)

# The scenario runner.
file(RELATIVE_PATH _bin_to_lib ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}
     ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}
)
set_target_properties(quic-migration-sim PROPERTIES INSTALL_RPATH "$ORIGIN/${_bin_to_lib}")
install(TARGETS quic-migration-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# CMake package: quic-migrationConfig.cmake, its version file and the exported target.
install(
    EXPORT quic-migration-targets
    NAMESPACE quic-migration::
    FILE quic-migration-targets.cmake
    DESTINATION ${QUIC_MIGRATION_CMAKE_DIR}
)
set(QUIC_MIGRATION_NS3_MIN_VERSION 3.37)
configure_package_config_file(
    ${CMAKE_CURRENT_LIST_DIR}/quic-migrationConfig.cmake.in
    ${CMAKE_BINARY_DIR}/cmake/quic-migrationConfig.cmake
    INSTALL_DESTINATION ${QUIC_MIGRATION_CMAKE_DIR}
)
write_basic_package_version_file(
    ${CMAKE_BINARY_DIR}/cmake/quic-migrationConfigVersion.cmake
    VERSION ${PROJECT_VERSION}
    COMPATIBILITY SameMinorVersion
)
install(FILES ${CMAKE_BINARY_DIR}/cmake/quic-migrationConfig.cmake
              ${CMAKE_BINARY_DIR}/cmake/quic-migrationConfigVersion.cmake
        DESTINATION ${QUIC_MIGRATION_CMAKE_DIR}
)

# pkg-config: prefix relative to the .pc file's own directory.
file(RELATIVE_PATH _pc_to_prefix ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig
     ${CMAKE_INSTALL_PREFIX}
)
string(REGEX REPLACE "/$" "" _pc_to_prefix "${_pc_to_prefix}")
configure_file(
    ${CMAKE_CURRENT_LIST_DIR}/quic-migration.pc.in ${CMAKE_BINARY_DIR}/cmake/quic-migration.pc
    @ONLY
)
install(FILES ${CMAKE_BINARY_DIR}/cmake/quic-migration.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
)

# Python package: the .py files and the pybind11 extension, in the directory
# layout of the interpreter it was built for (Debian: lib/python3.X/dist-packages,
# which /usr/local's python3 searches; elsewhere site-packages).
if(TARGET _quic_migration)
    if(NOT QUIC_MIGRATION_PYTHON_INSTALL_DIR)
        execute_process(
            COMMAND ${Python3_EXECUTABLE} -c
                    "import sysconfig; print('dist-packages' if 'dist-packages' in sysconfig.get_path('purelib') else 'site-packages')"
            OUTPUT_VARIABLE _py_packages
            OUTPUT_STRIP_TRAILING_WHITESPACE
        )
        if(NOT _py_packages)
            set(_py_packages site-packages)
        endif()
        set(QUIC_MIGRATION_PYTHON_INSTALL_DIR
            ${CMAKE_INSTALL_LIBDIR}/python${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}/${_py_packages}
            CACHE STRING "Python package directory, relative to the prefix"
        )
    endif()
    file(RELATIVE_PATH _py_to_lib
         ${CMAKE_INSTALL_PREFIX}/${QUIC_MIGRATION_PYTHON_INSTALL_DIR}/quic_migration
         ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}
    )
    set_target_properties(_quic_migration PROPERTIES INSTALL_RPATH "$ORIGIN/${_py_to_lib}")
    install(TARGETS _quic_migration
            LIBRARY DESTINATION ${QUIC_MIGRATION_PYTHON_INSTALL_DIR}/quic_migration
    )
    install(DIRECTORY ${QUIC_MIGRATION_PYTHON_DIR}/quic_migration
            DESTINATION ${QUIC_MIGRATION_PYTHON_INSTALL_DIR}
            FILES_MATCHING PATTERN "*.py"
            PATTERN "__pycache__" EXCLUDE
    )
endif()

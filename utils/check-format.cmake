# SPDX-License-Identifier: GPL-2.0-only
#
# Fails if any C++ file of the module differs from what clang-format makes of
# it with the repository's .clang-format (ns-3's). Fix with:
#   clang-format -i $(git ls-files '*.h' '*.cc')
file(GLOB_RECURSE _files
    ${SOURCE_DIR}/model/*.h ${SOURCE_DIR}/model/*.cc
    ${SOURCE_DIR}/helper/*.h ${SOURCE_DIR}/helper/*.cc
    ${SOURCE_DIR}/test/*.h ${SOURCE_DIR}/test/*.cc
    ${SOURCE_DIR}/examples/*.cc ${SOURCE_DIR}/utils/*.cc
    ${SOURCE_DIR}/bindings/*.cc ${SOURCE_DIR}/bindings/*.h)
set(_bad "")
foreach(_f ${_files})
    execute_process(
        COMMAND ${CLANG_FORMAT} --dry-run --Werror ${_f}
        RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
    if(NOT _rc EQUAL 0)
        list(APPEND _bad ${_f})
    endif()
endforeach()
if(_bad)
    string(REPLACE ";" "\n  " _list "${_bad}")
    message(FATAL_ERROR "not formatted with clang-format:\n  ${_list}")
endif()
list(LENGTH _files _n)
message(STATUS "clang-format: ${_n} files formatted")

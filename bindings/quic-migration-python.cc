/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Placeholder: Python bindings (issue 7).

#include <pybind11/pybind11.h>

PYBIND11_MODULE(_quic_migration, m)
{
    m.doc() = "quic-migration (placeholder)";
}

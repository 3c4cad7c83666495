# SPDX-License-Identifier: GPL-2.0-only
"""quic_migration: Python interface to the quic-migration ns-3 module (issue 7)."""

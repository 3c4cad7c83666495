/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_MIGRATION_SCENARIO_H
#define QUIC_MIGRATION_SCENARIO_H

// Placeholder: filled in by the endpoints work (issue 3).

#endif /* QUIC_MIGRATION_SCENARIO_H */

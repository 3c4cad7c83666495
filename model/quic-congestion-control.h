/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_CONGESTION_CONTROL_H
#define QUIC_CONGESTION_CONTROL_H

// Placeholder: filled in by the endpoints work (issue 3).

#endif /* QUIC_CONGESTION_CONTROL_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_HELPER_H
#define QUIC_HELPER_H

// Placeholder: filled in by the endpoints work (issue 3).

#endif /* QUIC_HELPER_H */

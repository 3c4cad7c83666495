/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_NEW_RENO_H
#define QUIC_NEW_RENO_H

// Placeholder: filled in by the endpoints work (issue 3).

#endif /* QUIC_NEW_RENO_H */

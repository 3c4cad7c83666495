/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_TLS_H
#define QUIC_TLS_H

// Placeholder: filled in by the endpoints work (issue 3).

#endif /* QUIC_TLS_H */

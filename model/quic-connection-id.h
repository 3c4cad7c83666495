/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_CONNECTION_ID_H
#define QUIC_CONNECTION_ID_H

// Placeholder: filled in by the wire-layer work (issue 2).

#endif /* QUIC_CONNECTION_ID_H */

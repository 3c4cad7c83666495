/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_PACKET_HEADER_H
#define QUIC_PACKET_HEADER_H

// Placeholder: filled in by the wire-layer work (issue 2).

#endif /* QUIC_PACKET_HEADER_H */

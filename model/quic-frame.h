/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_FRAME_H
#define QUIC_FRAME_H

// Placeholder: filled in by the wire-layer work (issue 2).

#endif /* QUIC_FRAME_H */

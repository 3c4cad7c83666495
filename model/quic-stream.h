/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_STREAM_H
#define QUIC_STREAM_H

// Placeholder: filled in by the endpoints work (issue 3).

#endif /* QUIC_STREAM_H */

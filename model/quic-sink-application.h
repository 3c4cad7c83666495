/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_SINK_APPLICATION_H
#define QUIC_SINK_APPLICATION_H

// Placeholder: filled in by the endpoints work (issue 3).

#endif /* QUIC_SINK_APPLICATION_H */

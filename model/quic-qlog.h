/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_QLOG_H
#define QUIC_QLOG_H

// Placeholder: filled in by the endpoints work (issue 3).

#endif /* QUIC_QLOG_H */

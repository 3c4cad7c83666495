/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_STATELESS_RESET_H
#define QUIC_STATELESS_RESET_H

// Placeholder: filled in by the connection-ID work (issue 4).

#endif /* QUIC_STATELESS_RESET_H */

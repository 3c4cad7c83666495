/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_TRANSPORT_PARAMETERS_H
#define QUIC_TRANSPORT_PARAMETERS_H

// Placeholder: filled in by the wire-layer work (issue 2).

#endif /* QUIC_TRANSPORT_PARAMETERS_H */

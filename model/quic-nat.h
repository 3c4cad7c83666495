/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_NAT_H
#define QUIC_NAT_H

// Placeholder: filled in by the injection-models work (issue 6).

#endif /* QUIC_NAT_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_CID_MANAGER_H
#define QUIC_CID_MANAGER_H

// Placeholder: filled in by the connection-ID work (issue 4).

#endif /* QUIC_CID_MANAGER_H */

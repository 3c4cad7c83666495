/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_LOSS_RECOVERY_H
#define QUIC_LOSS_RECOVERY_H

// Placeholder: filled in by the endpoints work (issue 3).

#endif /* QUIC_LOSS_RECOVERY_H */

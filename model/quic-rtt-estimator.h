/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_RTT_ESTIMATOR_H
#define QUIC_RTT_ESTIMATOR_H

// Placeholder: filled in by the endpoints work (issue 3).

#endif /* QUIC_RTT_ESTIMATOR_H */

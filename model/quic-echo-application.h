/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_ECHO_APPLICATION_H
#define QUIC_ECHO_APPLICATION_H

// Placeholder: filled in by the endpoints work (issue 3).

#endif /* QUIC_ECHO_APPLICATION_H */

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Placeholder: filled in by the connection-ID work (issue 4).

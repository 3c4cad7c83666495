/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Placeholder: filled in by the wire-layer work (issue 2).

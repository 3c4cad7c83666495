/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Placeholder: filled in by the injection-models work (issue 6).

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The variable-length integer functions are defined inline in quic-varint.h: every frame and
// header field goes through them, so they are inlined into the codecs. This file checks that
// the header compiles on its own.

#include "quic-varint.h"

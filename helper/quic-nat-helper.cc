/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-nat-helper.h"

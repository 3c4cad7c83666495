/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-congestion-control.h"

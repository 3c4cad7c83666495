/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Placeholder until the wire layer is complete.
#include "ns3/quic-varint.h"

#include <iostream>

int
main()
{
    uint8_t buf[8];
    size_t n = ns3::QuicVarintEncode(494878333, buf, sizeof(buf));
    std::cout << "varint 494878333 encodes in " << n << " bytes\n";
    return 0;
}

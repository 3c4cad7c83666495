/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: the frame decoder and the per-packet frame scan (RFC 9000 §12.4, §19) on
// arbitrary payloads; every frame that decodes must re-encode and decode to the same frame.

#include "ns3/quic-buffer.h"
#include "ns3/quic-frame.h"

#include <cstdlib>
#include <vector>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
    {
        return 0;
    }
    // The first byte picks the packet type the payload is scanned for.
    QuicPacketType type = static_cast<QuicPacketType>(data[0] % 6);
    QuicFrameParser parser(data + 1, size - 1, type);
    QuicFrame f;
    while (parser.Next(f))
    {
        std::vector<uint8_t> out;
        QuicBufferWriter w(out);
        if (QuicEncodeFrame(w, f))
        {
            QuicBufferReader r(out.data(), out.size());
            QuicFrame g;
            if (QuicDecodeFrame(r, g) != QuicTransportError::NO_ERROR || !(g == f))
            {
                std::abort(); // a frame that decodes must survive a round trip
            }
        }
    }
    (void)parser.Summary();
    return 0;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: the transport-parameter decoder (RFC 9000 §18) for both senders; a block
// that decodes must re-encode to a block that decodes to the same parameters.

#include "ns3/quic-buffer.h"
#include "ns3/quic-transport-parameters.h"

#include <cstdlib>
#include <vector>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    for (bool fromServer : {false, true})
    {
        QuicTransportParameters tp;
        if (QuicTransportParameters::Decode(data, size, fromServer, tp) !=
            QuicTransportError::NO_ERROR)
        {
            continue;
        }
        std::vector<uint8_t> out;
        QuicBufferWriter w(out);
        tp.Encode(w);
        QuicTransportParameters again;
        if (QuicTransportParameters::Decode(out.data(), out.size(), fromServer, again) !=
                QuicTransportError::NO_ERROR ||
            !(again == tp))
        {
            std::abort();
        }
    }
    return 0;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// libFuzzer target: the receive pipeline of a datagram (RFC 9000 §17, RFC 9001 §5): DCID peek,
// header parse, header-protection removal, packet-number recovery and AEAD open with fixed
// keys, for every coalesced packet of the datagram.

#include "ns3/quic-packet-codec.h"
#include "ns3/quic-packet-header.h"
#include "ns3/quic-packet-protection.h"

#include <vector>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static QuicPacketProtector* opener = []() {
        QuicConnectionId dcid;
        QuicConnectionId::FromHex("8394c8f03e515708", dcid);
        QuicPacketKeys client;
        QuicPacketKeys server;
        QuicDeriveInitialKeys(dcid, client, server);
        return new QuicPacketProtector(client);
    }();
    std::vector<uint8_t> buf(data, data + size);
    bool isLong = false;
    uint32_t version = 0;
    QuicConnectionId peek;
    QuicPeekDestinationCid(buf.data(), buf.size(), 8, isLong, version, peek);
    size_t offset = 0;
    while (offset < buf.size())
    {
        QuicPacketHeader h;
        if (QuicParseHeader(buf.data() + offset, buf.size() - offset, 8, h) !=
                QuicHeaderStatus::OK ||
            h.m_packetLength == 0 || h.m_packetLength > buf.size() - offset)
        {
            break;
        }
        uint64_t pn = 0;
        const uint8_t* payload = nullptr;
        size_t payloadLength = 0;
        QuicUnprotectPacket(buf.data() + offset, h, *opener, 1000, pn, payload, payloadLength);
        offset += h.m_packetLength;
    }
    return 0;
}

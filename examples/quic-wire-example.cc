/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// quic-wire-example: the QUIC wire layer end to end, without a network.
//
// A client Initial packet is built (CRYPTO + PING + PADDING to the 1200-byte
// minimum of RFC 9000 §14.1), protected with the Initial keys that RFC 9001
// §5.2 derives from the Destination Connection ID, then received: the DCID is
// peeked for routing, the header parsed in two stages around header-protection
// removal, the packet number recovered (RFC 9000 App. A.3), the payload
// authenticated and decrypted, and its frames decoded and classified. Finally
// one byte is flipped to show that the altered packet fails authentication.
//
// Run:  build/bin/quic-wire-example [--dcid=8394c8f03e515708] [--pn=2]

#include "ns3/command-line.h"
#include "ns3/quic-buffer.h"
#include "ns3/quic-connection-id.h"
#include "ns3/quic-frame.h"
#include "ns3/quic-packet-codec.h"
#include "ns3/quic-packet-header.h"
#include "ns3/quic-packet-number.h"
#include "ns3/quic-packet-protection.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

void
PrintHex(const char* label, const uint8_t* p, size_t n, size_t max = 32)
{
    std::printf("  %-22s", label);
    for (size_t i = 0; i < n && i < max; ++i)
    {
        std::printf("%02x", p[i]);
    }
    std::printf("%s (%zu bytes)\n", n > max ? "..." : "", n);
}

/// Receive one protected Initial datagram; returns false if it is dropped.
bool
Receive(std::vector<uint8_t> datagram, bool verbose)
{
    bool isLong = false;
    uint32_t version = 0;
    QuicConnectionId dcid;
    if (QuicPeekDestinationCid(datagram.data(), datagram.size(), 8, isLong, version, dcid) !=
        QuicHeaderStatus::OK)
    {
        std::cout << "  dropped: cannot read the destination connection ID\n";
        return false;
    }
    QuicPacketKeys clientKeys;
    QuicPacketKeys serverKeys;
    QuicDeriveInitialKeys(dcid, clientKeys, serverKeys);
    QuicPacketProtector opener(clientKeys);

    QuicPacketHeader hdr;
    QuicHeaderStatus st = QuicParseHeader(datagram.data(), datagram.size(), 8, hdr);
    if (st != QuicHeaderStatus::OK)
    {
        std::cout << "  dropped: header " << st << "\n";
        return false;
    }
    uint64_t pn = 0;
    const uint8_t* payload = nullptr;
    size_t payloadLength = 0;
    QuicUnprotectStatus us =
        QuicUnprotectPacket(datagram.data(), hdr, opener, std::nullopt, pn, payload, payloadLength);
    if (us == QuicUnprotectStatus::RESERVED_BITS_SET)
    {
        std::cout << "  closing: reserved bits set -> PROTOCOL_VIOLATION\n";
        return false;
    }
    if (us != QuicUnprotectStatus::OK)
    {
        std::cout << "  dropped: " << us << "\n";
        return false;
    }
    if (verbose)
    {
        std::cout << "  " << hdr.m_type << " version 0x" << std::hex << hdr.m_version << std::dec
                  << " dcid " << hdr.m_dcid << " scid " << hdr.m_scid << " token "
                  << hdr.m_tokenLength << " B, Length " << hdr.m_length << ", packet number " << pn
                  << " (" << hdr.m_pnLength << " bytes on the wire)\n";
    }
    QuicFrameParser parser(payload, payloadLength, hdr.m_type);
    QuicFrame frame;
    while (parser.Next(frame))
    {
        if (verbose)
        {
            std::cout << "    frame " << frame << "\n";
        }
    }
    const QuicFramePacketSummary& summary = parser.Summary();
    if (!summary.Ok())
    {
        std::cout << "  closing: " << QuicTransportErrorName(summary.m_error) << "\n";
        return false;
    }
    if (verbose)
    {
        std::cout << "  " << summary.m_frameCount << " frames, ack-eliciting "
                  << summary.m_ackEliciting << ", probing-only " << summary.m_probingOnly << "\n";
    }
    return true;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string dcidHex = "8394c8f03e515708";
    uint64_t packetNumber = 2;
    CommandLine cmd(__FILE__);
    cmd.AddValue("dcid", "client's first Destination Connection ID (hex, 8-20 bytes)", dcidHex);
    cmd.AddValue("pn", "packet number of the Initial packet", packetNumber);
    cmd.Parse(argc, argv);

    QuicConnectionId dcid;
    if (!QuicConnectionId::FromHex(dcidHex, dcid) || dcid.Length() < 8)
    {
        std::cerr << "error: --dcid must be 8 to 20 bytes of hex (RFC 9000 §7.2)\n";
        return 2;
    }
    if (packetNumber > QUIC_VARINT_MAX)
    {
        std::cerr << "error: --pn must be at most 2^62-1\n";
        return 2;
    }

    std::cout << "1. Initial keys (RFC 9001 §5.2) for DCID " << dcid << "\n";
    QuicPacketKeys clientKeys;
    QuicPacketKeys serverKeys;
    QuicDeriveInitialKeys(dcid, clientKeys, serverKeys);
    PrintHex("client key", clientKeys.key.data(), clientKeys.key.size());
    PrintHex("client iv", clientKeys.iv.data(), clientKeys.iv.size());
    PrintHex("client hp", clientKeys.hp.data(), clientKeys.hp.size());

    std::cout << "2. Client Initial: CRYPTO + PING + PADDING to 1200 bytes\n";
    std::vector<uint8_t> packet;
    packet.reserve(1500);
    QuicPacketHeader hdr;
    hdr.m_type = QuicPacketType::INITIAL;
    hdr.m_dcid = dcid;
    QuicPacketBuilder builder;
    builder.Begin(packet, hdr, packetNumber, std::nullopt, 1200);
    const std::string hello = "a ClientHello would be here (TLS 1.3 in CRYPTO frames)";
    builder.AddFrame(
        QuicFrame::Crypto(0, reinterpret_cast<const uint8_t*>(hello.data()), hello.size()));
    builder.AddFrame(QuicFrame::Ping());
    builder.PadDatagramTo(1200);
    std::cout << "  header " << packet.size() - builder.PayloadLength() << " bytes, payload "
              << builder.PayloadLength() << " bytes\n";

    std::cout << "3. Protect (AES-128-GCM payload, AES-ECB header mask)\n";
    QuicPacketProtector sealer(clientKeys);
    if (!builder.Finish(sealer))
    {
        std::cerr << "error: protection failed\n";
        return 1;
    }
    PrintHex("protected", packet.data(), packet.size());

    std::cout << "4. Receive the datagram\n";
    if (!Receive(packet, true))
    {
        return 1;
    }

    std::cout << "5. Flip one payload bit and receive again\n";
    std::vector<uint8_t> altered = packet;
    altered[600] ^= 0x01;
    if (Receive(altered, false))
    {
        std::cerr << "error: an altered packet was accepted\n";
        return 1;
    }
    return 0;
}

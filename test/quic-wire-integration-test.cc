/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The wire layer as a whole: the receive pipeline a QUIC endpoint runs on a
// datagram (peek DCID -> parse header -> remove header protection -> recover
// packet number -> authenticate and decrypt -> decode frames) on the packets
// of RFC 9001 App. A, and the send pipeline (QuicPacketBuilder) building
// coalesced datagrams that the receive pipeline opens again.
// Rows: FMT-03, FMT-04, FMT-08, AMP-04, FR-12.

#include "quic-ns3-compat.h"
#include "quic-rfc9001-vectors.h"
#include "quic-test-utils.h"

#include "ns3/quic-frame.h"
#include "ns3/quic-packet-codec.h"
#include "ns3/quic-packet-header.h"
#include "ns3/quic-packet-number.h"
#include "ns3/quic-packet-protection.h"
#include "ns3/test.h"

#include <vector>

using namespace ns3;
using namespace quictest::rfc9001;
using quictest::FromHex;
using quictest::ToHex;

namespace
{

/// What the receive pipeline made of one packet.
struct Opened
{
    QuicHeaderStatus headerStatus{QuicHeaderStatus::OK};
    QuicUnprotectStatus status{QuicUnprotectStatus::AUTH_FAILED};
    QuicPacketHeader header;
    uint64_t packetNumber{0};
    std::vector<uint8_t> payload;
    size_t packetLength{0};
};

/// Parse and unprotect the packet at the start of data with the given keys.
Opened
OpenOne(uint8_t* data,
        size_t size,
        size_t shortDcidLength,
        const QuicPacketKeys& keys,
        std::optional<uint64_t> largestReceived = std::nullopt)
{
    Opened o;
    o.headerStatus = QuicParseHeader(data, size, shortDcidLength, o.header);
    if (o.headerStatus != QuicHeaderStatus::OK)
    {
        return o;
    }
    o.packetLength = o.header.m_packetLength;
    QuicPacketProtector opener(keys);
    const uint8_t* payload = nullptr;
    size_t payloadLength = 0;
    o.status = QuicUnprotectPacket(data,
                                   o.header,
                                   opener,
                                   largestReceived,
                                   o.packetNumber,
                                   payload,
                                   payloadLength);
    if (o.status == QuicUnprotectStatus::OK)
    {
        o.payload.assign(payload, payload + payloadLength);
    }
    return o;
}

/// Decode every frame of a payload.
std::vector<QuicFrame>
Frames(const std::vector<uint8_t>& payload, QuicPacketType type, QuicFramePacketSummary& summary)
{
    std::vector<QuicFrame> frames;
    QuicFrameParser parser(payload.data(), payload.size(), type);
    QuicFrame f;
    while (parser.Next(f))
    {
        frames.push_back(f);
    }
    summary = parser.Summary();
    return frames;
}

QuicPacketKeys
KeysFromByte(uint8_t b)
{
    QuicSecret secret;
    secret.fill(b);
    QuicPacketKeys keys;
    QuicDerivePacketKeys(secret, keys);
    return keys;
}

} // namespace

/**
 * \ingroup quic-migration-tests
 * FMT-03: the RFC 9001 App. A.2 client Initial through the whole receive pipeline.
 */
class QuicWireRfcClientInitialTestCase : public TestCase
{
  public:
    QuicWireRfcClientInitialTestCase()
        : TestCase("FMT-03 AMP-04 receive pipeline on the RFC 9001 A.2 client Initial")
    {
    }

  private:
    void DoRun() override
    {
        auto datagram = FromHex(CLIENT_PROTECTED);
        NS_TEST_ASSERT_MSG_EQ(datagram.size(), 1200, "AMP-04: a client Initial datagram is 1200 B");
        bool isLong = false;
        uint32_t version = 0;
        QuicConnectionId dcid;
        NS_TEST_ASSERT_MSG_EQ(
            QuicPeekDestinationCid(datagram.data(), datagram.size(), 8, isLong, version, dcid),
            QuicHeaderStatus::OK,
            "peek");
        NS_TEST_ASSERT_MSG_EQ(isLong, true, "long header");
        NS_TEST_ASSERT_MSG_EQ(dcid.ToHex(), RFC_DCID, "routing DCID");
        QuicPacketKeys client;
        QuicPacketKeys server;
        NS_TEST_ASSERT_MSG_EQ(QuicDeriveInitialKeys(dcid, client, server), true, "keys");

        // The server's view: the client's packet opens with the client keys only.
        auto copy = datagram;
        Opened wrong = OpenOne(copy.data(), copy.size(), 8, server);
        NS_TEST_ASSERT_MSG_EQ(wrong.status, QuicUnprotectStatus::AUTH_FAILED, "server keys fail");

        Opened o = OpenOne(datagram.data(), datagram.size(), 8, client);
        NS_TEST_ASSERT_MSG_EQ(o.status, QuicUnprotectStatus::OK, "opens");
        NS_TEST_ASSERT_MSG_EQ(o.header.m_type, QuicPacketType::INITIAL, "Initial");
        NS_TEST_ASSERT_MSG_EQ(o.packetNumber, 2, "packet number 2");
        NS_TEST_ASSERT_MSG_EQ(o.header.m_pnLength, 4, "4-byte packet number");
        NS_TEST_ASSERT_MSG_EQ(o.packetLength, 1200, "one packet fills the datagram");

        QuicFramePacketSummary summary;
        auto frames = Frames(o.payload, o.header.m_type, summary);
        NS_TEST_ASSERT_MSG_EQ(summary.Ok(), true, "frames decode and are allowed in Initial");
        NS_TEST_ASSERT_MSG_EQ(frames.size(), 2, "CRYPTO then one PADDING run");
        if (frames.size() != 2)
        {
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(frames[0].m_type, QuicFrameType::CRYPTO, "CRYPTO");
        NS_TEST_ASSERT_MSG_EQ(frames[0].m_offset, 0, "offset 0");
        NS_TEST_ASSERT_MSG_EQ(frames[0].m_dataLength, 241, "ClientHello of 241 bytes");
        NS_TEST_ASSERT_MSG_EQ(frames[0].m_data[0], 0x01, "TLS handshake type client_hello");
        NS_TEST_ASSERT_MSG_EQ(frames[1].m_type, QuicFrameType::PADDING, "PADDING");
        NS_TEST_ASSERT_MSG_EQ(summary.m_ackEliciting, true, "ack-eliciting");
        auto expected = FromHex(CLIENT_CRYPTO_FRAME);
        NS_TEST_ASSERT_MSG_EQ(ToHex(o.payload.data(), expected.size()),
                              ToHex(expected),
                              "plaintext CRYPTO frame as in the RFC");
    }
};

/**
 * \ingroup quic-migration-tests
 * FMT-03: the RFC 9001 App. A.3 server Initial, and every single-byte alteration of it.
 */
class QuicWireRfcServerInitialTestCase : public TestCase
{
  public:
    QuicWireRfcServerInitialTestCase()
        : TestCase("FMT-03 receive pipeline on the RFC 9001 A.3 server Initial, altered bytes")
    {
    }

  private:
    void DoRun() override
    {
        QuicConnectionId dcid;
        QuicConnectionId::FromHex(RFC_DCID, dcid);
        QuicPacketKeys client;
        QuicPacketKeys server;
        QuicDeriveInitialKeys(dcid, client, server);
        const auto original = FromHex(SERVER_PROTECTED);

        auto datagram = original;
        Opened o = OpenOne(datagram.data(), datagram.size(), 8, server);
        NS_TEST_ASSERT_MSG_EQ(o.status, QuicUnprotectStatus::OK, "opens");
        NS_TEST_ASSERT_MSG_EQ(o.packetNumber, 1, "packet number 1");
        NS_TEST_ASSERT_MSG_EQ(o.header.m_scid.ToHex(), "f067a5502a4262b5", "server SCID");
        QuicFramePacketSummary summary;
        auto frames = Frames(o.payload, o.header.m_type, summary);
        NS_TEST_ASSERT_MSG_EQ(summary.Ok(), true, "frames");
        NS_TEST_ASSERT_MSG_EQ(frames.size(), 2, "ACK + CRYPTO");
        if (frames.size() != 2)
        {
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(frames[0].m_type, QuicFrameType::ACK, "ACK");
        NS_TEST_ASSERT_MSG_EQ(frames[0].LargestAcknowledged(), 0, "acknowledges packet 0");
        NS_TEST_ASSERT_MSG_EQ(frames[1].m_type, QuicFrameType::CRYPTO, "CRYPTO");
        NS_TEST_ASSERT_MSG_EQ(frames[1].m_dataLength, 90, "ServerHello of 90 bytes");
        NS_TEST_ASSERT_MSG_EQ(ToHex(o.payload), ToHex(FromHex(SERVER_PAYLOAD)), "plaintext");

        // Any single altered byte: never accepted (dropped at the header or by the AEAD).
        for (size_t i = 0; i < original.size(); ++i)
        {
            for (uint8_t flip : {uint8_t{0x01}, uint8_t{0x80}})
            {
                auto altered = original;
                altered[i] ^= flip;
                Opened a = OpenOne(altered.data(), altered.size(), 8, server);
                bool accepted =
                    a.headerStatus == QuicHeaderStatus::OK && a.status == QuicUnprotectStatus::OK;
                NS_TEST_ASSERT_MSG_EQ(accepted, false, "byte " << i << " ^ " << int(flip));
            }
        }
        // Every truncation: never accepted, never a crash.
        for (size_t n = 0; n < original.size(); ++n)
        {
            std::vector<uint8_t> cut(original.begin(), original.begin() + n);
            Opened a = OpenOne(cut.data(), cut.size(), 8, server);
            bool accepted =
                a.headerStatus == QuicHeaderStatus::OK && a.status == QuicUnprotectStatus::OK;
            NS_TEST_ASSERT_MSG_EQ(accepted, false, "truncated to " << n);
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * FMT-04 FMT-08 AMP-04: QuicPacketBuilder coalesces Initial + Handshake + 1-RTT packets in one
 * 1200-byte datagram; the receive pipeline splits and opens each with its own keys.
 */
class QuicWireCoalescedDatagramTestCase : public TestCase
{
  public:
    QuicWireCoalescedDatagramTestCase()
        : TestCase("FMT-04 FMT-08 AMP-04 builder: coalesced Initial+Handshake+1-RTT datagram")
    {
    }

  private:
    void DoRun() override
    {
        QuicConnectionId dcid;
        QuicConnectionId::FromHex("0102030405060708", dcid);
        QuicConnectionId scid;
        QuicConnectionId::FromHex("a1a2a3a4a5a6a7a8", scid);
        QuicPacketKeys initial;
        QuicPacketKeys unused;
        QuicDeriveInitialKeys(dcid, initial, unused);
        const QuicPacketKeys handshake = KeysFromByte(0x11);
        const QuicPacketKeys oneRtt = KeysFromByte(0x22);

        std::vector<uint8_t> datagram;
        datagram.reserve(1500);
        const uint8_t hello[] = {1, 0, 0, 4, 3, 3, 0, 0};
        const uint8_t streamData[] = "hello over 1-RTT";

        QuicPacketBuilder b;
        QuicPacketHeader h;
        h.m_type = QuicPacketType::INITIAL;
        h.m_dcid = dcid;
        h.m_scid = scid;
        NS_TEST_ASSERT_MSG_EQ(b.Begin(datagram, h, 0, std::nullopt, 1200), true, "Initial");
        NS_TEST_ASSERT_MSG_EQ(b.AddFrame(QuicFrame::Crypto(0, hello, sizeof(hello))), true, "c");
        QuicPacketProtector initialSealer(initial);
        NS_TEST_ASSERT_MSG_EQ(b.Finish(initialSealer), true, "protect Initial");
        size_t firstLength = datagram.size();

        h.m_type = QuicPacketType::HANDSHAKE;
        NS_TEST_ASSERT_MSG_EQ(b.Begin(datagram, h, 7, 5, 1200 - datagram.size()), true, "HS");
        NS_TEST_ASSERT_MSG_EQ(b.AddFrame(QuicFrame::Ping()), true, "ping");
        QuicPacketProtector hsSealer(handshake);
        NS_TEST_ASSERT_MSG_EQ(b.Finish(hsSealer), true, "protect Handshake");
        size_t secondEnd = datagram.size();

        QuicPacketHeader s;
        s.m_type = QuicPacketType::ONE_RTT;
        s.m_dcid = dcid;
        s.m_spinBit = true;
        const uint64_t pn = 0x12345;
        NS_TEST_ASSERT_MSG_EQ(b.Begin(datagram, s, pn, 0x12300, 1200 - datagram.size()),
                              true,
                              "1-RTT");
        NS_TEST_ASSERT_MSG_EQ(b.AddFrame(QuicFrame::Stream(4, 0, streamData, 16, true)), true, "s");
        b.PadDatagramTo(1200);
        NS_TEST_ASSERT_MSG_EQ(b.AddFrame(QuicFrame::Ping()), false, "no room left after padding");
        QuicPacketProtector appSealer(oneRtt);
        NS_TEST_ASSERT_MSG_EQ(b.Finish(appSealer), true, "protect 1-RTT");
        NS_TEST_ASSERT_MSG_EQ(datagram.size(), 1200, "AMP-04: padded to exactly 1200 bytes");

        // Receive: split by the Length fields of the long headers.
        Opened a = OpenOne(datagram.data(), datagram.size(), 8, initial);
        NS_TEST_ASSERT_MSG_EQ(a.status, QuicUnprotectStatus::OK, "Initial opens");
        NS_TEST_ASSERT_MSG_EQ(a.packetLength, firstLength, "Initial length");
        Opened c =
            OpenOne(datagram.data() + firstLength, datagram.size() - firstLength, 8, handshake);
        NS_TEST_ASSERT_MSG_EQ(c.status, QuicUnprotectStatus::OK, "Handshake opens");
        NS_TEST_ASSERT_MSG_EQ(c.header.m_type, QuicPacketType::HANDSHAKE, "Handshake type");
        NS_TEST_ASSERT_MSG_EQ(c.packetNumber, 7, "Handshake pn");
        NS_TEST_ASSERT_MSG_EQ(firstLength + c.packetLength, secondEnd, "Handshake length");
        auto copy = datagram;
        Opened wrongWindow =
            OpenOne(copy.data() + secondEnd, copy.size() - secondEnd, 8, oneRtt, std::nullopt);
        NS_TEST_ASSERT_MSG_EQ(wrongWindow.status,
                              QuicUnprotectStatus::AUTH_FAILED,
                              "FMT-08: a wrongly recovered packet number fails the AEAD");
        Opened d = OpenOne(datagram.data() + secondEnd,
                           datagram.size() - secondEnd,
                           8,
                           oneRtt,
                           uint64_t{0x12340});
        NS_TEST_ASSERT_MSG_EQ(d.status, QuicUnprotectStatus::OK, "1-RTT opens");
        NS_TEST_ASSERT_MSG_EQ(d.header.m_type, QuicPacketType::ONE_RTT, "short header");
        NS_TEST_ASSERT_MSG_EQ(d.header.m_spinBit, true, "spin bit");
        NS_TEST_ASSERT_MSG_EQ(d.header.m_dcid, dcid, "1-RTT DCID");
        // The packet number was sent truncated; recovery needs the expected window.
        NS_TEST_ASSERT_MSG_LT(d.header.m_pnLength, 4, "truncated packet number");
        QuicFramePacketSummary summary;
        auto frames = Frames(d.payload, QuicPacketType::ONE_RTT, summary);
        NS_TEST_ASSERT_MSG_EQ(summary.Ok(), true, "1-RTT frames");
        NS_TEST_ASSERT_MSG_EQ(d.packetNumber, pn, "full packet number recovered");
        NS_TEST_ASSERT_MSG_EQ(frames.size(), 2, "one STREAM frame and one PADDING run");
        if (frames.size() < 2)
        {
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(frames[1].m_type, QuicFrameType::PADDING, "then PADDING");
        NS_TEST_ASSERT_MSG_EQ(frames[0].m_type, QuicFrameType::STREAM_LEN_FIN, "STREAM+LEN+FIN");
        NS_TEST_ASSERT_MSG_EQ(frames[0].DataAsString(), "hello over 1-RTT", "stream data");
    }
};

/**
 * \ingroup quic-migration-tests
 * The builder pads a packet too short for the header-protection sample, refuses frames that
 * do not fit, and the Initial of a 1199-byte datagram is recognisable as too small (AMP-04).
 */
class QuicWireBuilderLimitsTestCase : public TestCase
{
  public:
    QuicWireBuilderLimitsTestCase()
        : TestCase("builder limits: sample padding, budget, unencodable header")
    {
    }

  private:
    void DoRun() override
    {
        const QuicPacketKeys keys = KeysFromByte(0x33);
        QuicConnectionId dcid;
        QuicConnectionId::FromHex("0a0b0c0d", dcid);
        std::vector<uint8_t> datagram;
        QuicPacketBuilder b;
        QuicPacketHeader s;
        s.m_type = QuicPacketType::ONE_RTT;
        s.m_dcid = dcid;
        // A PING with a 1-byte packet number is 2 bytes: too short to sample without padding.
        NS_TEST_ASSERT_MSG_EQ(b.Begin(datagram, s, 3, 2, 1200), true, "begin");
        NS_TEST_ASSERT_MSG_EQ(b.AddFrame(QuicFrame::Ping()), true, "ping");
        QuicPacketProtector sealer(keys);
        NS_TEST_ASSERT_MSG_EQ(b.Finish(sealer), true, "finish");
        NS_TEST_ASSERT_MSG_EQ(datagram.size(), 1 + 4 + 4 + 16, "padded to the sample minimum");
        Opened o = OpenOne(datagram.data(), datagram.size(), 4, keys);
        NS_TEST_ASSERT_MSG_EQ(o.status, QuicUnprotectStatus::OK, "the padded packet opens");

        // Budget: a 60-byte packet cannot take a 100-byte STREAM frame.
        datagram.clear();
        NS_TEST_ASSERT_MSG_EQ(b.Begin(datagram, s, 4, 3, 60), true, "begin small");
        std::vector<uint8_t> data(100, 0xab);
        NS_TEST_ASSERT_MSG_EQ(b.AddFrame(QuicFrame::Stream(0, 0, data.data(), data.size(), false)),
                              false,
                              "does not fit");
        size_t fit = b.Remaining();
        NS_TEST_ASSERT_MSG_EQ(b.AddFrame(QuicFrame::Padding(fit)), true, "exact fit");
        NS_TEST_ASSERT_MSG_EQ(b.Remaining(), 0, "full");
        NS_TEST_ASSERT_MSG_EQ(b.Finish(sealer), true, "finish");
        NS_TEST_ASSERT_MSG_EQ(datagram.size(), 60, "exactly the budget");

        // A budget too small for even the header is refused without writing.
        datagram.clear();
        NS_TEST_ASSERT_MSG_EQ(b.Begin(datagram, s, 5, 4, 10), false, "budget too small");
        NS_TEST_ASSERT_MSG_EQ(datagram.size(), 0, "nothing written");
        NS_TEST_ASSERT_MSG_EQ(b.AddFrame(QuicFrame::Ping()), false, "not open");
        NS_TEST_ASSERT_MSG_EQ(b.Finish(sealer), false, "not open");
    }
};

/**
 * \ingroup quic-migration-tests
 * Wire-layer integration suite.
 */
class QuicWireIntegrationTestSuite : public TestSuite
{
  public:
    QuicWireIntegrationTestSuite()
        : TestSuite("quic-wire-integration", QUIC_SUITE_UNIT)
    {
        AddTestCase(new QuicWireRfcClientInitialTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicWireRfcServerInitialTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicWireCoalescedDatagramTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicWireBuilderLimitsTestCase, QUIC_TEST_QUICK);
    }
};

static QuicWireIntegrationTestSuite g_quicWireIntegrationTestSuite; //!< registers the suite

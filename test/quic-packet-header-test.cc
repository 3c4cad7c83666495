/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Packet numbers (RFC 9000 §17.1, App. A.2, A.3) and packet headers (RFC 9000 §17, RFC 9001
// App. A). Requirement rows: FMT-03, FMT-04, FMT-05, FMT-06, FMT-08.

#include "quic-ns3-compat.h"
#include "quic-test-utils.h"

#include "ns3/quic-buffer.h"
#include "ns3/quic-connection-id.h"
#include "ns3/quic-error.h"
#include "ns3/quic-packet-header.h"
#include "ns3/quic-packet-number.h"
#include "ns3/test.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace ns3;

using quictest::FromHex;
using quictest::ToHex;

namespace
{

/**
 * Deterministic 64-bit generator (SplitMix64): the tests must not depend on rand() or on the
 * ns-3 RNG run number.
 */
class TestRng
{
  public:
    /// \param seed the seed
    explicit TestRng(uint64_t seed)
        : m_state(seed)
    {
    }

    /// \return the next 64-bit value
    uint64_t Next()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    /// \param n bound (> 0) \return a value in [0, n)
    uint64_t Below(uint64_t n)
    {
        return Next() % n;
    }

  private:
    uint64_t m_state; //!< generator state
};

/// \param hex hex string \return the connection ID (empty on bad input)
QuicConnectionId
Cid(const std::string& hex)
{
    QuicConnectionId cid;
    QuicConnectionId::FromHex(hex, cid);
    return cid;
}

/**
 * \param p start of a view \param n its length \param buf the buffer
 * \return true if [p, p + n) lies within buf (an empty view is always fine)
 */
bool
ViewWithin(const uint8_t* p, size_t n, const std::vector<uint8_t>& buf)
{
    if (n == 0)
    {
        return true;
    }
    return p != nullptr && p >= buf.data() && n <= buf.size() &&
           static_cast<size_t>(p - buf.data()) <= buf.size() - n;
}

/// The three long-header types that carry a packet number.
const QuicPacketType g_pnLongTypes[] = {QuicPacketType::INITIAL,
                                        QuicPacketType::ZERO_RTT,
                                        QuicPacketType::HANDSHAKE};

} // namespace

/**
 * \ingroup quic-migration-tests
 * FMT-08: the encoding-length examples of RFC 9000 App. A.2 and the "full packet number before
 * any acknowledgment" rule of §17.1.
 */
class QuicPacketNumberLengthTestCase : public TestCase
{
  public:
    QuicPacketNumberLengthTestCase()
        : TestCase("FMT-08 RFC 9000 App. A.2 packet number encoding length")
    {
    }

  private:
    void DoRun() override
    {
        // App. A.2: 29,519 outstanding -> twice is 0xe69e -> 16 bits.
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(0xac5c02, 0xabe8b3), 2, "App. A.2 0xac5c02");
        // App. A.2: twice the range is 0x020096 -> 18 bits -> 24-bit encoding.
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(0xace8fe, 0xabe8b3), 3, "App. A.2 0xace8fe");

        // Before any acknowledgment the whole number is covered (num_unacked = pn + 1).
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(0, std::nullopt), 1, "pn 0, no ack");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(126, std::nullopt), 1, "pn 126, no ack");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(127, std::nullopt), 2, "pn 127, no ack");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(0x7ffe, std::nullopt), 2, "no ack, 2 bytes");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(0x7fff, std::nullopt), 3, "no ack, 3 bytes");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(0x7ffffe, std::nullopt), 3, "no ack, 3 B");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(0x7fffff, std::nullopt), 4, "no ack, 4 B");

        // "More than twice": a distance of exactly 2^(8n-1) needs n + 1 bytes.
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(1000 + 127, 1000), 1, "distance 127");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(1000 + 128, 1000), 2, "distance 128");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(1 + 0x7fff, 1), 2, "distance 0x7fff");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(1 + 0x8000, 1), 3, "distance 0x8000");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(5 + 0x800000, 5), 4, "distance 0x800000");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(1ULL << 40, 0), 4, "too far: capped at 4");

        // Inconsistent calls give the safest length.
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(10, 10), 4, "pn == largest acked");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(10, 20), 4, "pn < largest acked");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberLength(~0ULL, std::nullopt), 4, "pn > 2^62-1");

        // Truncation keeps the low bytes.
        NS_TEST_ASSERT_MSG_EQ(QuicTruncatePacketNumber(0xac5c02, 2), 0x5c02, "truncate 2");
        NS_TEST_ASSERT_MSG_EQ(QuicTruncatePacketNumber(0xa82f9b32, 1), 0x32, "truncate 1");
        NS_TEST_ASSERT_MSG_EQ(QuicTruncatePacketNumber(0x1a82f9b32ULL, 4), 0xa82f9b32, "trunc 4");
        NS_TEST_ASSERT_MSG_EQ(QuicTruncatePacketNumber(0x1234, 0), 0, "truncate 0");
        NS_TEST_ASSERT_MSG_EQ(QuicTruncatePacketNumber(~0ULL, 9), ~0ULL, "truncate 9");
    }
};

/**
 * \ingroup quic-migration-tests
 * FMT-08: packet number recovery, RFC 9000 App. A.3 and RFC 9001 App. A.5, window edges and
 * refusals.
 */
class QuicPacketNumberDecodeTestCase : public TestCase
{
  public:
    QuicPacketNumberDecodeTestCase()
        : TestCase("FMT-08 RFC 9000 App. A.3 packet number decoding")
    {
    }

  private:
    void DoRun() override
    {
        uint64_t pn = 0;
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(0xa82f30ea, 0x9b32, 2, pn), true, "A.3");
        NS_TEST_ASSERT_MSG_EQ(pn, 0xa82f9b32ULL, "App. A.3 example");

        // RFC 9001 App. A.5: pn 654360564 sent as the 3-byte value 0x00bff4 (49140).
        NS_TEST_ASSERT_MSG_EQ(QuicTruncatePacketNumber(654360564, 3), 49140, "A.5 truncation");
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(654360563, 0x00bff4, 3, pn), true, "A.5");
        NS_TEST_ASSERT_MSG_EQ(pn, 654360564ULL, "RFC 9001 App. A.5");

        // Nothing received yet: expected is 0.
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(std::nullopt, 0, 1, pn), true, "first");
        NS_TEST_ASSERT_MSG_EQ(pn, 0u, "first packet 0");
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(std::nullopt, 2, 4, pn), true, "first 2");
        NS_TEST_ASSERT_MSG_EQ(pn, 2u, "first packet 2");
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(std::nullopt, 0xff, 1, pn), true, "0xff");
        NS_TEST_ASSERT_MSG_EQ(pn, 0xffu, "no wrap below zero");

        // Wrap forward and backward across a window boundary.
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(0x1fe, 0x01, 1, pn), true, "forward");
        NS_TEST_ASSERT_MSG_EQ(pn, 0x201u, "forward wrap");
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(0x201, 0xfe, 1, pn), true, "backward");
        NS_TEST_ASSERT_MSG_EQ(pn, 0x1feu, "backward wrap");

        // Window edges for 1 byte, expected = 0x1000: (0x1000 - 128, 0x1000 + 128].
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(0xfff, 0x81, 1, pn), true, "low edge");
        NS_TEST_ASSERT_MSG_EQ(pn, 0xf81u, "lowest value in window");
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(0xfff, 0x80, 1, pn), true, "high edge");
        NS_TEST_ASSERT_MSG_EQ(pn, 0x1080u, "highest value in window");

        // The top of the space: 2^62-1 decodes, nothing above it does.
        const uint64_t max = QUIC_VARINT_MAX;
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(max - 1, max & 0xff, 1, pn), true, "max");
        NS_TEST_ASSERT_MSG_EQ(pn, max, "2^62-1");
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(max, 0x00, 1, pn), false, "space exhausted");
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(max, max & 0xff, 1, pn), true, "dup max");
        NS_TEST_ASSERT_MSG_EQ(pn, max, "duplicate of 2^62-1 still decodes");

        // Refusals leave the output untouched.
        pn = 77;
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(5, 1, 0, pn), false, "length 0");
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(5, 1, 5, pn), false, "length 5");
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(5, 0x100, 1, pn), false, "value > 1 byte");
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(max + 1, 1, 1, pn), false, "largest > max");
        NS_TEST_ASSERT_MSG_EQ(pn, 77u, "output untouched");
    }
};

/**
 * \ingroup quic-migration-tests
 * FMT-08: truncation then recovery gives back the packet number for every value in the
 * decoding window, at random points and at the window edges; and the length chosen by the
 * sender always decodes at a receiver that has seen anything from the largest acknowledged
 * packet up to the previous one.
 */
class QuicPacketNumberRoundTripTestCase : public TestCase
{
  public:
    QuicPacketNumberRoundTripTestCase()
        : TestCase("FMT-08 packet number truncation and recovery round trips")
    {
    }

  private:
    void DoRun() override
    {
        TestRng rng(0x5eed0001);
        for (int i = 0; i < 200000; ++i)
        {
            const size_t len = 1 + rng.Below(4);
            const uint64_t win = 1ULL << (8 * len);
            const uint64_t hwin = win / 2;
            // Mostly small numbers, sometimes near the top of the space.
            uint64_t largest = (i % 3 == 0) ? rng.Below(4 * win) : rng.Below(QUIC_VARINT_MAX - win);
            const uint64_t expected = largest + 1;
            // A value in (expected - hwin, expected + hwin], clipped at 0.
            uint64_t lo = expected >= hwin ? expected - hwin + 1 : 0;
            uint64_t hi = expected + hwin;
            uint64_t full;
            switch (i % 4)
            {
            case 0:
                full = lo;
                break;
            case 1:
                full = hi;
                break;
            default:
                full = lo + rng.Below(hi - lo + 1);
                break;
            }
            uint64_t back = 0;
            bool ok =
                QuicDecodePacketNumber(largest, QuicTruncatePacketNumber(full, len), len, back);
            if (!ok || back != full)
            {
                NS_TEST_ASSERT_MSG_EQ(back,
                                      full,
                                      "largest " << largest << " len " << len << " ok " << ok);
            }
        }

        // Sender side: the length from QuicPacketNumberLength() decodes whatever the receiver
        // has processed between the largest acknowledged packet and the previous packet.
        for (int i = 0; i < 200000; ++i)
        {
            const bool acked = (i % 5) != 0;
            const uint64_t largestAcked = rng.Below(1ULL << (8 + rng.Below(40)));
            const uint64_t gap = 1 + rng.Below(1ULL << rng.Below(31));
            const uint64_t full = acked ? largestAcked + gap : gap - 1;
            const size_t len = acked ? QuicPacketNumberLength(full, largestAcked)
                                     : QuicPacketNumberLength(full, std::nullopt);
            const uint64_t trunc = QuicTruncatePacketNumber(full, len);
            uint64_t back = 0;
            if (acked)
            {
                for (uint64_t rx : {largestAcked, full - 1, largestAcked + (gap - 1) / 2})
                {
                    bool ok = QuicDecodePacketNumber(rx, trunc, len, back);
                    if (!ok || back != full)
                    {
                        NS_TEST_ASSERT_MSG_EQ(back, full, "acked " << largestAcked << " rx " << rx);
                    }
                }
            }
            else
            {
                // Nothing acknowledged: decodes both with no state and after the previous one.
                bool ok = QuicDecodePacketNumber(std::nullopt, trunc, len, back);
                if (!ok || back != full)
                {
                    NS_TEST_ASSERT_MSG_EQ(back, full, "no ack, nothing received, pn " << full);
                }
                if (full > 0)
                {
                    ok = QuicDecodePacketNumber(full - 1, trunc, len, back);
                    if (!ok || back != full)
                    {
                        NS_TEST_ASSERT_MSG_EQ(back, full, "no ack, pn " << full);
                    }
                }
            }
        }

        // Random inputs: never a value outside the space; within the window unless the
        // window is clipped by 0 or by 2^62-1.
        for (int i = 0; i < 100000; ++i)
        {
            const size_t len = rng.Below(6);
            const uint64_t trunc = rng.Below(1ULL << (8 * (len % 5) + 1));
            uint64_t largest;
            switch (i % 3)
            {
            case 0:
                largest = rng.Next();
                break;
            case 1:
                largest = rng.Below(1ULL << 34);
                break;
            default:
                largest = QUIC_VARINT_MAX - rng.Below(1ULL << 33);
                break;
            }
            uint64_t back = 0;
            if (QuicDecodePacketNumber(largest, trunc, len, back))
            {
                const uint64_t win = 1ULL << (8 * len);
                if (back > QUIC_VARINT_MAX || QuicTruncatePacketNumber(back, len) != trunc)
                {
                    NS_TEST_ASSERT_MSG_EQ(back, trunc, "decoded value inconsistent");
                }
                const uint64_t expected = largest + 1;
                const uint64_t dist = back > expected ? back - expected : expected - back;
                const bool clipped = (back > expected && back < win) ||
                                     (back < expected && back + win > QUIC_VARINT_MAX);
                if (dist > win / 2 && !clipped)
                {
                    NS_TEST_ASSERT_MSG_EQ((dist <= win / 2),
                                          true,
                                          "decoded outside the window: largest "
                                              << largest << " trunc " << trunc << " len " << len
                                              << " -> " << back);
                }
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * Packet number spaces of each packet type (RFC 9001 §4, Table 1).
 */
class QuicPacketNumberSpaceTestCase : public TestCase
{
  public:
    QuicPacketNumberSpaceTestCase()
        : TestCase("packet number space of each packet type")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(
            (QuicPacketNumberSpaceOf(QuicPacketType::INITIAL) == QuicPacketNumberSpace::INITIAL),
            true,
            "Initial");
        NS_TEST_ASSERT_MSG_EQ((QuicPacketNumberSpaceOf(QuicPacketType::HANDSHAKE) ==
                               QuicPacketNumberSpace::HANDSHAKE),
                              true,
                              "Handshake");
        NS_TEST_ASSERT_MSG_EQ((QuicPacketNumberSpaceOf(QuicPacketType::ZERO_RTT) ==
                               QuicPacketNumberSpace::APPLICATION),
                              true,
                              "0-RTT");
        NS_TEST_ASSERT_MSG_EQ((QuicPacketNumberSpaceOf(QuicPacketType::ONE_RTT) ==
                               QuicPacketNumberSpace::APPLICATION),
                              true,
                              "1-RTT");
        NS_TEST_ASSERT_MSG_EQ(QuicPacketNumberSpaceOf(QuicPacketType::RETRY).has_value(),
                              false,
                              "Retry");
        NS_TEST_ASSERT_MSG_EQ(
            QuicPacketNumberSpaceOf(QuicPacketType::VERSION_NEGOTIATION).has_value(),
            false,
            "Version Negotiation");
        NS_TEST_ASSERT_MSG_EQ(
            std::string(QuicPacketNumberSpaceName(QuicPacketNumberSpace::APPLICATION)),
            "Application",
            "name");
        NS_TEST_ASSERT_MSG_EQ(static_cast<size_t>(QuicPacketNumberSpace::APPLICATION) + 1,
                              QUIC_PN_SPACE_COUNT,
                              "dense values");
    }
};

/**
 * \ingroup quic-migration-tests
 * FMT-03: the unprotected Initial headers of RFC 9001 App. A.2 (client) and A.3 (server) parse
 * to the documented fields and re-encode to the same bytes; the two-stage parse also works on
 * the protected packets when the header-protection masks given in the RFC are removed by hand.
 */
class QuicInitialHeaderVectorsTestCase : public TestCase
{
  public:
    QuicInitialHeaderVectorsTestCase()
        : TestCase("FMT-03 RFC 9001 App. A.2 and A.3 Initial headers")
    {
    }

  private:
    void DoRun() override
    {
        // --- Client Initial (RFC 9001 App. A.2): header, then 1182 bytes of PN + payload.
        const std::string clientHex = "c300000001088394c8f03e5157080000449e00000002";
        auto pkt = FromHex(clientHex);
        NS_TEST_ASSERT_MSG_EQ(pkt.size(), 22u, "client header size");
        // Pad to the full packet so that Length (1182, counting the 4-byte PN) fits.
        pkt.resize(18 + 1182, 0);
        QuicPacketHeader h;
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(pkt.data(), pkt.size(), 0, h),
                              QuicHeaderStatus::OK,
                              "stage 1");
        NS_TEST_ASSERT_MSG_EQ(h.m_type, QuicPacketType::INITIAL, "type");
        NS_TEST_ASSERT_MSG_EQ(h.m_version, 1u, "version");
        NS_TEST_ASSERT_MSG_EQ(h.m_dcid.ToHex(), "8394c8f03e515708", "DCID");
        NS_TEST_ASSERT_MSG_EQ(h.m_scid.Length(), 0u, "empty SCID");
        NS_TEST_ASSERT_MSG_EQ(h.m_tokenLength, 0u, "empty token");
        NS_TEST_ASSERT_MSG_EQ(h.m_length, 1182u, "Length 0x49e");
        NS_TEST_ASSERT_MSG_EQ(h.m_lengthFieldSize, 2u, "Length on 2 bytes");
        NS_TEST_ASSERT_MSG_EQ(h.m_pnOffset, 18u, "pnOffset");
        NS_TEST_ASSERT_MSG_EQ(h.m_packetLength, 1200u, "packet length");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(pkt.data(), pkt.size(), h),
                              QuicHeaderStatus::OK,
                              "stage 2");
        NS_TEST_ASSERT_MSG_EQ(h.m_pnLength, 4u, "PN length");
        NS_TEST_ASSERT_MSG_EQ(h.m_truncatedPn, 2u, "PN");
        NS_TEST_ASSERT_MSG_EQ(h.m_reservedBits, 0u, "reserved");
        NS_TEST_ASSERT_MSG_EQ(h.PayloadOffset(), 22u, "payload offset");

        // Encoding the same fields gives the same bytes.
        QuicPacketHeader e;
        e.m_type = QuicPacketType::INITIAL;
        e.m_version = QUIC_VERSION_1;
        e.m_dcid = Cid("8394c8f03e515708");
        e.m_length = 1182;
        e.m_lengthFieldSize = 2;
        e.m_pnLength = 4;
        e.m_truncatedPn = 2;
        std::vector<uint8_t> out;
        QuicBufferWriter w(out);
        QuicHeaderLayout layout;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w, &layout), true, "encode");
        NS_TEST_ASSERT_MSG_EQ(ToHex(out), clientHex, "client header bytes");
        NS_TEST_ASSERT_MSG_EQ(layout.m_pnOffset, 18u, "encoded pnOffset");
        NS_TEST_ASSERT_MSG_EQ(layout.m_lengthOffset, 16u, "Length offset");
        NS_TEST_ASSERT_MSG_EQ(layout.m_headerLength, 22u, "header length");

        // The parsed header re-encodes to the same bytes too.
        out.clear();
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(h, w), true, "re-encode parsed");
        NS_TEST_ASSERT_MSG_EQ(ToHex(out), clientHex, "parsed header round trip");

        // Protected client packet: first byte c0, PN 7b9aec34; mask 437b9aec36 (App. A.2).
        auto prot = FromHex("c000000001088394c8f03e5157080000449e7b9aec34");
        prot.resize(1200, 0);
        QuicPacketHeader p;
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(prot.data(), prot.size(), 0, p),
                              QuicHeaderStatus::OK,
                              "stage 1 on the protected packet");
        NS_TEST_ASSERT_MSG_EQ(p.m_pnOffset, 18u, "pnOffset before unprotect");
        const uint8_t mask[] = {0x43, 0x7b, 0x9a, 0xec, 0x36};
        prot[0] ^= mask[0] & 0x0f;
        const size_t pnLen = (prot[0] & 0x03) + 1;
        for (size_t i = 0; i < pnLen; ++i)
        {
            prot[p.m_pnOffset + i] ^= mask[1 + i];
        }
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(prot.data(), prot.size(), p),
                              QuicHeaderStatus::OK,
                              "stage 2 after unprotect");
        NS_TEST_ASSERT_MSG_EQ(p.m_pnLength, 4u, "unprotected PN length");
        NS_TEST_ASSERT_MSG_EQ(p.m_truncatedPn, 2u, "unprotected PN");

        // --- Server Initial (RFC 9001 App. A.3).
        const std::string serverHex = "c1000000010008f067a5502a4262b50040750001";
        auto spkt = FromHex(serverHex);
        const size_t sPnOffset = 18;
        spkt.resize(sPnOffset + 0x75, 0);
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(spkt.data(), spkt.size(), 0, h),
                              QuicHeaderStatus::OK,
                              "server stage 1");
        NS_TEST_ASSERT_MSG_EQ(h.m_type, QuicPacketType::INITIAL, "server type");
        NS_TEST_ASSERT_MSG_EQ(h.m_dcid.Length(), 0u, "server empty DCID");
        NS_TEST_ASSERT_MSG_EQ(h.m_scid.ToHex(), "f067a5502a4262b5", "server SCID");
        NS_TEST_ASSERT_MSG_EQ(h.m_tokenLength, 0u, "server token");
        NS_TEST_ASSERT_MSG_EQ(h.m_length, 0x75u, "server Length");
        NS_TEST_ASSERT_MSG_EQ(h.m_pnOffset, sPnOffset, "server pnOffset");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(spkt.data(), spkt.size(), h),
                              QuicHeaderStatus::OK,
                              "server stage 2");
        NS_TEST_ASSERT_MSG_EQ(h.m_pnLength, 2u, "server PN length");
        NS_TEST_ASSERT_MSG_EQ(h.m_truncatedPn, 1u, "server PN");

        QuicPacketHeader se;
        se.m_type = QuicPacketType::INITIAL;
        se.m_scid = Cid("f067a5502a4262b5");
        se.m_length = 0x75;
        se.m_lengthFieldSize = 2;
        se.m_pnLength = 2;
        se.m_truncatedPn = 1;
        out.clear();
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(se, w), true, "server encode");
        NS_TEST_ASSERT_MSG_EQ(ToHex(out), serverHex, "server header bytes");

        // Protected server header (App. A.3): cf...4075c0d9, mask 2ec0d8356a.
        auto sprot = FromHex("cf000000010008f067a5502a4262b5004075c0d9");
        sprot.resize(sPnOffset + 0x75, 0);
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(sprot.data(), sprot.size(), 0, p),
                              QuicHeaderStatus::OK,
                              "server protected stage 1");
        const uint8_t smask[] = {0x2e, 0xc0, 0xd8, 0x35, 0x6a};
        sprot[0] ^= smask[0] & 0x0f;
        for (size_t i = 0; i < static_cast<size_t>((sprot[0] & 0x03) + 1); ++i)
        {
            sprot[p.m_pnOffset + i] ^= smask[1 + i];
        }
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(sprot.data(), sprot.size(), p),
                              QuicHeaderStatus::OK,
                              "server protected stage 2");
        NS_TEST_ASSERT_MSG_EQ(p.m_pnLength, 2u, "server unprotected PN length");
        NS_TEST_ASSERT_MSG_EQ(p.m_truncatedPn, 1u, "server unprotected PN");
    }
};

/**
 * \ingroup quic-migration-tests
 * FMT-04: short headers. RFC 9001 App. A.5 (protected and unprotected), then round trips with
 * every combination of spin bit, key phase, packet-number length and several CID lengths.
 */
class QuicShortHeaderTestCase : public TestCase
{
  public:
    QuicShortHeaderTestCase()
        : TestCase("FMT-04 short header: RFC 9001 App. A.5, spin, key phase, PN lengths")
    {
    }

  private:
    void DoRun() override
    {
        // RFC 9001 App. A.5: 21-byte protected packet, empty DCID; mask aefefe7d03.
        auto pkt = FromHex("4cfe4189655e5cd55c41f69080575d7999c25a5bfb");
        QuicPacketHeader h;
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(pkt.data(), pkt.size(), 0, h),
                              QuicHeaderStatus::OK,
                              "stage 1");
        NS_TEST_ASSERT_MSG_EQ(h.m_type, QuicPacketType::ONE_RTT, "type");
        NS_TEST_ASSERT_MSG_EQ(h.m_pnOffset, 1u, "pnOffset");
        NS_TEST_ASSERT_MSG_EQ(h.m_packetLength, 21u, "rest of the datagram");
        NS_TEST_ASSERT_MSG_EQ(h.m_spinBit, false, "spin (not protected)");
        const uint8_t mask[] = {0xae, 0xfe, 0xfe, 0x7d, 0x03};
        pkt[0] ^= mask[0] & 0x1f;
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(pkt[0]), 0x42, "unprotected first byte");
        for (size_t i = 0; i < static_cast<size_t>((pkt[0] & 0x03) + 1); ++i)
        {
            pkt[h.m_pnOffset + i] ^= mask[1 + i];
        }
        NS_TEST_ASSERT_MSG_EQ(ToHex(pkt.data(), 4), "4200bff4", "unprotected header");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(pkt.data(), pkt.size(), h),
                              QuicHeaderStatus::OK,
                              "stage 2");
        NS_TEST_ASSERT_MSG_EQ(h.m_pnLength, 3u, "PN length");
        NS_TEST_ASSERT_MSG_EQ(h.m_truncatedPn, 49140u, "truncated PN");
        NS_TEST_ASSERT_MSG_EQ(h.m_keyPhase, false, "key phase");
        uint64_t full = 0;
        NS_TEST_ASSERT_MSG_EQ(QuicDecodePacketNumber(654360563, h.m_truncatedPn, 3, full),
                              true,
                              "decode");
        NS_TEST_ASSERT_MSG_EQ(full, 654360564u, "full PN");
        QuicPacketHeader e;
        e.m_type = QuicPacketType::ONE_RTT;
        e.m_pnLength = 3;
        e.m_truncatedPn = 654360564; // the encoder writes the low 3 bytes
        std::vector<uint8_t> out;
        QuicBufferWriter w(out);
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w), true, "encode A.5");
        NS_TEST_ASSERT_MSG_EQ(ToHex(out), "4200bff4", "A.5 header bytes");

        // Round trips.
        TestRng rng(0x5eed0002);
        for (size_t cidLen : {0, 1, 8, 20})
        {
            uint8_t cidBytes[20];
            for (auto& b : cidBytes)
            {
                b = static_cast<uint8_t>(rng.Next());
            }
            for (int spin = 0; spin < 2; ++spin)
            {
                for (int kp = 0; kp < 2; ++kp)
                {
                    for (size_t pnLen = 1; pnLen <= 4; ++pnLen)
                    {
                        QuicPacketHeader s;
                        s.m_type = QuicPacketType::ONE_RTT;
                        s.m_dcid = QuicConnectionId(cidBytes, cidLen);
                        s.m_spinBit = spin;
                        s.m_keyPhase = kp;
                        s.m_pnLength = pnLen;
                        s.m_truncatedPn = rng.Next() & ((1ULL << (8 * pnLen)) - 1);
                        out.clear();
                        QuicHeaderLayout lay;
                        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(s, w, &lay), true, "encode");
                        NS_TEST_ASSERT_MSG_EQ(lay.m_pnOffset, 1 + cidLen, "layout pnOffset");
                        NS_TEST_ASSERT_MSG_EQ(out.size(), 1 + cidLen + pnLen, "header size");
                        out.resize(out.size() + 20, 0xaa); // payload + tag
                        QuicPacketHeader r;
                        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(out.data(), out.size(), cidLen, r),
                                              QuicHeaderStatus::OK,
                                              "stage 1");
                        NS_TEST_ASSERT_MSG_EQ(r.m_spinBit, s.m_spinBit, "spin");
                        NS_TEST_ASSERT_MSG_EQ(r.m_dcid, s.m_dcid, "DCID");
                        NS_TEST_ASSERT_MSG_EQ(r.m_pnOffset, 1 + cidLen, "pnOffset");
                        NS_TEST_ASSERT_MSG_EQ(
                            QuicParseHeaderProtectedFields(out.data(), out.size(), r),
                            QuicHeaderStatus::OK,
                            "stage 2");
                        NS_TEST_ASSERT_MSG_EQ(r.m_keyPhase, s.m_keyPhase, "key phase");
                        NS_TEST_ASSERT_MSG_EQ(r.m_pnLength, pnLen, "PN length");
                        NS_TEST_ASSERT_MSG_EQ(r.m_truncatedPn, s.m_truncatedPn, "PN");
                        NS_TEST_ASSERT_MSG_EQ(r.m_reservedBits, 0u, "reserved");

                        bool isLong = true;
                        uint32_t version = 7;
                        QuicConnectionId routed;
                        NS_TEST_ASSERT_MSG_EQ(QuicPeekDestinationCid(out.data(),
                                                                     out.size(),
                                                                     cidLen,
                                                                     isLong,
                                                                     version,
                                                                     routed),
                                              QuicHeaderStatus::OK,
                                              "peek");
                        NS_TEST_ASSERT_MSG_EQ(isLong, false, "peek: short");
                        NS_TEST_ASSERT_MSG_EQ(routed, s.m_dcid, "peek: DCID");
                    }
                }
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * FMT-03: long header round trips for Initial (with and without token), 0-RTT and Handshake,
 * every PN length and several Length-field sizes; patching Length later; a datagram with
 * coalesced Initial, Handshake and 1-RTT packets split with m_packetLength; routing peek.
 */
class QuicLongHeaderRoundTripTestCase : public TestCase
{
  public:
    QuicLongHeaderRoundTripTestCase()
        : TestCase("FMT-03 long header round trips, Length patching, coalesced packets")
    {
    }

  private:
    void DoRun() override
    {
        TestRng rng(0x5eed0003);
        const std::vector<uint8_t> token = FromHex("0102030405060708090a0b0c0d0e0f1011");
        for (QuicPacketType type : g_pnLongTypes)
        {
            for (size_t pnLen = 1; pnLen <= 4; ++pnLen)
            {
                for (size_t lenSize : {0, 1, 2, 4, 8})
                {
                    for (size_t dcidLen : {0, 8, 20})
                    {
                        uint8_t cidBytes[40];
                        for (auto& b : cidBytes)
                        {
                            b = static_cast<uint8_t>(rng.Next());
                        }
                        QuicPacketHeader s;
                        s.m_type = type;
                        s.m_version = QUIC_VERSION_1;
                        s.m_dcid = QuicConnectionId(cidBytes, dcidLen);
                        s.m_scid = QuicConnectionId(cidBytes + 20, 20 - dcidLen / 2);
                        if (type == QuicPacketType::INITIAL && dcidLen != 0)
                        {
                            s.m_token = token.data();
                            s.m_tokenLength = token.size();
                        }
                        const size_t payload = lenSize == 1 ? 40 - pnLen : 300 + rng.Below(900);
                        s.m_length = pnLen + payload; // payload here includes the AEAD tag
                        s.m_lengthFieldSize = lenSize;
                        s.m_pnLength = pnLen;
                        s.m_truncatedPn = rng.Next() & ((1ULL << (8 * pnLen)) - 1);
                        s.m_reservedBits = 0;

                        std::vector<uint8_t> out(3, 0xee); // something before: offsets are relative
                        QuicBufferWriter w(out);
                        QuicHeaderLayout lay;
                        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(s, w, &lay), true, "encode");
                        NS_TEST_ASSERT_MSG_EQ(lay.m_packetStart, 3u, "packet start");
                        NS_TEST_ASSERT_MSG_EQ(lay.m_headerLength, out.size() - 3, "hdr length");
                        w.WriteZeros(payload);
                        const uint8_t* pkt = out.data() + 3;
                        const size_t size = out.size() - 3;
                        QuicPacketHeader r;
                        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(pkt, size, 0, r),
                                              QuicHeaderStatus::OK,
                                              "stage 1 " << QuicPacketTypeName(type));
                        NS_TEST_ASSERT_MSG_EQ(r.m_type, type, "type");
                        NS_TEST_ASSERT_MSG_EQ(r.m_version, s.m_version, "version");
                        NS_TEST_ASSERT_MSG_EQ(r.m_dcid, s.m_dcid, "DCID");
                        NS_TEST_ASSERT_MSG_EQ(r.m_scid, s.m_scid, "SCID");
                        NS_TEST_ASSERT_MSG_EQ(r.m_dcidLength, s.m_dcid.Length(), "DCID view");
                        NS_TEST_ASSERT_MSG_EQ(r.m_tokenLength, s.m_tokenLength, "token length");
                        if (s.m_tokenLength > 0)
                        {
                            NS_TEST_ASSERT_MSG_EQ(ToHex(r.m_token, r.m_tokenLength),
                                                  ToHex(token),
                                                  "token");
                        }
                        NS_TEST_ASSERT_MSG_EQ(r.m_length, s.m_length, "Length");
                        NS_TEST_ASSERT_MSG_EQ(r.m_lengthFieldSize,
                                              (lenSize == 0 ? QuicVarintSize(s.m_length) : lenSize),
                                              "Length field size");
                        NS_TEST_ASSERT_MSG_EQ(r.m_pnOffset, lay.m_pnOffset, "pnOffset");
                        NS_TEST_ASSERT_MSG_EQ(r.m_packetLength, size, "packet length");
                        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(pkt, size, r),
                                              QuicHeaderStatus::OK,
                                              "stage 2");
                        NS_TEST_ASSERT_MSG_EQ(r.m_pnLength, pnLen, "PN length");
                        NS_TEST_ASSERT_MSG_EQ(r.m_truncatedPn, s.m_truncatedPn, "PN");
                        NS_TEST_ASSERT_MSG_EQ(r.PayloadOffset(), lay.m_headerLength, "payload");

                        // Re-encoding the parsed header gives the same header bytes.
                        std::vector<uint8_t> again;
                        QuicBufferWriter w2(again);
                        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(r, w2), true, "re-encode");
                        NS_TEST_ASSERT_MSG_EQ(ToHex(again),
                                              ToHex(pkt, lay.m_headerLength),
                                              "re-encoded bytes");

                        bool isLong = false;
                        uint32_t version = 0;
                        QuicConnectionId routed;
                        NS_TEST_ASSERT_MSG_EQ(
                            QuicPeekDestinationCid(pkt, size, 8, isLong, version, routed),
                            QuicHeaderStatus::OK,
                            "peek");
                        NS_TEST_ASSERT_MSG_EQ(isLong, true, "peek: long");
                        NS_TEST_ASSERT_MSG_EQ(version, 1u, "peek: version");
                        NS_TEST_ASSERT_MSG_EQ(routed, s.m_dcid, "peek: DCID");
                    }
                }
            }
        }

        // Length not known up front: encode with Length 0 on 2 bytes, then patch.
        QuicPacketHeader s;
        s.m_type = QuicPacketType::HANDSHAKE;
        s.m_dcid = Cid("0011223344556677");
        s.m_scid = Cid("8899aabb");
        s.m_pnLength = 2;
        s.m_truncatedPn = 0x1234;
        s.m_length = 0;
        s.m_lengthFieldSize = 2;
        std::vector<uint8_t> out;
        QuicBufferWriter w(out);
        QuicHeaderLayout lay;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(s, w, &lay), true, "encode, Length unknown");
        NS_TEST_ASSERT_MSG_EQ(lay.m_lengthFieldSize, 2u, "Length field size");
        w.WriteZeros(1000 + 16);
        QuicPacketHeader r;
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(out.data(), out.size(), 0, r),
                              QuicHeaderStatus::OK,
                              "Length 0 parses in stage 1");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(out.data(), out.size(), r),
                              QuicHeaderStatus::TRUNCATED,
                              "but the PN is outside a 0-byte packet");
        NS_TEST_ASSERT_MSG_EQ(QuicPatchLengthField(out, lay, 2 + 1000 + 16), true, "patch");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(out.data(), out.size(), 0, r),
                              QuicHeaderStatus::OK,
                              "patched stage 1");
        NS_TEST_ASSERT_MSG_EQ(r.m_length, 1018u, "patched Length");
        NS_TEST_ASSERT_MSG_EQ(r.m_packetLength, out.size(), "patched packet length");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(out.data(), out.size(), r),
                              QuicHeaderStatus::OK,
                              "patched stage 2");
        NS_TEST_ASSERT_MSG_EQ(r.m_truncatedPn, 0x1234u, "patched PN");
        NS_TEST_ASSERT_MSG_EQ(QuicPatchLengthField(out, lay, 16384), false, "too big for 2 B");
        QuicHeaderLayout none;
        NS_TEST_ASSERT_MSG_EQ(QuicPatchLengthField(out, none, 5), false, "no Length field");
        QuicHeaderLayout outside = lay;
        outside.m_packetStart = out.size();
        NS_TEST_ASSERT_MSG_EQ(QuicPatchLengthField(out, outside, 5), false, "outside buffer");

        // Coalesced datagram: Initial + Handshake + 1-RTT (RFC 9000 §12.2).
        std::vector<uint8_t> dg;
        QuicBufferWriter dw(dg);
        const QuicConnectionId dcid = Cid("a1a2a3a4a5a6a7a8");
        const QuicPacketType order[] = {QuicPacketType::INITIAL,
                                        QuicPacketType::HANDSHAKE,
                                        QuicPacketType::ONE_RTT};
        std::vector<size_t> starts;
        for (QuicPacketType t : order)
        {
            QuicPacketHeader c;
            c.m_type = t;
            c.m_dcid = dcid;
            c.m_scid = Cid("b1b2");
            c.m_pnLength = 1;
            c.m_truncatedPn = 7;
            QuicHeaderLayout l;
            starts.push_back(dg.size());
            NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(c, dw, &l), true, "coalesced encode");
            dw.WriteZeros(30);
            if (c.HasLengthField())
            {
                NS_TEST_ASSERT_MSG_EQ(QuicPatchLengthField(dg, l, 1 + 30), true, "patch");
            }
        }
        size_t off = 0;
        size_t idx = 0;
        while (off < dg.size())
        {
            QuicPacketHeader c;
            NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(dg.data() + off, dg.size() - off, 8, c),
                                  QuicHeaderStatus::OK,
                                  "coalesced parse " << idx);
            NS_TEST_ASSERT_MSG_EQ((idx < 3), true, "at most three packets");
            NS_TEST_ASSERT_MSG_EQ(off, starts[idx], "packet start");
            NS_TEST_ASSERT_MSG_EQ(c.m_type, order[idx], "packet type");
            NS_TEST_ASSERT_MSG_EQ(c.m_dcid, dcid, "same DCID");
            NS_TEST_ASSERT_MSG_EQ(
                QuicParseHeaderProtectedFields(dg.data() + off, dg.size() - off, c),
                QuicHeaderStatus::OK,
                "coalesced stage 2");
            NS_TEST_ASSERT_MSG_EQ(c.m_truncatedPn, 7u, "coalesced PN");
            off += c.m_packetLength;
            ++idx;
        }
        NS_TEST_ASSERT_MSG_EQ(idx, 3u, "three packets");
    }
};

/**
 * \ingroup quic-migration-tests
 * FMT-03: Retry (RFC 9001 App. A.4 bytes) and Version Negotiation parse and round trip; the
 * fixed bit is arbitrary in Version Negotiation (FMT-05 exception); an unknown version with
 * 21- and 30-byte CIDs is still readable so that a server can answer it (FMT-06).
 */
class QuicRetryVersionNegotiationTestCase : public TestCase
{
  public:
    QuicRetryVersionNegotiationTestCase()
        : TestCase("FMT-03 FMT-06 Retry and Version Negotiation")
    {
    }

  private:
    void DoRun() override
    {
        // RFC 9001 App. A.4.
        const std::string retryHex = "ff000000010008f067a5502a4262b5746f6b656e"
                                     "04a265ba2eff4d829058fb3f0f2496ba";
        auto pkt = FromHex(retryHex);
        QuicPacketHeader h;
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(pkt.data(), pkt.size(), 0, h),
                              QuicHeaderStatus::OK,
                              "Retry");
        NS_TEST_ASSERT_MSG_EQ(h.m_type, QuicPacketType::RETRY, "type");
        NS_TEST_ASSERT_MSG_EQ(h.m_dcid.Length(), 0u, "DCID");
        NS_TEST_ASSERT_MSG_EQ(h.m_scid.ToHex(), "f067a5502a4262b5", "SCID");
        NS_TEST_ASSERT_MSG_EQ(
            std::string(reinterpret_cast<const char*>(h.m_token), h.m_tokenLength),
            "token",
            "Retry Token");
        NS_TEST_ASSERT_MSG_EQ(ToHex(h.m_retryIntegrityTag, 16),
                              "04a265ba2eff4d829058fb3f0f2496ba",
                              "Retry Integrity Tag");
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(h.m_unusedBits), 0x0f, "unused bits");
        NS_TEST_ASSERT_MSG_EQ(h.m_packetLength, pkt.size(), "Retry takes the datagram");
        NS_TEST_ASSERT_MSG_EQ(h.HasPacketNumber(), false, "no PN");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(pkt.data(), pkt.size(), h),
                              QuicHeaderStatus::NO_PACKET_NUMBER,
                              "no stage 2 for Retry");
        std::vector<uint8_t> out;
        QuicBufferWriter w(out);
        QuicHeaderLayout lay;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(h, w, &lay), true, "encode Retry");
        NS_TEST_ASSERT_MSG_EQ(ToHex(out), retryHex, "Retry bytes");
        NS_TEST_ASSERT_MSG_EQ(lay.m_retryTagOffset, pkt.size() - 16, "tag offset");
        NS_TEST_ASSERT_MSG_EQ(lay.m_pnOffset, 0u, "no PN offset");
        // Shorter than the tag: truncated.
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(pkt.data(), 15 + 15, 0, h),
                              QuicHeaderStatus::TRUNCATED,
                              "Retry without a full tag");
        // Zero-length token is structurally valid (the client discards it, §17.2.5.2).
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(pkt.data(), 15 + 16, 0, h),
                              QuicHeaderStatus::OK,
                              "empty Retry token");
        NS_TEST_ASSERT_MSG_EQ(h.m_tokenLength, 0u, "empty token length");

        // Version Negotiation built by a server, echoing the client's CIDs.
        const uint32_t versions[] = {QUIC_VERSION_1, 0x1a2a3a4a};
        NS_TEST_ASSERT_MSG_EQ(QuicIsReservedVersion(0x1a2a3a4a), true, "greased version");
        NS_TEST_ASSERT_MSG_EQ(QuicIsReservedVersion(QUIC_VERSION_1), false, "v1 not reserved");
        const auto cdcid = FromHex("0102030405060708");
        const auto cscid = FromHex("aabbccdd");
        out.clear();
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeVersionNegotiation(cscid.data(),
                                                           cscid.size(),
                                                           cdcid.data(),
                                                           cdcid.size(),
                                                           versions,
                                                           2,
                                                           0x40,
                                                           w),
                              true,
                              "encode VN");
        NS_TEST_ASSERT_MSG_EQ(ToHex(out),
                              "c00000000004aabbccdd08010203040506070800000001"
                              "1a2a3a4a",
                              "VN bytes");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(out.data(), out.size(), 0, h),
                              QuicHeaderStatus::OK,
                              "parse VN");
        NS_TEST_ASSERT_MSG_EQ(h.m_type, QuicPacketType::VERSION_NEGOTIATION, "VN type");
        NS_TEST_ASSERT_MSG_EQ(h.m_version, 0u, "version 0");
        NS_TEST_ASSERT_MSG_EQ(h.m_dcid.ToHex(), "aabbccdd", "VN DCID");
        NS_TEST_ASSERT_MSG_EQ(h.m_scid.ToHex(), "0102030405060708", "VN SCID");
        NS_TEST_ASSERT_MSG_EQ(h.m_supportedVersionCount, 2u, "two versions");
        NS_TEST_ASSERT_MSG_EQ(h.GetSupportedVersion(0), QUIC_VERSION_1, "version 1");
        NS_TEST_ASSERT_MSG_EQ(h.GetSupportedVersion(1), 0x1a2a3a4au, "greased");
        NS_TEST_ASSERT_MSG_EQ(h.GetSupportedVersion(2), 0u, "out of range");
        NS_TEST_ASSERT_MSG_EQ(h.m_packetLength, out.size(), "VN takes the datagram");
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(h.m_unusedBits), 0x40, "unused bits");
        std::vector<uint8_t> again;
        QuicBufferWriter w2(again);
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(h, w2), true, "re-encode VN");
        NS_TEST_ASSERT_MSG_EQ(ToHex(again), ToHex(out), "VN round trip");

        // FMT-05 exception: the fixed bit of a Version Negotiation packet is arbitrary.
        out[0] = 0x80;
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(out.data(), out.size(), 0, h),
                              QuicHeaderStatus::OK,
                              "VN with fixed bit cleared");
        // A list that is not a multiple of 4 bytes.
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(out.data(), out.size() - 1, 0, h),
                              QuicHeaderStatus::INVALID_VERSION_LIST,
                              "VN list of 7 bytes");

        // An unknown version with 21- and 30-byte CIDs (legal in other versions).
        std::vector<uint8_t> unk;
        QuicBufferWriter uw(unk);
        uw.WriteU8(0xc0);
        uw.WriteU32(0xff00001d);
        uw.WriteU8(21);
        for (int i = 0; i < 21; ++i)
        {
            uw.WriteU8(static_cast<uint8_t>(i));
        }
        uw.WriteU8(30);
        for (int i = 0; i < 30; ++i)
        {
            uw.WriteU8(static_cast<uint8_t>(0x80 + i));
        }
        uw.WriteZeros(1200 - unk.size());
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(unk.data(), unk.size(), 0, h),
                              QuicHeaderStatus::UNSUPPORTED_VERSION,
                              "unknown version");
        NS_TEST_ASSERT_MSG_EQ(h.m_version, 0xff00001du, "version reported");
        NS_TEST_ASSERT_MSG_EQ(h.m_dcidLength, 21u, "21-byte DCID readable");
        NS_TEST_ASSERT_MSG_EQ(h.m_scidLength, 30u, "30-byte SCID readable");
        NS_TEST_ASSERT_MSG_EQ(h.m_dcid.Length(), 0u, "no QuicConnectionId above 20 bytes");
        NS_TEST_ASSERT_MSG_EQ(static_cast<int>(h.m_scidBytes[29]), 0x80 + 29, "SCID view");
        // The server answers: its DCID is their SCID and vice versa.
        std::vector<uint8_t> vn;
        QuicBufferWriter vw(vn);
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeVersionNegotiation(h.m_scidBytes,
                                                           h.m_scidLength,
                                                           h.m_dcidBytes,
                                                           h.m_dcidLength,
                                                           versions,
                                                           1,
                                                           0x7f,
                                                           vw),
                              true,
                              "VN with long CIDs");
        QuicPacketHeader v;
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(vn.data(), vn.size(), 0, v),
                              QuicHeaderStatus::OK,
                              "parse VN with long CIDs");
        NS_TEST_ASSERT_MSG_EQ(v.m_dcidLength, 30u, "VN DCID 30");
        NS_TEST_ASSERT_MSG_EQ(v.m_scidLength, 21u, "VN SCID 21");
        NS_TEST_ASSERT_MSG_EQ(ToHex(v.m_scidBytes, 21), ToHex(unk.data() + 6, 21), "echoed");
        NS_TEST_ASSERT_MSG_EQ(v.GetSupportedVersion(0), QUIC_VERSION_1, "offered v1");
        // Peek on the unknown version: DCID too long to route, version reported.
        bool isLong = false;
        uint32_t version = 0;
        QuicConnectionId routed;
        NS_TEST_ASSERT_MSG_EQ(
            QuicPeekDestinationCid(unk.data(), unk.size(), 0, isLong, version, routed),
            QuicHeaderStatus::CID_TOO_LONG,
            "peek: 21-byte DCID");
        NS_TEST_ASSERT_MSG_EQ(version, 0xff00001du, "peek: version");
        NS_TEST_ASSERT_MSG_EQ(isLong, true, "peek: long");
        NS_TEST_ASSERT_MSG_EQ(
            QuicEncodeVersionNegotiation(nullptr, 256, nullptr, 0, versions, 1, 0x40, vw),
            false,
            "CID longer than 255");
    }
};

/**
 * \ingroup quic-migration-tests
 * FMT-05 and FMT-06 rejections: fixed bit cleared, reserved bits after header protection
 * removal (PROTOCOL_VIOLATION), CID length 21 in v1, Length past the end, token length past
 * the buffer, bad arguments and encoder refusals.
 */
class QuicHeaderRejectionTestCase : public TestCase
{
  public:
    QuicHeaderRejectionTestCase()
        : TestCase("FMT-05 FMT-06 header rejections")
    {
    }

  private:
    void DoRun() override
    {
        QuicPacketHeader h;
        // The client Initial of RFC 9001 App. A.2, padded to its full length.
        auto initial = FromHex("c300000001088394c8f03e5157080000449e00000002");
        initial.resize(1200, 0);

        // FMT-05: fixed bit cleared, long and short headers.
        auto bad = initial;
        bad[0] &= ~0x40;
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(bad.data(), bad.size(), 0, h),
                              QuicHeaderStatus::FIXED_BIT_CLEARED,
                              "long header, fixed bit 0");
        const auto shortPkt = FromHex("0200bff4655e5cd55c41f69080575d7999c25a5bfb");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(shortPkt.data(), shortPkt.size(), 0, h),
                              QuicHeaderStatus::FIXED_BIT_CLEARED,
                              "short header, fixed bit 0");
        NS_TEST_ASSERT_MSG_EQ(static_cast<uint64_t>(QuicHeaderStatusToTransportError(
                                  QuicHeaderStatus::FIXED_BIT_CLEARED)),
                              0u,
                              "dropped silently");

        // FMT-05: reserved bits after header protection removal, every non-zero value, long and
        // short headers: all fields still filled in, PROTOCOL_VIOLATION once authenticated.
        for (uint8_t reserved = 1; reserved <= 3; ++reserved)
        {
            for (QuicPacketType type : {QuicPacketType::HANDSHAKE, QuicPacketType::ONE_RTT})
            {
                QuicPacketHeader s;
                s.m_type = type;
                s.m_dcid = Cid("0102030405060708");
                s.m_pnLength = 2;
                s.m_truncatedPn = 0x0bcd;
                s.m_length = 2 + 40;
                s.m_keyPhase = true;
                s.m_reservedBits = reserved; // fault injection
                std::vector<uint8_t> out;
                QuicBufferWriter w(out);
                NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(s, w), true, "encode with reserved bits");
                w.WriteZeros(40);
                NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(out.data(), out.size(), 8, h),
                                      QuicHeaderStatus::OK,
                                      "stage 1 cannot see the reserved bits");
                QuicHeaderStatus st = QuicParseHeaderProtectedFields(out.data(), out.size(), h);
                NS_TEST_ASSERT_MSG_EQ(st, QuicHeaderStatus::RESERVED_BITS_SET, "stage 2");
                NS_TEST_ASSERT_MSG_EQ(static_cast<uint64_t>(QuicHeaderStatusToTransportError(st)),
                                      0x0au,
                                      "PROTOCOL_VIOLATION");
                NS_TEST_ASSERT_MSG_EQ(static_cast<int>(h.m_reservedBits), reserved, "value");
                NS_TEST_ASSERT_MSG_EQ(h.m_pnLength, 2u, "PN length still filled in");
                NS_TEST_ASSERT_MSG_EQ(h.m_truncatedPn, 0x0bcdu, "PN still filled in");
                if (type == QuicPacketType::ONE_RTT)
                {
                    NS_TEST_ASSERT_MSG_EQ(h.m_keyPhase, true, "key phase next to reserved bits");
                }
            }
        }

        // FMT-06: DCID or SCID length 21 in a v1 long header.
        bad = initial;
        bad[5] = 21;
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(bad.data(), bad.size(), 0, h),
                              QuicHeaderStatus::CID_TOO_LONG,
                              "DCID length 21");
        bool isLong;
        uint32_t version;
        QuicConnectionId routed;
        NS_TEST_ASSERT_MSG_EQ(
            QuicPeekDestinationCid(bad.data(), bad.size(), 0, isLong, version, routed),
            QuicHeaderStatus::CID_TOO_LONG,
            "peek: DCID length 21");
        bad = initial;
        bad[14] = 21; // SCID length
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(bad.data(), bad.size(), 0, h),
                              QuicHeaderStatus::CID_TOO_LONG,
                              "SCID length 21");
        bad = initial;
        bad[5] = 255;
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(bad.data(), 7, 0, h),
                              QuicHeaderStatus::CID_TOO_LONG,
                              "DCID length 255 in a short buffer");

        // Length past the end of the datagram.
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(initial.data(), 22, 0, h),
                              QuicHeaderStatus::LENGTH_PAST_END,
                              "header alone, Length 1182");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(initial.data(), 1199, 0, h),
                              QuicHeaderStatus::LENGTH_PAST_END,
                              "one byte short");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(initial.data(), 1200, 0, h),
                              QuicHeaderStatus::OK,
                              "exact");
        // Length smaller than the packet number: caught by stage 2.
        auto tiny = FromHex("c300000001088394c8f03e51570800000300000002");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(tiny.data(), tiny.size(), 0, h),
                              QuicHeaderStatus::OK,
                              "Length 3 fits");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(tiny.data(), tiny.size(), h),
                              QuicHeaderStatus::TRUNCATED,
                              "4-byte PN in a 3-byte packet");

        // Token Length varint running past the buffer, and token longer than the buffer.
        auto tok = FromHex("c300000001088394c8f03e51570800");
        tok.push_back(0x80); // 4-byte varint with nothing after it
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(tok.data(), tok.size(), 0, h),
                              QuicHeaderStatus::TRUNCATED,
                              "Token Length varint truncated");
        tok.back() = 0x10; // 16-byte token, 3 bytes present
        tok.insert(tok.end(), {1, 2, 3});
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(tok.data(), tok.size(), 0, h),
                              QuicHeaderStatus::TRUNCATED,
                              "token past the end");
        tok = FromHex("c300000001088394c8f03e515708007fffffffffffffffff");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(tok.data(), tok.size(), 0, h),
                              QuicHeaderStatus::TRUNCATED,
                              "huge token length");

        // Unsupported version with v1-sized CIDs; empty input; bad arguments.
        bad = initial;
        bad[4] = 2;
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(bad.data(), bad.size(), 0, h),
                              QuicHeaderStatus::UNSUPPORTED_VERSION,
                              "version 2");
        NS_TEST_ASSERT_MSG_EQ(h.m_dcid.ToHex(), "8394c8f03e515708", "CIDs of version 2");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(nullptr, 0, 0, h),
                              QuicHeaderStatus::TRUNCATED,
                              "empty");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(nullptr, 100, 0, h),
                              QuicHeaderStatus::TRUNCATED,
                              "null with a size");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(shortPkt.data(), shortPkt.size(), 21, h),
                              QuicHeaderStatus::INVALID_ARGUMENT,
                              "local CID length 21");
        NS_TEST_ASSERT_MSG_EQ(
            QuicPeekDestinationCid(shortPkt.data(), shortPkt.size(), 21, isLong, version, routed),
            QuicHeaderStatus::INVALID_ARGUMENT,
            "peek: local CID length 21");
        // Stage 2 on a buffer whose form does not match the header.
        QuicParseHeader(initial.data(), initial.size(), 0, h);
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(shortPkt.data(), shortPkt.size(), h),
                              QuicHeaderStatus::INVALID_ARGUMENT,
                              "stage 2 on another packet");
        NS_TEST_ASSERT_MSG_EQ(QuicParseHeaderProtectedFields(nullptr, 0, h),
                              QuicHeaderStatus::TRUNCATED,
                              "stage 2 on nothing");

        // Encoder refusals write nothing.
        std::vector<uint8_t> out;
        QuicBufferWriter w(out);
        QuicPacketHeader e;
        e.m_type = QuicPacketType::INITIAL;
        e.m_pnLength = 0;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w), false, "PN length 0");
        e.m_pnLength = 5;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w), false, "PN length 5");
        e.m_pnLength = 1;
        e.m_reservedBits = 4;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w), false, "reserved bits 4");
        e.m_reservedBits = 0;
        e.m_lengthFieldSize = 3;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w), false, "Length field of 3 bytes");
        e.m_lengthFieldSize = 2;
        e.m_length = 16384;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w), false, "Length 16384 on 2 bytes");
        e.m_length = QUIC_VARINT_MAX + 1;
        e.m_lengthFieldSize = 0;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w), false, "Length above 2^62-1");
        e.m_length = 10;
        e.m_tokenLength = 4;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w), false, "null token view");
        const uint8_t t[4] = {1, 2, 3, 4};
        e.m_token = t;
        e.m_type = QuicPacketType::HANDSHAKE;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w), false, "token on a Handshake packet");
        e.m_type = static_cast<QuicPacketType>(9);
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w), false, "not a packet type");
        NS_TEST_ASSERT_MSG_EQ(out.size(), 0u, "nothing written");
        e.m_type = QuicPacketType::INITIAL;
        NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(e, w), true, "Initial with token");
        NS_TEST_ASSERT_MSG_EQ(std::string(QuicHeaderStatusName(QuicHeaderStatus::CID_TOO_LONG)),
                              "CID_TOO_LONG",
                              "status name");
    }
};

/**
 * \ingroup quic-migration-tests
 * Every prefix of valid packets of every type is refused (or, where the format cannot tell,
 * parsed within bounds); each prefix is copied to a buffer of exactly its size so that a
 * memory checker catches any over-read.
 */
class QuicHeaderTruncationTestCase : public TestCase
{
  public:
    QuicHeaderTruncationTestCase()
        : TestCase("header truncated at every byte position")
    {
    }

  private:
    void DoRun() override
    {
        const auto token = FromHex("aabbccddeeff");
        std::vector<std::vector<uint8_t>> packets;
        std::vector<QuicPacketType> types;
        for (QuicPacketType type : {QuicPacketType::INITIAL,
                                    QuicPacketType::ZERO_RTT,
                                    QuicPacketType::HANDSHAKE,
                                    QuicPacketType::ONE_RTT})
        {
            for (size_t pnLen = 1; pnLen <= 4; ++pnLen)
            {
                QuicPacketHeader s;
                s.m_type = type;
                s.m_dcid = Cid("0102030405060708");
                s.m_scid = Cid("0a0b0c0d");
                if (type == QuicPacketType::INITIAL)
                {
                    s.m_token = token.data();
                    s.m_tokenLength = token.size();
                }
                s.m_pnLength = pnLen;
                s.m_truncatedPn = 0x01020304;
                s.m_length = pnLen + 20;
                std::vector<uint8_t> out;
                QuicBufferWriter w(out);
                NS_TEST_ASSERT_MSG_EQ(QuicEncodeHeader(s, w), true, "encode");
                w.WriteZeros(20);
                packets.push_back(out);
                types.push_back(type);
            }
        }
        packets.push_back(FromHex("ff000000010008f067a5502a4262b5746f6b656e"
                                  "04a265ba2eff4d829058fb3f0f2496ba"));
        types.push_back(QuicPacketType::RETRY);

        for (size_t k = 0; k < packets.size(); ++k)
        {
            const auto& full = packets[k];
            QuicPacketHeader ref;
            NS_TEST_ASSERT_MSG_EQ(QuicParseHeader(full.data(), full.size(), 8, ref),
                                  QuicHeaderStatus::OK,
                                  "full packet parses");
            for (size_t n = 0; n < full.size(); ++n)
            {
                std::vector<uint8_t> prefix(full.begin(), full.begin() + n);
                QuicPacketHeader h;
                QuicHeaderStatus st = QuicParseHeader(prefix.data(), prefix.size(), 8, h);
                if (st == QuicHeaderStatus::OK && h.HasPacketNumber())
                {
                    st = QuicParseHeaderProtectedFields(prefix.data(), prefix.size(), h);
                }
                if (types[k] == QuicPacketType::ONE_RTT)
                {
                    // No Length field: a prefix that still holds the packet number is a
                    // (shorter) valid header; anything shorter is refused.
                    const bool holdsPn = n >= ref.m_pnOffset + packets[k][0] % 4 + 1;
                    NS_TEST_ASSERT_MSG_EQ((st == QuicHeaderStatus::OK),
                                          holdsPn,
                                          "short header prefix " << n);
                }
                else if (types[k] == QuicPacketType::RETRY)
                {
                    // The Retry token has no length: prefixes with a whole tag parse (the
                    // integrity tag check rejects them later), shorter ones do not.
                    NS_TEST_ASSERT_MSG_EQ((st == QuicHeaderStatus::OK),
                                          (n >= 15 + 16),
                                          "Retry prefix " << n);
                }
                else
                {
                    NS_TEST_ASSERT_MSG_EQ((st == QuicHeaderStatus::TRUNCATED ||
                                           st == QuicHeaderStatus::LENGTH_PAST_END),
                                          true,
                                          "long header prefix " << n << " of packet " << k << ": "
                                                                << st);
                }
                bool isLong;
                uint32_t version;
                QuicConnectionId dcid;
                QuicPeekDestinationCid(prefix.data(), prefix.size(), 8, isLong, version, dcid);
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * 100,000 pseudo-random buffers (fully random, v1-shaped, and mutations of valid packets):
 * every call returns a status, never crashes, and what it reports lies within the buffer.
 */
class QuicHeaderRandomInputTestCase : public TestCase
{
  public:
    QuicHeaderRandomInputTestCase()
        : TestCase("random bytes: statuses only, views within bounds")
    {
    }

  private:
    void DoRun() override
    {
        TestRng rng(0x5eed0004);
        // A few valid packets to mutate.
        std::vector<std::vector<uint8_t>> seeds;
        {
            auto p = FromHex("c300000001088394c8f03e5157080000449e00000002");
            p.resize(1200, 0);
            seeds.push_back(p);
            seeds.push_back(FromHex("ff000000010008f067a5502a4262b5746f6b656e"
                                    "04a265ba2eff4d829058fb3f0f2496ba"));
            seeds.push_back(FromHex("c00000000004aabbccdd080102030405060708000000011a2a3a4a"));
            seeds.push_back(FromHex("4200bff4655e5cd55c41f69080575d7999c25a5bfb"));
            auto c = FromHex("e1000000010401020304000a00010001020304050607");
            seeds.push_back(c);
        }
        size_t counts[16] = {};
        for (int i = 0; i < 100000; ++i)
        {
            std::vector<uint8_t> buf;
            const int mode = i % 3;
            if (mode == 2)
            {
                buf = seeds[rng.Below(seeds.size())];
                const size_t flips = 1 + rng.Below(4);
                for (size_t f = 0; f < flips && !buf.empty(); ++f)
                {
                    const size_t pos = rng.Below(std::min<size_t>(buf.size(), 40));
                    buf[pos] = static_cast<uint8_t>(rng.Next());
                }
                buf.resize(rng.Below(buf.size() + 8), static_cast<uint8_t>(rng.Next()));
            }
            else
            {
                const size_t len = rng.Below(i % 100 == 0 ? 1500 : 80);
                buf.resize(len);
                for (auto& b : buf)
                {
                    b = static_cast<uint8_t>(rng.Next());
                }
                if (mode == 1 && len >= 5)
                {
                    // Shape it like a v1 long header with small CID lengths.
                    buf[0] |= 0xc0;
                    buf[1] = buf[2] = buf[3] = 0;
                    buf[4] = 1;
                    if (len >= 6)
                    {
                        buf[5] %= 24;
                    }
                }
            }
            const size_t localCidLen = rng.Below(21);
            QuicPacketHeader h;
            // Walk the datagram as an endpoint would, coalesced packets included.
            size_t off = 0;
            int guard = 0;
            while (true)
            {
                const uint8_t* p = buf.data() + off;
                const size_t size = buf.size() - off;
                QuicHeaderStatus st = QuicParseHeader(p, size, localCidLen, h);
                counts[static_cast<size_t>(st) & 0x0f]++;
                if (st != QuicHeaderStatus::OK)
                {
                    break;
                }
                bool bounded = h.m_packetLength <= size && h.m_packetLength > 0;
                bounded = bounded && ViewWithin(h.m_dcidBytes, h.m_dcidLength, buf);
                bounded = bounded && ViewWithin(h.m_scidBytes, h.m_scidLength, buf);
                bounded = bounded && ViewWithin(h.m_token, h.m_tokenLength, buf);
                bounded = bounded &&
                          ViewWithin(h.m_supportedVersions, 4 * h.m_supportedVersionCount, buf);
                if (h.HasPacketNumber())
                {
                    bounded = bounded && h.m_pnOffset <= h.m_packetLength;
                }
                if (!bounded)
                {
                    NS_TEST_ASSERT_MSG_EQ(bounded, true, "fields outside the buffer, case " << i);
                }
                if (h.HasPacketNumber())
                {
                    QuicHeaderStatus st2 = QuicParseHeaderProtectedFields(p, size, h);
                    counts[static_cast<size_t>(st2) & 0x0f]++;
                    if ((st2 == QuicHeaderStatus::OK ||
                         st2 == QuicHeaderStatus::RESERVED_BITS_SET) &&
                        (h.PayloadOffset() > h.m_packetLength || h.m_pnLength < 1 ||
                         h.m_pnLength > 4))
                    {
                        NS_TEST_ASSERT_MSG_EQ((h.PayloadOffset() <= h.m_packetLength),
                                              true,
                                              "payload outside the packet, case " << i);
                    }
                }
                off += h.m_packetLength;
                if (off >= buf.size() || ++guard > 100)
                {
                    break;
                }
            }
            bool isLong;
            uint32_t version;
            QuicConnectionId dcid;
            QuicPeekDestinationCid(buf.data(), buf.size(), localCidLen, isLong, version, dcid);
        }
        // The generator reaches the interesting outcomes.
        NS_TEST_ASSERT_MSG_GT(counts[static_cast<size_t>(QuicHeaderStatus::OK)], 1000u, "OK");
        NS_TEST_ASSERT_MSG_GT(counts[static_cast<size_t>(QuicHeaderStatus::TRUNCATED)],
                              1000u,
                              "TRUNCATED");
        NS_TEST_ASSERT_MSG_GT(counts[static_cast<size_t>(QuicHeaderStatus::FIXED_BIT_CLEARED)],
                              1000u,
                              "FIXED_BIT_CLEARED");
        NS_TEST_ASSERT_MSG_GT(counts[static_cast<size_t>(QuicHeaderStatus::CID_TOO_LONG)],
                              100u,
                              "CID_TOO_LONG");
        NS_TEST_ASSERT_MSG_GT(counts[static_cast<size_t>(QuicHeaderStatus::UNSUPPORTED_VERSION)],
                              1000u,
                              "UNSUPPORTED_VERSION");
        NS_TEST_ASSERT_MSG_GT(counts[static_cast<size_t>(QuicHeaderStatus::LENGTH_PAST_END)],
                              100u,
                              "LENGTH_PAST_END");
        NS_TEST_ASSERT_MSG_GT(counts[static_cast<size_t>(QuicHeaderStatus::RESERVED_BITS_SET)],
                              100u,
                              "RESERVED_BITS_SET");
    }
};

/**
 * \ingroup quic-migration-tests
 * Packet number and packet header unit tests.
 */
class QuicPacketHeaderTestSuite : public TestSuite
{
  public:
    QuicPacketHeaderTestSuite()
        : TestSuite("quic-packet-header", QUIC_SUITE_UNIT)
    {
        AddTestCase(new QuicPacketNumberLengthTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicPacketNumberDecodeTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicPacketNumberRoundTripTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicPacketNumberSpaceTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicInitialHeaderVectorsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicShortHeaderTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicLongHeaderRoundTripTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicRetryVersionNegotiationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicHeaderRejectionTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicHeaderTruncationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicHeaderRandomInputTestCase, QUIC_TEST_QUICK);
    }
};

static QuicPacketHeaderTestSuite g_quicPacketHeaderTestSuite; //!< Static variable for test init

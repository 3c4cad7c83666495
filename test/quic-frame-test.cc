/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// QUIC frames (RFC 9000 §12.4, §13.2, §19): codec round trips, RFC layouts, decoder
// validation with exact error codes, the §12.4 frame/packet-type table, probing and
// ack-eliciting classification, the packet scanner, and a deterministic fuzz loop.
// Requirement rows: FR-01, FR-02, FR-05, FR-08, FR-11, FR-12, FR-13, MIG-08.

#include "quic-ns3-compat.h"
#include "quic-test-utils.h"

#include "ns3/quic-buffer.h"
#include "ns3/quic-connection-id.h"
#include "ns3/quic-error.h"
#include "ns3/quic-frame.h"
#include "ns3/quic-packet-header.h"
#include "ns3/test.h"

#include <cctype>
#include <cstring>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

using quictest::FromHex;
using quictest::ToHex;

namespace
{

/// Shorthand: 2^62-1.
constexpr uint64_t VMAX = QUIC_VARINT_MAX;

/**
 * \param e an error \return its name, so that test failures print readable codes
 */
std::string
Err(QuicTransportError e)
{
    return QuicTransportErrorName(e);
}

/**
 * \brief Decode one frame from a buffer.
 * \param buf the buffer (must outlive the frame's payload view)
 * \param frame receives the frame
 * \param consumed receives the bytes consumed (0 on error)
 * \return the decoder's result
 */
QuicTransportError
DecodeOne(const std::vector<uint8_t>& buf, QuicFrame& frame, size_t& consumed)
{
    QuicBufferReader r(buf.data(), buf.size());
    QuicTransportError e = QuicDecodeFrame(r, frame);
    consumed = r.Position();
    return e;
}

/**
 * \param frame a frame \return its encoding (empty if unencodable)
 */
std::vector<uint8_t>
Encode(const QuicFrame& frame)
{
    std::vector<uint8_t> out;
    QuicBufferWriter w(out);
    QuicEncodeFrame(w, frame);
    return out;
}

/**
 * \param f a frame \return its description, for messages
 */
std::string
Str(const QuicFrame& f)
{
    std::ostringstream os;
    os << f;
    return os.str();
}

/// Static payload bytes for the frames built in the tests.
const uint8_t PAYLOAD[] = "The quick brown fox jumps over the lazy dog, and then some more bytes "
                          "so that long payloads need a two-byte Length varint: "
                          "0123456789012345678901234567890123456789";

/// 20-byte connection ID.
const uint8_t CID20[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                         0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13};

/// A stateless reset token.
const uint8_t TOKEN16[] = {0xf0,
                           0xe1,
                           0xd2,
                           0xc3,
                           0xb4,
                           0xa5,
                           0x96,
                           0x87,
                           0x78,
                           0x69,
                           0x5a,
                           0x4b,
                           0x3c,
                           0x2d,
                           0x1e,
                           0x0f};

/// PATH_CHALLENGE data.
const uint8_t PATH8[] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};

/// Reason phrases.
const uint8_t REASON[] = "frame not allowed in this packet type";

/**
 * \brief A corpus of valid frames: every RFC 9000 frame type with representative and
 * boundary values (maximum varints, 20-byte CIDs, many ACK ranges, every STREAM flag set).
 * \return the frames (payload views point to static data)
 */
std::vector<QuicFrame>
ValidFrames()
{
    std::vector<QuicFrame> v;
    v.push_back(QuicFrame::Padding(1));
    v.push_back(QuicFrame::Padding(1200));
    v.push_back(QuicFrame::Ping());

    v.push_back(QuicFrame::Ack({{0, 0}}, 0));
    v.push_back(QuicFrame::Ack({{VMAX, VMAX}}, VMAX));
    v.push_back(QuicFrame::Ack({{0, VMAX}}, 25000));
    {
        // 200 ranges with growing gaps and lengths, down to packet number 0.
        std::vector<QuicAckRange> ranges;
        uint64_t pn = 0;
        for (uint64_t i = 0; i < 200; ++i)
        {
            uint64_t len = (i * 7) % 70;
            ranges.push_back({pn, pn + len});
            pn += len + 2 + (i * 13) % 20000;
        }
        v.push_back(QuicFrame::Ack(ranges, 1234));
        v.push_back(QuicFrame::AckEcn(ranges, 0, VMAX, 0, 16384));
    }
    // Gaps of exactly 0 (one missing packet between ranges), ending at packet 0.
    v.push_back(QuicFrame::Ack({{0, 0}, {2, 2}, {4, 4}, {6, 10}}, 3));
    v.push_back(QuicFrame::AckEcn({{5, 9}}, 63, 1, 2, 3));

    v.push_back(QuicFrame::ResetStream(0, 0, 0));
    v.push_back(QuicFrame::ResetStream(VMAX, VMAX, VMAX));
    v.push_back(QuicFrame::StopSending(VMAX, 0x0c));
    v.push_back(QuicFrame::Crypto(0, PAYLOAD, 5));
    v.push_back(QuicFrame::Crypto(0, nullptr, 0));
    v.push_back(QuicFrame::Crypto(VMAX - 5, PAYLOAD, 5));
    v.push_back(QuicFrame::Crypto(16384, PAYLOAD, sizeof(PAYLOAD)));
    v.push_back(QuicFrame::NewToken(PAYLOAD, 1));
    v.push_back(QuicFrame::NewToken(PAYLOAD, sizeof(PAYLOAD)));

    // STREAM: all 8 flag combinations (0x08-0x0f).
    for (uint64_t bits = 0; bits < 8; ++bits)
    {
        bool off = bits & QUIC_STREAM_FRAME_BIT_OFF;
        bool len = bits & QUIC_STREAM_FRAME_BIT_LEN;
        bool fin = bits & QUIC_STREAM_FRAME_BIT_FIN;
        QuicFrame f = QuicFrame::Stream(4 * bits + 1, off ? 1000 : 0, PAYLOAD, 7, fin, len, off);
        v.push_back(f);
    }
    v.push_back(QuicFrame::Stream(0, 0, PAYLOAD, 3, false, true, true)); // OFF bit, offset 0
    v.push_back(QuicFrame::Stream(VMAX, VMAX - 7, PAYLOAD, 7, true));
    v.push_back(QuicFrame::Stream(VMAX, VMAX, nullptr, 0, true)); // FIN at the last offset
    v.push_back(QuicFrame::Stream(2, 0, nullptr, 0, true));       // FIN only
    v.push_back(QuicFrame::Stream(3, 64, PAYLOAD, sizeof(PAYLOAD), false));

    v.push_back(QuicFrame::MaxData(0));
    v.push_back(QuicFrame::MaxData(VMAX));
    v.push_back(QuicFrame::MaxStreamData(VMAX, VMAX));
    v.push_back(QuicFrame::MaxStreams(true, QUIC_MAX_STREAMS_LIMIT));
    v.push_back(QuicFrame::MaxStreams(false, 0));
    v.push_back(QuicFrame::DataBlocked(16383));
    v.push_back(QuicFrame::StreamDataBlocked(4, 16384));
    v.push_back(QuicFrame::StreamsBlocked(true, 100));
    v.push_back(QuicFrame::StreamsBlocked(false, QUIC_MAX_STREAMS_LIMIT));

    v.push_back(QuicFrame::NewConnectionId(VMAX, VMAX, QuicConnectionId(CID20, 20), TOKEN16));
    v.push_back(QuicFrame::NewConnectionId(1, 0, QuicConnectionId(CID20, 1), TOKEN16));
    v.push_back(QuicFrame::NewConnectionId(7, 3, QuicConnectionId(CID20, 8), TOKEN16));
    v.push_back(QuicFrame::RetireConnectionId(0));
    v.push_back(QuicFrame::RetireConnectionId(VMAX));
    v.push_back(QuicFrame::PathChallenge(PATH8));
    v.push_back(QuicFrame::PathResponse(PATH8));

    v.push_back(QuicFrame::ConnectionClose(QuicTransportError::PROTOCOL_VIOLATION,
                                           0x1a,
                                           REASON,
                                           sizeof(REASON) - 1));
    v.push_back(QuicFrame::ConnectionClose(QuicTransportError::NO_ERROR, 0));
    v.push_back(QuicFrame::ConnectionClose(QuicCryptoError(40), VMAX, PAYLOAD, sizeof(PAYLOAD)));
    v.push_back(QuicFrame::ApplicationClose(VMAX, REASON, sizeof(REASON) - 1));
    v.push_back(QuicFrame::ApplicationClose(0));
    v.push_back(QuicFrame::HandshakeDone());
    return v;
}

/**
 * \brief Deterministic xorshift64* generator for the fuzz loop.
 */
class Prng
{
  public:
    /// \param seed non-zero seed
    explicit Prng(uint64_t seed)
        : m_state(seed)
    {
    }

    /// \return the next 64-bit value
    uint64_t Next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 2685821657736338717ULL;
    }

    /// \param n bound (> 0) \return a value in [0, n)
    uint64_t Below(uint64_t n)
    {
        return Next() % n;
    }

  private:
    uint64_t m_state; //!< generator state
};

} // namespace

/**
 * \ingroup quic-migration-tests
 * FR-01, FR-08, FR-11: every frame type encodes to QuicFrameEncodedSize() bytes and decodes
 * back to an equal frame; re-encoding the decoded frame gives the same bytes.
 */
class QuicFrameRoundTripTestCase : public TestCase
{
  public:
    QuicFrameRoundTripTestCase()
        : TestCase("FR-01 FR-08 FR-11 round trip of every frame type with boundary values")
    {
    }

  private:
    void DoRun() override
    {
        std::set<uint64_t> types;
        QuicFrame decoded; // reused across frames, as on the per-packet path
        for (const QuicFrame& f : ValidFrames())
        {
            size_t size = QuicFrameEncodedSize(f);
            NS_TEST_ASSERT_MSG_GT(size, 0, "encodable: " << Str(f));
            std::vector<uint8_t> bytes = Encode(f);
            NS_TEST_ASSERT_MSG_EQ(bytes.size(), size, "encoded size of " << Str(f));
            size_t consumed = 0;
            NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(bytes, decoded, consumed)),
                                  Err(QuicTransportError::NO_ERROR),
                                  "decode " << Str(f));
            NS_TEST_ASSERT_MSG_EQ(consumed, bytes.size(), "whole frame consumed: " << Str(f));
            NS_TEST_ASSERT_MSG_EQ((decoded == f),
                                  true,
                                  "round trip " << Str(f) << " -> " << Str(decoded));
            NS_TEST_ASSERT_MSG_EQ(ToHex(Encode(decoded)), ToHex(bytes), "re-encode " << Str(f));
            types.insert(static_cast<uint64_t>(f.m_type));
        }
        NS_TEST_ASSERT_MSG_EQ(types.size(), QUIC_FRAME_TYPE_MAX_KNOWN + 1, "every type covered");

        // Several frames back to back in one buffer (a STREAM frame without LEN last).
        std::vector<uint8_t> packet;
        QuicBufferWriter w(packet);
        std::vector<QuicFrame> seq = {QuicFrame::Ping(),
                                      QuicFrame::Ack({{1, 3}, {7, 9}}, 2),
                                      QuicFrame::Padding(5),
                                      QuicFrame::PathChallenge(PATH8),
                                      QuicFrame::Stream(8, 5, PAYLOAD, 10, true, false)};
        for (const QuicFrame& f : seq)
        {
            NS_TEST_ASSERT_MSG_EQ(QuicEncodeFrame(w, f), true, "encode " << Str(f));
        }
        QuicBufferReader r(packet.data(), packet.size());
        for (const QuicFrame& f : seq)
        {
            NS_TEST_ASSERT_MSG_EQ(Err(QuicDecodeFrame(r, decoded)), "NO_ERROR", "decode");
            NS_TEST_ASSERT_MSG_EQ((decoded == f), true, "frame " << Str(f));
        }
        NS_TEST_ASSERT_MSG_EQ(r.AtEnd(), true, "all consumed");
    }
};

/**
 * \ingroup quic-migration-tests
 * FR-01, FR-08, FR-11: hand-built byte vectors laid out as in RFC 9000 §19, checked byte
 * for byte in both directions.
 */
class QuicFrameRfcLayoutTestCase : public TestCase
{
  public:
    QuicFrameRfcLayoutTestCase()
        : TestCase("FR-01 FR-08 FR-11 hand-built RFC 9000 §19 layouts byte for byte")
    {
    }

  private:
    void DoRun() override
    {
        const uint8_t abc[] = {'a', 'b', 'c'};
        const uint8_t x[] = {'x'};
        const uint8_t tok[] = {0xab, 0xcd};
        const uint8_t crypto[] = {0x01, 0x02};
        const uint8_t cid8[] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};
        uint8_t token[16];
        for (uint8_t i = 0; i < 16; ++i)
        {
            token[i] = i;
        }

        struct Vector
        {
            const char* hex;
            QuicFrame frame;
        };

        const Vector vectors[] = {
            // §19.17/§19.18: Type (i) = 0x1a/0x1b, Data (64).
            {"1a 0011223344556677", QuicFrame::PathChallenge(PATH8)},
            {"1b 0011223344556677", QuicFrame::PathResponse(PATH8)},
            // §19.15: Type, Sequence Number (i), Retire Prior To (i), Length (8), CID, Token.
            {"18 01 00 08 8394c8f03e515708 000102030405060708090a0b0c0d0e0f",
             QuicFrame::NewConnectionId(1, 0, QuicConnectionId(cid8, 8), token)},
            // §19.16: Sequence Number 300 as a two-byte varint.
            {"19 412c", QuicFrame::RetireConnectionId(300)},
            // §19.3: Largest 10, Delay 3, Range Count 2, First Range 2 ([8,10]),
            // Gap 1 Length 3 ([2,5]), Gap 0 Length 0 ([0,0]).
            {"02 0a 03 02 02 01 03 00 00", QuicFrame::Ack({{8, 10}, {2, 5}, {0, 0}}, 3)},
            {"03 0a 03 02 02 01 03 00 00 01 02 03",
             QuicFrame::AckEcn({{8, 10}, {2, 5}, {0, 0}}, 3, 1, 2, 3)},
            // §19.8: 0x0e = OFF|LEN; Stream ID 4, Offset 64 (two bytes), Length 3.
            {"0e 04 4040 03 616263", QuicFrame::Stream(4, 64, abc, 3, false)},
            {"0b 00 00", QuicFrame::Stream(0, 0, nullptr, 0, true)},
            {"08 04 616263", QuicFrame::Stream(4, 0, abc, 3, false, false)},
            // §19.6: Offset 0, Length 2.
            {"06 00 02 0102", QuicFrame::Crypto(0, crypto, 2)},
            // §19.7.
            {"07 02 abcd", QuicFrame::NewToken(tok, 2)},
            // §19.4, §19.5.
            {"04 01 02 03", QuicFrame::ResetStream(1, 2, 3)},
            {"05 01 02", QuicFrame::StopSending(1, 2)},
            // §19.9-§19.14.
            {"10 7bbd", QuicFrame::MaxData(15293)},
            {"11 04 9d7f3e7d", QuicFrame::MaxStreamData(4, 494878333)},
            {"12 d000000000000000", QuicFrame::MaxStreams(true, QUIC_MAX_STREAMS_LIMIT)},
            {"13 05", QuicFrame::MaxStreams(false, 5)},
            {"14 00", QuicFrame::DataBlocked(0)},
            {"15 01 02", QuicFrame::StreamDataBlocked(1, 2)},
            {"16 3f", QuicFrame::StreamsBlocked(true, 63)},
            {"17 4040", QuicFrame::StreamsBlocked(false, 64)},
            // §19.19: 0x1c Error Code, Frame Type, Reason Phrase Length, Reason Phrase.
            {"1c 0a 1a 01 78",
             QuicFrame::ConnectionClose(QuicTransportError::PROTOCOL_VIOLATION, 0x1a, x, 1)},
            // 0x1d has no Frame Type field.
            {"1d 4100 00", QuicFrame::ApplicationClose(0x100)},
            {"1e", QuicFrame::HandshakeDone()},
            {"01", QuicFrame::Ping()},
            // A run of three PADDING bytes decodes as one run of length 3.
            {"000000", QuicFrame::Padding(3)},
        };
        for (const auto& v : vectors)
        {
            auto bytes = FromHex(v.hex);
            NS_TEST_ASSERT_MSG_EQ(ToHex(Encode(v.frame)), ToHex(bytes), "encode " << v.hex);
            QuicFrame f;
            size_t consumed;
            NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(bytes, f, consumed)), "NO_ERROR", v.hex);
            NS_TEST_ASSERT_MSG_EQ(consumed, bytes.size(), "consumed " << v.hex);
            NS_TEST_ASSERT_MSG_EQ((f == v.frame), true, v.hex << " decoded as " << Str(f));
        }

        // Field-level checks on a decoded NEW_CONNECTION_ID and ACK.
        auto ncid = FromHex(vectors[2].hex);
        QuicFrame f;
        size_t consumed;
        DecodeOne(ncid, f, consumed);
        NS_TEST_ASSERT_MSG_EQ(f.m_connectionId.ToHex(), "8394c8f03e515708", "CID");
        NS_TEST_ASSERT_MSG_EQ(ToHex(f.m_statelessResetToken, 16),
                              "000102030405060708090a0b0c0d0e0f",
                              "token");
        auto ack = FromHex(vectors[5].hex);
        DecodeOne(ack, f, consumed);
        NS_TEST_ASSERT_MSG_EQ(f.LargestAcknowledged(), 10, "largest");
        NS_TEST_ASSERT_MSG_EQ(f.SmallestAcknowledged(), 0, "smallest");
        NS_TEST_ASSERT_MSG_EQ(f.HasEcnCounts(), true, "ECN");
        NS_TEST_ASSERT_MSG_EQ(f.m_ecnCeCount, 3, "CE");
        // A STREAM frame without LEN takes the rest of the buffer.
        auto stream = FromHex("08 04 616263");
        DecodeOne(stream, f, consumed);
        NS_TEST_ASSERT_MSG_EQ(f.m_dataLength, 3, "data to the end");
        NS_TEST_ASSERT_MSG_EQ(f.DataAsString(), "abc", "data");
        NS_TEST_ASSERT_MSG_EQ((f.m_data == stream.data() + 2),
                              true,
                              "data is a view into the buffer");
        // CONNECTION_CLOSE reason phrase.
        auto close = FromHex("1c 0a 1a 01 78");
        DecodeOne(close, f, consumed);
        NS_TEST_ASSERT_MSG_EQ(f.DataAsString(), "x", "reason phrase");
        NS_TEST_ASSERT_MSG_EQ(f.m_frameType, 0x1a, "triggering frame type");
    }
};

/**
 * \ingroup quic-migration-tests
 * FR-02: a NEW_CONNECTION_ID Length below 1 or above 20 is FRAME_ENCODING_ERROR.
 * FR-05: Retire Prior To above Sequence Number is FRAME_ENCODING_ERROR.
 */
class QuicFrameNewConnectionIdRulesTestCase : public TestCase
{
  public:
    QuicFrameNewConnectionIdRulesTestCase()
        : TestCase("FR-02 FR-05 NEW_CONNECTION_ID Length 0 or 21 and Retire Prior To > Sequence")
    {
    }

  private:
    void DoRun() override
    {
        const std::string token = "000102030405060708090a0b0c0d0e0f";

        struct Case
        {
            std::string hex;
            QuicTransportError expected;
            const char* what;
        };

        const Case cases[] = {
            {"18 01 00 00 " + token, QuicTransportError::FRAME_ENCODING_ERROR, "Length 0"},
            {"18 01 00 15 " + std::string(42, 'a') + token,
             QuicTransportError::FRAME_ENCODING_ERROR,
             "Length 21"},
            {"18 01 00 ff " + std::string(510, 'a') + token,
             QuicTransportError::FRAME_ENCODING_ERROR,
             "Length 255"},
            {"18 01 00 14 " + std::string(40, 'a') + token,
             QuicTransportError::NO_ERROR,
             "Length 20"},
            {"18 01 00 01 aa " + token, QuicTransportError::NO_ERROR, "Length 1"},
            {"18 03 04 04 aabbccdd " + token,
             QuicTransportError::FRAME_ENCODING_ERROR,
             "seq 3 RPT 4"},
            {"18 03 03 04 aabbccdd " + token, QuicTransportError::NO_ERROR, "seq 3 RPT 3"},
            {"18 00 7fff 04 aabbccdd " + token,
             QuicTransportError::FRAME_ENCODING_ERROR,
             "seq 0 RPT 16383"},
        };
        for (const auto& c : cases)
        {
            auto bytes = FromHex(c.hex);
            QuicFrame f;
            size_t consumed;
            QuicTransportError e = DecodeOne(bytes, f, consumed);
            NS_TEST_ASSERT_MSG_EQ(Err(e), Err(c.expected), c.what);
            NS_TEST_ASSERT_MSG_EQ(consumed,
                                  (e == QuicTransportError::NO_ERROR ? bytes.size() : 0),
                                  "cursor: " << c.what);
        }
        // The encoder refuses the same values.
        QuicFrame f = QuicFrame::NewConnectionId(3, 4, QuicConnectionId(CID20, 4), TOKEN16);
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(f), 0, "RPT > seq unencodable");
        f = QuicFrame::NewConnectionId(3, 3, QuicConnectionId(), TOKEN16);
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(f), 0, "empty CID unencodable");
    }
};

/**
 * \ingroup quic-migration-tests
 * FR-13: an unknown frame type is FRAME_ENCODING_ERROR; a known type in a longer-than-needed
 * encoding is PROTOCOL_VIOLATION (the MAY of §12.4, taken).
 */
class QuicFrameTypeEncodingTestCase : public TestCase
{
  public:
    QuicFrameTypeEncodingTestCase()
        : TestCase("FR-13 unknown frame types and over-long frame-type encodings")
    {
    }

  private:
    void DoRun() override
    {
        struct Case
        {
            const char* hex;
            QuicTransportError expected;
            uint64_t type;
        };

        const Case cases[] = {
            {"1f", QuicTransportError::FRAME_ENCODING_ERROR, 0x1f},
            {"20", QuicTransportError::FRAME_ENCODING_ERROR, 0x20},
            {"21 00", QuicTransportError::FRAME_ENCODING_ERROR, 0x21},
            {"30", QuicTransportError::FRAME_ENCODING_ERROR, 0x30}, // DATAGRAM: not supported
            {"3f", QuicTransportError::FRAME_ENCODING_ERROR, 0x3f},
            {"4040", QuicTransportError::FRAME_ENCODING_ERROR, 0x40},
            {"80 00 af 42", QuicTransportError::FRAME_ENCODING_ERROR, 0xaf42},
            {"401f", QuicTransportError::FRAME_ENCODING_ERROR, 0x1f}, // unknown wins
            {"401a 0011223344556677", QuicTransportError::PROTOCOL_VIOLATION, 0x1a},
            {"4001", QuicTransportError::PROTOCOL_VIOLATION, 0x01},
            {"4000", QuicTransportError::PROTOCOL_VIOLATION, 0x00},
            {"8000001e", QuicTransportError::PROTOCOL_VIOLATION, 0x1e},
            {"c000000000000018", QuicTransportError::PROTOCOL_VIOLATION, 0x18},
            {"40", QuicTransportError::FRAME_ENCODING_ERROR, 0x00}, // type itself truncated
        };
        for (const auto& c : cases)
        {
            auto bytes = FromHex(c.hex);
            QuicFrame f;
            size_t consumed;
            NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(bytes, f, consumed)), Err(c.expected), c.hex);
            NS_TEST_ASSERT_MSG_EQ(consumed, 0, "cursor unchanged on error: " << c.hex);
            NS_TEST_ASSERT_MSG_EQ(static_cast<uint64_t>(f.m_type), c.type, "type: " << c.hex);
        }
        // Empty buffer: nothing to decode.
        std::vector<uint8_t> empty;
        QuicFrame f;
        size_t consumed;
        NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(empty, f, consumed)), "FRAME_ENCODING_ERROR", "empty");
    }
};

/**
 * \ingroup quic-migration-tests
 * §19.3.1: an ACK frame whose first range, a gap or a range would go below packet number 0
 * is FRAME_ENCODING_ERROR, as is a range count the packet cannot carry (§20.1).
 */
class QuicFrameAckValidationTestCase : public TestCase
{
  public:
    QuicFrameAckValidationTestCase()
        : TestCase("ACK ranges below packet number 0 are FRAME_ENCODING_ERROR (§19.3.1)")
    {
    }

  private:
    void DoRun() override
    {
        struct Case
        {
            const char* hex;
            QuicTransportError expected;
            const char* what;
        };

        const Case cases[] = {
            {"02 05 00 00 06", QuicTransportError::FRAME_ENCODING_ERROR, "first range > largest"},
            {"02 05 00 00 05", QuicTransportError::NO_ERROR, "first range == largest"},
            {"02 00 00 00 00", QuicTransportError::NO_ERROR, "only packet 0"},
            // Largest 5, first range 2 -> smallest 3; gap 2 -> largest 3-2-2 = -1.
            {"02 05 00 01 02 02 00", QuicTransportError::FRAME_ENCODING_ERROR, "gap below 0"},
            // Gap 1 -> largest 0; length 0 -> [0,0].
            {"02 05 00 01 02 01 00", QuicTransportError::NO_ERROR, "gap down to 0"},
            // Gap 1 -> largest 0; length 1 -> smallest -1.
            {"02 05 00 01 02 01 01", QuicTransportError::FRAME_ENCODING_ERROR, "range below 0"},
            // Smallest 1 after the first range: any further range is below 0.
            {"02 05 00 01 04 00 00", QuicTransportError::FRAME_ENCODING_ERROR, "smallest 1"},
            {"02 05 00 05 00", QuicTransportError::FRAME_ENCODING_ERROR, "count too large"},
            {"02 05 00 c000000000000001 00",
             QuicTransportError::FRAME_ENCODING_ERROR,
             "huge count"},
            {"02 05 00 01 00 00", QuicTransportError::FRAME_ENCODING_ERROR, "range truncated"},
            {"03 05 00 00 00 01 02", QuicTransportError::FRAME_ENCODING_ERROR, "ECN truncated"},
            {"03 05 00 00 00 01 02 03", QuicTransportError::NO_ERROR, "ECN complete"},
            {"02 ffffffffffffffff 00 00 00", QuicTransportError::NO_ERROR, "largest 2^62-1"},
        };
        for (const auto& c : cases)
        {
            auto bytes = FromHex(c.hex);
            QuicFrame f;
            size_t consumed;
            NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(bytes, f, consumed)), Err(c.expected), c.what);
        }
        // Encoder: no ranges, overlapping, adjacent or unordered ranges are unencodable.
        QuicFrame a = QuicFrame::Ack({{1, 2}}, 0);
        a.m_ackRanges.clear();
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(a), 0, "no range");
        a.m_ackRanges = {{5, 9}, {4, 4}};
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(a), 0, "adjacent ranges");
        a.m_ackRanges = {{5, 9}, {3, 6}};
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(a), 0, "overlapping ranges");
        a.m_ackRanges = {{1, 1}, {5, 9}};
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(a), 0, "ascending ranges");
        a.m_ackRanges = {{9, 5}};
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(a), 0, "inverted range");
        a.m_ackRanges = {{0, VMAX + 1}};
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(a), 0, "largest above 2^62-1");
        a.m_ackRanges = {{5, 9}, {3, 3}};
        NS_TEST_ASSERT_MSG_GT(QuicFrameEncodedSize(a), 0, "gap 0 is fine");
    }
};

/**
 * \ingroup quic-migration-tests
 * §19.6, §19.8: STREAM/CRYPTO offset + length above 2^62-1 is FRAME_ENCODING_ERROR (the
 * choice documented in QuicDecodeFrame()); STREAM without LEN extends to the end of the
 * packet; Length beyond the buffer is FRAME_ENCODING_ERROR.
 */
class QuicFrameStreamCryptoLimitsTestCase : public TestCase
{
  public:
    QuicFrameStreamCryptoLimitsTestCase()
        : TestCase(
              "STREAM and CRYPTO offset+length above 2^62-1, STREAM without LEN (§19.6, §19.8)")
    {
    }

  private:
    void DoRun() override
    {
        struct Case
        {
            const char* hex;
            QuicTransportError expected;
            const char* what;
        };

        const Case cases[] = {
            {"0e 00 ffffffffffffffff 01 aa",
             QuicTransportError::FRAME_ENCODING_ERROR,
             "STREAM off 2^62-1 len 1"},
            {"0e 00 ffffffffffffffff 00", QuicTransportError::NO_ERROR, "STREAM off max len 0"},
            {"0e 00 fffffffffffffffe 01 aa",
             QuicTransportError::NO_ERROR,
             "STREAM off max-1 len 1"},
            {"0c 00 ffffffffffffffff aa",
             QuicTransportError::FRAME_ENCODING_ERROR,
             "STREAM no LEN off max, 1 byte to the end"},
            {"0d 00 ffffffffffffffff", QuicTransportError::NO_ERROR, "STREAM no LEN, FIN at max"},
            {"0a 00 05 aabb", QuicTransportError::FRAME_ENCODING_ERROR, "STREAM Length > buffer"},
            {"0a 00 c000000000000005 aabb",
             QuicTransportError::FRAME_ENCODING_ERROR,
             "STREAM Length varint > buffer"},
            {"06 ffffffffffffffff 01 aa",
             QuicTransportError::FRAME_ENCODING_ERROR,
             "CRYPTO off max len 1"},
            {"06 ffffffffffffffff 00", QuicTransportError::NO_ERROR, "CRYPTO off max len 0"},
            {"06 00 03 aabb", QuicTransportError::FRAME_ENCODING_ERROR, "CRYPTO Length > buffer"},
            {"1c 00 00 05 4142", QuicTransportError::FRAME_ENCODING_ERROR, "reason > buffer"},
            {"1d 00 02 4142", QuicTransportError::NO_ERROR, "application close reason"},
        };
        for (const auto& c : cases)
        {
            auto bytes = FromHex(c.hex);
            QuicFrame f;
            size_t consumed;
            NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(bytes, f, consumed)), Err(c.expected), c.what);
        }
        // STREAM without LEN: the data is everything that follows, even PADDING-like zeros.
        auto bytes = FromHex("09 08 0000000000");
        QuicFrame f;
        size_t consumed;
        NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(bytes, f, consumed)), "NO_ERROR", "no LEN");
        NS_TEST_ASSERT_MSG_EQ(f.m_dataLength, 5, "to the end");
        NS_TEST_ASSERT_MSG_EQ(f.HasFin(), true, "FIN");
        NS_TEST_ASSERT_MSG_EQ(f.HasOffsetBit(), false, "no OFF");
        NS_TEST_ASSERT_MSG_EQ(f.m_offset, 0, "offset 0 without OFF");
        NS_TEST_ASSERT_MSG_EQ(consumed, bytes.size(), "consumed all");

        // Encoder side.
        QuicFrame s = QuicFrame::Stream(0, VMAX, PAYLOAD, 1, false);
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(s), 0, "STREAM beyond 2^62-1");
        s = QuicFrame::Stream(0, 10, PAYLOAD, 1, false);
        s.m_type = QuicFrameType::STREAM_LEN; // offset without the OFF bit
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(s), 0, "offset without OFF bit");
        s = QuicFrame::Crypto(VMAX, PAYLOAD, 1);
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(s), 0, "CRYPTO beyond 2^62-1");
        s = QuicFrame::Stream(0, 0, nullptr, 4, false);
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(s), 0, "null data with a length");
    }
};

/**
 * \ingroup quic-migration-tests
 * §19.11, §19.14: Maximum Streams above 2^60 is FRAME_ENCODING_ERROR; §19.7: an empty
 * NEW_TOKEN is FRAME_ENCODING_ERROR.
 */
class QuicFrameStreamLimitTokenTestCase : public TestCase
{
  public:
    QuicFrameStreamLimitTokenTestCase()
        : TestCase("MAX_STREAMS and STREAMS_BLOCKED above 2^60, empty NEW_TOKEN (§19.7, §19.11, "
                   "§19.14)")
    {
    }

  private:
    void DoRun() override
    {
        for (const char* type : {"12", "13", "16", "17"})
        {
            auto ok = FromHex(std::string(type) + " d000000000000000");    // 2^60
            auto bad = FromHex(std::string(type) + " d000000000000001");   // 2^60 + 1
            auto worst = FromHex(std::string(type) + " ffffffffffffffff"); // 2^62 - 1
            QuicFrame f;
            size_t consumed;
            NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(ok, f, consumed)), "NO_ERROR", type);
            NS_TEST_ASSERT_MSG_EQ(f.m_maximum, QUIC_MAX_STREAMS_LIMIT, type);
            NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(bad, f, consumed)), "FRAME_ENCODING_ERROR", type);
            NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(worst, f, consumed)), "FRAME_ENCODING_ERROR", type);
        }
        NS_TEST_ASSERT_MSG_EQ(
            QuicFrameEncodedSize(QuicFrame::MaxStreams(true, QUIC_MAX_STREAMS_LIMIT + 1)),
            0,
            "MAX_STREAMS 2^60+1 unencodable");
        NS_TEST_ASSERT_MSG_EQ(
            QuicFrameEncodedSize(QuicFrame::StreamsBlocked(false, QUIC_MAX_STREAMS_LIMIT + 1)),
            0,
            "STREAMS_BLOCKED 2^60+1 unencodable");

        auto empty = FromHex("07 00");
        QuicFrame f;
        size_t consumed;
        NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(empty, f, consumed)),
                              "FRAME_ENCODING_ERROR",
                              "empty token");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(QuicFrame::NewToken(PAYLOAD, 0)),
                              0,
                              "empty token unencodable");
    }
};

/**
 * \ingroup quic-migration-tests
 * Every valid encoding cut at every shorter length decodes to FRAME_ENCODING_ERROR with the
 * cursor unchanged (the prefix is copied into an exactly sized buffer, so a read past it
 * would be caught by a sanitizer). PADDING runs and STREAM frames without LEN are
 * self-delimiting by the end of the buffer: a cut inside their data is a shorter valid frame.
 */
class QuicFrameTruncationTestCase : public TestCase
{
  public:
    QuicFrameTruncationTestCase()
        : TestCase("truncation of every valid frame at every length is FRAME_ENCODING_ERROR")
    {
    }

  private:
    void DoRun() override
    {
        QuicFrame f;
        for (const QuicFrame& frame : ValidFrames())
        {
            std::vector<uint8_t> full = Encode(frame);
            size_t header = full.size() - frame.m_dataLength; // for STREAM without LEN
            for (size_t cut = 0; cut < full.size(); ++cut)
            {
                std::vector<uint8_t> prefix(full.begin(), full.begin() + cut);
                prefix.shrink_to_fit();
                size_t consumed;
                QuicTransportError e = DecodeOne(prefix, f, consumed);
                if (frame.m_type == QuicFrameType::PADDING && cut > 0)
                {
                    NS_TEST_ASSERT_MSG_EQ(Err(e), "NO_ERROR", "PADDING cut " << cut);
                    NS_TEST_ASSERT_MSG_EQ(f.m_paddingLength, cut, "PADDING run length");
                }
                else if (QuicFrameTypeIsStream(frame.m_type) && !frame.HasLengthBit() &&
                         cut >= header)
                {
                    NS_TEST_ASSERT_MSG_EQ(Err(e), "NO_ERROR", Str(frame) << " cut " << cut);
                    NS_TEST_ASSERT_MSG_EQ(f.m_dataLength, cut - header, "shorter data");
                }
                else
                {
                    NS_TEST_ASSERT_MSG_EQ(Err(e),
                                          "FRAME_ENCODING_ERROR",
                                          Str(frame) << " cut at " << cut << " of " << full.size());
                    NS_TEST_ASSERT_MSG_EQ(consumed, 0, "cursor unchanged");
                }
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * The encoder refuses values it cannot encode and then writes nothing.
 */
class QuicFrameEncoderRefusalTestCase : public TestCase
{
  public:
    QuicFrameEncoderRefusalTestCase()
        : TestCase("encoder refuses unencodable frames and writes nothing")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<QuicFrame> bad;
        bad.push_back(QuicFrame::Padding(0));
        bad.push_back(QuicFrame::MaxData(VMAX + 1));
        bad.push_back(QuicFrame::ResetStream(0, 0, ~0ULL));
        bad.push_back(QuicFrame::StopSending(VMAX + 1, 0));
        bad.push_back(QuicFrame::RetireConnectionId(VMAX + 1));
        bad.push_back(QuicFrame::MaxStreamData(1, VMAX + 1));
        bad.push_back(QuicFrame::DataBlocked(VMAX + 1));
        bad.push_back(QuicFrame::StreamDataBlocked(VMAX + 1, 0));
        bad.push_back(QuicFrame::Ack({{0, 1}}, VMAX + 1));
        bad.push_back(QuicFrame::AckEcn({{0, 1}}, 0, 0, VMAX + 1, 0));
        bad.push_back(QuicFrame::ConnectionClose(QuicTransportError::NO_ERROR, VMAX + 1));
        bad.push_back(QuicFrame::ApplicationClose(VMAX + 1));
        bad.push_back(QuicFrame::ApplicationClose(0, nullptr, 3));
        bad.push_back(QuicFrame::NewToken(nullptr, 3));
        bad.push_back(QuicFrame::NewConnectionId(VMAX + 1, 0, QuicConnectionId(CID20, 4), TOKEN16));
        bad.push_back(QuicFrame::Stream(VMAX + 1, 0, PAYLOAD, 1, false));
        bad.push_back(QuicFrame::Crypto(VMAX + 1, nullptr, 0));
        QuicFrame unknown;
        unknown.m_type = static_cast<QuicFrameType>(0x1f);
        bad.push_back(unknown);
        for (const QuicFrame& f : bad)
        {
            std::vector<uint8_t> out = {0x55};
            QuicBufferWriter w(out);
            NS_TEST_ASSERT_MSG_EQ(QuicFrameEncodedSize(f), 0, "size 0: " << Str(f));
            NS_TEST_ASSERT_MSG_EQ(QuicEncodeFrame(w, f), false, "refused: " << Str(f));
            NS_TEST_ASSERT_MSG_EQ(out.size(), 1, "nothing written: " << Str(f));
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * FR-12: QuicFrameAllowedIn() against the "Pkts" column of RFC 9000 §12.4 Table 3 for every
 * frame type and every packet type, including the "ih01" rule for CONNECTION_CLOSE and the
 * §12.5 MAY for RETIRE_CONNECTION_ID in 0-RTT.
 */
class QuicFrameAllowedInTestCase : public TestCase
{
  public:
    QuicFrameAllowedInTestCase()
        : TestCase("FR-12 RFC 9000 §12.4 Table 3: every frame type in every packet type")
    {
    }

  private:
    void DoRun() override
    {
        // Table 3, transcribed: characters I, H, 0, 1 present where allowed.
        const char* const pkts[] = {
            "IH01",                                                         // 0x00 PADDING
            "IH01",                                                         // 0x01 PING
            "IH_1",                                                         // 0x02 ACK
            "IH_1",                                                         // 0x03 ACK
            "__01",                                                         // 0x04 RESET_STREAM
            "__01",                                                         // 0x05 STOP_SENDING
            "IH_1",                                                         // 0x06 CRYPTO
            "___1",                                                         // 0x07 NEW_TOKEN
            "__01", "__01", "__01", "__01", "__01", "__01", "__01", "__01", // STREAM
            "__01",                                                         // 0x10 MAX_DATA
            "__01",                                                         // 0x11 MAX_STREAM_DATA
            "__01",                                                         // 0x12 MAX_STREAMS
            "__01",                                                         // 0x13 MAX_STREAMS
            "__01",                                                         // 0x14 DATA_BLOCKED
            "__01", // 0x15 STREAM_DATA_BLOCKED
            "__01", // 0x16 STREAMS_BLOCKED
            "__01", // 0x17 STREAMS_BLOCKED
            "__01", // 0x18 NEW_CONNECTION_ID
            "__01", // 0x19 RETIRE_CONNECTION_ID
            "__01", // 0x1a PATH_CHALLENGE
            "___1", // 0x1b PATH_RESPONSE
            "IH01", // 0x1c CONNECTION_CLOSE (ih: only 0x1c in I/H)
            "__01", // 0x1d CONNECTION_CLOSE (application)
            "___1", // 0x1e HANDSHAKE_DONE
        };
        const QuicPacketType packets[] = {QuicPacketType::INITIAL,
                                          QuicPacketType::HANDSHAKE,
                                          QuicPacketType::ZERO_RTT,
                                          QuicPacketType::ONE_RTT};
        for (uint64_t t = 0; t <= QUIC_FRAME_TYPE_MAX_KNOWN; ++t)
        {
            auto type = static_cast<QuicFrameType>(t);
            for (size_t p = 0; p < 4; ++p)
            {
                bool expected = pkts[t][p] != '_';
                NS_TEST_ASSERT_MSG_EQ(QuicFrameAllowedIn(type, packets[p]),
                                      expected,
                                      type << " in packet column "
                                           << "IH01"[p]);
                bool strict = expected && !(type == QuicFrameType::RETIRE_CONNECTION_ID &&
                                            packets[p] == QuicPacketType::ZERO_RTT);
                NS_TEST_ASSERT_MSG_EQ(QuicFrameAllowedIn(type, packets[p], true),
                                      strict,
                                      type << " strict 0-RTT in column "
                                           << "IH01"[p]);
            }
            // §12.4: "all frames can appear in 1-RTT packets".
            NS_TEST_ASSERT_MSG_EQ(QuicFrameAllowedIn(type, QuicPacketType::ONE_RTT), true, type);
            // Retry and Version Negotiation packets carry no frames.
            NS_TEST_ASSERT_MSG_EQ(QuicFrameAllowedIn(type, QuicPacketType::RETRY), false, type);
            NS_TEST_ASSERT_MSG_EQ(QuicFrameAllowedIn(type, QuicPacketType::VERSION_NEGOTIATION),
                                  false,
                                  type);
        }
        for (uint64_t t : std::vector<uint64_t>{0x1f, 0x20, 0x30, 0x40, VMAX})
        {
            NS_TEST_ASSERT_MSG_EQ(
                QuicFrameAllowedIn(static_cast<QuicFrameType>(t), QuicPacketType::ONE_RTT),
                false,
                "unknown type " << t);
        }
        // The frames of the migration work, spelled out (FR-12 row).
        NS_TEST_ASSERT_MSG_EQ(
            QuicFrameAllowedIn(QuicFrameType::PATH_CHALLENGE, QuicPacketType::HANDSHAKE),
            false,
            "PC not in Handshake");
        NS_TEST_ASSERT_MSG_EQ(
            QuicFrameAllowedIn(QuicFrameType::PATH_RESPONSE, QuicPacketType::ZERO_RTT),
            false,
            "PR not in 0-RTT");
        NS_TEST_ASSERT_MSG_EQ(
            QuicFrameAllowedIn(QuicFrameType::NEW_CONNECTION_ID, QuicPacketType::INITIAL),
            false,
            "NCID not in Initial");
        NS_TEST_ASSERT_MSG_EQ(
            QuicFrameAllowedIn(QuicFrameType::CONNECTION_CLOSE_APP, QuicPacketType::INITIAL),
            false,
            "0x1d not in Initial");
    }
};

/**
 * \ingroup quic-migration-tests
 * MIG-08: probing frames are exactly PATH_CHALLENGE, PATH_RESPONSE, NEW_CONNECTION_ID and
 * PADDING (§9.1); ack-eliciting frames are all but ACK, PADDING, CONNECTION_CLOSE (§13.2);
 * in-flight frames are the ack-eliciting ones plus PADDING (RFC 9002 §2).
 */
class QuicFrameClassificationTestCase : public TestCase
{
  public:
    QuicFrameClassificationTestCase()
        : TestCase("MIG-08 probing, ack-eliciting and in-flight frame classification")
    {
    }

  private:
    void DoRun() override
    {
        using T = QuicFrameType;
        for (uint64_t t = 0; t <= QUIC_FRAME_TYPE_MAX_KNOWN; ++t)
        {
            auto type = static_cast<QuicFrameType>(t);
            bool probing = type == T::PADDING || type == T::PATH_CHALLENGE ||
                           type == T::PATH_RESPONSE || type == T::NEW_CONNECTION_ID;
            bool eliciting = !(type == T::ACK || type == T::ACK_ECN || type == T::PADDING ||
                               type == T::CONNECTION_CLOSE || type == T::CONNECTION_CLOSE_APP);
            NS_TEST_ASSERT_MSG_EQ(QuicFrameIsProbing(type), probing, "probing " << type);
            NS_TEST_ASSERT_MSG_EQ(QuicFrameIsAckEliciting(type), eliciting, "eliciting " << type);
            NS_TEST_ASSERT_MSG_EQ(QuicFrameCountsInFlight(type),
                                  eliciting || type == T::PADDING,
                                  "in flight " << type);
        }
        // ACK and PING are not probing: an ACK-only or PING packet from a new address is a
        // migration (requirements matrix, observation 4).
        NS_TEST_ASSERT_MSG_EQ(QuicFrameIsProbing(T::ACK), false, "ACK not probing");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameIsProbing(T::PING), false, "PING not probing");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameIsProbing(static_cast<T>(0x1f)), false, "unknown");
        // Families and bit sets.
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeIsStream(T::STREAM_OFF_LEN_FIN), true, "0x0f");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeIsStream(T::MAX_DATA), false, "0x10");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeIsStream(T::NEW_TOKEN), false, "0x07");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeIsAck(T::ACK_ECN), true, "0x03");
        NS_TEST_ASSERT_MSG_EQ(static_cast<uint64_t>(QuicStreamFrameType(true, false, true)),
                              0x0d,
                              "OFF|FIN");
        uint32_t stream = 0;
        uint32_t probing = 0;
        for (uint64_t t = 0; t <= QUIC_FRAME_TYPE_MAX_KNOWN; ++t)
        {
            auto type = static_cast<QuicFrameType>(t);
            stream |= QuicFrameTypeIsStream(type) ? QuicFrameTypeBit(type) : 0;
            probing |= QuicFrameIsProbing(type) ? QuicFrameTypeBit(type) : 0;
        }
        NS_TEST_ASSERT_MSG_EQ(stream, QUIC_FRAME_MASK_STREAM, "stream mask");
        NS_TEST_ASSERT_MSG_EQ(probing, QUIC_FRAME_MASK_PROBING, "probing mask");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeBit(static_cast<T>(0x1f)), 0, "no bit for unknown");
    }
};

/**
 * \ingroup quic-migration-tests
 * FR-12, MIG-08: the packet scanner. A frame in a packet type that does not allow it and an
 * empty payload are PROTOCOL_VIOLATION with the offending frame reported; probing-only,
 * ack-eliciting and in-flight are computed over the whole packet.
 */
class QuicFramePacketScanTestCase : public TestCase
{
  public:
    QuicFramePacketScanTestCase()
        : TestCase("FR-12 MIG-08 packet payload scan: packet-type rule, empty packet, summary")
    {
    }

  private:
    /**
     * \param frames frames to concatenate \return the payload
     */
    static std::vector<uint8_t> Payload(const std::vector<QuicFrame>& frames)
    {
        std::vector<uint8_t> out;
        QuicBufferWriter w(out);
        for (const QuicFrame& f : frames)
        {
            QuicEncodeFrame(w, f);
        }
        return out;
    }

    void DoRun() override
    {
        using T = QuicFrameType;
        using P = QuicPacketType;
        const QuicConnectionId cid(CID20, 8);
        QuicFrame scratch;

        // PATH_CHALLENGE + PADDING to 1200: a probing packet (PV-05 shape).
        auto pc = Payload({QuicFrame::PathChallenge(PATH8), QuicFrame::Padding(1191)});
        auto s = QuicScanPacketFrames(pc.data(), pc.size(), P::ONE_RTT, scratch);
        NS_TEST_ASSERT_MSG_EQ(Err(s.m_error), "NO_ERROR", "PC+PADDING");
        NS_TEST_ASSERT_MSG_EQ(s.m_probingOnly, true, "probing");
        NS_TEST_ASSERT_MSG_EQ(s.m_ackEliciting, true, "ack-eliciting");
        NS_TEST_ASSERT_MSG_EQ(s.m_inFlight, true, "in flight");
        NS_TEST_ASSERT_MSG_EQ(s.m_frameCount, 2, "PADDING run counts once");
        NS_TEST_ASSERT_MSG_EQ(s.m_frameTypes,
                              (QuicFrameTypeBit(T::PATH_CHALLENGE) | QuicFrameTypeBit(T::PADDING)),
                              "frame-type set");
        NS_TEST_ASSERT_MSG_EQ(s.Contains(T::PATH_CHALLENGE), true, "contains PC");

        // NEW_CONNECTION_ID + PATH_RESPONSE + PATH_CHALLENGE + PADDING: still probing (PV-01).
        auto mix = Payload({QuicFrame::NewConnectionId(2, 0, cid, TOKEN16),
                            QuicFrame::PathResponse(PATH8),
                            QuicFrame::PathChallenge(PATH8),
                            QuicFrame::Padding(30)});
        s = QuicScanPacketFrames(mix.data(), mix.size(), P::ONE_RTT);
        NS_TEST_ASSERT_MSG_EQ(s.Ok(), true, "NCID+PR+PC+PADDING ok");
        NS_TEST_ASSERT_MSG_EQ(s.m_probingOnly, true, "probing");

        // Any non-probing frame (PING, ACK) makes the packet non-probing.
        auto ping = Payload({QuicFrame::PathChallenge(PATH8), QuicFrame::Ping()});
        s = QuicScanPacketFrames(ping.data(), ping.size(), P::ONE_RTT);
        NS_TEST_ASSERT_MSG_EQ(s.m_probingOnly, false, "PC+PING not probing");
        auto ackOnly = Payload({QuicFrame::Ack({{0, 4}}, 1)});
        s = QuicScanPacketFrames(ackOnly.data(), ackOnly.size(), P::ONE_RTT);
        NS_TEST_ASSERT_MSG_EQ(s.Ok(), true, "ACK ok");
        NS_TEST_ASSERT_MSG_EQ(s.m_probingOnly, false, "ACK-only not probing");
        NS_TEST_ASSERT_MSG_EQ(s.m_ackEliciting, false, "ACK-only not ack-eliciting");
        NS_TEST_ASSERT_MSG_EQ(s.m_inFlight, false, "ACK-only not in flight");
        auto ackPad = Payload({QuicFrame::Ack({{0, 4}}, 1), QuicFrame::Padding(10)});
        s = QuicScanPacketFrames(ackPad.data(), ackPad.size(), P::INITIAL);
        NS_TEST_ASSERT_MSG_EQ(s.m_ackEliciting, false, "ACK+PADDING not ack-eliciting");
        NS_TEST_ASSERT_MSG_EQ(s.m_inFlight, true, "ACK+PADDING in flight");
        auto close = Payload({QuicFrame::ConnectionClose(QuicTransportError::NO_ERROR, 0)});
        s = QuicScanPacketFrames(close.data(), close.size(), P::HANDSHAKE);
        NS_TEST_ASSERT_MSG_EQ(s.Ok(), true, "0x1c in Handshake");
        NS_TEST_ASSERT_MSG_EQ(s.m_ackEliciting, false, "CLOSE not ack-eliciting");

        // FR-12: PATH_CHALLENGE inside a Handshake packet.
        auto hs = Payload({QuicFrame::Crypto(0, PAYLOAD, 10), QuicFrame::PathChallenge(PATH8)});
        s = QuicScanPacketFrames(hs.data(), hs.size(), P::HANDSHAKE);
        NS_TEST_ASSERT_MSG_EQ(Err(s.m_error), "PROTOCOL_VIOLATION", "PC in Handshake");
        NS_TEST_ASSERT_MSG_EQ(s.m_errorFrameType, 0x1a, "offending frame");
        NS_TEST_ASSERT_MSG_EQ(s.m_errorOffset, 13, "offending frame offset");
        NS_TEST_ASSERT_MSG_EQ(s.m_probingOnly, false, "no classification on error");

        // CONNECTION_CLOSE 0x1d in Initial; 0x1c is fine there.
        auto app = Payload({QuicFrame::ApplicationClose(1)});
        s = QuicScanPacketFrames(app.data(), app.size(), P::INITIAL);
        NS_TEST_ASSERT_MSG_EQ(Err(s.m_error), "PROTOCOL_VIOLATION", "0x1d in Initial");
        NS_TEST_ASSERT_MSG_EQ(s.m_errorFrameType, 0x1d, "offending 0x1d");
        s = QuicScanPacketFrames(close.data(), close.size(), P::INITIAL);
        NS_TEST_ASSERT_MSG_EQ(s.Ok(), true, "0x1c in Initial");

        // STREAM in Initial; PATH_RESPONSE in 0-RTT; RETIRE_CONNECTION_ID in 0-RTT (strict).
        auto stream = Payload({QuicFrame::Stream(0, 0, PAYLOAD, 4, false)});
        s = QuicScanPacketFrames(stream.data(), stream.size(), P::INITIAL);
        NS_TEST_ASSERT_MSG_EQ(Err(s.m_error), "PROTOCOL_VIOLATION", "STREAM in Initial");
        s = QuicScanPacketFrames(stream.data(), stream.size(), P::ZERO_RTT);
        NS_TEST_ASSERT_MSG_EQ(s.Ok(), true, "STREAM in 0-RTT");
        auto pr = Payload({QuicFrame::PathResponse(PATH8)});
        s = QuicScanPacketFrames(pr.data(), pr.size(), P::ZERO_RTT);
        NS_TEST_ASSERT_MSG_EQ(Err(s.m_error), "PROTOCOL_VIOLATION", "PR in 0-RTT");
        auto rcid = Payload({QuicFrame::RetireConnectionId(0)});
        s = QuicScanPacketFrames(rcid.data(), rcid.size(), P::ZERO_RTT);
        NS_TEST_ASSERT_MSG_EQ(s.Ok(), true, "RCID in 0-RTT (Table 3)");
        s = QuicScanPacketFrames(rcid.data(), rcid.size(), P::ZERO_RTT, true);
        NS_TEST_ASSERT_MSG_EQ(Err(s.m_error), "PROTOCOL_VIOLATION", "RCID in 0-RTT, strict");
        auto hd = Payload({QuicFrame::HandshakeDone()});
        s = QuicScanPacketFrames(hd.data(), hd.size(), P::HANDSHAKE);
        NS_TEST_ASSERT_MSG_EQ(Err(s.m_error), "PROTOCOL_VIOLATION", "HANDSHAKE_DONE in HS");

        // §12.4: a packet containing no frames.
        s = QuicScanPacketFrames(nullptr, 0, P::ONE_RTT);
        NS_TEST_ASSERT_MSG_EQ(Err(s.m_error), "PROTOCOL_VIOLATION", "empty payload");
        NS_TEST_ASSERT_MSG_EQ(s.m_errorFrameType, 0, "no offending frame");
        // Frames in a Retry packet.
        s = QuicScanPacketFrames(ping.data(), ping.size(), P::RETRY);
        NS_TEST_ASSERT_MSG_EQ(Err(s.m_error), "PROTOCOL_VIOLATION", "frames in Retry");

        // Decode error mid-packet: FRAME_ENCODING_ERROR wins, reported at its offset.
        auto broken = FromHex("01 01 1f 00");
        s = QuicScanPacketFrames(broken.data(), broken.size(), P::ONE_RTT);
        NS_TEST_ASSERT_MSG_EQ(Err(s.m_error), "FRAME_ENCODING_ERROR", "unknown type mid-packet");
        NS_TEST_ASSERT_MSG_EQ(s.m_errorFrameType, 0x1f, "offending type");
        NS_TEST_ASSERT_MSG_EQ(s.m_errorOffset, 2, "offending offset");
        NS_TEST_ASSERT_MSG_EQ(s.m_frameCount, 2, "two PINGs before it");
        auto overlong = FromHex("401a 0011223344556677");
        s = QuicScanPacketFrames(overlong.data(), overlong.size(), P::ONE_RTT);
        NS_TEST_ASSERT_MSG_EQ(Err(s.m_error), "PROTOCOL_VIOLATION", "0x401a");
        NS_TEST_ASSERT_MSG_EQ(s.m_errorFrameType, 0x1a, "0x401a reports PATH_CHALLENGE");

        // The parser yields frames and the same summary.
        QuicFrameParser parser(mix.data(), mix.size(), P::ONE_RTT);
        QuicFrame f;
        std::vector<QuicFrameType> seen;
        while (parser.Next(f))
        {
            seen.push_back(f.m_type);
        }
        NS_TEST_ASSERT_MSG_EQ(parser.Finished(), true, "finished");
        NS_TEST_ASSERT_MSG_EQ(parser.Summary().Ok(), true, "ok");
        NS_TEST_ASSERT_MSG_EQ(seen.size(), 4, "four frames");
        NS_TEST_ASSERT_MSG_EQ(seen[0], T::NEW_CONNECTION_ID, "first");
        NS_TEST_ASSERT_MSG_EQ(seen[3], T::PADDING, "last");
        NS_TEST_ASSERT_MSG_EQ(parser.Next(f), false, "stays finished");
    }
};

/**
 * \ingroup quic-migration-tests
 * RFC and qlog 0.3 names of frame types.
 */
class QuicFrameNamesTestCase : public TestCase
{
  public:
    QuicFrameNamesTestCase()
        : TestCase("frame type names (RFC 9000 Table 3 and qlog 0.3)")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeName(QuicFrameType::PATH_CHALLENGE),
                              "PATH_CHALLENGE",
                              "RFC name");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeName(0x0b), "STREAM", "STREAM family");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeName(0x1d), "CONNECTION_CLOSE", "0x1d");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeName(0x1f), "UNKNOWN(0x1f)", "unknown");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeQlogName(QuicFrameType::PATH_CHALLENGE),
                              "path_challenge",
                              "qlog");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeQlogName(QuicFrameType::NEW_CONNECTION_ID),
                              "new_connection_id",
                              "qlog");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeQlogName(QuicFrameType::ACK_ECN), "ack", "qlog");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeQlogName(0x0e), "stream", "qlog");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeQlogName(0x1e), "handshake_done", "qlog");
        NS_TEST_ASSERT_MSG_EQ(QuicFrameTypeQlogName(0x1f), "unknown", "qlog unknown");
        for (uint64_t t = 0; t <= QUIC_FRAME_TYPE_MAX_KNOWN; ++t)
        {
            std::string rfc = QuicFrameTypeName(t);
            std::string qlog = QuicFrameTypeQlogName(t);
            for (char& c : rfc)
            {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            NS_TEST_ASSERT_MSG_EQ(qlog, rfc, "qlog name is the lower-case RFC name");
        }
        std::ostringstream os;
        os << QuicFrameType::STREAM_LEN_FIN;
        NS_TEST_ASSERT_MSG_EQ(os.str(), "STREAM(0x0b)", "operator<<");
        NS_TEST_ASSERT_MSG_EQ(Str(QuicFrame::PathChallenge(PATH8)),
                              "PATH_CHALLENGE(0x1a) data=0011223344556677",
                              "frame description");
    }
};

/**
 * \ingroup quic-migration-tests
 * ACK builder normalisation, descending iteration, Acknowledges(), and capacity reuse of a
 * decoded frame (no reallocation per packet).
 */
class QuicFrameAckRangesTestCase : public TestCase
{
  public:
    QuicFrameAckRangesTestCase()
        : TestCase("ACK ranges: builder normalisation, descending iteration, reuse")
    {
    }

  private:
    void DoRun() override
    {
        // Unordered, overlapping, adjacent and inverted intervals.
        QuicFrame a = QuicFrame::Ack({{1, 2}, {10, 12}, {3, 3}, {11, 15}, {20, 18}, {7, 7}}, 0);
        const std::vector<QuicAckRange> expected = {{18, 20}, {10, 15}, {7, 7}, {1, 3}};
        NS_TEST_ASSERT_MSG_EQ((a.m_ackRanges == expected), true, "normalised " << Str(a));
        NS_TEST_ASSERT_MSG_EQ(a.LargestAcknowledged(), 20, "largest");
        NS_TEST_ASSERT_MSG_EQ(a.SmallestAcknowledged(), 1, "smallest");
        for (uint64_t pn = 0; pn < 25; ++pn)
        {
            bool in =
                (pn >= 18 && pn <= 20) || (pn >= 10 && pn <= 15) || pn == 7 || (pn >= 1 && pn <= 3);
            NS_TEST_ASSERT_MSG_EQ(a.Acknowledges(pn), in, "Acknowledges " << pn);
        }
        // Descending iteration after a round trip.
        auto bytes = Encode(a);
        QuicFrame d;
        size_t consumed;
        NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(bytes, d, consumed)), "NO_ERROR", "decode");
        uint64_t previous = ~0ULL;
        for (const QuicAckRange& r : d.m_ackRanges)
        {
            NS_TEST_ASSERT_MSG_LT(r.m_largest, previous, "descending");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(r.m_smallest, r.m_largest, "interval");
            previous = r.m_smallest;
        }

        // Reuse: a big ACK, then a small one; the vector keeps its storage.
        std::vector<QuicAckRange> many;
        for (uint64_t i = 0; i < 64; ++i)
        {
            many.push_back({10 * i, 10 * i + 3});
        }
        auto big = Encode(QuicFrame::Ack(many, 0));
        NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(big, d, consumed)), "NO_ERROR", "big");
        NS_TEST_ASSERT_MSG_EQ(d.m_ackRanges.size(), 64, "64 ranges");
        const QuicAckRange* storage = d.m_ackRanges.data();
        size_t capacity = d.m_ackRanges.capacity();
        NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(bytes, d, consumed)), "NO_ERROR", "small");
        NS_TEST_ASSERT_MSG_EQ(d.m_ackRanges.size(), 4, "4 ranges");
        NS_TEST_ASSERT_MSG_EQ((d.m_ackRanges.data() == storage), true, "same storage");
        NS_TEST_ASSERT_MSG_EQ(d.m_ackRanges.capacity(), capacity, "same capacity");
        NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(big, d, consumed)), "NO_ERROR", "big again");
        NS_TEST_ASSERT_MSG_EQ((d.m_ackRanges.data() == storage), true, "no reallocation");
    }
};

/**
 * \ingroup quic-migration-tests
 * QuicStreamFrameMaxDataLength() / QuicCryptoFrameMaxDataLength() fill a byte budget
 * exactly: the returned length fits and one more byte does not.
 */
class QuicFrameBudgetTestCase : public TestCase
{
  public:
    QuicFrameBudgetTestCase()
        : TestCase("STREAM and CRYPTO data length for a byte budget")
    {
    }

  private:
    void DoRun() override
    {
        static uint8_t big[70000] = {};
        const uint64_t ids[] = {0, 63, 64, 16384, VMAX};
        const uint64_t offsets[] = {0, 1, 16383, 1ULL << 30, VMAX - 100};
        std::vector<size_t> budgets;
        for (size_t b = 0; b < 1500; ++b)
        {
            budgets.push_back(b);
        }
        for (size_t b : {16380, 16390, 16395, 65535, 69999})
        {
            budgets.push_back(b);
        }
        for (uint64_t id : ids)
        {
            for (uint64_t offset : offsets)
            {
                for (size_t budget : budgets)
                {
                    for (bool withLength : {true, false})
                    {
                        size_t n = QuicStreamFrameMaxDataLength(id, offset, budget, withLength);
                        QuicFrame f = QuicFrame::Stream(id, offset, big, n, false, withLength);
                        QuicFrame g = QuicFrame::Stream(id, offset, big, n + 1, false, withLength);
                        if (n > 0)
                        {
                            NS_TEST_ASSERT_MSG_LT_OR_EQ(QuicFrameEncodedSize(f),
                                                        budget,
                                                        "fits: " << Str(f));
                        }
                        size_t more = QuicFrameEncodedSize(g);
                        NS_TEST_ASSERT_MSG_EQ((more == 0 || more > budget),
                                              true,
                                              "one more byte does not fit: " << Str(g) << " budget "
                                                                             << budget);
                    }
                }
                for (size_t budget : budgets)
                {
                    size_t n = QuicCryptoFrameMaxDataLength(offset, budget);
                    if (n > 0)
                    {
                        NS_TEST_ASSERT_MSG_LT_OR_EQ(
                            QuicFrameEncodedSize(QuicFrame::Crypto(offset, big, n)),
                            budget,
                            "crypto fits");
                    }
                    size_t more = QuicFrameEncodedSize(QuicFrame::Crypto(offset, big, n + 1));
                    NS_TEST_ASSERT_MSG_EQ((more == 0 || more > budget), true, "crypto +1");
                }
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * Deterministic fuzz: 200000 pseudo-random buffers (pure noise, plausible frame types with
 * small varints, and mutated valid encodings) through the decoder and the packet scanner.
 * Only NO_ERROR, FRAME_ENCODING_ERROR and PROTOCOL_VIOLATION come out, nothing crashes, and
 * every frame the decoder accepts re-encodes and decodes back to itself.
 */
class QuicFrameFuzzTestCase : public TestCase
{
  public:
    QuicFrameFuzzTestCase()
        : TestCase("decoder fuzz: 200k pseudo-random buffers, only error codes, no crash")
    {
    }

  private:
    void DoRun() override
    {
        Prng rng(0x9e3779b97f4a7c15ULL);
        std::vector<std::vector<uint8_t>> corpus;
        for (const QuicFrame& f : ValidFrames())
        {
            corpus.push_back(Encode(f));
        }
        const QuicPacketType packetTypes[] = {QuicPacketType::INITIAL,
                                              QuicPacketType::HANDSHAKE,
                                              QuicPacketType::ZERO_RTT,
                                              QuicPacketType::ONE_RTT};
        QuicFrame f;
        QuicFrame back;
        QuicFrame scratch;
        size_t decodedFrames = 0;
        size_t errors[3] = {0, 0, 0};
        for (uint32_t iter = 0; iter < 200000; ++iter)
        {
            std::vector<uint8_t> buf;
            switch (iter % 3)
            {
            case 0: { // noise
                size_t n = rng.Below(48);
                for (size_t i = 0; i < n; ++i)
                {
                    buf.push_back(static_cast<uint8_t>(rng.Next()));
                }
                break;
            }
            case 1: { // known type, then small or boundary-ish bytes
                size_t n = 1 + rng.Below(40);
                buf.push_back(static_cast<uint8_t>(rng.Below(QUIC_FRAME_TYPE_MAX_KNOWN + 1)));
                for (size_t i = 1; i < n; ++i)
                {
                    uint64_t r = rng.Below(8);
                    uint8_t b = r < 4   ? static_cast<uint8_t>(rng.Below(24))
                                : r < 6 ? static_cast<uint8_t>(rng.Next())
                                : r < 7 ? 0xff
                                        : 0x40;
                    buf.push_back(b);
                }
                break;
            }
            default: { // mutated valid encoding(s)
                size_t frames = 1 + rng.Below(3);
                for (size_t k = 0; k < frames; ++k)
                {
                    const auto& c = corpus[rng.Below(corpus.size())];
                    buf.insert(buf.end(), c.begin(), c.end());
                }
                size_t mutations = rng.Below(4);
                for (size_t m = 0; m < mutations && !buf.empty(); ++m)
                {
                    size_t pos = rng.Below(buf.size());
                    switch (rng.Below(3))
                    {
                    case 0:
                        buf[pos] = static_cast<uint8_t>(rng.Next());
                        break;
                    case 1:
                        buf[pos] ^= static_cast<uint8_t>(1u << rng.Below(8));
                        break;
                    default:
                        buf.resize(pos);
                        break;
                    }
                }
                break;
            }
            }
            buf.shrink_to_fit(); // exactly sized, so overreads are visible to sanitizers

            QuicBufferReader r(buf.data(), buf.size());
            size_t guard = 0;
            while (!r.AtEnd() && guard++ < 4096)
            {
                size_t before = r.Position();
                QuicTransportError e = QuicDecodeFrame(r, f);
                if (e != QuicTransportError::NO_ERROR)
                {
                    NS_TEST_ASSERT_MSG_EQ((e == QuicTransportError::FRAME_ENCODING_ERROR ||
                                           e == QuicTransportError::PROTOCOL_VIOLATION),
                                          true,
                                          "unexpected code " << Err(e) << " for " << ToHex(buf));
                    NS_TEST_ASSERT_MSG_EQ(r.Position(), before, "cursor unchanged on error");
                    ++errors[e == QuicTransportError::FRAME_ENCODING_ERROR ? 1 : 2];
                    break;
                }
                NS_TEST_ASSERT_MSG_GT(r.Position(), before, "progress");
                ++decodedFrames;
                // Accepted frames are encodable and survive a round trip.
                std::vector<uint8_t> again = Encode(f);
                NS_TEST_ASSERT_MSG_EQ(again.size(),
                                      QuicFrameEncodedSize(f),
                                      "re-encodable: " << Str(f) << " from " << ToHex(buf));
                NS_TEST_ASSERT_MSG_GT(again.size(), 0, "re-encodable: " << Str(f));
                size_t consumed;
                NS_TEST_ASSERT_MSG_EQ(Err(DecodeOne(again, back, consumed)),
                                      "NO_ERROR",
                                      "re-decode " << Str(f));
                NS_TEST_ASSERT_MSG_EQ((back == f), true, "re-decode equal " << Str(f));
            }
            if (r.AtEnd())
            {
                ++errors[0];
            }

            QuicFramePacketSummary s = QuicScanPacketFrames(buf.data(),
                                                            buf.size(),
                                                            packetTypes[iter % 4],
                                                            scratch,
                                                            iter % 7 == 0);
            NS_TEST_ASSERT_MSG_EQ((s.m_error == QuicTransportError::NO_ERROR ||
                                   s.m_error == QuicTransportError::FRAME_ENCODING_ERROR ||
                                   s.m_error == QuicTransportError::PROTOCOL_VIOLATION),
                                  true,
                                  "scan code " << Err(s.m_error));
            NS_TEST_ASSERT_MSG_LT_OR_EQ(s.m_errorOffset, buf.size(), "error offset in range");
        }
        // The generator must exercise both outcomes substantially.
        NS_TEST_ASSERT_MSG_GT(decodedFrames, 100000, "many frames decoded");
        NS_TEST_ASSERT_MSG_GT(errors[0], 10000, "many clean buffers");
        NS_TEST_ASSERT_MSG_GT(errors[1], 10000, "many FRAME_ENCODING_ERRORs");
        NS_TEST_ASSERT_MSG_GT(errors[2], 10, "some PROTOCOL_VIOLATIONs");
    }
};

/**
 * \ingroup quic-migration-tests
 * QUIC frame codec, validation and classification tests.
 */
class QuicFrameTestSuite : public TestSuite
{
  public:
    QuicFrameTestSuite()
        : TestSuite("quic-frame", QUIC_SUITE_UNIT)
    {
        AddTestCase(new QuicFrameRoundTripTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameRfcLayoutTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameNewConnectionIdRulesTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameTypeEncodingTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameAckValidationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameStreamCryptoLimitsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameStreamLimitTokenTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameTruncationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameEncoderRefusalTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameAllowedInTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameClassificationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFramePacketScanTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameNamesTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameAckRangesTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameBudgetTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrameFuzzTestCase, QUIC_TEST_QUICK);
    }
};

static QuicFrameTestSuite g_quicFrameTestSuite; //!< Static variable for test initialization

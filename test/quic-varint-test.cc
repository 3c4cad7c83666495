/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Variable-length integers (RFC 9000 §16, App. A.1), the buffer reader/writer
// and transport error names (§20.1). Requirement rows: FMT-01, FMT-02.

#include "quic-ns3-compat.h"
#include "quic-test-utils.h"

#include "ns3/quic-buffer.h"
#include "ns3/quic-error.h"
#include "ns3/quic-varint.h"
#include "ns3/test.h"

#include <vector>

using namespace ns3;

using quictest::FromHex;
using quictest::ToHex;

/**
 * \ingroup quic-migration-tests
 * FMT-02: the decoding examples of RFC 9000 App. A.1, including the
 * non-minimal two-byte encoding of 37, and the lengths they report.
 */
class QuicVarintRfcVectorsTestCase : public TestCase
{
  public:
    QuicVarintRfcVectorsTestCase()
        : TestCase("FMT-02 RFC 9000 App. A.1 varint decoding vectors")
    {
    }

  private:
    void DoRun() override
    {
        struct Vector
        {
            const char* hex;
            uint64_t value;
            size_t length;
        };

        const Vector vectors[] = {
            {"c2197c5eff14e88c", 151288809941952652ULL, 8},
            {"9d7f3e7d", 494878333ULL, 4},
            {"7bbd", 15293ULL, 2},
            {"25", 37ULL, 1},
            {"4025", 37ULL, 2},
        };
        for (const auto& v : vectors)
        {
            auto bytes = FromHex(v.hex);
            uint64_t value = 0;
            size_t n = QuicVarintDecode(bytes.data(), bytes.size(), value);
            NS_TEST_ASSERT_MSG_EQ(n, v.length, "length of " << v.hex);
            NS_TEST_ASSERT_MSG_EQ(value, v.value, "value of " << v.hex);
        }
        // Minimal re-encoding of the first four gives the same bytes.
        for (size_t i = 0; i < 4; ++i)
        {
            auto bytes = FromHex(vectors[i].hex);
            uint8_t out[8];
            size_t n = QuicVarintEncode(vectors[i].value, out, sizeof(out));
            NS_TEST_ASSERT_MSG_EQ(n, bytes.size(), "encoded length");
            NS_TEST_ASSERT_MSG_EQ(ToHex(out, n),
                                  vectors[i].hex,
                                  "encoding of " << vectors[i].value);
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * FMT-01: round trip at each length boundary; values above 2^62-1 are refused.
 */
class QuicVarintBoundariesTestCase : public TestCase
{
  public:
    QuicVarintBoundariesTestCase()
        : TestCase("FMT-01 varint length boundaries and range")
    {
    }

  private:
    void DoRun() override
    {
        struct Case
        {
            uint64_t value;
            size_t length;
        };

        const Case cases[] = {
            {0, 1},
            {63, 1},
            {64, 2},
            {16383, 2},
            {16384, 4},
            {(1ULL << 30) - 1, 4},
            {1ULL << 30, 8},
            {QUIC_VARINT_MAX, 8},
        };
        for (const auto& c : cases)
        {
            NS_TEST_ASSERT_MSG_EQ(QuicVarintSize(c.value), c.length, "size of " << c.value);
            uint8_t buf[8];
            size_t n = QuicVarintEncode(c.value, buf, sizeof(buf));
            NS_TEST_ASSERT_MSG_EQ(n, c.length, "encode " << c.value);
            NS_TEST_ASSERT_MSG_EQ(QuicVarintLengthFromFirstByte(buf[0]), c.length, "prefix");
            uint64_t back = 0;
            NS_TEST_ASSERT_MSG_EQ(QuicVarintDecode(buf, n, back), n, "decode " << c.value);
            NS_TEST_ASSERT_MSG_EQ(back, c.value, "round trip " << c.value);
            // One byte short: the decoder refuses instead of reading past the end.
            NS_TEST_ASSERT_MSG_EQ(QuicVarintDecode(buf, n - 1, back), 0, "truncated " << c.value);
            // Too small an output buffer: nothing written.
            NS_TEST_ASSERT_MSG_EQ(QuicVarintEncode(c.value, buf, n - 1), 0, "short output");
        }
        uint8_t buf[8];
        NS_TEST_ASSERT_MSG_EQ(QuicVarintSize(QUIC_VARINT_MAX + 1), 0, "2^62 has no encoding");
        NS_TEST_ASSERT_MSG_EQ(QuicVarintEncode(QUIC_VARINT_MAX + 1, buf, 8), 0, "2^62 refused");
        NS_TEST_ASSERT_MSG_EQ(QuicVarintEncode(~0ULL, buf, 8), 0, "2^64-1 refused");

        // Fixed-length encodings: 37 in 2, 4 and 8 bytes decodes to 37.
        for (size_t len : {1, 2, 4, 8})
        {
            NS_TEST_ASSERT_MSG_EQ(QuicVarintEncodeWithLength(37, len, buf, 8), len, "fixed");
            uint64_t back = 0;
            NS_TEST_ASSERT_MSG_EQ(QuicVarintDecode(buf, 8, back), len, "fixed decode");
            NS_TEST_ASSERT_MSG_EQ(back, 37, "fixed value");
        }
        NS_TEST_ASSERT_MSG_EQ(QuicVarintEncodeWithLength(64, 1, buf, 8), 0, "64 does not fit 1");
        NS_TEST_ASSERT_MSG_EQ(QuicVarintEncodeWithLength(1, 3, buf, 8), 0, "length 3 invalid");
        uint64_t v = 0;
        NS_TEST_ASSERT_MSG_EQ(QuicVarintDecode(buf, 0, v), 0, "empty buffer");
    }
};

/**
 * \ingroup quic-migration-tests
 * The reader never reads past its buffer and leaves its cursor unchanged on failure.
 */
class QuicBufferReaderWriterTestCase : public TestCase
{
  public:
    QuicBufferReaderWriterTestCase()
        : TestCase("buffer reader and writer bounds")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<uint8_t> out;
        QuicBufferWriter w(out);
        w.WriteU8(0xab);
        w.WriteU16(0x1234);
        w.WriteU32(0xdeadbeef);
        NS_TEST_ASSERT_MSG_EQ(w.WriteVarint(494878333), true, "varint");
        NS_TEST_ASSERT_MSG_EQ(w.WriteVarint(QUIC_VARINT_MAX + 1), false, "too large");
        w.WriteUintN(0x0102030405ULL, 5);
        w.WriteZeros(3);
        NS_TEST_ASSERT_MSG_EQ(out.size(), 1u + 2 + 4 + 4 + 5 + 3, "size");

        QuicBufferReader r(out.data(), out.size());
        uint8_t b;
        uint16_t s;
        uint32_t l;
        uint64_t v;
        NS_TEST_ASSERT_MSG_EQ(r.ReadU8(b) && b == 0xab, true, "u8");
        NS_TEST_ASSERT_MSG_EQ(r.ReadU16(s) && s == 0x1234, true, "u16");
        NS_TEST_ASSERT_MSG_EQ(r.ReadU32(l) && l == 0xdeadbeef, true, "u32");
        NS_TEST_ASSERT_MSG_EQ(r.ReadVarint(v) && v == 494878333, true, "varint");
        NS_TEST_ASSERT_MSG_EQ(r.ReadUintN(5, v) && v == 0x0102030405ULL, true, "u40");
        size_t pos = r.Position();
        uint8_t big[8];
        NS_TEST_ASSERT_MSG_EQ(r.ReadBytes(big, 4), false, "past the end");
        NS_TEST_ASSERT_MSG_EQ(r.Position(), pos, "cursor unchanged on failure");
        NS_TEST_ASSERT_MSG_EQ(r.ReadUintN(9, v), false, "ReadUintN(9) refused");
        NS_TEST_ASSERT_MSG_EQ(r.Skip(3), true, "skip padding");
        NS_TEST_ASSERT_MSG_EQ(r.AtEnd(), true, "at end");
        NS_TEST_ASSERT_MSG_EQ(r.ReadU8(b), false, "nothing left");

        // A varint whose prefix announces 8 bytes in a 3-byte buffer.
        const uint8_t trunc[] = {0xc0, 0x01, 0x02};
        QuicBufferReader r2(trunc, sizeof(trunc));
        NS_TEST_ASSERT_MSG_EQ(r2.ReadVarint(v), false, "varint past the buffer");
        NS_TEST_ASSERT_MSG_EQ(r2.Position(), 0u, "cursor unchanged");
    }
};

/**
 * \ingroup quic-migration-tests
 * Transport error codes and names of RFC 9000 §20.1.
 */
class QuicTransportErrorNamesTestCase : public TestCase
{
  public:
    QuicTransportErrorNamesTestCase()
        : TestCase("transport error codes (RFC 9000 §20.1)")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(static_cast<uint64_t>(QuicTransportError::FRAME_ENCODING_ERROR),
                              0x07,
                              "FRAME_ENCODING_ERROR");
        NS_TEST_ASSERT_MSG_EQ(static_cast<uint64_t>(QuicTransportError::CONNECTION_ID_LIMIT_ERROR),
                              0x09,
                              "CONNECTION_ID_LIMIT_ERROR");
        NS_TEST_ASSERT_MSG_EQ(static_cast<uint64_t>(QuicTransportError::NO_VIABLE_PATH),
                              0x10,
                              "NO_VIABLE_PATH");
        NS_TEST_ASSERT_MSG_EQ(QuicTransportErrorName(QuicTransportError::PROTOCOL_VIOLATION),
                              "PROTOCOL_VIOLATION",
                              "name");
        NS_TEST_ASSERT_MSG_EQ(QuicTransportErrorName(0x11), "UNKNOWN(0x11)", "unknown");
        NS_TEST_ASSERT_MSG_EQ(static_cast<uint64_t>(QuicCryptoError(40)), 0x128, "crypto error");
        NS_TEST_ASSERT_MSG_EQ(QuicTransportErrorName(0x128), "CRYPTO_ERROR(0x128)", "crypto name");
        NS_TEST_ASSERT_MSG_EQ(QuicIsCryptoError(0x200), false, "0x200 is not crypto");
    }
};

/**
 * \ingroup quic-migration-tests
 * Varint, buffer and error-code unit tests.
 */
class QuicVarintTestSuite : public TestSuite
{
  public:
    QuicVarintTestSuite()
        : TestSuite("quic-varint", QUIC_SUITE_UNIT)
    {
        AddTestCase(new QuicVarintRfcVectorsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicVarintBoundariesTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicBufferReaderWriterTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTransportErrorNamesTestCase, QUIC_TEST_QUICK);
    }
};

static QuicVarintTestSuite g_quicVarintTestSuite; //!< Static variable for test initialization

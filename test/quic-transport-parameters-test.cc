/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Transport parameters (RFC 9000 §7.3, §7.4, §18). Requirement rows: TP-01 .. TP-07,
// PA-01, PA-02, CID-18.

#include "quic-ns3-compat.h"
#include "quic-test-utils.h"

#include "ns3/quic-buffer.h"
#include "ns3/quic-connection-id.h"
#include "ns3/quic-error.h"
#include "ns3/quic-transport-parameters.h"
#include "ns3/quic-varint.h"
#include "ns3/test.h"

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

using quictest::FromHex;
using quictest::ToHex;

namespace
{

using Id = QuicTransportParameterId;

/// \param v a value \return its minimal varint encoding
std::vector<uint8_t>
Varint(uint64_t v)
{
    std::vector<uint8_t> out;
    QuicBufferWriter w(out);
    w.WriteVarint(v);
    return out;
}

/**
 * \brief One encoded parameter: ID | Length | Value.
 * \param id the identifier
 * \param value the value bytes
 * \return the encoding
 */
std::vector<uint8_t>
Param(uint64_t id, const std::vector<uint8_t>& value)
{
    std::vector<uint8_t> out;
    QuicBufferWriter w(out);
    w.WriteVarint(id);
    w.WriteVarint(value.size());
    w.WriteBytes(value.data(), value.size());
    return out;
}

/// \param id an identifier \return it as a number
uint64_t
N(Id id)
{
    return static_cast<uint64_t>(id);
}

/**
 * \brief One integer parameter with a minimal value varint.
 * \param id the identifier
 * \param v the value
 * \return the encoding
 */
std::vector<uint8_t>
IntParam(Id id, uint64_t v)
{
    return Param(N(id), Varint(v));
}

/// \param parts byte strings \return their concatenation
std::vector<uint8_t>
Cat(std::initializer_list<std::vector<uint8_t>> parts)
{
    std::vector<uint8_t> out;
    for (const auto& p : parts)
    {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

/// \param n length \param first first byte \return a CID of n bytes first, first+1, ...
QuicConnectionId
MakeCid(size_t n, uint8_t first)
{
    uint8_t b[QuicConnectionId::MAX_LENGTH] = {};
    for (size_t i = 0; i < n && i < sizeof(b); ++i)
    {
        b[i] = static_cast<uint8_t>(first + i);
    }
    return QuicConnectionId(b, n);
}

/// \param first first byte \return a token first, first+1, ...
QuicTransportParameters::StatelessResetToken
MakeToken(uint8_t first)
{
    QuicTransportParameters::StatelessResetToken t{};
    for (size_t i = 0; i < t.size(); ++i)
    {
        t[i] = static_cast<uint8_t>(first + i);
    }
    return t;
}

/// \return a preferred address offering both families with a 20-byte CID
QuicPreferredAddress
MakePreferredAddress()
{
    QuicPreferredAddress pa;
    pa.SetIpv4(Ipv4Address("192.0.2.7"), 4433);
    pa.SetIpv6(Ipv6Address("2001:db8::7"), 4434);
    pa.connectionId = MakeCid(20, 0xa0);
    pa.statelessResetToken = MakeToken(0xe0);
    return pa;
}

/// \param tp parameters \return Encode() output
std::vector<uint8_t>
Encode(const QuicTransportParameters& tp)
{
    std::vector<uint8_t> out;
    QuicBufferWriter w(out);
    tp.Encode(w);
    return out;
}

/// \return server parameters with every RFC 9000 parameter set to a non-default value
QuicTransportParameters
MakeFullServerParameters()
{
    QuicTransportParameters tp;
    tp.SetOriginalDestinationConnectionId(MakeCid(8, 0x10));
    tp.SetMaxIdleTimeout(30000);
    tp.SetStatelessResetToken(MakeToken(0x30));
    tp.SetMaxUdpPayloadSize(1472);
    tp.SetInitialMaxData(1ULL << 40);
    tp.SetInitialMaxStreamDataBidiLocal(65536);
    tp.SetInitialMaxStreamDataBidiRemote(131072);
    tp.SetInitialMaxStreamDataUni(1);
    tp.SetInitialMaxStreamsBidi(QuicTransportParameters::MAX_STREAMS_LIMIT);
    tp.SetInitialMaxStreamsUni(3);
    tp.SetAckDelayExponent(20);
    tp.SetMaxAckDelay(16383);
    tp.SetDisableActiveMigration(true);
    tp.SetPreferredAddress(MakePreferredAddress());
    tp.SetActiveConnectionIdLimit(8);
    tp.SetInitialSourceConnectionId(MakeCid(5, 0x50));
    tp.SetRetrySourceConnectionId(MakeCid(20, 0x70));
    return tp;
}

} // namespace

/**
 * \ingroup quic-migration-tests
 * Helpers shared by the transport parameter test cases.
 */
class QuicTpTestCase : public TestCase
{
  public:
    /// \param name the test case name
    explicit QuicTpTestCase(const std::string& name)
        : TestCase(name)
    {
    }

  protected:
    /**
     * \brief Decode a block that must be accepted.
     * \param block the bytes
     * \param sentByServer direction
     * \param what label for messages
     * \return the decoded parameters
     */
    QuicTransportParameters Accept(const std::vector<uint8_t>& block,
                                   bool sentByServer,
                                   const std::string& what)
    {
        QuicTransportParameters tp;
        QuicTransportParameterError err;
        QuicTransportError rc =
            QuicTransportParameters::Decode(block.data(), block.size(), sentByServer, tp, &err);
        NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(rc),
                              "NO_ERROR",
                              what << ": " << ToHex(block) << " refused: " << err.reason);
        NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(err.code), "NO_ERROR", what << ": detail");
        return tp;
    }

    /**
     * \brief Decode a block that must be refused with TRANSPORT_PARAMETER_ERROR.
     * \param block the bytes
     * \param sentByServer direction
     * \param id the parameter the failure must name
     * \param reasonPart text the reason must contain
     * \param what label for messages
     */
    void Reject(const std::vector<uint8_t>& block,
                bool sentByServer,
                uint64_t id,
                const std::string& reasonPart,
                const std::string& what)
    {
        QuicTransportParameters tp;
        tp.SetMaxIdleTimeout(777); // must survive a failed decode
        const QuicTransportParameters before = tp;
        QuicTransportParameterError err;
        QuicTransportError rc =
            QuicTransportParameters::Decode(block.data(), block.size(), sentByServer, tp, &err);
        NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(rc),
                              "TRANSPORT_PARAMETER_ERROR",
                              what << ": " << ToHex(block));
        NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(err.code),
                              "TRANSPORT_PARAMETER_ERROR",
                              what << ": detail code");
        NS_TEST_EXPECT_MSG_EQ(err.hasParameterId, true, what << ": names a parameter");
        NS_TEST_EXPECT_MSG_EQ(err.parameterId, id, what << ": offending parameter");
        NS_TEST_EXPECT_MSG_EQ((err.reason.find(reasonPart) != std::string::npos),
                              true,
                              what << ": reason \"" << err.reason << "\" lacks \"" << reasonPart
                                   << "\"");
        NS_TEST_EXPECT_MSG_EQ((tp == before), true, what << ": output changed on failure");
    }
};

/**
 * \ingroup quic-migration-tests
 * TP-01, TP-06, TP-07, PA-01: every parameter with a non-default value survives
 * Encode/Decode, including a preferred address with both families and a 20-byte CID.
 */
class QuicTpRoundTripTestCase : public QuicTpTestCase
{
  public:
    QuicTpRoundTripTestCase()
        : QuicTpTestCase("TP-01 TP-06 TP-07 round trip of every parameter with non-default values")
    {
    }

  private:
    void DoRun() override
    {
        QuicTransportParameters sent = MakeFullServerParameters();
        NS_TEST_ASSERT_MSG_EQ(QuicTransportErrorName(sent.Validate(true)),
                              "NO_ERROR",
                              "the full server set is valid");
        auto block = Encode(sent);
        QuicTransportParameters got = Accept(block, true, "full server block");
        NS_TEST_ASSERT_MSG_EQ((got == sent), true, "round trip: " << got << " vs " << sent);

        // Field by field, so that a broken operator== cannot hide a loss.
        NS_TEST_EXPECT_MSG_EQ(got.GetOriginalDestinationConnectionId(), MakeCid(8, 0x10), "odcid");
        NS_TEST_EXPECT_MSG_EQ(got.GetMaxIdleTimeout(), 30000, "max_idle_timeout");
        NS_TEST_EXPECT_MSG_EQ((got.GetStatelessResetToken() == MakeToken(0x30)), true, "token");
        NS_TEST_EXPECT_MSG_EQ(got.GetMaxUdpPayloadSize(), 1472, "max_udp_payload_size");
        NS_TEST_EXPECT_MSG_EQ(got.GetInitialMaxData(), 1ULL << 40, "initial_max_data");
        NS_TEST_EXPECT_MSG_EQ(got.GetInitialMaxStreamDataBidiLocal(), 65536, "bidi_local");
        NS_TEST_EXPECT_MSG_EQ(got.GetInitialMaxStreamDataBidiRemote(), 131072, "bidi_remote");
        NS_TEST_EXPECT_MSG_EQ(got.GetInitialMaxStreamDataUni(), 1, "stream_data_uni");
        NS_TEST_EXPECT_MSG_EQ(got.GetInitialMaxStreamsBidi(), 1ULL << 60, "streams_bidi = 2^60");
        NS_TEST_EXPECT_MSG_EQ(got.GetInitialMaxStreamsUni(), 3, "streams_uni");
        NS_TEST_EXPECT_MSG_EQ(got.GetAckDelayExponent(), 20, "ack_delay_exponent");
        NS_TEST_EXPECT_MSG_EQ(got.GetMaxAckDelay(), 16383, "max_ack_delay");
        NS_TEST_EXPECT_MSG_EQ(got.IsActiveMigrationDisabled(), true, "disable_active_migration");
        NS_TEST_EXPECT_MSG_EQ(got.GetActiveConnectionIdLimit(), 8, "active_connection_id_limit");
        NS_TEST_EXPECT_MSG_EQ(got.GetInitialSourceConnectionId(), MakeCid(5, 0x50), "iscid");
        NS_TEST_EXPECT_MSG_EQ(got.GetRetrySourceConnectionId(), MakeCid(20, 0x70), "rscid");

        const QuicPreferredAddress& pa = got.GetPreferredAddress();
        NS_TEST_EXPECT_MSG_EQ(pa.HasIpv4(), true, "PA IPv4 offered");
        NS_TEST_EXPECT_MSG_EQ(pa.GetIpv4Address(), Ipv4Address("192.0.2.7"), "PA IPv4");
        NS_TEST_EXPECT_MSG_EQ(pa.ipv4Port, 4433, "PA IPv4 port");
        NS_TEST_EXPECT_MSG_EQ(pa.GetIpv4SocketAddress().GetPort(), 4433, "PA IPv4 socket port");
        NS_TEST_EXPECT_MSG_EQ(pa.HasIpv6(), true, "PA IPv6 offered");
        NS_TEST_EXPECT_MSG_EQ(pa.GetIpv6Address(), Ipv6Address("2001:db8::7"), "PA IPv6");
        NS_TEST_EXPECT_MSG_EQ(pa.GetIpv6SocketAddress().GetIpv6(),
                              Ipv6Address("2001:db8::7"),
                              "PA IPv6 socket address");
        NS_TEST_EXPECT_MSG_EQ(pa.ipv6Port, 4434, "PA IPv6 port");
        NS_TEST_EXPECT_MSG_EQ(pa.connectionId.Length(), 20, "PA CID length");
        NS_TEST_EXPECT_MSG_EQ((pa == MakePreferredAddress()), true, "PA value");

        // Each parameter appears exactly once, in ascending ID order (§7.4).
        QuicBufferReader r(block.data(), block.size());
        uint64_t previous = 0;
        size_t count = 0;
        while (!r.AtEnd())
        {
            uint64_t id = 0;
            uint64_t len = 0;
            NS_TEST_ASSERT_MSG_EQ((r.ReadVarint(id) && r.ReadVarint(len) && r.Skip(len)),
                                  true,
                                  "well-formed");
            NS_TEST_EXPECT_MSG_EQ((count == 0 || id > previous), true, "ascending, no repeats");
            previous = id;
            ++count;
        }
        NS_TEST_EXPECT_MSG_EQ(count, 17, "all 17 RFC 9000 parameters emitted");

        // Re-encoding the decoded set gives the same bytes.
        NS_TEST_EXPECT_MSG_EQ(ToHex(Encode(got)), ToHex(block), "stable re-encoding");

        // A client block: every parameter a client may send.
        QuicTransportParameters client = sent;
        client.Remove(Id::ORIGINAL_DESTINATION_CONNECTION_ID);
        client.Remove(Id::STATELESS_RESET_TOKEN);
        client.Remove(Id::PREFERRED_ADDRESS);
        client.Remove(Id::RETRY_SOURCE_CONNECTION_ID);
        NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(client.Validate(false)),
                              "NO_ERROR",
                              "client set valid");
        QuicTransportParameters gotClient = Accept(Encode(client), false, "client block");
        NS_TEST_EXPECT_MSG_EQ((gotClient == client), true, "client round trip");
        NS_TEST_EXPECT_MSG_EQ(gotClient.Has(Id::PREFERRED_ADDRESS), false, "no PA");

        // PA-01: an IPv4-only preferred address encodes the IPv6 family as [::]:0.
        QuicPreferredAddress v4only;
        v4only.SetIpv4(Ipv4Address("198.51.100.1"), 443);
        v4only.connectionId = MakeCid(4, 1);
        NS_TEST_EXPECT_MSG_EQ(v4only.HasIpv6(), false, "no IPv6 offered");
        NS_TEST_EXPECT_MSG_EQ(v4only.GetIpv6Address(), Ipv6Address::GetAny(), "IPv6 is ::");
        QuicTransportParameters s2;
        s2.SetPreferredAddress(v4only);
        s2.SetInitialSourceConnectionId(MakeCid(4, 9));
        QuicTransportParameters g2 = Accept(Encode(s2), true, "IPv4-only PA");
        NS_TEST_EXPECT_MSG_EQ(g2.GetPreferredAddress().HasIpv4(), true, "IPv4 offered");
        NS_TEST_EXPECT_MSG_EQ(g2.GetPreferredAddress().HasIpv6(), false, "IPv6 not offered");
        NS_TEST_EXPECT_MSG_EQ((g2.GetPreferredAddress() == v4only), true, "IPv4-only PA value");
    }
};

/**
 * \ingroup quic-migration-tests
 * TP-05, TP-07: absent parameters read as their RFC 9000 §18.2 defaults, a default
 * set encodes to nothing, and explicit default values round-trip.
 */
class QuicTpDefaultsTestCase : public QuicTpTestCase
{
  public:
    QuicTpDefaultsTestCase()
        : QuicTpTestCase("TP-05 TP-07 absent parameters take their defaults")
    {
    }

  private:
    void DoRun() override
    {
        QuicTransportParameters fresh;
        NS_TEST_EXPECT_MSG_EQ(Encode(fresh).size(), 0, "nothing present: empty block");

        QuicTransportParameters tp = Accept({}, true, "empty block");
        NS_TEST_EXPECT_MSG_EQ((tp == fresh), true, "empty block = default set");
        NS_TEST_EXPECT_MSG_EQ(tp.GetActiveConnectionIdLimit(), 2, "TP-05: absent behaves as 2");
        NS_TEST_EXPECT_MSG_EQ(tp.GetMaxUdpPayloadSize(), 65527, "max_udp_payload_size");
        NS_TEST_EXPECT_MSG_EQ(tp.GetAckDelayExponent(), 3, "ack_delay_exponent");
        NS_TEST_EXPECT_MSG_EQ(tp.GetMaxAckDelay(), 25, "max_ack_delay");
        NS_TEST_EXPECT_MSG_EQ(tp.GetMaxIdleTimeout(), 0, "max_idle_timeout: none");
        NS_TEST_EXPECT_MSG_EQ(tp.GetInitialMaxData(), 0, "initial_max_data");
        NS_TEST_EXPECT_MSG_EQ(tp.GetInitialMaxStreamDataBidiLocal(), 0, "bidi_local");
        NS_TEST_EXPECT_MSG_EQ(tp.GetInitialMaxStreamDataBidiRemote(), 0, "bidi_remote");
        NS_TEST_EXPECT_MSG_EQ(tp.GetInitialMaxStreamDataUni(), 0, "uni");
        NS_TEST_EXPECT_MSG_EQ(tp.GetInitialMaxStreamsBidi(), 0, "streams_bidi");
        NS_TEST_EXPECT_MSG_EQ(tp.GetInitialMaxStreamsUni(), 0, "streams_uni");
        NS_TEST_EXPECT_MSG_EQ(tp.IsActiveMigrationDisabled(), false, "migration allowed");
        for (uint64_t i = 0; i <= 0x10; ++i)
        {
            NS_TEST_EXPECT_MSG_EQ(tp.Has(static_cast<Id>(i)), false, "absent " << i);
        }
        NS_TEST_EXPECT_MSG_EQ(tp.GetInitialSourceConnectionId().IsEmpty(), true, "no ISCID");

        // Explicit defaults are present, read the same, and are re-sent.
        QuicTransportParameters explicitDefaults;
        explicitDefaults.SetActiveConnectionIdLimit(2);
        explicitDefaults.SetAckDelayExponent(3);
        NS_TEST_EXPECT_MSG_EQ(ToHex(Encode(explicitDefaults)), "0a01030e0102", "explicit bytes");
        QuicTransportParameters got = Accept(Encode(explicitDefaults), false, "explicit defaults");
        NS_TEST_EXPECT_MSG_EQ(got.Has(Id::ACTIVE_CONNECTION_ID_LIMIT), true, "present");
        NS_TEST_EXPECT_MSG_EQ(got.GetActiveConnectionIdLimit(), 2, "value 2");
        NS_TEST_EXPECT_MSG_EQ((got == explicitDefaults), true, "round trip");

        // Remove() restores the default.
        got.Remove(Id::ACTIVE_CONNECTION_ID_LIMIT);
        got.Remove(Id::ACK_DELAY_EXPONENT);
        NS_TEST_EXPECT_MSG_EQ((got == fresh), true, "removed = absent");

        // Setters refuse values that have no varint encoding.
        NS_TEST_EXPECT_MSG_EQ(fresh.SetInitialMaxData(QUIC_VARINT_MAX + 1), false, "2^62");
        NS_TEST_EXPECT_MSG_EQ(fresh.Has(Id::INITIAL_MAX_DATA), false, "unchanged");
        NS_TEST_EXPECT_MSG_EQ(fresh.SetInteger(Id::PREFERRED_ADDRESS, 1), false, "not integer");
        NS_TEST_EXPECT_MSG_EQ(fresh.GetInteger(Id::PREFERRED_ADDRESS), 0, "not integer: 0");
    }
};

/**
 * \ingroup quic-migration-tests
 * TP-04, TP-06, TP-01: hand-checked encodings.
 */
class QuicTpByteExactTestCase : public QuicTpTestCase
{
  public:
    QuicTpByteExactTestCase()
        : QuicTpTestCase("TP-04 TP-06 byte-exact encodings")
    {
    }

  private:
    void DoRun() override
    {
        // TP-04: disable_active_migration is ID 0x0c with a zero-length value.
        QuicTransportParameters dam;
        dam.SetDisableActiveMigration(true);
        NS_TEST_EXPECT_MSG_EQ(ToHex(Encode(dam)), "0c00", "disable_active_migration");
        NS_TEST_EXPECT_MSG_EQ(Accept(FromHex("0c00"), false, "0c 00").IsActiveMigrationDisabled(),
                              true,
                              "decoded flag");
        dam.SetDisableActiveMigration(false);
        NS_TEST_EXPECT_MSG_EQ(Encode(dam).size(), 0, "flag cleared");

        // Integers: minimal varints with their Length.
        QuicTransportParameters ints;
        ints.SetMaxIdleTimeout(30000);      // 0x7530 -> 4-byte varint 80 00 75 30
        ints.SetMaxUdpPayloadSize(1200);    // 0x4b0 -> 44 b0
        ints.SetActiveConnectionIdLimit(4); // 04
        NS_TEST_EXPECT_MSG_EQ(ToHex(Encode(ints)),
                              "010480007530"
                              "030244b0"
                              "0e0104",
                              "integers");

        // Connection IDs: raw bytes; a zero-length CID is a zero-length value (§7.3).
        QuicTransportParameters cids;
        cids.SetOriginalDestinationConnectionId(MakeCid(8, 0x83));
        cids.SetInitialSourceConnectionId(QuicConnectionId());
        NS_TEST_EXPECT_MSG_EQ(ToHex(Encode(cids)), "0008838485868788898a0f00", "CIDs");

        // TP-06: preferred_address value = 41 + CID length bytes.
        QuicPreferredAddress pa;
        pa.SetIpv4(Ipv4Address("192.0.2.1"), 443);
        pa.SetIpv6(Ipv6Address("2001:db8::1"), 8443);
        pa.connectionId = MakeCid(8, 0x01);
        pa.statelessResetToken = MakeToken(0xf0);
        NS_TEST_EXPECT_MSG_EQ(pa.GetEncodedLength(), 49, "41 + 8");
        QuicTransportParameters withPa;
        withPa.SetPreferredAddress(pa);
        const std::string expected = "0d31"                              // ID, Length 49
                                     "c0000201"                          // 192.0.2.1
                                     "01bb"                              // 443
                                     "20010db8000000000000000000000001"  // 2001:db8::1
                                     "20fb"                              // 8443
                                     "08"                                // CID length
                                     "0102030405060708"                  // CID
                                     "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"; // token
        auto bytes = Encode(withPa);
        NS_TEST_EXPECT_MSG_EQ(ToHex(bytes), expected, "preferred_address bytes");
        NS_TEST_EXPECT_MSG_EQ(bytes.size(), 2 + 41 + 8, "ID + Length + 41 + CID");
        QuicTransportParameters back = Accept(bytes, true, "hand-built PA");
        NS_TEST_EXPECT_MSG_EQ((back.GetPreferredAddress() == pa), true, "PA decoded");

        // A 20-byte CID: Length 61.
        pa.connectionId = MakeCid(20, 0x01);
        withPa.SetPreferredAddress(pa);
        NS_TEST_EXPECT_MSG_EQ(ToHex(Encode(withPa)).substr(0, 4), "0d3d", "Length 41 + 20");

        // Stateless reset token: 16 bytes.
        QuicTransportParameters tok;
        tok.SetStatelessResetToken(MakeToken(0));
        NS_TEST_EXPECT_MSG_EQ(ToHex(Encode(tok)),
                              "0210000102030405060708090a0b0c0d0e0f",
                              "stateless_reset_token");

        // TP-01: GREASE parameter 31 * N + 27 first, then the block.
        std::vector<uint8_t> out;
        QuicBufferWriter w(out);
        NS_TEST_EXPECT_MSG_EQ(ints.Encode(w, 1, {0xde, 0xad}), true, "GREASE N=1");
        NS_TEST_EXPECT_MSG_EQ(ToHex(out),
                              "3a02dead"
                              "010480007530"
                              "030244b0"
                              "0e0104",
                              "ID 58, Length 2, then the block");
        QuicTransportParameters greased = Accept(out, false, "greased block");
        NS_TEST_EXPECT_MSG_EQ((greased == ints), true, "GREASE ignored");

        out.clear();
        NS_TEST_EXPECT_MSG_EQ(ints.Encode(w, 1000, {}), true, "GREASE N=1000");
        NS_TEST_EXPECT_MSG_EQ(ToHex(out).substr(0, 10), "8000793300", "ID 31027, Length 0");
        out.clear();
        NS_TEST_EXPECT_MSG_EQ(ints.Encode(w, QuicTransportParameters::MAX_RESERVED_N + 1, {1}),
                              false,
                              "N too large");
        NS_TEST_EXPECT_MSG_EQ(out.size(), 0, "nothing written");
        NS_TEST_EXPECT_MSG_EQ(ints.Encode(w, QuicTransportParameters::MAX_RESERVED_N, {1}),
                              true,
                              "largest N");
        NS_TEST_EXPECT_MSG_EQ((Accept(out, false, "largest GREASE") == ints), true, "ignored");
    }
};

/**
 * \ingroup quic-migration-tests
 * TP-02: a duplicated parameter is a TRANSPORT_PARAMETER_ERROR.
 */
class QuicTpDuplicateTestCase : public QuicTpTestCase
{
  public:
    QuicTpDuplicateTestCase()
        : QuicTpTestCase("TP-02 duplicate parameters rejected")
    {
    }

  private:
    void DoRun() override
    {
        Reject(Cat({IntParam(Id::ACTIVE_CONNECTION_ID_LIMIT, 4),
                    IntParam(Id::ACTIVE_CONNECTION_ID_LIMIT, 4)}),
               false,
               0x0e,
               "duplicate active_connection_id_limit",
               "duplicate 0x0e");
        Reject(Cat({IntParam(Id::ACTIVE_CONNECTION_ID_LIMIT, 4),
                    IntParam(Id::MAX_IDLE_TIMEOUT, 10),
                    IntParam(Id::ACTIVE_CONNECTION_ID_LIMIT, 5)}),
               false,
               0x0e,
               "duplicate",
               "duplicate 0x0e, different values, not adjacent");
        Reject(FromHex("0c00 0c00"), true, 0x0c, "duplicate disable_active_migration", "flag");
        Reject(Cat({Param(0x0f, {1, 2}), Param(0x0f, {1, 2})}), false, 0x0f, "duplicate", "ISCID");
        QuicTransportParameterError err;
        QuicTransportParameters tp;
        auto block = Cat({IntParam(Id::MAX_IDLE_TIMEOUT, 10),
                          IntParam(Id::ACTIVE_CONNECTION_ID_LIMIT, 4),
                          IntParam(Id::ACTIVE_CONNECTION_ID_LIMIT, 4)});
        QuicTransportParameters::Decode(block.data(), block.size(), false, tp, &err);
        NS_TEST_EXPECT_MSG_EQ(err.offset, 6, "offset of the second copy");

        // Reserved/unknown IDs carry no meaning: repeats are skipped, not refused.
        Accept(Cat({Param(27, {1}), Param(27, {2})}), false, "repeated reserved ID");
    }
};

/**
 * \ingroup quic-migration-tests
 * TP-05, TP-07, §4.6: integer values out of range.
 */
class QuicTpIntegerRangeTestCase : public QuicTpTestCase
{
  public:
    QuicTpIntegerRangeTestCase()
        : QuicTpTestCase("TP-05 TP-07 integer parameter bounds")
    {
    }

  private:
    void DoRun() override
    {
        struct Case
        {
            Id id;
            uint64_t bad;
            uint64_t good;
            const char* reason;
        };

        const Case cases[] = {
            {Id::MAX_UDP_PAYLOAD_SIZE, 1199, 1200, "max_udp_payload_size 1199 is below 1200"},
            {Id::MAX_UDP_PAYLOAD_SIZE, 0, 65527, "max_udp_payload_size 0 is below 1200"},
            {Id::ACK_DELAY_EXPONENT, 21, 20, "ack_delay_exponent 21 is above 20"},
            {Id::MAX_ACK_DELAY, 16384, 16383, "max_ack_delay 16384 is not below 2^14"},
            {Id::ACTIVE_CONNECTION_ID_LIMIT, 1, 2, "active_connection_id_limit 1 is below 2"},
            {Id::ACTIVE_CONNECTION_ID_LIMIT, 0, 2, "active_connection_id_limit 0 is below 2"},
            {Id::INITIAL_MAX_STREAMS_BIDI,
             (1ULL << 60) + 1,
             1ULL << 60,
             "initial_max_streams_bidi 1152921504606846977 is above 2^60"},
            {Id::INITIAL_MAX_STREAMS_UNI, QUIC_VARINT_MAX, 1ULL << 60, "is above 2^60"},
        };
        for (const auto& c : cases)
        {
            const std::string name = QuicTransportParameterName(c.id);
            Reject(IntParam(c.id, c.bad), false, N(c.id), c.reason, name + " bad");
            Reject(IntParam(c.id, c.bad), true, N(c.id), c.reason, name + " bad from server");
            QuicTransportParameters tp = Accept(IntParam(c.id, c.good), false, name + " good");
            NS_TEST_EXPECT_MSG_EQ(tp.GetInteger(c.id), c.good, name + " value");

            // The encoder writes invalid values on request (fault injection);
            // Validate() flags them.
            QuicTransportParameters local;
            NS_TEST_EXPECT_MSG_EQ(local.SetInteger(c.id, c.bad), true, "setter accepts");
            QuicTransportParameterError err;
            NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(local.Validate(false, &err)),
                                  "TRANSPORT_PARAMETER_ERROR",
                                  name + " Validate");
            NS_TEST_EXPECT_MSG_EQ((err.reason.find(c.reason) != std::string::npos),
                                  true,
                                  "Validate reason " << err.reason);
            NS_TEST_EXPECT_MSG_EQ(ToHex(Encode(local)), ToHex(IntParam(c.id, c.bad)), "encoded");
        }
        // Large but legal values elsewhere.
        Accept(IntParam(Id::INITIAL_MAX_DATA, QUIC_VARINT_MAX), false, "max_data 2^62-1");
        Accept(IntParam(Id::MAX_IDLE_TIMEOUT, QUIC_VARINT_MAX), false, "idle 2^62-1");
    }
};

/**
 * \ingroup quic-migration-tests
 * TP-03: server-only parameters from a client are refused; accepted from a server.
 */
class QuicTpServerOnlyTestCase : public QuicTpTestCase
{
  public:
    QuicTpServerOnlyTestCase()
        : QuicTpTestCase("TP-03 server-only parameters from a client rejected")
    {
    }

  private:
    void DoRun() override
    {
        QuicPreferredAddress pa = MakePreferredAddress();
        std::vector<uint8_t> paValue;
        QuicBufferWriter w(paValue);
        pa.Encode(w);

        struct Case
        {
            uint64_t id;
            std::vector<uint8_t> value;
        };

        const Case cases[] = {
            {0x00, {1, 2, 3, 4}},
            {0x02, std::vector<uint8_t>(16, 0x5a)},
            {0x0d, paValue},
            {0x10, {9, 9}},
        };
        for (const auto& c : cases)
        {
            const std::string name = QuicTransportParameterName(c.id);
            Reject(Cat({IntParam(Id::MAX_IDLE_TIMEOUT, 5), Param(c.id, c.value)}),
                   false,
                   c.id,
                   name + " is server-only but was sent by a client",
                   name + " from client");
            QuicTransportParameters tp = Accept(Param(c.id, c.value), true, name + " from server");
            NS_TEST_EXPECT_MSG_EQ(tp.Has(static_cast<Id>(c.id)), true, name + " present");

            // Validate() applies the same rule to a locally built client set.
            QuicTransportParameterError err;
            NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(tp.Validate(false, &err)),
                                  "TRANSPORT_PARAMETER_ERROR",
                                  name + " Validate as client");
            NS_TEST_EXPECT_MSG_EQ(err.parameterId, c.id, "Validate names it");
        }
        // The rest are accepted from a client (0x0f included).
        Accept(Cat({Param(0x0f, {1}), FromHex("0c00"), IntParam(Id::INITIAL_MAX_DATA, 9)}),
               false,
               "client-allowed parameters");
    }
};

/**
 * \ingroup quic-migration-tests
 * PA-02, TP-06: malformed preferred_address values.
 */
class QuicTpPreferredAddressTestCase : public QuicTpTestCase
{
  public:
    QuicTpPreferredAddressTestCase()
        : QuicTpTestCase("PA-02 TP-06 malformed preferred_address rejected")
    {
    }

  private:
    /**
     * \param cidLength the Connection ID Length byte
     * \param cidBytes bytes actually present for the CID
     * \return a preferred_address value
     */
    static std::vector<uint8_t> PaValue(uint8_t cidLength, size_t cidBytes)
    {
        std::vector<uint8_t> v = FromHex("c0000201 01bb 20010db8000000000000000000000001 01bb");
        v.push_back(cidLength);
        for (size_t i = 0; i < cidBytes; ++i)
        {
            v.push_back(static_cast<uint8_t>(0x40 + i));
        }
        for (size_t i = 0; i < 16; ++i)
        {
            v.push_back(static_cast<uint8_t>(0xf0 + i));
        }
        return v;
    }

    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(PaValue(4, 4).size(), 45, "helper");
        Accept(Param(0x0d, PaValue(4, 4)), true, "well-formed PA");
        Accept(Param(0x0d, PaValue(20, 20)), true, "20-byte CID");
        Accept(Param(0x0d, PaValue(1, 1)), true, "1-byte CID");

        Reject(Param(0x0d, PaValue(0, 0)),
               true,
               0x0d,
               "zero-length connection ID (PA-02)",
               "PA with a zero-length CID");
        Reject(Param(0x0d, PaValue(4, 5)), true, 0x0d, "expected 41 + 4 = 45", "CID one long");
        Reject(Param(0x0d, PaValue(4, 3)), true, 0x0d, "expected 41 + 4 = 45", "CID one short");
        Reject(Param(0x0d, PaValue(21, 21)),
               true,
               0x0d,
               "connection ID length 21 exceeds 20",
               "CID length 21");
        auto shortValue = PaValue(0, 0);
        shortValue.pop_back();
        Reject(Param(0x0d, shortValue), true, 0x0d, "shorter than 41", "40 bytes");
        Reject(Param(0x0d, {}), true, 0x0d, "shorter than 41", "empty PA");

        // PA-02, other half: a server using zero-length CIDs must not send a PA.
        Reject(Cat({Param(0x0d, PaValue(4, 4)), Param(0x0f, {})}),
               true,
               0x0d,
               "server using zero-length connection IDs (PA-02)",
               "PA with zero-length ISCID");
        Accept(Cat({Param(0x0d, PaValue(4, 4)), Param(0x0f, {7})}), true, "PA with ISCID");
        {
            QuicTransportParameters tp;
            QuicTransportParameterError err;
            auto block = Cat({Param(0x0f, {}), FromHex("0c00"), Param(0x0d, PaValue(4, 4))});
            QuicTransportParameters::Decode(block.data(), block.size(), true, tp, &err);
            NS_TEST_EXPECT_MSG_EQ(err.offset, 4, "offset of the preferred_address");
            NS_TEST_EXPECT_MSG_EQ(err.parameterId, 0x0d, "names preferred_address");
        }

        // The static decoder directly.
        QuicPreferredAddress pa;
        std::string reason;
        auto v = PaValue(0, 0);
        NS_TEST_EXPECT_MSG_EQ(
            QuicTransportErrorName(QuicPreferredAddress::Decode(v.data(), v.size(), pa, &reason)),
            "TRANSPORT_PARAMETER_ERROR",
            "static decoder");
        NS_TEST_EXPECT_MSG_EQ(reason.empty(), false, "reason given");

        // The encoder writes a zero-length CID on request; Validate() flags it.
        QuicTransportParameters fault;
        QuicPreferredAddress bad = MakePreferredAddress();
        bad.connectionId = QuicConnectionId();
        fault.SetPreferredAddress(bad);
        NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(fault.Validate(true)),
                              "TRANSPORT_PARAMETER_ERROR",
                              "Validate PA-02");
        Reject(Encode(fault), true, 0x0d, "PA-02", "encoded fault");
    }
};

/**
 * \ingroup quic-migration-tests
 * TP-04, TP-07, CID lengths: fixed-size values with the wrong length.
 */
class QuicTpValueLengthTestCase : public QuicTpTestCase
{
  public:
    QuicTpValueLengthTestCase()
        : QuicTpTestCase("TP-04 TP-07 token, flag and connection ID lengths")
    {
    }

  private:
    void DoRun() override
    {
        Reject(Param(0x02, std::vector<uint8_t>(15, 1)),
               true,
               0x02,
               "stateless_reset_token: length 15, expected 16",
               "token 15");
        Reject(Param(0x02, std::vector<uint8_t>(17, 1)),
               true,
               0x02,
               "stateless_reset_token: length 17, expected 16",
               "token 17");
        Reject(Param(0x02, {}), true, 0x02, "length 0, expected 16", "token 0");
        Reject(FromHex("0c0100"),
               false,
               0x0c,
               "disable_active_migration: length 1, expected 0",
               "non-empty disable_active_migration");
        for (uint64_t id : {0x00, 0x0f, 0x10})
        {
            const std::string name = QuicTransportParameterName(id);
            Reject(Param(id, std::vector<uint8_t>(21, 3)),
                   true,
                   id,
                   name + ": connection ID of 21 bytes exceeds 20",
                   name + " 21 bytes");
            QuicTransportParameters tp =
                Accept(Param(id, std::vector<uint8_t>(20, 3)), true, name + " 20 bytes");
            NS_TEST_EXPECT_MSG_EQ(tp.Has(static_cast<Id>(id)), true, name + " present");
            tp = Accept(Param(id, {}), true, name + " zero-length");
            NS_TEST_EXPECT_MSG_EQ(tp.Has(static_cast<Id>(id)), true, name + " present, empty");
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * TP-01: an integer parameter's value varint must fill its Length exactly.
 */
class QuicTpIntegerLengthTestCase : public QuicTpTestCase
{
  public:
    QuicTpIntegerLengthTestCase()
        : QuicTpTestCase("TP-01 integer value varint must fill its Length")
    {
    }

  private:
    void DoRun() override
    {
        // Varint shorter than Length: 1-byte varint 05 in a 2-byte value.
        Reject(FromHex("0e 02 05 00"),
               false,
               0x0e,
               "active_connection_id_limit: 1 bytes after the 1-byte value varint (Length 2)",
               "varint shorter than Length");
        // Varint longer than Length: prefix 0x40 announces 2 bytes, Length is 1.
        Reject(FromHex("0e 01 40 05"),
               false,
               0x0e,
               "value varint needs 2 bytes but Length is 1",
               "varint longer than Length");
        // 8-byte varint in a 4-byte value.
        Reject(FromHex("01 04 c0 00 00 00 00 00 00 01"), false, 0x01, "needs 8 bytes", "8 in 4");
        // Empty value.
        Reject(FromHex("03 00"), false, 0x03, "empty value", "Length 0");
        // Non-minimal varints that fill the Length exactly are legal (§16).
        QuicTransportParameters tp = Accept(FromHex("0e 02 40 05"), false, "2-byte 5");
        NS_TEST_EXPECT_MSG_EQ(tp.GetActiveConnectionIdLimit(), 5, "value 5");
        tp = Accept(FromHex("03 08 c0 00 00 00 00 00 05 dc"), false, "8-byte 1500");
        NS_TEST_EXPECT_MSG_EQ(tp.GetMaxUdpPayloadSize(), 1500, "value 1500");
    }
};

/**
 * \ingroup quic-migration-tests
 * TP-01: a block cut at any byte offset is either a shorter valid block (cut at a
 * parameter boundary) or a TRANSPORT_PARAMETER_ERROR; a Length past the end is refused.
 */
class QuicTpTruncationTestCase : public QuicTpTestCase
{
  public:
    QuicTpTruncationTestCase()
        : QuicTpTestCase("TP-01 truncated blocks at every byte offset")
    {
    }

  private:
    void DoRun() override
    {
        const auto block = Encode(MakeFullServerParameters());
        // Parameter boundaries: a cut there leaves a shorter, valid block.
        std::vector<size_t> boundaries;
        QuicBufferReader walk(block.data(), block.size());
        while (!walk.AtEnd())
        {
            boundaries.push_back(walk.Position());
            uint64_t id = 0;
            uint64_t len = 0;
            NS_TEST_ASSERT_MSG_EQ((walk.ReadVarint(id) && walk.ReadVarint(len) && walk.Skip(len)),
                                  true,
                                  "well-formed");
        }
        NS_TEST_ASSERT_MSG_EQ(boundaries.size(), 17, "17 parameters");

        size_t accepted = 0;
        for (size_t cut = 0; cut < block.size(); ++cut)
        {
            // An exactly sized copy, so that any over-read is past a heap block.
            std::vector<uint8_t> prefix(block.begin(), block.begin() + cut);
            QuicTransportParameters tp;
            QuicTransportParameterError err;
            QuicTransportError rc =
                QuicTransportParameters::Decode(prefix.data(), prefix.size(), true, tp, &err);
            bool atBoundary =
                std::find(boundaries.begin(), boundaries.end(), cut) != boundaries.end();
            if (atBoundary)
            {
                NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(rc),
                                      "NO_ERROR",
                                      "cut " << cut << " at a boundary: " << err.reason);
                ++accepted;
            }
            else
            {
                NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(rc),
                                      "TRANSPORT_PARAMETER_ERROR",
                                      "cut " << cut);
                NS_TEST_EXPECT_MSG_EQ(err.reason.empty(), false, "reason at cut " << cut);
                NS_TEST_EXPECT_MSG_EQ((err.offset < cut), true, "offset inside the prefix");
            }
        }
        NS_TEST_EXPECT_MSG_EQ(accepted, 17, "17 boundaries below the full length");

        // Explicit cases: Length past the end, truncated Length, truncated ID.
        Reject(FromHex("0e 05 02"),
               false,
               0x0e,
               "active_connection_id_limit: Length 5 runs past the end of the block (1 bytes left)",
               "Length past the end");
        Reject(FromHex("0c 40"), false, 0x0c, "truncated Length", "2-byte Length cut");
        Reject(FromHex("3a 09 01"), false, 58, "reserved(0x3a): Length 9 runs past", "GREASE");
        QuicTransportParameters tp;
        QuicTransportParameterError err;
        auto cutId = FromHex("0c00 80 00");
        NS_TEST_EXPECT_MSG_EQ(
            QuicTransportErrorName(
                QuicTransportParameters::Decode(cutId.data(), cutId.size(), true, tp, &err)),
            "TRANSPORT_PARAMETER_ERROR",
            "4-byte ID cut");
        NS_TEST_EXPECT_MSG_EQ(err.hasParameterId, false, "no ID to name");
        NS_TEST_EXPECT_MSG_EQ(err.offset, 2, "offset of the cut ID");
        NS_TEST_EXPECT_MSG_EQ(err.reason, "truncated transport parameter ID", "reason");
    }
};

/**
 * \ingroup quic-migration-tests
 * TP-01: unknown and reserved (31 * N + 27) identifiers are skipped whatever their value.
 */
class QuicTpUnknownIdsTestCase : public QuicTpTestCase
{
  public:
    QuicTpUnknownIdsTestCase()
        : QuicTpTestCase("TP-01 unknown and reserved identifiers skipped")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_EXPECT_MSG_EQ(QuicTransportParameters::IsReservedId(27), true, "27");
        NS_TEST_EXPECT_MSG_EQ(QuicTransportParameters::IsReservedId(58), true, "58");
        NS_TEST_EXPECT_MSG_EQ(QuicTransportParameters::IsReservedId(31 * 1000 + 27),
                              true,
                              "N=1000");
        NS_TEST_EXPECT_MSG_EQ(QuicTransportParameters::IsReservedId(28), false, "28");
        NS_TEST_EXPECT_MSG_EQ(QuicTransportParameters::IsReservedId(0), false, "0");
        NS_TEST_EXPECT_MSG_EQ(QuicTransportParameters::GetReservedId(2), 89, "N=2");
        NS_TEST_EXPECT_MSG_EQ(QuicTransportParameterName(27), "reserved(0x1b)", "name 27");
        NS_TEST_EXPECT_MSG_EQ(QuicTransportParameterName(0x20), "unknown(0x20)", "name 0x20");
        NS_TEST_EXPECT_MSG_EQ(QuicTransportParameterName(Id::PREFERRED_ADDRESS),
                              "preferred_address",
                              "name 0x0d");

        const auto known = Cat({IntParam(Id::MAX_IDLE_TIMEOUT, 1000),
                                FromHex("0c00"),
                                IntParam(Id::ACTIVE_CONNECTION_ID_LIMIT, 7),
                                Param(0x0f, {0xc1, 0xc2})});
        QuicTransportParameters reference = Accept(known, false, "known only");

        std::vector<uint8_t> big(300);
        for (size_t i = 0; i < big.size(); ++i)
        {
            big[i] = static_cast<uint8_t>(i * 7);
        }
        const std::vector<std::pair<uint64_t, std::vector<uint8_t>>> extras = {
            {27, {}},
            {58, {0xff, 0xff, 0xff}},
            {31 * 1000 + 27, big},
            {QUIC_VARINT_MAX, {0x0e, 0x01, 0x01}}, // looks like an invalid limit: ignored
            {0x20, {0x40}},                        // max_datagram_frame_size: unknown here
            {0x11, {}},                            // first unassigned after RFC 9000
            {0x3fffffff, {0x00}},
        };
        for (const auto& e : extras)
        {
            const std::string label = "ID " + std::to_string(e.first);
            auto before = Cat({Param(e.first, e.second), known});
            auto after = Cat({known, Param(e.first, e.second)});
            NS_TEST_EXPECT_MSG_EQ((Accept(before, false, label) == reference), true, label);
            NS_TEST_EXPECT_MSG_EQ((Accept(after, true, label) == reference), true, label);
        }
        // All of them interleaved.
        std::vector<uint8_t> mixed;
        for (const auto& e : extras)
        {
            auto p = Param(e.first, e.second);
            mixed.insert(mixed.end(), p.begin(), p.end());
        }
        mixed = Cat({mixed, known, Param(58, {1})});
        NS_TEST_EXPECT_MSG_EQ((Accept(mixed, false, "mixed") == reference), true, "mixed");
    }
};

/**
 * \ingroup quic-migration-tests
 * CID-18: the handshake connection IDs in transport parameters are checked
 * against the values seen in packet headers (RFC 9000 §7.3).
 */
class QuicTpConnectionIdAuthTestCase : public QuicTpTestCase
{
  public:
    QuicTpConnectionIdAuthTestCase()
        : QuicTpTestCase("CID-18 handshake connection ID authentication")
    {
    }

  private:
    /**
     * \param tp the peer's parameters
     * \param server whether they come from the server
     * \param seen header values
     * \param expectedId parameter the failure must name (ignored on success)
     * \param ok whether validation must pass
     * \param what label
     */
    void Check(const QuicTransportParameters& tp,
               bool server,
               const QuicHandshakeConnectionIds& seen,
               uint64_t expectedId,
               bool ok,
               const std::string& what)
    {
        QuicTransportParameterError err;
        QuicTransportError rc = tp.ValidateConnectionIds(server, seen, &err);
        const std::string expected = ok ? "NO_ERROR" : "TRANSPORT_PARAMETER_ERROR";
        NS_TEST_EXPECT_MSG_EQ(QuicTransportErrorName(rc), expected, what << ": " << err.reason);
        if (!ok)
        {
            NS_TEST_EXPECT_MSG_EQ(err.parameterId, expectedId, what << ": parameter");
            NS_TEST_EXPECT_MSG_EQ((err.reason.find("CID-18") != std::string::npos ||
                                   err.reason.find("TP-03") != std::string::npos),
                                  true,
                                  what << ": reason " << err.reason);
        }
    }

    void DoRun() override
    {
        // Fig. "Use of Connection IDs in a Handshake": client C1 -> S1, server S3.
        const QuicConnectionId c1 = MakeCid(8, 0xc1);
        const QuicConnectionId s1 = MakeCid(8, 0x51);
        const QuicConnectionId s2 = MakeCid(8, 0x52);
        const QuicConnectionId s3 = MakeCid(8, 0x53);

        QuicHandshakeConnectionIds clientSaw;
        clientSaw.peerInitialSourceCid = s3;
        clientSaw.originalDestinationCid = s1;

        QuicTransportParameters server;
        server.SetInitialSourceConnectionId(s3);
        server.SetOriginalDestinationConnectionId(s1);
        Check(server, true, clientSaw, 0, true, "no Retry: valid");

        QuicTransportParameters t = server;
        t.Remove(Id::INITIAL_SOURCE_CONNECTION_ID);
        Check(t, true, clientSaw, 0x0f, false, "server ISCID missing");
        t = server;
        t.Remove(Id::ORIGINAL_DESTINATION_CONNECTION_ID);
        Check(t, true, clientSaw, 0x00, false, "ODCID missing");
        t = server;
        t.SetInitialSourceConnectionId(s2);
        Check(t, true, clientSaw, 0x0f, false, "ISCID altered");
        t = server;
        t.SetOriginalDestinationConnectionId(s2);
        Check(t, true, clientSaw, 0x00, false, "ODCID altered");
        t = server;
        t.SetRetrySourceConnectionId(s2);
        Check(t, true, clientSaw, 0x10, false, "retry_source_connection_id without a Retry");

        // Fig. "... with Retry": Retry SCID S2.
        QuicHandshakeConnectionIds retrySaw = clientSaw;
        retrySaw.retryReceived = true;
        retrySaw.retrySourceCid = s2;
        t = server;
        t.SetRetrySourceConnectionId(s2);
        Check(t, true, retrySaw, 0, true, "Retry: valid");
        Check(server, true, retrySaw, 0x10, false, "Retry but retry_source_connection_id absent");
        t.SetRetrySourceConnectionId(s3);
        Check(t, true, retrySaw, 0x10, false, "retry_source_connection_id altered");

        // Server checking the client: only initial_source_connection_id.
        QuicHandshakeConnectionIds serverSaw;
        serverSaw.peerInitialSourceCid = c1;
        QuicTransportParameters client;
        client.SetInitialSourceConnectionId(c1);
        Check(client, false, serverSaw, 0, true, "client valid");
        Check(QuicTransportParameters(), false, serverSaw, 0x0f, false, "client ISCID missing");
        t = client;
        t.SetInitialSourceConnectionId(QuicConnectionId());
        Check(t, false, serverSaw, 0x0f, false, "client ISCID altered to empty");
        t = client;
        t.SetOriginalDestinationConnectionId(s1);
        Check(t, false, serverSaw, 0x00, false, "ODCID from a client");

        // Zero-length connection IDs are sent as zero-length values and match.
        QuicHandshakeConnectionIds zeroSaw;
        zeroSaw.originalDestinationCid = s1;
        QuicTransportParameters zero;
        zero.SetInitialSourceConnectionId(QuicConnectionId());
        zero.SetOriginalDestinationConnectionId(s1);
        Check(zero, true, zeroSaw, 0, true, "zero-length server CID");

        // End to end: encode, decode, validate.
        QuicTransportParameters decoded = Accept(Encode(server), true, "server block");
        Check(decoded, true, clientSaw, 0, true, "decoded server block");
    }
};

/**
 * \ingroup quic-migration-tests
 * Deterministic pseudo-random and mutated blocks through Decode(): no crash, only
 * NO_ERROR or TRANSPORT_PARAMETER_ERROR, and accepted blocks re-encode stably.
 */
class QuicTpFuzzTestCase : public QuicTpTestCase
{
  public:
    QuicTpFuzzTestCase()
        : QuicTpTestCase("TP-01 TP-02 decoder robustness on 100k pseudo-random blocks")
    {
    }

  private:
    /// \return next xorshift64* value
    uint64_t Next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 2685821657736338717ULL;
    }

    void DoRun() override
    {
        const auto seed = Encode(MakeFullServerParameters());
        size_t accepted = 0;
        size_t rejected = 0;
        size_t bad = 0;
        size_t unstable = 0;
        for (size_t iter = 0; iter < 100000; ++iter)
        {
            std::vector<uint8_t> buf;
            uint64_t mode = Next() % 4;
            if (mode == 0)
            {
                // Random bytes.
                buf.resize(Next() % 96);
                for (auto& b : buf)
                {
                    b = static_cast<uint8_t>(Next());
                }
            }
            else if (mode == 1)
            {
                // Random small IDs and Lengths: reaches the value checks more often.
                size_t n = Next() % 6;
                for (size_t k = 0; k < n; ++k)
                {
                    std::vector<uint8_t> value(Next() % 50);
                    for (auto& b : value)
                    {
                        b = static_cast<uint8_t>(Next());
                    }
                    auto p = Param(Next() % 0x13, value);
                    if (Next() % 8 == 0 && !p.empty())
                    {
                        p[p.size() > 1 ? 1 : 0] ^= static_cast<uint8_t>(Next());
                    }
                    buf.insert(buf.end(), p.begin(), p.end());
                }
            }
            else
            {
                // A valid block with a few bytes flipped and maybe cut.
                buf = seed;
                size_t flips = 1 + Next() % 4;
                for (size_t k = 0; k < flips; ++k)
                {
                    buf[Next() % buf.size()] ^= static_cast<uint8_t>(1 + Next() % 255);
                }
                if (mode == 3)
                {
                    buf.resize(Next() % (buf.size() + 1));
                }
            }
            // Exactly sized heap copy: any over-read leaves the allocation.
            std::vector<uint8_t> exact(buf);
            QuicTransportParameters tp;
            QuicTransportParameterError err;
            bool server = (Next() & 1) != 0;
            QuicTransportError rc =
                QuicTransportParameters::Decode(exact.empty() ? nullptr : exact.data(),
                                                exact.size(),
                                                server,
                                                tp,
                                                &err);
            if (rc == QuicTransportError::NO_ERROR)
            {
                ++accepted;
                // Accepted sets are valid and survive a re-encode unchanged.
                QuicTransportParameters again;
                auto re = Encode(tp);
                if (tp.Validate(server) != QuicTransportError::NO_ERROR ||
                    QuicTransportParameters::Decode(re.data(), re.size(), server, again) !=
                        QuicTransportError::NO_ERROR ||
                    !(again == tp))
                {
                    ++unstable;
                }
            }
            else if (rc == QuicTransportError::TRANSPORT_PARAMETER_ERROR && !err.reason.empty() &&
                     err.offset < std::max<size_t>(exact.size(), 1))
            {
                ++rejected;
            }
            else
            {
                ++bad;
            }
        }
        NS_TEST_EXPECT_MSG_EQ(bad, 0, "only NO_ERROR or TRANSPORT_PARAMETER_ERROR with a reason");
        NS_TEST_EXPECT_MSG_EQ(unstable, 0, "accepted blocks re-encode stably");
        NS_TEST_EXPECT_MSG_GT(accepted, 1000, "some blocks accepted");
        NS_TEST_EXPECT_MSG_GT(rejected, 1000, "some blocks rejected");
    }

    uint64_t m_state{0x9e3779b97f4a7c15ULL}; //!< PRNG state (fixed seed: deterministic)
};

/**
 * \ingroup quic-migration-tests
 * Transport parameter unit tests.
 */
class QuicTransportParametersTestSuite : public TestSuite
{
  public:
    QuicTransportParametersTestSuite()
        : TestSuite("quic-transport-parameters", QUIC_SUITE_UNIT)
    {
        AddTestCase(new QuicTpRoundTripTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpDefaultsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpByteExactTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpDuplicateTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpIntegerRangeTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpServerOnlyTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpPreferredAddressTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpValueLengthTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpIntegerLengthTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpTruncationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpUnknownIdsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpConnectionIdAuthTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTpFuzzTestCase, QUIC_TEST_QUICK);
    }
};

static QuicTransportParametersTestSuite
    g_quicTransportParametersTestSuite; //!< Static variable for test initialization

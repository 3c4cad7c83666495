/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Bounded resources (STYLE 10, SEC-01): everything a peer or an off-path attacker can make a
// connection or an endpoint store is bounded, and the bound holds when a test tries to
// overflow it. The client's 1-RTT keys are read back from its key log, so the tests inject
// authentic client packets carrying whatever frames they want into the server's established
// connection (the real client is cut off from the server's answers, which acknowledge packet
// numbers it never sent); packets are delivered to the server node's IPv4 layer, so they pass
// through its UDP socket and endpoint like packets from the link; the server's answers are
// decrypted with the server's key log secret where a test counts frames on the wire.
//
// Covered: paths per connection (MaxPaths), PATH_RESPONSEs queued for a PATH_CHALLENGE flood,
// the peer's CIDs (active_connection_id_limit: NEW_CONNECTION_ID flood ->
// CONNECTION_ID_LIMIT_ERROR, CID-08), the retirement backlog (Retire Prior To jumps ->
// CONNECTION_ID_LIMIT_ERROR), our issued CIDs under a RETIRE_CONNECTION_ID flood, ACK ranges
// (MaxAckRanges), stream counts (initial_max_streams_bidi -> STREAM_LIMIT_ERROR), the crypto
// reassembly buffer (CRYPTO_BUFFER_EXCEEDED), stream reassembly (flow control ->
// FLOW_CONTROL_ERROR), connections per endpoint (MaxConnections) and the stateless reset rate
// (StatelessResetRate / StatelessResetBurst). NAT bindings (MaxBindings) are covered by
// quic-nat ("MaxBindings=3: ...").

#include "../utils/fuzz/fuzz-world.h"
#include "quic-ns3-compat.h"

#include "ns3/quic-buffer.h"
#include "ns3/quic-frame.h"
#include "ns3/quic-packet-header.h"
#include "ns3/test.h"

#include <optional>
#include <set>
#include <unistd.h>

using namespace ns3;

namespace
{

/// An established connection the test injects authentic client packets into.
class BoundsFixture
{
  public:
    explicit BoundsFixture(const std::string& name)
    {
        m_ok = m_world.Build(20000,
                             Seconds(1),
                             "/tmp/quic-bounds-" + std::to_string(::getpid()) + "-" + name +
                                 ".keylog");
        if (!m_ok)
        {
            return;
        }
        m_world.IsolateClient();
        auto secrets = quicfuzz::ReadKeyLog(m_world.keyLog);
        auto c = secrets.find("CLIENT_TRAFFIC_SECRET_0");
        auto s = secrets.find("SERVER_TRAFFIC_SECRET_0");
        m_ok = c != secrets.end() && s != secrets.end() &&
               QuicDerivePacketKeys(c->second, m_clientKeys) &&
               QuicDerivePacketKeys(s->second, m_serverKeys);
        m_clientAddress = m_world.ClientAddress();
        m_serverAddress = m_world.ServerAddress();
        m_world.serverEp->TraceConnectWithoutContext(
            "Drop",
            MakeCallback(&BoundsFixture::OnEndpointDrop, this));
        m_world.server->TraceConnectWithoutContext("PacketDropped",
                                                   MakeCallback(&BoundsFixture::OnConnDrop, this));
        m_world.serverEp->TraceConnectWithoutContext("StatelessResetSent",
                                                     MakeCallback(&BoundsFixture::OnReset, this));
        m_world.devices.Get(1)->TraceConnectWithoutContext(
            "MacTx",
            MakeCallback(&BoundsFixture::OnServerTx, this));
    }

    ~BoundsFixture()
    {
        m_world.Tear();
    }

    bool Ok() const
    {
        return m_ok;
    }

    /// Seal \p frames into one client 1-RTT packet (packet number \p pn) and inject it.
    void Inject(const std::vector<QuicFrame>& frames, uint64_t pn, const InetSocketAddress& from)
    {
        std::vector<uint8_t> payload;
        QuicBufferWriter w(payload);
        for (const auto& f : frames)
        {
            QuicEncodeFrame(w, f);
        }
        std::vector<uint8_t> d = quicfuzz::SealOneRtt(m_clientKeys,
                                                      m_world.client->GetPeerCid(),
                                                      pn,
                                                      payload.data(),
                                                      payload.size());
        quicfuzz::InjectUdp(m_world.nodes.Get(1), d.data(), d.size(), from, m_serverAddress);
    }

    /// Inject with the next packet number from the client's address.
    void Inject(const std::vector<QuicFrame>& frames)
    {
        Inject(frames, m_pn++, m_clientAddress);
    }

    /// Raw datagram into the server's endpoint.
    void InjectRaw(const std::vector<uint8_t>& d, const InetSocketAddress& from)
    {
        quicfuzz::InjectUdp(m_world.nodes.Get(1), d.data(), d.size(), from, m_serverAddress);
    }

    void RunFor(Time t)
    {
        Simulator::Stop(t);
        Simulator::Run();
    }

    Ptr<QuicConnection> Server() const
    {
        return m_world.server;
    }

    Ptr<QuicEndpoint> ServerEndpoint() const
    {
        return m_world.serverEp;
    }

    /// \return frames of the server's 1-RTT packets sent since the fixture was built
    const std::vector<QuicFrame>& ServerFrames() const
    {
        return m_serverFrames;
    }

    /// \return the largest 1-RTT packet number the server sent, if any
    std::optional<uint64_t> ServerLargest() const
    {
        return m_serverLargest;
    }

    std::map<QuicDropReason, uint64_t> m_drops;
    uint64_t m_resets{0};
    uint64_t m_pn{1u << 20};
    InetSocketAddress m_clientAddress{Ipv4Address(), 0};

  private:
    void OnEndpointDrop(QuicDropReason r, uint32_t, const Address&)
    {
        ++m_drops[r];
    }

    void OnConnDrop(Ptr<const QuicConnection>, QuicDropReason r, uint32_t)
    {
        ++m_drops[r];
    }

    void OnReset(const Address&, uint32_t, uint32_t)
    {
        ++m_resets;
    }

    void OnServerTx(Ptr<const Packet> p)
    {
        Ptr<Packet> c = p->Copy();
        PppHeader ppp; // MacTx sees the frame with its PPP header
        Ipv4Header ip;
        UdpHeader udp;
        if (c->RemoveHeader(ppp) == 0 || c->RemoveHeader(ip) == 0 ||
            ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER || c->RemoveHeader(udp) == 0)
        {
            return;
        }
        std::vector<uint8_t> b(c->GetSize());
        c->CopyData(b.data(), b.size());
        QuicPacketHeader h;
        if (QuicParseHeader(b.data(), b.size(), m_world.clientEp->GetCidLength(), h) !=
                QuicHeaderStatus::OK ||
            h.m_type != QuicPacketType::ONE_RTT)
        {
            return;
        }
        QuicPacketProtector opener(m_serverKeys);
        uint64_t pn = 0;
        const uint8_t* payload = nullptr;
        size_t length = 0;
        if (QuicUnprotectPacket(b.data(), h, opener, m_serverLargest, pn, payload, length) !=
            QuicUnprotectStatus::OK)
        {
            return;
        }
        m_serverLargest = std::max(pn, m_serverLargest.value_or(0));
        QuicFrameParser parser(payload, length, QuicPacketType::ONE_RTT);
        QuicFrame f;
        while (parser.Next(f))
        {
            m_serverFrames.push_back(f);
        }
    }

    quicfuzz::World m_world;
    bool m_ok{false};
    QuicPacketKeys m_clientKeys{};
    QuicPacketKeys m_serverKeys{};
    InetSocketAddress m_serverAddress{Ipv4Address(), 0};
    std::optional<uint64_t> m_serverLargest;
    std::vector<QuicFrame> m_serverFrames;
};

InetSocketAddress
Foreign(uint32_t i)
{
    return InetSocketAddress(Ipv4Address(0x0a090000u + i), static_cast<uint16_t>(5000 + i));
}

QuicConnectionId
Cid(uint64_t n)
{
    uint8_t b[8];
    for (int i = 0; i < 8; ++i)
    {
        b[i] = static_cast<uint8_t>(n >> (8 * i)) ^ 0x5a;
    }
    return QuicConnectionId(b, 8);
}

std::array<uint8_t, 16>
Token(uint64_t n)
{
    std::array<uint8_t, 16> t{};
    for (int i = 0; i < 8; ++i)
    {
        t[i] = static_cast<uint8_t>(n >> (8 * i));
        t[15 - i] = 0xa5;
    }
    return t;
}

/// Base: sets defaults in the constructor order of DoRun and restores them.
class BoundsTestCase : public TestCase
{
  public:
    using TestCase::TestCase;

  protected:
    void DoTeardown() override
    {
        Config::Reset();
    }
};

/**
 * MaxPaths (MIG-06 SEC-01): authentic packets of the connection from 20 new peer addresses;
 * with MaxPaths = 3 the server never keeps more than 3 paths: each new address replaces the
 * stalest path, never the genuine client's validated path (the fallback of RFC 9000 §9.3.2).
 */
class MaxPathsTestCase : public BoundsTestCase
{
  public:
    MaxPathsTestCase()
        : BoundsTestCase("MaxPaths=3 holds against packets from 20 new addresses")
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::MaxPaths", UintegerValue(3));
        BoundsFixture f("paths");
        NS_TEST_ASSERT_MSG_EQ(f.Ok(), true, "connection established");
        size_t most = 0;
        bool genuineKept = true;
        for (uint32_t i = 0; i < 20; ++i)
        {
            f.Inject({QuicFrame::Ping()}, f.m_pn++, Foreign(i));
            f.RunFor(MilliSeconds(5));
            size_t n = f.Server()->GetPathCount();
            most = std::max(most, n);
            bool found = false;
            for (size_t p = 0; p < n; ++p)
            {
                const Address& remote = f.Server()->GetPath(p).GetRemoteAddress();
                found = found || remote == Address(f.m_clientAddress);
            }
            genuineKept = genuineKept && found;
        }
        NS_TEST_EXPECT_MSG_LT_OR_EQ(most, 3, "paths per connection bounded by MaxPaths");
        NS_TEST_EXPECT_MSG_EQ(genuineKept, true, "the genuine client's path is never evicted");
        NS_TEST_EXPECT_MSG_EQ(f.Server()->GetState(), QuicConnection::CONNECTED, "alive");
    }
};

/**
 * PV-08 SEC-01: 300 PATH_CHALLENGEs in authentic packets; the server queues few PATH_RESPONSEs
 * (no more than MaxPendingPathResponses per packet that arrived) instead of one per
 * challenge, and stays up.
 */
class PathChallengeFloodTestCase : public BoundsTestCase
{
  public:
    explicit PathChallengeFloodTestCase(uint32_t maxPending)
        : BoundsTestCase("PATH_CHALLENGE flood: PATH_RESPONSEs queued are bounded, " +
                         std::to_string(maxPending) + " at most"),
          m_maxPending(maxPending)
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::MaxPendingPathResponses",
                           UintegerValue(m_maxPending));
        BoundsFixture f("challenge");
        NS_TEST_ASSERT_MSG_EQ(f.Ok(), true, "connection established");
        for (uint32_t p = 0; p < 3; ++p)
        {
            std::vector<QuicFrame> frames;
            for (uint32_t i = 0; i < 100; ++i)
            {
                uint8_t data[8] = {static_cast<uint8_t>(p), static_cast<uint8_t>(i), 1, 2, 3};
                frames.push_back(QuicFrame::PathChallenge(data));
            }
            f.Inject(frames);
        }
        f.RunFor(MilliSeconds(200));
        uint32_t responses = 0;
        for (const auto& fr : f.ServerFrames())
        {
            responses += fr.m_type == QuicFrameType::PATH_RESPONSE;
        }
        NS_TEST_EXPECT_MSG_GT(responses, 0, "challenges are answered");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(responses,
                                    3 * m_maxPending,
                                    "at most MaxPendingPathResponses queued per packet");
        NS_TEST_EXPECT_MSG_EQ(f.Server()->GetState(), QuicConnection::CONNECTED, "still up");
    }

    uint32_t m_maxPending;
};

/**
 * CID-08: a NEW_CONNECTION_ID flood without Retire Prior To exceeds the server's
 * active_connection_id_limit: CONNECTION_ID_LIMIT_ERROR, and the spare CIDs kept never exceed
 * the limit.
 */
class NewCidFloodTestCase : public BoundsTestCase
{
  public:
    NewCidFloodTestCase()
        : BoundsTestCase("CID-08 NEW_CONNECTION_ID flood: CONNECTION_ID_LIMIT_ERROR")
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::ActiveConnectionIdLimit", UintegerValue(4));
        BoundsFixture f("newcid");
        NS_TEST_ASSERT_MSG_EQ(f.Ok(), true, "connection established");
        size_t most = 0;
        uint32_t sent = 0;
        for (uint64_t s = 100; s < 150 && f.Server()->GetState() == QuicConnection::CONNECTED; ++s)
        {
            auto t = Token(s);
            f.Inject({QuicFrame::NewConnectionId(s, 0, Cid(s), t.data())});
            ++sent;
            most = std::max(most, f.Server()->GetSpareDestinationCidCount());
        }
        NS_TEST_EXPECT_MSG_LT_OR_EQ(most,
                                    4,
                                    "spare peer CIDs bounded by active_connection_id_limit");
        NS_TEST_EXPECT_MSG_LT(sent, 50, "the flood is cut short");
        NS_TEST_EXPECT_MSG_EQ(f.Server()->GetCloseErrorCode(),
                              static_cast<uint64_t>(QuicTransportError::CONNECTION_ID_LIMIT_ERROR),
                              "closed with CONNECTION_ID_LIMIT_ERROR");
    }
};

/**
 * CID-12 CID-13: NEW_CONNECTION_IDs whose Retire Prior To jumps each time force the server to
 * retire every CID below; the retirements it must send (never acknowledged here) form a
 * bounded backlog: past it, CONNECTION_ID_LIMIT_ERROR.
 */
class RetirePriorToJumpTestCase : public BoundsTestCase
{
  public:
    RetirePriorToJumpTestCase()
        : BoundsTestCase("CID-13 Retire Prior To jumps: retirement backlog bounded")
    {
    }

  private:
    void DoRun() override
    {
        BoundsFixture f("rpt");
        NS_TEST_ASSERT_MSG_EQ(f.Ok(), true, "connection established");
        uint32_t sent = 0;
        for (uint64_t s = 100; s < 2100 && f.Server()->GetState() == QuicConnection::CONNECTED;
             s += 2)
        {
            // Two new CIDs per packet; Retire Prior To retires both of the previous packet.
            auto t1 = Token(s);
            auto t2 = Token(s + 1);
            f.Inject({QuicFrame::NewConnectionId(s, s, Cid(s), t1.data()),
                      QuicFrame::NewConnectionId(s + 1, s, Cid(s + 1), t2.data())});
            ++sent;
        }
        NS_TEST_EXPECT_MSG_LT(sent, 1000, "the flood is cut short");
        NS_TEST_EXPECT_MSG_EQ(f.Server()->GetCloseErrorCode(),
                              static_cast<uint64_t>(QuicTransportError::CONNECTION_ID_LIMIT_ERROR),
                              "closed with CONNECTION_ID_LIMIT_ERROR");
    }
};

/**
 * CID-06: RETIRE_CONNECTION_ID for every CID the server issues (as seen on the wire), over
 * 500 times: each is replaced, the server's active CIDs never exceed their initial number,
 * and the connection stays up.
 */
class RetireFloodTestCase : public BoundsTestCase
{
  public:
    RetireFloodTestCase()
        : BoundsTestCase("CID-06 RETIRE_CONNECTION_ID flood: issued CIDs stay bounded")
    {
    }

  private:
    void DoRun() override
    {
        BoundsFixture f("retire");
        NS_TEST_ASSERT_MSG_EQ(f.Ok(), true, "connection established");
        size_t initial = f.Server()->GetActiveLocalCidCount();
        size_t most = 0;
        std::set<uint64_t> retired;
        size_t seen = 0; // server frames already looked at
        // The CIDs issued during the handshake (sequence 1 .. initial - 1) were sent before
        // the fixture started watching.
        std::vector<uint64_t> toRetire;
        for (uint64_t q = 1; q < initial; ++q)
        {
            toRetire.push_back(q);
            retired.insert(q);
        }
        for (uint32_t p = 0; p < 600 && f.Server()->GetState() == QuicConnection::CONNECTED; ++p)
        {
            // Retire every CID the server has sent (seen on the wire), except the one the
            // client's packets carry (sequence 0); acknowledge everything the server sent, so
            // that its congestion window keeps opening for the replacements.
            const auto& frames = f.ServerFrames();
            for (; seen < frames.size(); ++seen)
            {
                if (frames[seen].m_type == QuicFrameType::NEW_CONNECTION_ID &&
                    frames[seen].m_sequenceNumber != 0 &&
                    retired.insert(frames[seen].m_sequenceNumber).second)
                {
                    toRetire.push_back(frames[seen].m_sequenceNumber);
                }
            }
            std::vector<QuicFrame> out;
            if (f.ServerLargest())
            {
                out.push_back(QuicFrame::Ack({QuicAckRange{0, *f.ServerLargest()}}, 0));
            }
            while (!toRetire.empty() && out.size() < 6)
            {
                out.push_back(QuicFrame::RetireConnectionId(toRetire.back()));
                toRetire.pop_back();
            }
            out.push_back(QuicFrame::Ping());
            f.Inject(out);
            f.RunFor(MilliSeconds(2));
            most = std::max(most, f.Server()->GetActiveLocalCidCount());
        }
        NS_TEST_EXPECT_MSG_GT(retired.size(), 500, "many CIDs retired and replaced");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(most, initial, "active local CIDs never above the start");
        NS_TEST_EXPECT_MSG_EQ(f.Server()->GetState(), QuicConnection::CONNECTED, "still up");
    }
};

/**
 * RFC 9000 §13.2.4: 300 packets with gaps between their numbers; with MaxAckRanges = 10 no ACK
 * frame of the server carries more than 10 ranges.
 */
class AckRangesTestCase : public BoundsTestCase
{
  public:
    AckRangesTestCase()
        : BoundsTestCase("MaxAckRanges=10 holds against 300 gapped packet numbers")
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::MaxAckRanges", UintegerValue(10));
        BoundsFixture f("ack");
        NS_TEST_ASSERT_MSG_EQ(f.Ok(), true, "connection established");
        for (uint32_t i = 0; i < 300; ++i)
        {
            f.Inject({QuicFrame::Ping()}, f.m_pn, f.m_clientAddress);
            f.m_pn += 2;
            if (i % 10 == 0)
            {
                f.RunFor(MilliSeconds(1));
            }
        }
        f.RunFor(MilliSeconds(100));
        size_t acks = 0;
        size_t most = 0;
        for (const auto& fr : f.ServerFrames())
        {
            if (fr.m_type == QuicFrameType::ACK || fr.m_type == QuicFrameType::ACK_ECN)
            {
                ++acks;
                most = std::max(most, fr.m_ackRanges.size());
            }
        }
        NS_TEST_EXPECT_MSG_GT(acks, 0, "the server acknowledged");
        NS_TEST_EXPECT_MSG_EQ(most, 10, "ACK ranges capped at MaxAckRanges");
    }
};

/**
 * Stream counts (RFC 9000 §4.6): opening streams beyond initial_max_streams_bidi (10) is a
 * STREAM_LIMIT_ERROR.
 */
class StreamLimitTestCase : public BoundsTestCase
{
  public:
    StreamLimitTestCase()
        : BoundsTestCase("initial_max_streams_bidi=10: stream flood -> STREAM_LIMIT_ERROR")
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::InitialMaxStreamsBidi", UintegerValue(10));
        BoundsFixture f("streams");
        NS_TEST_ASSERT_MSG_EQ(f.Ok(), true, "connection established");
        uint8_t byte = 'x';
        uint32_t opened = 0;
        for (uint64_t i = 1; i < 100 && f.Server()->GetState() == QuicConnection::CONNECTED; ++i)
        {
            f.Inject({QuicFrame::Stream(4 * i, 0, &byte, 1, false)});
            ++opened;
        }
        NS_TEST_EXPECT_MSG_EQ(opened, 10, "stream 40 (the 11th) is refused");
        NS_TEST_EXPECT_MSG_EQ(f.Server()->GetCloseErrorCode(),
                              static_cast<uint64_t>(QuicTransportError::STREAM_LIMIT_ERROR),
                              "closed with STREAM_LIMIT_ERROR");
    }
};

/**
 * Reassembly buffers: CRYPTO data far ahead of what was delivered is CRYPTO_BUFFER_EXCEEDED
 * (RFC 9000 §7.5); STREAM data beyond the flow-control window is FLOW_CONTROL_ERROR (§4.1),
 * so out-of-order data buffered per stream is bounded by the window.
 */
class ReassemblyTestCase : public BoundsTestCase
{
  public:
    explicit ReassemblyTestCase(bool crypto)
        : BoundsTestCase(crypto ? "CRYPTO far ahead -> CRYPTO_BUFFER_EXCEEDED"
                                : "STREAM beyond the window -> FLOW_CONTROL_ERROR"),
          m_crypto(crypto)
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::InitialMaxStreamData", UintegerValue(65536));
        BoundsFixture f(m_crypto ? "crypto" : "stream");
        NS_TEST_ASSERT_MSG_EQ(f.Ok(), true, "connection established");
        uint8_t data[100] = {};
        // Out-of-order fragments inside the window are buffered, the connection stays up.
        for (uint64_t off = 1000; off < 60000; off += 2000)
        {
            f.Inject({m_crypto ? QuicFrame::Crypto(off, data, 10)
                               : QuicFrame::Stream(8, off, data, 10, false)});
        }
        NS_TEST_EXPECT_MSG_EQ(f.Server()->GetState(),
                              QuicConnection::CONNECTED,
                              "fragments inside the bound are accepted");
        f.Inject({m_crypto ? QuicFrame::Crypto(10000000, data, 100)
                           : QuicFrame::Stream(8, 10000000, data, 100, false)});
        NS_TEST_EXPECT_MSG_EQ(f.Server()->GetCloseErrorCode(),
                              static_cast<uint64_t>(m_crypto
                                                        ? QuicTransportError::CRYPTO_BUFFER_EXCEEDED
                                                        : QuicTransportError::FLOW_CONTROL_ERROR),
                              "data beyond the bound closes the connection with the RFC's error");
    }

    bool m_crypto;
};

/**
 * Post-handshake CRYPTO data (RFC 9001 §4.1.3, §6) reaches an established, confirmed server,
 * which by then keeps only the post-handshake part of TLS: a partial message is buffered and
 * the connection stays up; the completed message (a NewSessionTicket, which a server never
 * receives) closes it with CRYPTO_ERROR(unexpected_message); a message longer than the TLS
 * bound closes it with CRYPTO_BUFFER_EXCEEDED (RFC 9000 §7.5).
 */
class PostHandshakeCryptoTestCase : public BoundsTestCase
{
  public:
    explicit PostHandshakeCryptoTestCase(bool oversized)
        : BoundsTestCase(oversized ? "1-RTT CRYPTO message over the TLS bound -> "
                                     "CRYPTO_BUFFER_EXCEEDED"
                                   : "1-RTT CRYPTO in pieces after confirmation -> "
                                     "CRYPTO_ERROR(unexpected_message)"),
          m_oversized(oversized)
    {
    }

  private:
    void DoRun() override
    {
        BoundsFixture f(m_oversized ? "post-big" : "post");
        NS_TEST_ASSERT_MSG_EQ(f.Ok(), true, "connection established");
        // NewSessionTicket header: type 4, 24-bit length.
        const uint8_t nst[] = {4, 0, 0, 5, 0, 0, 0, 0, 0};
        const uint8_t big[] = {4, 0x01, 0x00, 0x01}; // 65537 bytes announced
        const uint8_t* msg = m_oversized ? big : nst;
        size_t size = m_oversized ? sizeof(big) : sizeof(nst);
        f.Inject({QuicFrame::Crypto(0, msg, 3)});
        NS_TEST_EXPECT_MSG_EQ(f.Server()->GetState(),
                              QuicConnection::CONNECTED,
                              "a partial post-handshake message is buffered");
        f.Inject({QuicFrame::Crypto(3, msg + 3, size - 3)});
        NS_TEST_EXPECT_MSG_NE(f.Server()->GetState(),
                              QuicConnection::CONNECTED,
                              "the completed message closes the connection");
        const uint64_t expected =
            m_oversized ? static_cast<uint64_t>(QuicTransportError::CRYPTO_BUFFER_EXCEEDED)
                        : 0x10a; // CRYPTO_ERROR(unexpected_message)
        NS_TEST_EXPECT_MSG_EQ(f.Server()->GetCloseErrorCode(),
                              expected,
                              "with the error of RFC 9001 §4.1.3 / RFC 9000 §7.5");
    }

    bool m_oversized;
};

/**
 * SEC-01 §5.2.2: 100 Initials with fresh CIDs from 100 spoofed addresses; with
 * MaxConnections = 4 the endpoint keeps at most 4 connections and drops the rest (traced).
 */
class MaxConnectionsTestCase : public BoundsTestCase
{
  public:
    MaxConnectionsTestCase()
        : BoundsTestCase("MaxConnections=4 holds against an Initial flood")
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicEndpoint::MaxConnections", UintegerValue(4));
        BoundsFixture f("conns");
        NS_TEST_ASSERT_MSG_EQ(f.Ok(), true, "connection established");
        size_t most = 0;
        for (uint32_t i = 0; i < 100; ++i)
        {
            std::vector<uint8_t> d{0xc3, 0, 0, 0, 1, 8};
            QuicConnectionId c = Cid(1000 + i);
            d.insert(d.end(), c.Data(), c.Data() + 8);
            d.push_back(0); // empty SCID
            d.push_back(0); // no token
            size_t rest = 1200 - d.size() - 2;
            d.push_back(static_cast<uint8_t>(0x40 | (rest >> 8)));
            d.push_back(static_cast<uint8_t>(rest & 0xff));
            d.resize(1200, static_cast<uint8_t>(i));
            f.InjectRaw(d, Foreign(i));
            most = std::max(most, f.ServerEndpoint()->GetConnectionCount());
        }
        NS_TEST_EXPECT_MSG_LT_OR_EQ(most, 4, "connections bounded by MaxConnections");
        NS_TEST_EXPECT_MSG_GT_OR_EQ(f.m_drops[QuicDropReason::OTHER],
                                    96,
                                    "Initials beyond the limit dropped");
    }
};

/**
 * SR-05 (§10.3): 1000 short-header datagrams with unknown CIDs from spoofed addresses within
 * 10 ms; StatelessResetRate = 10/s with a burst of 5 sends at most 5 + 1 resets.
 */
class ResetRateTestCase : public BoundsTestCase
{
  public:
    ResetRateTestCase()
        : BoundsTestCase("StatelessResetRate=10 Burst=5 holds against 1000 unknown CIDs")
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicEndpoint::StatelessResetRate", DoubleValue(10));
        Config::SetDefault("ns3::QuicEndpoint::StatelessResetBurst", UintegerValue(5));
        BoundsFixture f("resets");
        NS_TEST_ASSERT_MSG_EQ(f.Ok(), true, "connection established");
        for (uint32_t i = 0; i < 1000; ++i)
        {
            std::vector<uint8_t> d{0x41};
            QuicConnectionId c = Cid(5000 + i);
            d.insert(d.end(), c.Data(), c.Data() + c.Length());
            d.resize(100, 0x33);
            f.InjectRaw(d, Foreign(i));
            if (i % 100 == 0)
            {
                f.RunFor(MilliSeconds(1));
            }
        }
        NS_TEST_EXPECT_MSG_GT(f.m_resets, 0, "resets are sent");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(f.m_resets, 6, "resets bounded by burst + rate x time");
        NS_TEST_EXPECT_MSG_EQ(f.m_drops[QuicDropReason::UNKNOWN_CID], 1000, "all traced");
    }
};

class QuicBoundsTestSuite : public TestSuite
{
  public:
    QuicBoundsTestSuite()
        : TestSuite("quic-bounds", QUIC_SUITE_UNIT)
    {
        AddTestCase(new MaxPathsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new PathChallengeFloodTestCase(4), QUIC_TEST_QUICK);
        AddTestCase(new PathChallengeFloodTestCase(2), QUIC_TEST_QUICK);
        AddTestCase(new NewCidFloodTestCase, QUIC_TEST_QUICK);
        AddTestCase(new RetirePriorToJumpTestCase, QUIC_TEST_QUICK);
        AddTestCase(new RetireFloodTestCase, QUIC_TEST_QUICK);
        AddTestCase(new AckRangesTestCase, QUIC_TEST_QUICK);
        AddTestCase(new StreamLimitTestCase, QUIC_TEST_QUICK);
        AddTestCase(new ReassemblyTestCase(true), QUIC_TEST_QUICK);
        AddTestCase(new ReassemblyTestCase(false), QUIC_TEST_QUICK);
        AddTestCase(new PostHandshakeCryptoTestCase(false), QUIC_TEST_QUICK);
        AddTestCase(new PostHandshakeCryptoTestCase(true), QUIC_TEST_QUICK);
        AddTestCase(new MaxConnectionsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new ResetRateTestCase, QUIC_TEST_QUICK);
    }
};

QuicBoundsTestSuite g_quicBoundsTestSuite;

} // namespace

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Connection IDs and stateless resets on live connections (RFC 9000 §5.1, §9.5, §10.3):
// spare CIDs up to the peer's limit (CID-06, CID-07), Retire Prior To (CID-12), an
// over-issuing peer (CID-08), retiring a never-issued CID (FR-09), periodic rotation during a
// transfer (PRIV-01, PRIV-02), a server that lost its state answering with stateless resets
// (SR-01, SR-11) and forged resets ignored (SR-10). The unit-level rows are in
// quic-cid-manager-test.cc.

#include "quic-ns3-compat.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-bulk-send-application.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-endpoint.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-packet-codec.h"
#include "ns3/quic-sink-application.h"
#include "ns3/test.h"

#include <map>
#include <set>

using namespace ns3;

namespace
{

/// Client (node 0) and server (node 1) on a point-to-point link, with CID bookkeeping.
class CidFixture
{
  public:
    explicit CidFixture(uint64_t bytes = 0)
    {
        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(1);
        m_nodes.Create(2);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("10ms"));
        p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("200p"));
        m_devices = p2p.Install(m_nodes);
        InternetStackHelper stack;
        stack.Install(m_nodes);
        Ipv4AddressHelper ip;
        ip.SetBase("10.1.1.0", "255.255.255.0");
        m_ifs = ip.Assign(m_devices);
        m_server = QuicEndpoint::Install(m_nodes.Get(1));
        m_client = QuicEndpoint::Install(m_nodes.Get(0));
        m_server->AssignStreams(10);
        m_client->AssignStreams(20);
        m_server->TraceConnectWithoutContext("NewConnection",
                                             MakeCallback(&CidFixture::OnServerConn, this));
        m_client->TraceConnectWithoutContext("NewConnection",
                                             MakeCallback(&CidFixture::OnClientConn, this));
        m_server->TraceConnectWithoutContext("StatelessResetSent",
                                             MakeCallback(&CidFixture::OnResetSent, this));
        QuicSinkHelper sink(InetSocketAddress(Ipv4Address::GetAny(), 4433));
        m_sinkApps = sink.Install(m_nodes.Get(1));
        m_sinkApps.Start(Seconds(0));
        QuicBulkSendHelper bulk(InetSocketAddress(m_ifs.GetAddress(1), 4433));
        bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
        bulk.SetAttribute("CloseOnComplete", BooleanValue(false));
        m_bulkApps = bulk.Install(m_nodes.Get(0));
        m_bulkApps.Start(Seconds(0.1));
    }

    ~CidFixture()
    {
        Simulator::Destroy();
    }

    void OnServerConn(Ptr<QuicConnection> c)
    {
        m_serverConn = c;
        c->TraceConnectWithoutContext("ConnectionIdEvent",
                                      MakeCallback(&CidFixture::OnServerCid, this));
        c->TraceConnectWithoutContext("PacketReceived",
                                      MakeCallback(&CidFixture::OnServerReceived, this));
        c->TraceConnectWithoutContext("Closed", MakeCallback(&CidFixture::OnServerClosed, this));
    }

    void OnClientConn(Ptr<QuicConnection> c)
    {
        m_clientConn = c;
        c->TraceConnectWithoutContext("ConnectionIdEvent",
                                      MakeCallback(&CidFixture::OnClientCid, this));
        c->TraceConnectWithoutContext("PacketSent", MakeCallback(&CidFixture::OnClientSent, this));
        c->TraceConnectWithoutContext("Closed", MakeCallback(&CidFixture::OnClientClosed, this));
    }

    void OnServerCid(Ptr<const QuicConnection>,
                     const std::string& e,
                     uint64_t seq,
                     const QuicConnectionId& cid)
    {
        if (e == "issued")
        {
            m_issuedBySeq[cid] = seq;
        }
        ++m_serverEvents[e];
    }

    void OnClientCid(Ptr<const QuicConnection>,
                     const std::string& e,
                     uint64_t,
                     const QuicConnectionId&)
    {
        ++m_clientEvents[e];
        if (e == "stateless_reset_received")
        {
            m_resetReceivedAt = Simulator::Now();
        }
    }

    void OnServerReceived(Ptr<const QuicConnection>, const QuicPacketTraceInfo& i)
    {
        if (i.m_type == QuicPacketType::ONE_RTT)
        {
            m_serverRx.push_back({Simulator::Now(), i.m_dcid});
        }
    }

    void OnClientSent(Ptr<const QuicConnection>, const QuicPacketTraceInfo& i)
    {
        m_clientTx.push_back({Simulator::Now(), i});
    }

    void OnServerClosed(Ptr<const QuicConnection>, uint64_t code, bool byPeer)
    {
        m_serverCode = code;
        m_serverByPeer = byPeer;
    }

    void OnClientClosed(Ptr<const QuicConnection>, uint64_t code, bool byPeer)
    {
        m_clientCode = code;
        m_clientByPeer = byPeer;
        m_clientClosedAt = Simulator::Now();
    }

    void OnResetSent(const Address&, uint32_t size, uint32_t trigger)
    {
        m_resets.push_back({size, trigger});
    }

    Ptr<QuicSinkApplication> Sink()
    {
        return DynamicCast<QuicSinkApplication>(m_sinkApps.Get(0));
    }

    struct Rx
    {
        Time t;
        QuicConnectionId dcid;
    };

    struct Tx
    {
        Time t;
        QuicPacketTraceInfo info;
    };

    NodeContainer m_nodes;
    NetDeviceContainer m_devices;
    Ipv4InterfaceContainer m_ifs;
    Ptr<QuicEndpoint> m_server;
    Ptr<QuicEndpoint> m_client;
    ApplicationContainer m_sinkApps;
    ApplicationContainer m_bulkApps;
    Ptr<QuicConnection> m_serverConn;
    Ptr<QuicConnection> m_clientConn;
    std::map<QuicConnectionId, uint64_t> m_issuedBySeq;
    std::map<std::string, uint32_t> m_serverEvents;
    std::map<std::string, uint32_t> m_clientEvents;
    std::vector<Rx> m_serverRx;
    std::vector<Tx> m_clientTx;
    std::vector<std::pair<uint32_t, uint32_t>> m_resets;
    uint64_t m_serverCode{~0ULL};
    uint64_t m_clientCode{~0ULL};
    bool m_serverByPeer{false};
    bool m_clientByPeer{false};
    Time m_clientClosedAt;
    Time m_resetReceivedAt;
};

} // namespace

/**
 * \ingroup quic-migration-tests
 * CID-06 CID-07: the server keeps the client supplied with exactly as many connection IDs as
 * the client's active_connection_id_limit allows (the cap of 8 aside), never more.
 */
class QuicCidLimitTestCase : public TestCase
{
  public:
    explicit QuicCidLimitTestCase(uint64_t limit)
        : TestCase("CID-06 CID-07 SR-03 peer active_connection_id_limit " + std::to_string(limit) +
                   " filled, never exceeded"),
          m_limit(limit)
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::ActiveConnectionIdLimit", UintegerValue(m_limit));
        {
            CidFixture f(100000);
            Simulator::Stop(Seconds(2));
            Simulator::Run();
            NS_TEST_ASSERT_MSG_EQ(bool(f.m_serverConn && f.m_clientConn), true, "connected");
            if (!f.m_serverConn || !f.m_clientConn)
            {
                return;
            }
            uint64_t expected = std::min<uint64_t>(m_limit, 8);
            NS_TEST_ASSERT_MSG_EQ(f.m_serverConn->GetActiveLocalCidCount(),
                                  expected,
                                  "server CIDs held by the client");
            NS_TEST_ASSERT_MSG_EQ(f.m_clientConn->GetSpareDestinationCidCount(),
                                  expected - 1,
                                  "spare CIDs at the client (one in use)");
            // Sequence 0 is registered while the server connection is created, before a trace
            // subscriber can attach: the trace sees the NEW_CONNECTION_ID ones.
            NS_TEST_ASSERT_MSG_EQ(f.m_serverEvents["issued"], expected - 1, "issued events");
            NS_TEST_ASSERT_MSG_EQ(f.m_clientConn->GetActiveLocalCidCount(),
                                  expected,
                                  "client CIDs held by the server");
            // SR-03: only the server sends stateless_reset_token.
            NS_TEST_ASSERT_MSG_EQ(f.m_serverConn->GetPeerTransportParameters().Has(
                                      QuicTransportParameterId::STATELESS_RESET_TOKEN),
                                  false,
                                  "SR-03: the client sends no stateless_reset_token");
            NS_TEST_ASSERT_MSG_EQ(f.m_clientConn->GetPeerTransportParameters().Has(
                                      QuicTransportParameterId::STATELESS_RESET_TOKEN),
                                  true,
                                  "the server does");
        }
        Config::Reset();
    }

    uint64_t m_limit;
};

/**
 * \ingroup quic-migration-tests
 * PRIV-01 PRIV-02 CID-05: rotating the destination CID every 100 ms during a 10 MB transfer;
 * every switch goes to a CID the server issued and that was never used before, the server
 * keeps routing all of them to the connection, and the data arrives intact.
 */
class QuicCidRotationTestCase : public TestCase
{
  public:
    QuicCidRotationTestCase()
        : TestCase("PRIV-01 PRIV-02 CID-05 DCID rotated every 100 ms during 10 MB, intact")
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::CidRotationInterval",
                           TimeValue(MilliSeconds(100)));
        {
            CidFixture f(10000000);
            Simulator::Stop(Seconds(30));
            Simulator::Run();
            Ptr<QuicSinkApplication> sink = f.Sink();
            NS_TEST_ASSERT_MSG_EQ(sink->GetTotalRx(), 10000000, "all bytes delivered");
            NS_TEST_ASSERT_MSG_EQ(sink->GetPatternErrors(), 0, "byte-exact");
            NS_TEST_ASSERT_MSG_EQ(sink->GetCompletedStreams(), 1, "FIN delivered");
            // The sequence of DCIDs the client used in 1-RTT packets: each new one is fresh.
            std::vector<QuicConnectionId> runs;
            for (const auto& t : f.m_clientTx)
            {
                if (t.info.m_type != QuicPacketType::ONE_RTT)
                {
                    continue;
                }
                if (runs.empty() || runs.back() != t.info.m_dcid)
                {
                    runs.push_back(t.info.m_dcid);
                }
            }
            std::set<QuicConnectionId> distinct(runs.begin(), runs.end());
            NS_TEST_ASSERT_MSG_EQ(distinct.size(),
                                  runs.size(),
                                  "PRIV-01: never back to an old CID");
            NS_TEST_ASSERT_MSG_GT(runs.size(),
                                  40,
                                  "rotated about every 100 ms (" << runs.size() << " CIDs)");
            // The first is the server's handshake CID (sequence 0, issued before the trace was
            // attached, see above); every later one came in a NEW_CONNECTION_ID.
            NS_TEST_ASSERT_MSG_EQ(runs.empty() ? QuicConnectionId() : runs.front(),
                                  f.m_serverConn->GetLocalCid(),
                                  "starts on the handshake CID");
            for (size_t i = 1; i < runs.size(); ++i)
            {
                NS_TEST_ASSERT_MSG_EQ(f.m_issuedBySeq.count(runs[i]), 1, "issued by the server");
            }
            NS_TEST_ASSERT_MSG_GT(f.m_serverEvents["retired_local"],
                                  30,
                                  "the client retired the old CIDs and the server replaced them");
            NS_TEST_ASSERT_MSG_EQ(f.m_clientEvents["rotated"] + 1, runs.size(), "rotated events");
        }
        Config::Reset();
    }
};

/**
 * \ingroup quic-migration-tests
 * CID-12: after the server raises Retire Prior To to 3, the client retires sequence numbers
 * 0-2 with RETIRE_CONNECTION_ID and never uses them again.
 */
class QuicRetirePriorToTestCase : public TestCase
{
  public:
    QuicRetirePriorToTestCase()
        : TestCase("CID-12 raising Retire Prior To retires every lower sequence number")
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::ActiveConnectionIdLimit", UintegerValue(4));
        {
            CidFixture f(3000000);
            bool raised = false;
            Simulator::Schedule(Seconds(1), [&f, &raised]() {
                raised = f.m_serverConn->RaiseRetirePriorTo(3);
            });
            Simulator::Stop(Seconds(10));
            Simulator::Run();
            NS_TEST_ASSERT_MSG_EQ(raised, true, "Retire Prior To raised");
            uint32_t retires = 0;
            for (const auto& t : f.m_clientTx)
            {
                if (t.info.m_frameTypes & QuicFrameTypeBit(QuicFrameType::RETIRE_CONNECTION_ID))
                {
                    ++retires;
                }
            }
            NS_TEST_ASSERT_MSG_GT_OR_EQ(retires, 1, "RETIRE_CONNECTION_ID sent");
            NS_TEST_ASSERT_MSG_GT_OR_EQ(f.m_serverEvents["retired_local"], 3, "0-2 retired");
            // The NEW_CONNECTION_ID carrying Retire Prior To 3 reaches the client about 10 ms
            // after the raise; judge by the client's send times (its queue delays arrivals).
            std::map<QuicConnectionId, uint64_t> seqOf = f.m_issuedBySeq;
            seqOf[f.m_serverConn->GetLocalCid()] = 0; // issued before the trace was attached
            uint32_t late = 0;
            uint32_t lowAfter = 0;
            for (const auto& t : f.m_clientTx)
            {
                if (t.t < Seconds(1.05) || t.info.m_type != QuicPacketType::ONE_RTT)
                {
                    continue;
                }
                ++late;
                auto it = seqOf.find(t.info.m_dcid);
                if (it == seqOf.end() || it->second < 3)
                {
                    ++lowAfter;
                }
            }
            NS_TEST_ASSERT_MSG_GT(late, 100, "packets after the raise");
            NS_TEST_ASSERT_MSG_EQ(lowAfter, 0, "no packet uses a CID below Retire Prior To");
            NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "transfer intact");
        }
        Config::Reset();
    }
};

/**
 * \ingroup quic-migration-tests
 * CID-08 FR-09: a peer that issues more CIDs than our limit gets CONNECTION_ID_LIMIT_ERROR;
 * retiring a CID that was never issued gets PROTOCOL_VIOLATION (test-only frame injection).
 */
class QuicCidViolationTestCase : public TestCase
{
  public:
    explicit QuicCidViolationTestCase(bool overIssue)
        : TestCase(overIssue ? "CID-08 SR-02 over-issuing peer closed with "
                               "CONNECTION_ID_LIMIT_ERROR"
                             : "FR-09 SR-02 RETIRE_CONNECTION_ID of a never-issued CID closed with "
                               "PROTOCOL_VIOLATION"),
          m_overIssue(overIssue)
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::ActiveConnectionIdLimit", UintegerValue(2));
        {
            CidFixture f(2000000);
            bool overIssue = m_overIssue;
            // After the transfer (about 1.8 s): test-only frames are not repaired if lost, and
            // the transfer's queue overflows drop packets.
            Simulator::Schedule(Seconds(3), [&f, overIssue]() {
                if (overIssue)
                {
                    for (uint8_t i = 0; i < 4; ++i)
                    {
                        uint8_t cid[8] = {0xee, 0xee, 0, 0, 0, 0, 0, i};
                        uint8_t token[16] = {0xaa, i};
                        f.m_serverConn->QueueFrameForTesting(
                            QuicFrame::NewConnectionId(20 + i, 0, QuicConnectionId(cid, 8), token));
                    }
                }
                else
                {
                    f.m_clientConn->QueueFrameForTesting(QuicFrame::RetireConnectionId(99));
                }
            });
            Simulator::Stop(Seconds(6));
            Simulator::Run();
            // SR-02: errors on a live connection are reported with CONNECTION_CLOSE, never with
            // a stateless reset.
            NS_TEST_ASSERT_MSG_EQ(f.m_resets.size(), 0, "SR-02: no stateless reset");
            if (m_overIssue)
            {
                NS_TEST_ASSERT_MSG_EQ(f.m_serverCode, 0x09, "server got CONNECTION_ID_LIMIT_ERROR");
                NS_TEST_ASSERT_MSG_EQ(f.m_serverByPeer, true, "from the client");
            }
            else
            {
                NS_TEST_ASSERT_MSG_EQ(f.m_clientCode, 0x0a, "client got PROTOCOL_VIOLATION");
                NS_TEST_ASSERT_MSG_EQ(f.m_clientByPeer, true, "from the server");
            }
        }
        Config::Reset();
    }

    bool m_overIssue;
};

/**
 * \ingroup quic-migration-tests
 * SR-01 SR-04 SR-06 SR-07 SR-11: the server loses its state mid-transfer; the client's next
 * packets draw stateless resets smaller than them, the client recognises the token, enters
 * draining and sends nothing more.
 */
class QuicStatelessResetTestCase : public TestCase
{
  public:
    QuicStatelessResetTestCase()
        : TestCase("SR-01 SR-11 server state loss: stateless reset ends the client")
    {
    }

  private:
    void DoRun() override
    {
        CidFixture f(5000000);
        Simulator::Schedule(Seconds(1), [&f]() { f.m_server->SimulateStateLoss(); });
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_GT_OR_EQ(f.m_resets.size(), 1, "a stateless reset was sent");
        for (const auto& r : f.m_resets)
        {
            NS_TEST_ASSERT_MSG_LT(r.first, r.second, "SR-07: smaller than its trigger");
            NS_TEST_ASSERT_MSG_GT_OR_EQ(r.first, 21, "SR-04: at least 21 bytes");
        }
        NS_TEST_ASSERT_MSG_EQ(f.m_clientEvents["stateless_reset_received"], 1, "detected once");
        NS_TEST_ASSERT_MSG_GT(f.m_clientClosedAt, f.m_resetReceivedAt, "closed after draining");
        uint32_t after = 0;
        for (const auto& t : f.m_clientTx)
        {
            after += t.t > f.m_resetReceivedAt ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_EQ(after, 0, "SR-11: nothing sent after the reset");
        NS_TEST_ASSERT_MSG_LT(f.m_resetReceivedAt, Seconds(1.2), "within a few RTTs");
    }
};

/**
 * \ingroup quic-migration-tests
 * SR-10: datagrams from the server's address ending in a token nobody issued, or a datagram
 * too short to be a reset, are dropped; the connection carries on.
 */
class QuicForgedResetTestCase : public TestCase
{
  public:
    QuicForgedResetTestCase()
        : TestCase("SR-08 SR-10 forged stateless resets ignored")
    {
    }

  private:
    void DoRun() override
    {
        CidFixture f(3000000);
        Simulator::Schedule(Seconds(0.5), [&f]() {
            Ptr<QuicConnection> s = f.m_serverConn;
            Address client = s->GetActivePath().GetRemoteAddress();
            for (size_t size : {20, 40, 100})
            {
                std::vector<uint8_t> forged(size, 0x5a);
                forged[0] = 0x4b;
                s->GetEndpoint()->SendDatagram(s->GetActivePath().GetSocket(),
                                               forged.data(),
                                               forged.size(),
                                               client);
            }
        });
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.m_clientEvents["stateless_reset_received"], 0, "ignored");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "transfer completes");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
    }
};

/**
 * \ingroup quic-migration-tests
 * CID-02 CID-15 CID-16 FR-03: zero-length connection IDs on the client, the server or both:
 * packets are routed by 4-tuple, a transfer completes, the zero-length side sends no
 * NEW_CONNECTION_ID and asks its peer not to migrate (disable_active_migration).
 */
class QuicZeroLengthCidTestCase : public TestCase
{
  public:
    QuicZeroLengthCidTestCase(bool client, bool server)
        : TestCase(std::string("CID-15 CID-16 FR-03 zero-length CIDs on the ") +
                   (client && server ? "client and server"
                    : client         ? "client"
                                     : "server")),
          m_clientZero(client),
          m_serverZero(server)
    {
    }

  private:
    void DoRun() override
    {
        CidFixture f(2000000);
        if (m_clientZero)
        {
            f.m_client->SetAttribute("ConnectionIdLength", UintegerValue(0));
        }
        if (m_serverZero)
        {
            f.m_server->SetAttribute("ConnectionIdLength", UintegerValue(0));
        }
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 2000000, "transfer complete");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
        if (!f.m_clientConn || !f.m_serverConn)
        {
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(f.m_clientConn->GetLocalCid().IsEmpty(), m_clientZero, "client CID");
        NS_TEST_ASSERT_MSG_EQ(f.m_serverConn->GetLocalCid().IsEmpty(), m_serverZero, "server CID");
        uint32_t clientNcid = 0;
        for (const auto& t : f.m_clientTx)
        {
            clientNcid +=
                (t.info.m_frameTypes & QuicFrameTypeBit(QuicFrameType::NEW_CONNECTION_ID)) ? 1 : 0;
        }
        if (m_clientZero)
        {
            NS_TEST_ASSERT_MSG_EQ(clientNcid,
                                  0,
                                  "FR-03: no NEW_CONNECTION_ID from a zero-length side");
        }
        else
        {
            NS_TEST_ASSERT_MSG_GT(clientNcid, 0, "a normal client issues spare CIDs");
        }
        NS_TEST_ASSERT_MSG_EQ(
            f.m_clientConn->GetPeerTransportParameters().IsActiveMigrationDisabled(),
            m_serverZero,
            "CID-16: a zero-length server disables active migration");
        NS_TEST_ASSERT_MSG_EQ(
            f.m_serverConn->GetPeerTransportParameters().IsActiveMigrationDisabled(),
            m_clientZero,
            "a zero-length client does too");
    }

    bool m_clientZero;
    bool m_serverZero;
};

/**
 * \ingroup quic-migration-tests
 * CID-02: an endpoint with zero-length connection IDs refuses a second connection on a local
 * address and port already used by one; ephemeral ports give each connection its own.
 */
class QuicZeroLengthSharedPortTestCase : public TestCase
{
  public:
    QuicZeroLengthSharedPortTestCase()
        : TestCase("CID-02 zero-length CIDs never share a local address and port")
    {
    }

  private:
    void DoRun() override
    {
        CidFixture f(0);
        f.m_client->SetAttribute("ConnectionIdLength", UintegerValue(0));
        Address server = InetSocketAddress(f.m_ifs.GetAddress(1), 4433);
        Address fixed = InetSocketAddress(f.m_ifs.GetAddress(0), 5000);
        Ptr<QuicConnection> a = f.m_client->Connect(server, fixed);
        Ptr<QuicConnection> b = f.m_client->Connect(server, fixed);
        Ptr<QuicConnection> c = f.m_client->Connect(server);
        Ptr<QuicConnection> d = f.m_client->Connect(server);
        NS_TEST_ASSERT_MSG_EQ(bool(a), true, "first connection on the fixed port");
        NS_TEST_ASSERT_MSG_EQ(bool(b), false, "second one on the same port refused");
        NS_TEST_ASSERT_MSG_EQ(bool(c) && bool(d), true, "ephemeral ports are fine");
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(a->IsHandshakeConfirmed(), true, "a confirmed");
        NS_TEST_ASSERT_MSG_EQ(c->IsHandshakeConfirmed(), true, "c confirmed");
        NS_TEST_ASSERT_MSG_EQ(d->IsHandshakeConfirmed(), true, "d confirmed");
    }
};

namespace
{
void
CountDrop(std::map<QuicDropReason, uint32_t>* drops,
          Ptr<const QuicConnection>,
          QuicDropReason reason,
          uint32_t)
{
    ++(*drops)[reason];
}
} // namespace

/**
 * \ingroup quic-migration-tests
 * CID-17: the client takes the Source Connection ID of the first server Initial it receives
 * and then discards server packets with another SCID. An off-path attacker that wins the race
 * with a forged Initial (it knows the client's Destination Connection ID, hence the Initial
 * keys) therefore makes the genuine server's packets be dropped (and the handshake fail).
 */
class QuicFirstServerScidTestCase : public TestCase
{
  public:
    QuicFirstServerScidTestCase()
        : TestCase("CID-17 after the first server Initial, packets with another SCID are dropped")
    {
    }

  private:
    void DoRun() override
    {
        CidFixture f(100000);
        std::map<QuicDropReason, uint32_t> drops;
        uint8_t forgedBytes[8] = {0xf0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde};
        QuicConnectionId forged(forgedBytes, 8);
        Simulator::Schedule(Seconds(0.1005), [&f, &drops, forged]() {
            Ptr<QuicConnection> c = f.m_clientConn;
            c->TraceConnectWithoutContext("PacketDropped", MakeBoundCallback(&CountDrop, &drops));
            QuicPacketKeys clientKeys;
            QuicPacketKeys serverKeys;
            QuicDeriveInitialKeys(c->GetOriginalDestinationCid(), clientKeys, serverKeys);
            std::vector<uint8_t> datagram;
            QuicPacketBuilder b;
            QuicPacketHeader h;
            h.m_type = QuicPacketType::INITIAL;
            h.m_dcid = c->GetLocalCid();
            h.m_scid = forged;
            b.Begin(datagram, h, 0, std::nullopt, 1200);
            b.AddFrame(QuicFrame::Ping());
            b.PadDatagramTo(1200);
            QuicPacketProtector sealer(serverKeys);
            b.Finish(sealer);
            // Sent from the server's address and port; the socket is closed at once so that
            // the server endpoint keeps receiving its own traffic.
            Ptr<Socket> s = Socket::CreateSocket(f.m_nodes.Get(1), UdpSocketFactory::GetTypeId());
            s->Bind(InetSocketAddress(f.m_ifs.GetAddress(1), 4433));
            uint16_t clientPort =
                InetSocketAddress::ConvertFrom(c->GetActivePath().GetLocalAddress()).GetPort();
            s->SendTo(Create<Packet>(datagram.data(), datagram.size()),
                      0,
                      InetSocketAddress(f.m_ifs.GetAddress(0), clientPort));
            s->Close();
        });
        Simulator::Stop(Seconds(1));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.m_clientConn->GetPeerCid(), forged, "the first SCID was taken");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(drops[QuicDropReason::OTHER],
                                    1,
                                    "the genuine server's packets (another SCID) dropped");
        NS_TEST_ASSERT_MSG_EQ(f.m_clientConn->IsHandshakeComplete(), false, "so no handshake");
    }
};

/**
 * \ingroup quic-migration-tests
 * Connection IDs and stateless resets on live connections.
 */
class QuicCidTestSuite : public TestSuite
{
  public:
    QuicCidTestSuite()
        : TestSuite("quic-cid", QUIC_SUITE_SYSTEM)
    {
        AddTestCase(new QuicCidLimitTestCase(2), QUIC_TEST_QUICK);
        AddTestCase(new QuicCidLimitTestCase(4), QUIC_TEST_QUICK);
        AddTestCase(new QuicCidLimitTestCase(8), QUIC_TEST_QUICK);
        AddTestCase(new QuicCidRotationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicRetirePriorToTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCidViolationTestCase(true), QUIC_TEST_QUICK);
        AddTestCase(new QuicCidViolationTestCase(false), QUIC_TEST_QUICK);
        AddTestCase(new QuicStatelessResetTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicForgedResetTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicZeroLengthCidTestCase(true, false), QUIC_TEST_QUICK);
        AddTestCase(new QuicZeroLengthCidTestCase(false, true), QUIC_TEST_QUICK);
        AddTestCase(new QuicZeroLengthCidTestCase(true, true), QUIC_TEST_QUICK);
        AddTestCase(new QuicZeroLengthSharedPortTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFirstServerScidTestCase, QUIC_TEST_QUICK);
    }
};

static QuicCidTestSuite g_quicCidTestSuite; //!< registers the suite

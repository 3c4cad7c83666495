/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Soak test (SEC-01, SR-09, MIG-06, SEC-03 hostile input): thousands of random and mutated
// datagrams — real captured packets with bit flips, truncations and garbage tails, replays,
// random bytes, short headers with random Destination Connection IDs, the connection's real
// CID followed by garbage, Initials with fresh CIDs — are injected into both endpoints of a
// bulk transfer, from the peer's own address (on-path) and from spoofed foreign addresses
// (off-path), delivered to the target node's IPv4 layer so that they pass through its UDP
// socket and endpoint like packets from the link. Nothing crashes, the transfer completes intact
// (every byte, pattern checksum), no injected datagram is accepted, and every injected datagram is
// accounted for by a drop trace (the endpoint's Drop or a connection's PacketDropped).
//
// QUICK: 5 000 datagrams; TAKES_FOREVER (--fullness=TAKES_FOREVER, run by `make fuzz`):
// 100 000 datagrams.

#include "../utils/fuzz/fuzz-world.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-endpoint.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-sink-application.h"
#include "ns3/test.h"

#include <deque>
#include <iostream>
#include <map>
#include <sstream>

using namespace ns3;

namespace
{

/// Kinds of injected datagram.
enum Kind
{
    BIT_FLIP,      //!< a real datagram with 1-8 bits flipped
    TRUNCATED,     //!< a real datagram cut short
    GARBAGE_TAIL,  //!< a real datagram with random bytes appended or overwritten at the end
    REPLAY,        //!< a real datagram, unchanged, already received
    RANDOM_BYTES,  //!< random bytes of random length
    RANDOM_CID,    //!< a short header with a random DCID, random payload
    REAL_CID,      //!< a short header with the connection's real CID, random payload
    FRESH_INITIAL, //!< a long-header Initial with a fresh DCID, padded to 1200 bytes
    KIND_COUNT,    //!< number of kinds
};

const char* const KIND_NAMES[] = {"bit_flip",
                                  "truncated",
                                  "garbage_tail",
                                  "replay",
                                  "random_bytes",
                                  "random_cid",
                                  "real_cid",
                                  "fresh_initial"};

/// One side of the connection as a target of injection.
struct Side
{
    Ptr<Node> node;
    Ptr<QuicEndpoint> ep;
    Ptr<QuicConnection> conn;
    std::deque<std::vector<uint8_t>> captured; //!< recent real datagrams received by this side
};

class QuicSoakTestCase : public TestCase
{
  public:
    explicit QuicSoakTestCase(uint32_t datagrams)
        : TestCase("SEC-01 SR-09 MIG-06 soak: " + std::to_string(datagrams) +
                   " random and mutated datagrams on-path and off-path during a transfer"),
          m_datagrams(datagrams)
    {
    }

  private:
    void DoRun() override;

    void OnMacRx(Side* side, Ptr<const Packet> p)
    {
        Ptr<Packet> c = p->Copy();
        PppHeader ppp; // MacRx sees the frame with its PPP header
        Ipv4Header ip;
        UdpHeader udp;
        if (c->RemoveHeader(ppp) == 0 || c->RemoveHeader(ip) == 0 ||
            ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER || c->RemoveHeader(udp) == 0 ||
            c->GetSize() == 0)
        {
            return;
        }
        std::vector<uint8_t> b(c->GetSize());
        c->CopyData(b.data(), b.size());
        side->captured.push_back(std::move(b));
        if (side->captured.size() > 64)
        {
            side->captured.pop_front();
        }
    }

    void OnEndpointDrop(QuicDropReason reason, uint32_t, const Address&)
    {
        ++m_drops;
        ++m_dropReasons[QuicDropReasonName(reason)];
    }

    void OnConnDrop(Ptr<const QuicConnection>, QuicDropReason reason, uint32_t)
    {
        ++m_drops;
        ++m_dropReasons[QuicDropReasonName(reason)];
    }

    void OnConnReceived(Ptr<const QuicConnection>, const QuicPacketTraceInfo&)
    {
        ++m_received;
    }

    void HookConnection(Ptr<QuicConnection> c)
    {
        c->TraceConnectWithoutContext("PacketDropped",
                                      MakeCallback(&QuicSoakTestCase::OnConnDrop, this));
        c->TraceConnectWithoutContext("PacketReceived",
                                      MakeCallback(&QuicSoakTestCase::OnConnReceived, this));
    }

    void OnServerConnection(Ptr<QuicConnection> c)
    {
        if (!m_server.conn)
        {
            m_server.conn = c;
        }
        HookConnection(c);
    }

    void OnClientConnection(Ptr<QuicConnection> c)
    {
        if (!m_client.conn)
        {
            m_client.conn = c;
        }
        HookConnection(c);
    }

    std::vector<uint8_t> RandomBytes(size_t n)
    {
        std::vector<uint8_t> b(n);
        for (auto& x : b)
        {
            x = static_cast<uint8_t>(m_rng->GetInteger(0, 255));
        }
        return b;
    }

    std::vector<uint8_t> Make(Kind kind, Side& side, const QuicConnectionId& realCid);

    void InjectOne();

    uint32_t m_datagrams;
    uint32_t m_injected{0};
    Time m_gap;
    Ptr<UniformRandomVariable> m_rng;
    Side m_server;
    Side m_client;
    uint64_t m_drops{0};
    uint64_t m_received{0};
    uint64_t m_dropped{0};     //!< injected datagrams that drew at least one drop trace
    uint64_t m_accepted{0};    //!< injected datagrams of which a packet was accepted
    uint64_t m_unaccounted{0}; //!< injected datagrams that drew neither
    uint64_t m_kindCount[KIND_COUNT]{};
    uint64_t m_offPath{0};
    std::map<std::string, uint64_t> m_dropReasons;
};

std::vector<uint8_t>
QuicSoakTestCase::Make(Kind kind, Side& side, const QuicConnectionId& realCid)
{
    const std::vector<uint8_t>* real = nullptr;
    if (!side.captured.empty())
    {
        real = &side.captured[m_rng->GetInteger(0, side.captured.size() - 1)];
    }
    switch (kind)
    {
    case BIT_FLIP:
        if (real != nullptr)
        {
            std::vector<uint8_t> b = *real;
            uint32_t flips = m_rng->GetInteger(1, 8);
            for (uint32_t i = 0; i < flips; ++i)
            {
                uint32_t bit = m_rng->GetInteger(0, b.size() * 8 - 1);
                b[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
            }
            return b;
        }
        break;
    case TRUNCATED:
        if (real != nullptr && real->size() > 1)
        {
            return std::vector<uint8_t>(real->begin(),
                                        real->begin() + m_rng->GetInteger(1, real->size() - 1));
        }
        break;
    case GARBAGE_TAIL:
        if (real != nullptr)
        {
            std::vector<uint8_t> b = *real;
            size_t keep = m_rng->GetInteger(1, b.size());
            b.resize(keep);
            std::vector<uint8_t> tail = RandomBytes(m_rng->GetInteger(1, 64));
            b.insert(b.end(), tail.begin(), tail.end());
            if (b.size() > 1500)
            {
                b.resize(1500);
            }
            return b;
        }
        break;
    case REPLAY:
        if (real != nullptr)
        {
            return *real;
        }
        break;
    case RANDOM_CID:
    case REAL_CID: {
        std::vector<uint8_t> b{static_cast<uint8_t>(0x40 | m_rng->GetInteger(0, 0x3f))};
        std::vector<uint8_t> cid =
            kind == REAL_CID
                ? std::vector<uint8_t>(realCid.Data(), realCid.Data() + realCid.Length())
                : RandomBytes(side.ep->GetCidLength());
        b.insert(b.end(), cid.begin(), cid.end());
        std::vector<uint8_t> rest = RandomBytes(m_rng->GetInteger(0, 1200));
        b.insert(b.end(), rest.begin(), rest.end());
        return b;
    }
    case FRESH_INITIAL: {
        // Long header, fixed bit, type Initial; version 1; DCID 8..20 bytes; SCID; token
        // length 0; Length covering the rest; random "protected" payload (RFC 9000 §17.2.2).
        std::vector<uint8_t> b{0xc3, 0x00, 0x00, 0x00, 0x01};
        uint8_t dl = static_cast<uint8_t>(m_rng->GetInteger(8, 20));
        b.push_back(dl);
        std::vector<uint8_t> d = RandomBytes(dl);
        b.insert(b.end(), d.begin(), d.end());
        b.push_back(8);
        std::vector<uint8_t> s = RandomBytes(8);
        b.insert(b.end(), s.begin(), s.end());
        b.push_back(0);
        size_t rest = 1200 - b.size() - 2;
        b.push_back(static_cast<uint8_t>(0x40 | (rest >> 8)));
        b.push_back(static_cast<uint8_t>(rest & 0xff));
        std::vector<uint8_t> p = RandomBytes(rest);
        b.insert(b.end(), p.begin(), p.end());
        return b;
    }
    default:
        break;
    }
    return RandomBytes(m_rng->GetInteger(1, 1500));
}

void
QuicSoakTestCase::InjectOne()
{
    if (m_injected >= m_datagrams)
    {
        return;
    }
    Simulator::Schedule(m_gap, &QuicSoakTestCase::InjectOne, this);
    if (!m_server.conn || !m_client.conn)
    {
        return;
    }
    ++m_injected;
    // Target: the server (the data receiver) three times out of four, else the client.
    bool toServer = m_rng->GetInteger(0, 3) != 0;
    Side& side = toServer ? m_server : m_client;
    Side& peer = toServer ? m_client : m_server;
    Kind kind = static_cast<Kind>(m_rng->GetInteger(0, KIND_COUNT - 1));
    ++m_kindCount[kind];
    // The CID the peer sends with is one of the target's own.
    std::vector<uint8_t> d = Make(kind, side, peer.conn->GetPeerCid());
    bool offPath = m_rng->GetInteger(0, 1) == 1;
    InetSocketAddress from =
        InetSocketAddress::ConvertFrom(side.conn->GetActivePath().GetRemoteAddress());
    if (offPath)
    {
        ++m_offPath;
        from = InetSocketAddress(
            Ipv4Address(static_cast<uint32_t>(0x0a090000u | m_rng->GetInteger(0, 0xffff))),
            static_cast<uint16_t>(m_rng->GetInteger(1, 65535)));
    }
    // The target's own address and port, as its peer sends to it.
    InetSocketAddress to(
        side.node->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal(),
        InetSocketAddress::ConvertFrom(side.conn->GetActivePath().GetLocalAddress()).GetPort());
    uint64_t drops = m_drops;
    uint64_t received = m_received;
    quicfuzz::InjectUdp(side.node, d.data(), d.size(), from, to);
    if (m_drops > drops)
    {
        ++m_dropped;
    }
    else if (m_received > received)
    {
        ++m_accepted;
    }
    else
    {
        ++m_unaccounted;
    }
}

void
QuicSoakTestCase::DoRun()
{
    RngSeedManager::SetSeed(3);
    RngSeedManager::SetRun(1);
    // 2 MB at 10 Mb/s: about 1.8 s of transfer for the injections to land in; the long run
    // sends more so that the injections stay spread over the transfer.
    const uint64_t bytes = m_datagrams > 10000 ? 8000000 : 2000000;
    const Time window = m_datagrams > 10000 ? Seconds(6) : Seconds(1.4);
    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("5ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("100p"));
    NetDeviceContainer devs = p2p.Install(nodes);
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper ip;
    ip.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = ip.Assign(devs);
    m_client.node = nodes.Get(0);
    m_server.node = nodes.Get(1);
    m_client.ep = QuicEndpoint::Install(nodes.Get(0));
    m_server.ep = QuicEndpoint::Install(nodes.Get(1));
    m_client.ep->AssignStreams(100);
    m_server.ep->AssignStreams(200);
    m_rng = CreateObject<UniformRandomVariable>();
    m_rng->SetStream(300);
    for (Side* s : {&m_client, &m_server})
    {
        s->ep->TraceConnectWithoutContext("Drop",
                                          MakeCallback(&QuicSoakTestCase::OnEndpointDrop, this));
    }
    m_server.ep->TraceConnectWithoutContext(
        "NewConnection",
        MakeCallback(&QuicSoakTestCase::OnServerConnection, this));
    m_client.ep->TraceConnectWithoutContext(
        "NewConnection",
        MakeCallback(&QuicSoakTestCase::OnClientConnection, this));
    devs.Get(0)->TraceConnectWithoutContext(
        "MacRx",
        MakeCallback(&QuicSoakTestCase::OnMacRx, this).Bind(&m_client));
    devs.Get(1)->TraceConnectWithoutContext(
        "MacRx",
        MakeCallback(&QuicSoakTestCase::OnMacRx, this).Bind(&m_server));

    QuicSinkHelper sink(InetSocketAddress(Ipv4Address::GetAny(), 4433));
    ApplicationContainer sinkApps = sink.Install(nodes.Get(1));
    QuicBulkSendHelper bulk(InetSocketAddress(ifs.GetAddress(1), 4433));
    bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
    bulk.SetAttribute("CloseOnComplete", BooleanValue(false));
    ApplicationContainer bulkApps = bulk.Install(nodes.Get(0));
    bulkApps.Start(Seconds(0.1));

    m_gap = window / m_datagrams;
    Simulator::Schedule(Seconds(0.3), &QuicSoakTestCase::InjectOne, this);
    Simulator::Stop(Seconds(30));
    Simulator::Run();

    Ptr<QuicSinkApplication> s = DynamicCast<QuicSinkApplication>(sinkApps.Get(0));
    NS_TEST_EXPECT_MSG_EQ(m_injected, m_datagrams, "every datagram was injected");
    NS_TEST_EXPECT_MSG_EQ(s->GetTotalRx(), bytes, "every byte of the transfer arrived");
    NS_TEST_EXPECT_MSG_EQ(s->GetCompletedStreams(), 1, "the stream completed (FIN)");
    NS_TEST_EXPECT_MSG_EQ(s->GetPatternErrors(), 0, "every byte matched the pattern");
    NS_TEST_EXPECT_MSG_EQ(m_unaccounted, 0, "every injected datagram drew a drop trace");
    NS_TEST_EXPECT_MSG_EQ(m_accepted, 0, "no injected datagram was accepted");
    NS_TEST_EXPECT_MSG_EQ(m_dropped + m_accepted, m_injected, "drops + accepted == injected");
    for (uint32_t k = 0; k < KIND_COUNT; ++k)
    {
        NS_TEST_EXPECT_MSG_GT(m_kindCount[k], 0, "every kind was injected: " << KIND_NAMES[k]);
    }
    NS_TEST_EXPECT_MSG_GT(m_dropReasons["DUPLICATE"], 0, "replayed real packets: duplicates");
    NS_TEST_EXPECT_MSG_GT(m_dropReasons["DECRYPTION_FAILED"], 0, "mutated real packets fail");
    NS_TEST_EXPECT_MSG_GT(m_offPath, 0, "some datagrams came from off-path");
    NS_TEST_EXPECT_MSG_LT(m_offPath, m_injected, "some datagrams came from on-path");
    if (m_server.conn)
    {
        NS_TEST_EXPECT_MSG_EQ(m_server.conn->GetState(),
                              QuicConnection::CONNECTED,
                              "the server's connection survived");
    }
    std::ostringstream reasons;
    for (const auto& [r, n] : m_dropReasons)
    {
        reasons << " " << r << "=" << n;
    }
    std::clog << "quic-soak: injected " << m_injected << " (off-path " << m_offPath << "), dropped "
              << m_dropped << ", accepted " << m_accepted << ", unaccounted " << m_unaccounted
              << "; server paths " << (m_server.conn ? m_server.conn->GetPathCount() : 0)
              << "; drop traces:" << reasons.str() << std::endl;
    m_server = Side();
    m_client = Side();
    Simulator::Destroy();
}

class QuicSoakTestSuite : public TestSuite
{
  public:
    QuicSoakTestSuite()
        : TestSuite("quic-soak", SYSTEM)
    {
        AddTestCase(new QuicSoakTestCase(5000), TestCase::QUICK);
        AddTestCase(new QuicSoakTestCase(100000), TestCase::TAKES_FOREVER);
    }
};

QuicSoakTestSuite g_quicSoakTestSuite;

} // namespace

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Attacker models against the real migration machinery (RFC 9000 §9.3, §21.1.3, §21.5):
// spoofed packets on the wire with valid checksums, a spoofed copy that wins the race
// (SEC-01, SEC-03, AMP-05), off-path forwarding through a faster path (SEC-04, SEC-05,
// SEC-06), an on-path rewrite toward a victim (AMP-05), forged stateless resets and garbage
// (SR-09), and a spoofed server address toward the client (MIG-06). Every scenario moves
// data and checks it arrives complete and intact.

#include "quic-ns3-compat.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-attacker-helper.h"
#include "ns3/quic-attacker.h"
#include "ns3/quic-bulk-send-application.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-endpoint.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-sink-application.h"
#include "ns3/test.h"

#include <map>
#include <set>

using namespace ns3;

namespace
{

/// A UDP datagram as it arrived on a device, with its checksums verified.
struct WireDatagram
{
    Time t;
    Ipv4Address source;
    uint16_t sourcePort{0};
    Ipv4Address destination;
    uint16_t destinationPort{0};
    uint32_t udpPayload{0};
    bool ipChecksumOk{false};
    bool udpChecksumOk{false};
};

/// MacRx sink of a point-to-point device: parses the IPv4 and UDP headers and verifies both
/// checksums.
void
OnWire(std::vector<WireDatagram>* out, Ptr<const Packet> p)
{
    Ptr<Packet> q = p->Copy();
    PppHeader ppp; // PointToPointNetDevice's MacRx sees the packet with its PPP header
    q->RemoveHeader(ppp);
    if (ppp.GetProtocol() != 0x0021)
    {
        return;
    }
    Ipv4Header ip;
    ip.EnableChecksum();
    q->RemoveHeader(ip);
    if (ip.GetProtocol() != 17)
    {
        return;
    }
    UdpHeader udp;
    udp.InitializeChecksum(ip.GetSource(), ip.GetDestination(), 17);
    udp.EnableChecksums();
    q->RemoveHeader(udp);
    WireDatagram d;
    d.t = Simulator::Now();
    d.source = ip.GetSource();
    d.destination = ip.GetDestination();
    d.sourcePort = udp.GetSourcePort();
    d.destinationPort = udp.GetDestinationPort();
    d.udpPayload = q->GetSize();
    d.ipChecksumOk = ip.IsChecksumOk();
    d.udpChecksumOk = udp.IsChecksumOk();
    out->push_back(d);
}

/// What a test records of one connection.
struct Record
{
    struct Tx
    {
        Time t;
        QuicPacketTraceInfo info;
    };

    std::vector<Tx> sent;
    std::vector<std::pair<Time, std::string>> pathEvents;
    std::map<QuicDropReason, uint64_t> drops;
    uint64_t closed{0};
};

void
OnSent(Record* r, Ptr<const QuicConnection>, const QuicPacketTraceInfo& i)
{
    r->sent.push_back({Simulator::Now(), i});
}

void
OnPathEvent(Record* r,
            Ptr<const QuicConnection>,
            const std::string& e,
            const std::string& from,
            const std::string& to)
{
    r->pathEvents.push_back({Simulator::Now(), e + " " + from + " " + to});
}

void
OnDropped(Record* r, Ptr<const QuicConnection>, QuicDropReason reason, uint32_t)
{
    ++r->drops[reason];
}

void
OnClosed(Record* r, Ptr<const QuicConnection>, uint64_t, bool)
{
    ++r->closed;
}

void
OnEndpointDrop(std::map<QuicDropReason, uint64_t>* m,
               QuicDropReason reason,
               uint32_t size,
               const Address& from)
{
    ++(*m)[reason];
    // Forged stateless resets of the injection test: 40 bytes "from" the server's port.
    if (size == 40 && InetSocketAddress::IsMatchingType(from) &&
        InetSocketAddress::ConvertFrom(from).GetPort() == 4433)
    {
        ++(*m)[QuicDropReason::OTHER];
    }
}

bool
Has(const QuicPacketTraceInfo& i, QuicFrameType t)
{
    return (i.m_frameTypes & QuicFrameTypeBit(t)) != 0;
}

Ipv4Address
Ip(const Address& a)
{
    return InetSocketAddress::ConvertFrom(a).GetIpv4();
}

/// Count path events of one kind whose text mentions an address.
uint32_t
CountEvents(const Record& r, const std::string& kind, const std::string& mention = "")
{
    uint32_t n = 0;
    for (const auto& e : r.pathEvents)
    {
        if (e.second.rfind(kind + " ", 0) == 0 &&
            (mention.empty() || e.second.find(mention) != std::string::npos))
        {
            ++n;
        }
    }
    return n;
}

/**
 * Topology of the attack tests (IPv4, checksums on):
 *
 *   client C 10.1.1.1 --(10 Mbps, 10 ms)-- router R --(10 Mbps, 10 ms)-- 10.2.2.2 server S
 *                                          |     |                           |
 *                       victim V 10.5.5.1 -+     +-(100 Mbps, 1 ms)-- attacker A --(100 Mbps,
 *                                                    10.4.4.0/24       1 ms, 10.3.3.0/24)-+
 *
 * The attacker has a faster path to the server (A-S) than the client (C-R-S): a copy it
 * sends when it sees the client's packet leave reaches the server first. A bulk transfer
 * client -> server; records of both connections, wire captures on the server's devices,
 * on A's device toward S, on the client's device and on V's device.
 */
class AttackFixture
{
  public:
    explicit AttackFixture(uint64_t bytes)
        : m_bytes(bytes)
    {
        BooleanValue checksums;
        GlobalValue::GetValueByName("ChecksumEnabled", checksums);
        m_checksumsWere = checksums.Get();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
        RngSeedManager::SetSeed(7);
        RngSeedManager::SetRun(1);
        m_nodes.Create(5); // 0 C, 1 R, 2 S, 3 A, 4 V
        PointToPointHelper slow;
        slow.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        slow.SetChannelAttribute("Delay", StringValue("10ms"));
        slow.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("100p"));
        PointToPointHelper fast;
        fast.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
        fast.SetChannelAttribute("Delay", StringValue("1ms"));
        fast.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("100p"));
        NetDeviceContainer cr = slow.Install(C(), R());
        NetDeviceContainer rs = slow.Install(R(), S());
        NetDeviceContainer as = fast.Install(A(), S());
        NetDeviceContainer ar = fast.Install(A(), R());
        NetDeviceContainer vr = fast.Install(V(), R());
        InternetStackHelper stack;
        stack.Install(m_nodes);
        Ipv4AddressHelper ip;
        ip.SetBase("10.1.1.0", "255.255.255.0");
        m_clientAddress = ip.Assign(cr).GetAddress(0);
        ip.SetBase("10.2.2.0", "255.255.255.0");
        m_serverAddress = ip.Assign(rs).GetAddress(1);
        ip.SetBase("10.3.3.0", "255.255.255.0");
        m_attackerAddress = ip.Assign(as).GetAddress(0);
        ip.SetBase("10.4.4.0", "255.255.255.0");
        ip.Assign(ar);
        ip.SetBase("10.5.5.0", "255.255.255.0");
        m_victimAddress = ip.Assign(vr).GetAddress(0);
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        m_clientDevice = cr.Get(0);
        rs.Get(1)->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&OnWire, &m_atServer));
        as.Get(1)->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&OnWire, &m_atServer));
        as.Get(0)->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&OnWire, &m_atAttacker));
        cr.Get(0)->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&OnWire, &m_atClient));
        vr.Get(0)->TraceConnectWithoutContext("MacRx", MakeBoundCallback(&OnWire, &m_atVictim));

        m_serverEp = QuicEndpoint::Install(S());
        m_clientEp = QuicEndpoint::Install(C());
        m_serverEp->AssignStreams(10);
        m_clientEp->AssignStreams(20);
        m_serverEp->TraceConnectWithoutContext("NewConnection",
                                               MakeCallback(&AttackFixture::OnServerConn, this));
        m_clientEp->TraceConnectWithoutContext("NewConnection",
                                               MakeCallback(&AttackFixture::OnClientConn, this));
        m_serverEp->TraceConnectWithoutContext(
            "Drop",
            MakeBoundCallback(&OnEndpointDrop, &m_serverEpDrops));
        m_clientEp->TraceConnectWithoutContext(
            "Drop",
            MakeBoundCallback(&OnEndpointDrop, &m_clientEpDrops));
        QuicSinkHelper sink(InetSocketAddress(Ipv4Address::GetAny(), 4433));
        m_sinkApps = sink.Install(S());
        QuicBulkSendHelper bulk(InetSocketAddress(m_serverAddress, 4433));
        bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
        bulk.SetAttribute("CloseOnComplete", BooleanValue(false));
        m_bulkApps = bulk.Install(C());
        m_bulkApps.Start(Seconds(0.1));
    }

    ~AttackFixture()
    {
        Simulator::Destroy();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(m_checksumsWere));
    }

    Ptr<Node> C()
    {
        return m_nodes.Get(0);
    }

    Ptr<Node> R()
    {
        return m_nodes.Get(1);
    }

    Ptr<Node> S()
    {
        return m_nodes.Get(2);
    }

    Ptr<Node> A()
    {
        return m_nodes.Get(3);
    }

    Ptr<Node> V()
    {
        return m_nodes.Get(4);
    }

    void OnServerConn(Ptr<QuicConnection> c)
    {
        m_server = c;
        c->TraceConnectWithoutContext("PacketSent", MakeBoundCallback(&OnSent, &m_srv));
        c->TraceConnectWithoutContext("PathEvent", MakeBoundCallback(&OnPathEvent, &m_srv));
        c->TraceConnectWithoutContext("PacketDropped", MakeBoundCallback(&OnDropped, &m_srv));
        c->TraceConnectWithoutContext("Closed", MakeBoundCallback(&OnClosed, &m_srv));
    }

    void OnClientConn(Ptr<QuicConnection> c)
    {
        m_client = c;
        c->TraceConnectWithoutContext("PacketSent", MakeBoundCallback(&OnSent, &m_cli));
        c->TraceConnectWithoutContext("PathEvent", MakeBoundCallback(&OnPathEvent, &m_cli));
        c->TraceConnectWithoutContext("PacketDropped", MakeBoundCallback(&OnDropped, &m_cli));
        c->TraceConnectWithoutContext("Closed", MakeBoundCallback(&OnClosed, &m_cli));
    }

    Ptr<QuicSinkApplication> Sink()
    {
        return DynamicCast<QuicSinkApplication>(m_sinkApps.Get(0));
    }

    /// \return "" if all data was delivered intact and nothing closed, else what went wrong
    std::string DeliveryProblem()
    {
        if (Sink()->GetTotalRx() != m_bytes || Sink()->GetPatternErrors() != 0 ||
            m_srv.closed != 0 || m_cli.closed != 0 || !m_server || !m_client)
        {
            return std::to_string(Sink()->GetTotalRx()) + " of " + std::to_string(m_bytes) +
                   " bytes, " + std::to_string(Sink()->GetPatternErrors()) +
                   " pattern errors, closed " + std::to_string(m_srv.closed) + "/" +
                   std::to_string(m_cli.closed);
        }
        return "";
    }

    /// \return the server's active peer address (0.0.0.0 without a connection)
    Ipv4Address ServerPeer() const
    {
        return m_server ? Ip(m_server->GetActivePath().GetRemoteAddress()) : Ipv4Address();
    }

    uint64_t m_bytes;
    bool m_checksumsWere{false};
    NodeContainer m_nodes;
    Ptr<NetDevice> m_clientDevice;
    Ipv4Address m_clientAddress;
    Ipv4Address m_serverAddress;
    Ipv4Address m_attackerAddress;
    Ipv4Address m_victimAddress;
    Ptr<QuicEndpoint> m_serverEp;
    Ptr<QuicEndpoint> m_clientEp;
    ApplicationContainer m_sinkApps;
    ApplicationContainer m_bulkApps;
    Ptr<QuicConnection> m_server;
    Ptr<QuicConnection> m_client;
    Record m_srv;
    Record m_cli;
    std::map<QuicDropReason, uint64_t> m_serverEpDrops;
    std::map<QuicDropReason, uint64_t> m_clientEpDrops;
    std::vector<WireDatagram> m_atServer;
    std::vector<WireDatagram> m_atAttacker;
    std::vector<WireDatagram> m_atClient;
    std::vector<WireDatagram> m_atVictim;
};

/// Largest running ratio bytes-to / bytes-from over time (AMP-05), from wire captures:
/// `to` datagrams sent toward the address, `from` datagrams that carried it as source.
double
MaxRunningRatio(const std::vector<std::pair<Time, uint32_t>>& to,
                const std::vector<std::pair<Time, uint32_t>>& from,
                uint64_t& totalTo,
                uint64_t& totalFrom)
{
    double worst = 0;
    totalTo = 0;
    totalFrom = 0;
    size_t j = 0;
    for (const auto& s : to)
    {
        while (j < from.size() && from[j].first <= s.first)
        {
            totalFrom += from[j++].second;
        }
        totalTo += s.second;
        worst = std::max(worst, totalFrom == 0 ? 1e9 : double(totalTo) / double(totalFrom));
    }
    while (j < from.size())
    {
        totalFrom += from[j++].second;
    }
    return worst;
}

} // namespace

/**
 * \ingroup quic-migration-tests
 * Each attacker's packets on the wire: the off-path injector's datagrams (every mode) arrive
 * with the spoofed source address and port, a valid IPv4 header checksum and a valid UDP
 * checksum over the spoofed pseudo-header; the copy-race forwarder's copies carry the
 * attacker's address and the client's payload; the on-path rewriter's datagrams carry the
 * victim's address with both checksums valid. Determinism: the injector's bytes depend only
 * on its stream.
 */
class QuicAttackWireTestCase : public TestCase
{
  public:
    QuicAttackWireTestCase()
        : TestCase("spoofed sources on the wire with valid IPv4 and UDP checksums")
    {
    }

  private:
    void DoRun() override
    {
        AttackFixture f(2000000);
        // Injector on A: four modes toward the server, spoofing the victim's address.
        std::vector<QuicOffPathInjector::Mode> modes{QuicOffPathInjector::RANDOM,
                                                     QuicOffPathInjector::SHORT_HEADER,
                                                     QuicOffPathInjector::STATELESS_RESET,
                                                     QuicOffPathInjector::REPLAY};
        std::vector<Ptr<Packet>> injected;
        ApplicationContainer apps;
        for (size_t i = 0; i < modes.size(); ++i)
        {
            QuicOffPathInjectorHelper inj(f.m_serverAddress, 4433);
            inj.SetAttribute("Mode", EnumValue(modes[i]));
            inj.SetAttribute("SpoofedSource", Ipv4AddressValue("10.9.9.9"));
            inj.SetAttribute("SpoofedPort", UintegerValue(1000 + i));
            inj.SetAttribute("Count", UintegerValue(5));
            inj.SetAttribute("Interval", TimeValue(MilliSeconds(7)));
            ApplicationContainer a = inj.Install(f.A());
            apps.Add(a);
            auto app = DynamicCast<QuicOffPathInjector>(a.Get(0));
            if (modes[i] == QuicOffPathInjector::REPLAY)
            {
                app->Sniff(f.m_clientDevice);
            }
            app->TraceConnectWithoutContext(
                "Injected",
                MakeBoundCallback(
                    +[](std::vector<Ptr<Packet>>* v,
                        Ptr<const Packet> p,
                        QuicOffPathInjector::Mode) { v->push_back(p->Copy()); },
                    &injected));
        }
        QuicOffPathInjectorHelper::AssignStreams(apps, 300);
        apps.Start(Seconds(0.5));
        // Rewriter on R: three client datagrams get the victim's address, from 0.6 s.
        QuicOnPathRewriterHelper rwh;
        rwh.SetAttribute("NewSource", Ipv4AddressValue(f.m_victimAddress));
        rwh.SetAttribute("NewSourcePort", UintegerValue(5555));
        rwh.SetAttribute("Start", TimeValue(Seconds(0.6)));
        rwh.SetAttribute("MaxPackets", UintegerValue(3));
        Ptr<QuicOnPathRewriter> rw = rwh.Install(f.R());
        // Copy-race forwarder on A: three copies from 0.7 s.
        QuicCopyRaceForwarderHelper fwh;
        fwh.SetAttribute("MaxCopies", UintegerValue(3));
        ApplicationContainer fw = fwh.Install(f.A(), f.m_clientDevice);
        fw.Start(Seconds(0.7));
        Simulator::Stop(Seconds(3));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(injected.size(), 20, "4 modes x 5 datagrams injected");
        uint32_t spoofedSeen = 0;
        std::set<uint16_t> ports;
        uint32_t rewrittenSeen = 0;
        uint32_t copiesSeen = 0;
        for (const auto& d : f.m_atServer)
        {
            NS_TEST_ASSERT_MSG_EQ(d.ipChecksumOk, true, "IPv4 checksum valid");
            NS_TEST_ASSERT_MSG_EQ(d.udpChecksumOk, true, "UDP checksum valid");
            if (d.source == Ipv4Address("10.9.9.9"))
            {
                ++spoofedSeen;
                ports.insert(d.sourcePort);
            }
            if (d.source == f.m_victimAddress && d.sourcePort == 5555)
            {
                ++rewrittenSeen;
            }
            if (d.source == f.m_attackerAddress)
            {
                ++copiesSeen;
            }
        }
        // Replays go to the captured destination: the client for captured server packets.
        for (const auto& d : f.m_atClient)
        {
            if (d.source == Ipv4Address("10.9.9.9"))
            {
                NS_TEST_ASSERT_MSG_EQ(d.ipChecksumOk && d.udpChecksumOk, true, "checksums valid");
                ++spoofedSeen;
                ports.insert(d.sourcePort);
            }
        }
        NS_TEST_ASSERT_MSG_EQ(spoofedSeen, 20, "every injected datagram arrived, spoofed");
        NS_TEST_ASSERT_MSG_EQ(ports.size(), 4, "with the spoofed ports");
        NS_TEST_ASSERT_MSG_EQ(rw->GetRewrittenCount(), 3, "three rewrites");
        NS_TEST_ASSERT_MSG_EQ(rewrittenSeen, 3, "rewritten source on the wire");
        auto fwApp = DynamicCast<QuicCopyRaceForwarder>(fw.Get(0));
        NS_TEST_ASSERT_MSG_EQ(fwApp->GetCopiedCount(), 3, "three copies");
        NS_TEST_ASSERT_MSG_EQ(copiesSeen, 3, "copies from the attacker's address");
        // A forged reset ends with 16 bytes and has the short-header form bits (RFC 9000 §10.3).
        for (const auto& p : injected)
        {
            uint8_t b[29];
            p->CopyData(b, sizeof(b));
            NS_TEST_ASSERT_MSG_EQ(uint32_t(b[12]), 10u, "source 10.9.9.9 in the IPv4 header");
            NS_TEST_ASSERT_MSG_EQ(uint32_t(b[15]), 9u, "source 10.9.9.9 in the IPv4 header");
        }
        // Nothing the attackers sent hurt the transfer.
        NS_TEST_ASSERT_MSG_EQ(f.DeliveryProblem(), "", "all data delivered intact, nothing closed");
        uint64_t endpointDrops = 0;
        for (const auto& d : f.m_serverEpDrops)
        {
            endpointDrops += d.second;
        }
        NS_TEST_ASSERT_MSG_GT(endpointDrops, 0, "garbage dropped and counted by the endpoint");
    }
};

/**
 * \ingroup quic-migration-tests
 * SEC-01 SEC-03 AMP-05 PV-14: the copy-race forwarder copies the client's packets and sends
 * them from its own address over a faster path; the copies win the race and the genuine
 * packets are discarded as duplicates, so the server moves to the attacker's address. The
 * attacker does not relay: nothing answers the server there. The server stays within 3x of
 * what it received from that address (measured on the wire), its validation of that address
 * fails, and it returns to the genuine address (SEC-03 by a later genuine packet while the
 * attack is short; SEC-01 fallback when the attack outlasts the validation timer). All data
 * arrives intact.
 */
class QuicCopyRaceTestCase : public TestCase
{
  public:
    QuicCopyRaceTestCase(uint64_t maxCopies, Time duration)
        : TestCase("SEC-01 SEC-03 AMP-05 spoofed copy wins the race, " + std::to_string(maxCopies) +
                   " copies at most over " + std::to_string(duration.GetMilliSeconds()) + " ms"),
          m_maxCopies(maxCopies),
          m_duration(duration)
    {
    }

  private:
    void DoRun() override
    {
        AttackFixture f(4000000);
        QuicCopyRaceForwarderHelper fwh;
        fwh.SetAttribute("MaxCopies", UintegerValue(m_maxCopies));
        ApplicationContainer fw = fwh.Install(f.A(), f.m_clientDevice);
        QuicCopyRaceForwarderHelper::AssignStreams(fw, 310);
        fw.Start(Seconds(1));
        fw.Stop(Seconds(1) + m_duration);
        Simulator::Stop(Seconds(25));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(f.DeliveryProblem(), "", "all data delivered intact, nothing closed");
        const std::string spoofed = "10.3.3.1";
        NS_TEST_ASSERT_MSG_GT_OR_EQ(CountEvents(f.m_srv, "peer_address_changed", spoofed),
                                    1,
                                    "the server saw its peer move to the attacker's address");
        bool movedThere = false;
        for (const auto& t : f.m_srv.sent)
        {
            movedThere = movedThere || Ip(t.info.m_remote) == f.m_attackerAddress;
        }
        NS_TEST_ASSERT_MSG_EQ(movedThere, true, "the server sent to the spoofed address");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(CountEvents(f.m_srv, "validation_failed", spoofed),
                                    1,
                                    "PV-14: validation of the spoofed address failed");
        NS_TEST_ASSERT_MSG_EQ(CountEvents(f.m_srv, "path_validated", spoofed),
                              0,
                              "the spoofed address never validated");
        NS_TEST_ASSERT_MSG_EQ(f.ServerPeer(), f.m_clientAddress, "back on the genuine address");
        // AMP-05 on the wire: bytes the server sent to 10.3.3.1 vs bytes that reached it from
        // there, as a running ratio.
        std::vector<std::pair<Time, uint32_t>> to;
        std::vector<std::pair<Time, uint32_t>> from;
        for (const auto& d : f.m_atAttacker)
        {
            // The server answers from its address on the link toward 10.3.3.1.
            if (d.sourcePort == 4433 && d.destination == f.m_attackerAddress)
            {
                to.emplace_back(d.t, d.udpPayload);
            }
        }
        for (const auto& d : f.m_atServer)
        {
            if (d.source == f.m_attackerAddress)
            {
                from.emplace_back(d.t, d.udpPayload);
            }
        }
        uint64_t totalTo = 0;
        uint64_t totalFrom = 0;
        double ratio = MaxRunningRatio(to, from, totalTo, totalFrom);
        NS_TEST_ASSERT_MSG_GT(totalTo, 0, "the server sent to the spoofed address");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(ratio, 3.0, "AMP-05: at most 3x at every moment");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(totalTo, 3 * totalFrom, "AMP-05: at most 3x in total");
    }

    uint64_t m_maxCopies;
    Time m_duration;
};

/**
 * \ingroup quic-migration-tests
 * SEC-04 SEC-05 SEC-06 PV-11: the attacker forwards in both directions (copies of the
 * client's packets over its faster path, the server's answers relayed back to the client):
 * the server moves to the attacker's address and probes both the new and the previous path
 * with PATH_CHALLENGE (SEC-04); the client answers the challenge that reaches it on its
 * active path with a non-probing packet as well (SEC-05); once the attacker stops, the
 * server ends on the genuine path, the connection never closes (SEC-06) and all data
 * arrives intact.
 */
class QuicOffPathForwardingTestCase : public TestCase
{
  public:
    QuicOffPathForwardingTestCase()
        : TestCase("SEC-04 SEC-05 SEC-06 off-path forwarding probes both paths and ends on "
                   "the real path")
    {
    }

  private:
    void DoRun() override
    {
        AttackFixture f(4000000);
        QuicCopyRaceForwarderHelper fwh;
        fwh.SetAttribute("Relay", BooleanValue(true));
        ApplicationContainer fw = fwh.Install(f.A(), f.m_clientDevice);
        QuicCopyRaceForwarderHelper::AssignStreams(fw, 320);
        fw.Start(Seconds(1));
        fw.Stop(Seconds(2));
        Simulator::Stop(Seconds(20));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(f.DeliveryProblem(), "", "all data delivered intact, nothing closed");
        auto fwApp = DynamicCast<QuicCopyRaceForwarder>(fw.Get(0));
        NS_TEST_ASSERT_MSG_GT(fwApp->GetRelayedCount(), 0, "the attacker relayed");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(CountEvents(f.m_srv, "peer_address_changed", "10.3.3.1"),
                                    1,
                                    "the server followed the copies");
        Time attack;
        for (const auto& e : f.m_srv.pathEvents)
        {
            if (e.second.rfind("peer_address_changed", 0) == 0)
            {
                attack = e.first;
                break;
            }
        }
        bool pcNew = false;
        bool pcOld = false;
        for (const auto& t : f.m_srv.sent)
        {
            if (t.t >= attack && Has(t.info, QuicFrameType::PATH_CHALLENGE))
            {
                pcNew = pcNew || Ip(t.info.m_remote) == f.m_attackerAddress;
                pcOld = pcOld || Ip(t.info.m_remote) == f.m_clientAddress;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(pcNew, true, "SEC-04: PATH_CHALLENGE on the new path");
        NS_TEST_ASSERT_MSG_EQ(pcOld, true, "SEC-04: PATH_CHALLENGE on the old path too");
        bool nonProbingResponse = false;
        for (const auto& t : f.m_cli.sent)
        {
            if (t.t >= attack && Has(t.info, QuicFrameType::PATH_RESPONSE) && !t.info.m_probing)
            {
                nonProbingResponse = true;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(nonProbingResponse,
                              true,
                              "SEC-05: a PATH_RESPONSE on the active path goes in a non-probing "
                              "packet");
        NS_TEST_ASSERT_MSG_EQ(f.ServerPeer(), f.m_clientAddress, "SEC-06: ends on the real path");
    }
};

/**
 * \ingroup quic-migration-tests
 * AMP-05 (RFC 9000 §9.3.1): an on-path router rewrites the source of the client's packets
 * to a victim's address for 300 ms. The server "follows" its peer to the victim; the bytes
 * that reach the victim stay within 3x of the bytes the server received from the victim's
 * address (wire counts at every moment); the victim never answers, so the validation fails;
 * the server returns to the client and all data arrives intact.
 */
class QuicVictimAmplificationTestCase : public TestCase
{
  public:
    QuicVictimAmplificationTestCase()
        : TestCase("AMP-05 on-path rewrite toward a victim stays within 3x")
    {
    }

  private:
    void DoRun() override
    {
        AttackFixture f(4000000);
        QuicOnPathRewriterHelper rwh;
        rwh.SetAttribute("MatchSource", Ipv4AddressValue(f.m_clientAddress));
        rwh.SetAttribute("NewSource", Ipv4AddressValue(f.m_victimAddress));
        rwh.SetAttribute("Start", TimeValue(Seconds(1)));
        rwh.SetAttribute("Stop", TimeValue(Seconds(1.3)));
        Ptr<QuicOnPathRewriter> rw = rwh.Install(f.R());
        QuicOnPathRewriterHelper::AssignStreams(NodeContainer(f.R()), 330);
        std::vector<std::pair<Time, uint32_t>> from;
        rw->TraceConnectWithoutContext(
            "Rewritten",
            MakeBoundCallback(
                +[](std::vector<std::pair<Time, uint32_t>>* v,
                    const Address&,
                    const Address&,
                    Ptr<const Packet> p) { v->emplace_back(Simulator::Now(), p->GetSize() - 8); },
                &from));
        Simulator::Stop(Seconds(20));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(f.DeliveryProblem(), "", "all data delivered intact, nothing closed");
        NS_TEST_ASSERT_MSG_GT(rw->GetRewrittenCount(), 10, "the rewriter was active");
        std::vector<std::pair<Time, uint32_t>> to;
        for (const auto& d : f.m_atVictim)
        {
            if (d.source == f.m_serverAddress)
            {
                to.emplace_back(d.t, d.udpPayload);
                NS_TEST_ASSERT_MSG_EQ(d.udpChecksumOk, true, "valid UDP checksum");
            }
        }
        uint64_t totalTo = 0;
        uint64_t totalFrom = 0;
        double ratio = MaxRunningRatio(to, from, totalTo, totalFrom);
        NS_TEST_ASSERT_MSG_GT(totalTo, 0, "the server sent to the victim");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(ratio, 3.0, "AMP-05: at most 3x at every moment");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(totalTo, 3 * totalFrom, "AMP-05: at most 3x in total");
        NS_TEST_ASSERT_MSG_EQ(CountEvents(f.m_srv, "path_validated", "10.5.5.1"),
                              0,
                              "the victim's address never validated");
        NS_TEST_ASSERT_MSG_EQ(f.ServerPeer(), f.m_clientAddress, "back on the client");
    }
};

/**
 * \ingroup quic-migration-tests
 * SR-09 MIG-06 (RFC 9000 §9, §10.3.1): an off-path injector sends, from the attacker's node,
 * forged stateless resets (random CID, made-up token) and a short-header packet carrying the
 * client's real CID from a server address the client never moved to; and garbage, random-CID
 * short headers, guessed-CID short headers and replays of old captured packets to the
 * server. The client ignores the resets (dropped by its endpoint, the connection lives on)
 * and drops the spoofed-server packets as UNEXPECTED_SOURCE without any path change; the
 * server drops everything it cannot authenticate, each drop counted by a drop trace; the
 * transfer completes intact.
 */
class QuicInjectionTestCase : public TestCase
{
  public:
    QuicInjectionTestCase()
        : TestCase("SR-09 MIG-06 forged resets, spoofed server address and garbage are dropped")
    {
    }

  private:
    void DoRun() override
    {
        AttackFixture f(3000000);
        ApplicationContainer toClient;
        ApplicationContainer toServer;
        // Set up once the connection exists: the client's port and both CIDs are known then.
        Simulator::Schedule(Seconds(0.9), [&f, &toClient, &toServer]() {
            const uint16_t clientPort =
                InetSocketAddress::ConvertFrom(f.m_client->GetActivePath().GetLocalAddress())
                    .GetPort();
            const std::string clientCid = f.m_server->GetPeerCid().ToHex();
            const std::string serverCid = f.m_client->GetPeerCid().ToHex();
            // Forged stateless resets "from the server" (SR-09).
            QuicOffPathInjectorHelper reset(f.m_clientAddress, clientPort);
            reset.SetAttribute("Mode", StringValue("StatelessReset"));
            reset.SetAttribute("SpoofedSource", Ipv4AddressValue(f.m_serverAddress));
            reset.SetAttribute("SpoofedPort", UintegerValue(4433));
            reset.SetAttribute("PacketSize", UintegerValue(40));
            reset.SetAttribute("Count", UintegerValue(50));
            toClient.Add(reset.Install(f.A()));
            // A packet with the client's CID from a server address it did not move to
            // (MIG-06).
            QuicOffPathInjectorHelper spoof(f.m_clientAddress, clientPort);
            spoof.SetAttribute("Mode", StringValue("ShortHeader"));
            spoof.SetAttribute("GuessedCid", StringValue(clientCid));
            spoof.SetAttribute("SpoofedSource", Ipv4AddressValue("10.2.2.99"));
            spoof.SetAttribute("SpoofedPort", UintegerValue(4433));
            spoof.SetAttribute("Count", UintegerValue(20));
            toClient.Add(spoof.Install(f.A()));
            // Garbage, random-CID and guessed-CID short headers, replays to the server.
            const char* modes[] = {"Random", "ShortHeader", "ShortHeader", "Replay"};
            for (int i = 0; i < 4; ++i)
            {
                QuicOffPathInjectorHelper g(f.m_serverAddress, 4433);
                g.SetAttribute("Mode", StringValue(modes[i]));
                g.SetAttribute("Count", UintegerValue(100));
                g.SetAttribute("Interval", TimeValue(MilliSeconds(5)));
                if (i == 2)
                {
                    g.SetAttribute("GuessedCid", StringValue(serverCid));
                    g.SetAttribute("SpoofedSource", Ipv4AddressValue(f.m_clientAddress));
                    g.SetAttribute("SpoofedPort", UintegerValue(clientPort));
                }
                toServer.Add(g.Install(f.A()));
            }
            QuicOffPathInjectorHelper::AssignStreams(toClient, 340);
            QuicOffPathInjectorHelper::AssignStreams(toServer, 350);
            toClient.Start(Seconds(0));
            toServer.Start(Seconds(0));
        });
        // The replayer captures the client's first packets (the handshake included).
        QuicOffPathInjectorHelper rep(f.m_serverAddress, 4433);
        rep.SetAttribute("Mode", StringValue("Replay"));
        rep.SetAttribute("Count", UintegerValue(100));
        ApplicationContainer replay = rep.Install(f.A());
        DynamicCast<QuicOffPathInjector>(replay.Get(0))->Sniff(f.m_clientDevice);
        QuicOffPathInjectorHelper::AssignStreams(replay, 360);
        replay.Start(Seconds(1.2));
        Simulator::Stop(Seconds(20));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(f.DeliveryProblem(), "", "all data delivered intact, nothing closed");
        NS_TEST_ASSERT_MSG_EQ(toClient.GetN(), 2, "injectors toward the client");
        uint64_t injectedToClient = 0;
        for (uint32_t i = 0; i < toClient.GetN(); ++i)
        {
            injectedToClient +=
                DynamicCast<QuicOffPathInjector>(toClient.Get(i))->GetInjectedCount();
        }
        NS_TEST_ASSERT_MSG_EQ(injectedToClient, 70, "50 resets and 20 spoofed packets");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->GetState(),
                              QuicConnection::CONNECTED,
                              "SR-09: the forged resets did not end the connection");
        // (OTHER counts the endpoint drops of 40-byte datagrams from port 4433: the resets.)
        NS_TEST_ASSERT_MSG_EQ(f.m_clientEpDrops[QuicDropReason::OTHER],
                              50,
                              "the forged resets were dropped by the client's endpoint");
        NS_TEST_ASSERT_MSG_EQ(f.m_cli.drops[QuicDropReason::UNEXPECTED_SOURCE],
                              20,
                              "MIG-06: packets from an unknown server address dropped");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->GetPathCount(), 1, "MIG-06: no new client path");
        NS_TEST_ASSERT_MSG_EQ(f.m_cli.pathEvents.size(), 0, "MIG-06: no client path event");
        uint64_t serverEpDrops = 0;
        for (const auto& d : f.m_serverEpDrops)
        {
            serverEpDrops += d.second;
        }
        uint64_t serverConnDrops = 0;
        for (const auto& d : f.m_srv.drops)
        {
            serverConnDrops += d.second;
        }
        NS_TEST_ASSERT_MSG_GT_OR_EQ(serverEpDrops,
                                    200,
                                    "garbage and random CIDs dropped by the server endpoint");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(f.m_srv.drops[QuicDropReason::DECRYPTION_FAILED],
                                    100,
                                    "guessed-CID packets fail authentication");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(serverConnDrops + serverEpDrops,
                                    400,
                                    "every injected datagram is counted by a drop trace");
        auto replayApp = DynamicCast<QuicOffPathInjector>(replay.Get(0));
        NS_TEST_ASSERT_MSG_EQ(replayApp->GetInjectedCount(), 100, "100 replays");
    }
};

/**
 * \ingroup quic-migration-tests
 * The attack test suite.
 */
class QuicAttackTestSuite : public TestSuite
{
  public:
    QuicAttackTestSuite()
        : TestSuite("quic-attack", QUIC_SUITE_SYSTEM)
    {
        AddTestCase(new QuicAttackWireTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCopyRaceTestCase(1, MilliSeconds(500)), QUIC_TEST_QUICK);
        AddTestCase(new QuicCopyRaceTestCase(0, MilliSeconds(500)), QUIC_TEST_QUICK);
        AddTestCase(new QuicOffPathForwardingTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicVictimAmplificationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicInjectionTestCase, QUIC_TEST_QUICK);
    }
};

static QuicAttackTestSuite g_quicAttackTestSuite; //!< registers the suite

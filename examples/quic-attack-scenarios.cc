/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The attacker models of RFC 9000 §9.3 and §21 against a QUIC bulk transfer.
//
// Topology (IPv4):
//
//   client 10.1.1.1 --(10 Mbps, 10 ms)-- router R --(10 Mbps, 10 ms)-- 10.2.2.2 server :4433
//                                         |    |                          |
//                      victim 10.5.5.1 ---+    +--(100 Mbps, 1 ms)-- attacker --(100 Mbps, 1 ms)
//                                                                    10.3.3.1 (toward server)
//
// Attacks (--attack):
//   copy-race  QuicCopyRaceForwarder copies the client's packets from the attacker's address
//              over its faster path for --duration: the server moves there, stays within 3x,
//              the validation fails and it returns to the client (SEC-01, SEC-03, AMP-05).
//   forward    the same with the server's answers relayed back: both paths are probed
//              (SEC-04) and the server ends on the real path once the attacker stops.
//   victim     QuicOnPathRewriter on R rewrites the client's source to the victim's address
//              for --duration: bytes to the victim stay <= 3x bytes "from" it (AMP-05).
//   reset      QuicOffPathInjector sends forged stateless resets "from the server" to the
//              client, and garbage to the server: all dropped, the connection survives.
//
// Run:
//   build/examples/quic-attack-scenarios --attack=copy-race --duration=6s
//   build/examples/quic-attack-scenarios --attack=victim
//
// Expected: "delivered 4000000 of 4000000 bytes, intact", "server ends on 10.1.1.1", and
// for copy-race/victim an amplification ratio <= 3.

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-attacker-helper.h"
#include "ns3/quic-bulk-send-application.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-endpoint.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-sink-application.h"

#include <iostream>
#include <map>

using namespace ns3;

namespace
{

Ptr<QuicConnection> g_server;                   //!< the server's connection
std::map<std::string, uint32_t> g_serverEvents; //!< server PathEvent counts
uint64_t g_toAttacked = 0;                      //!< server bytes to the attacked address
uint64_t g_fromAttacked = 0;                    //!< server bytes from it
double g_maxRatio = 0;                          //!< largest running ratio
Ipv4Address g_attacked = Ipv4Address::GetAny(); //!< the address the attack puts on the wire

void
OnPathEvent(Ptr<const QuicConnection>,
            const std::string& e,
            const std::string& from,
            const std::string& to)
{
    ++g_serverEvents[e];
    std::cout << Simulator::Now().As(Time::S) << " server " << e << " " << from << " -> " << to
              << "\n";
}

void
OnServerTraffic(bool sent, Ptr<const QuicConnection>, const QuicPacketTraceInfo& i)
{
    if (InetSocketAddress::ConvertFrom(i.m_remote).GetIpv4() != g_attacked)
    {
        return;
    }
    (sent ? g_toAttacked : g_fromAttacked) += i.m_datagramSize;
    if (sent && g_fromAttacked > 0)
    {
        g_maxRatio = std::max(g_maxRatio, double(g_toAttacked) / double(g_fromAttacked));
    }
}

void
OnServerConnection(Ptr<QuicConnection> c)
{
    g_server = c;
    c->TraceConnectWithoutContext("PathEvent", MakeCallback(&OnPathEvent));
    c->TraceConnectWithoutContext("PacketSent", MakeBoundCallback(&OnServerTraffic, true));
    c->TraceConnectWithoutContext("PacketReceived", MakeBoundCallback(&OnServerTraffic, false));
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string attack = "copy-race";
    Time duration = MilliSeconds(500);
    uint64_t bytes = 4000000;
    Config::SetDefault("ns3::QuicConnection::MaxIdleTimeout", TimeValue(Seconds(30)));
    CommandLine cmd(__FILE__);
    cmd.AddValue("attack", "copy-race, forward, victim or reset", attack);
    cmd.AddValue("duration", "how long the attacker acts (copy-race, forward, victim)", duration);
    cmd.AddValue("bytes", "bytes the client sends", bytes);
    cmd.Parse(argc, argv);
    if (attack != "copy-race" && attack != "forward" && attack != "victim" && attack != "reset")
    {
        std::cerr << "unknown --attack '" << attack << "'\n";
        return 2;
    }
    std::cout << "attack=" << attack << " duration=" << duration.As(Time::S) << " bytes=" << bytes
              << "\n";
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));

    NodeContainer n;
    n.Create(5); // client, router, server, attacker, victim
    PointToPointHelper slow;
    slow.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    slow.SetChannelAttribute("Delay", StringValue("10ms"));
    PointToPointHelper fast;
    fast.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    fast.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer cr = slow.Install(n.Get(0), n.Get(1));
    NetDeviceContainer rs = slow.Install(n.Get(1), n.Get(2));
    NetDeviceContainer as = fast.Install(n.Get(3), n.Get(2));
    NetDeviceContainer ar = fast.Install(n.Get(3), n.Get(1));
    NetDeviceContainer vr = fast.Install(n.Get(4), n.Get(1));
    InternetStackHelper stack;
    stack.Install(n);
    Ipv4AddressHelper ip;
    ip.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4Address clientAddress = ip.Assign(cr).GetAddress(0);
    ip.SetBase("10.2.2.0", "255.255.255.0");
    Ipv4Address serverAddress = ip.Assign(rs).GetAddress(1);
    ip.SetBase("10.3.3.0", "255.255.255.0");
    Ipv4Address attackerAddress = ip.Assign(as).GetAddress(0);
    ip.SetBase("10.4.4.0", "255.255.255.0");
    ip.Assign(ar);
    ip.SetBase("10.5.5.0", "255.255.255.0");
    Ipv4Address victimAddress = ip.Assign(vr).GetAddress(0);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    Ptr<QuicEndpoint> serverEp = QuicEndpoint::Install(n.Get(2));
    Ptr<QuicEndpoint> clientEp = QuicEndpoint::Install(n.Get(0));
    serverEp->TraceConnectWithoutContext("NewConnection", MakeCallback(&OnServerConnection));
    QuicSinkHelper sinkHelper(InetSocketAddress(Ipv4Address::GetAny(), 4433));
    ApplicationContainer sinkApps = sinkHelper.Install(n.Get(2));
    QuicBulkSendHelper bulk(InetSocketAddress(serverAddress, 4433));
    bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
    bulk.SetAttribute("CloseOnComplete", BooleanValue(false));
    ApplicationContainer bulkApps = bulk.Install(n.Get(0));
    bulkApps.Start(Seconds(0.1));
    int64_t stream = 1;
    stream += QuicHelper::AssignStreams(NodeContainer(n.Get(0), n.Get(2)), stream);

    ApplicationContainer attackApps;
    Ptr<QuicOnPathRewriter> rewriter;
    if (attack == "copy-race" || attack == "forward")
    {
        QuicCopyRaceForwarderHelper race;
        race.SetAttribute("Relay", BooleanValue(attack == "forward"));
        attackApps = race.Install(n.Get(3), cr.Get(0));
        stream += QuicCopyRaceForwarderHelper::AssignStreams(attackApps, stream);
        attackApps.Start(Seconds(1));
        attackApps.Stop(Seconds(1) + duration);
        g_attacked = attackerAddress;
    }
    else if (attack == "victim")
    {
        QuicOnPathRewriterHelper rw;
        rw.SetAttribute("MatchSource", Ipv4AddressValue(clientAddress));
        rw.SetAttribute("NewSource", Ipv4AddressValue(victimAddress));
        rw.SetAttribute("Start", TimeValue(Seconds(1)));
        rw.SetAttribute("Stop", TimeValue(Seconds(1) + duration));
        rewriter = rw.Install(n.Get(1));
        stream += QuicOnPathRewriterHelper::AssignStreams(NodeContainer(n.Get(1)), stream);
        g_attacked = victimAddress;
    }
    else
    {
        // Forged resets to the client's port, known once the connection exists.
        Simulator::Schedule(Seconds(1), [&]() {
            Ptr<QuicConnection> c = clientEp->GetConnections().at(0);
            uint16_t port =
                InetSocketAddress::ConvertFrom(c->GetActivePath().GetLocalAddress()).GetPort();
            QuicOffPathInjectorHelper reset(clientAddress, port);
            reset.SetAttribute("Mode", StringValue("StatelessReset"));
            reset.SetAttribute("SpoofedSource", Ipv4AddressValue(serverAddress));
            reset.SetAttribute("SpoofedPort", UintegerValue(4433));
            reset.SetAttribute("Count", UintegerValue(100));
            attackApps.Add(reset.Install(n.Get(3)));
            QuicOffPathInjectorHelper garbage(serverAddress, 4433);
            garbage.SetAttribute("Count", UintegerValue(1000));
            garbage.SetAttribute("Interval", TimeValue(MilliSeconds(1)));
            attackApps.Add(garbage.Install(n.Get(3)));
            QuicOffPathInjectorHelper::AssignStreams(attackApps, 500);
        });
    }
    Simulator::Stop(Seconds(30));
    Simulator::Run();

    Ptr<QuicSinkApplication> sink = DynamicCast<QuicSinkApplication>(sinkApps.Get(0));
    std::cout << "delivered " << sink->GetTotalRx() << " of " << bytes << " bytes, "
              << (sink->GetPatternErrors() == 0 ? "intact" : "CORRUPTED") << "\n";
    if (g_server)
    {
        std::cout << "server ends on "
                  << InetSocketAddress::ConvertFrom(g_server->GetActivePath().GetRemoteAddress())
                         .GetIpv4()
                  << ", validation failures " << g_server->GetStats().m_validationFailures
                  << ", fallbacks " << g_serverEvents["fallback"] << "\n";
    }
    if (!g_attacked.IsAny())
    {
        std::cout << "server bytes to " << g_attacked << ": " << g_toAttacked << ", from it "
                  << g_fromAttacked << ", max amplification ratio " << g_maxRatio << "\n";
    }
    for (uint32_t i = 0; i < attackApps.GetN(); ++i)
    {
        if (auto f = DynamicCast<QuicCopyRaceForwarder>(attackApps.Get(i)))
        {
            std::cout << "copies " << f->GetCopiedCount() << ", relayed " << f->GetRelayedCount()
                      << "\n";
        }
        if (auto inj = DynamicCast<QuicOffPathInjector>(attackApps.Get(i)))
        {
            std::cout << "injected " << inj->GetInjectedCount() << "\n";
        }
    }
    if (rewriter)
    {
        std::cout << "rewritten " << rewriter->GetRewrittenCount() << "\n";
    }
    g_server = nullptr;
    Simulator::Destroy();
    return 0;
}

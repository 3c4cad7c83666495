/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// quic-multi-access: a multi-homed client (QuicMigrationTopologyHelper) sends a bulk stream
// to a server while its addresses change (QuicAddressChanger): its interface is renumbered,
// the access it uses goes down, the default route moves to the other access, and later the
// connection migrates back. Every action and every path event of both ends is printed.
//
// Topology (defaults):
//
//     client 10.1.1.1 --- access 0: p2p 10 Mbps, 10 ms ("Wi-Fi") --------- router --- server
//            10.1.2.1 --- access 1: p2p 20 Mbps, 30 ms ("cellular") --- [NAT] --+   10.100.0.2
//                                                           core p2p 1 Gbps, 1 ms
//
// Timeline (defaults): 0.1 s connect (any-address socket) and send --bytes; 0.6 s access 0
// renumbered (10.1.1.1 -> 10.1.1.101): the server sees and validates the new address; 1 s
// access 0 down; 1.2 s default route to access 1 (the socket now leaves through the NAT: the
// server sees 10.254.2.1 and validates it); 3 s access 0 up and the connection migrates to
// it (--policy, new socket bound to 10.1.1.101).
//
// Program options:
//    --access:  access networks, `TYPE:key=value,...;...` (QuicMigrationTopologyHelper::
//               ParseAccessList) [p2p:rate=10Mbps,delay=10ms;p2p:rate=20Mbps,delay=30ms,nat=1]
//    --bytes:   stream bytes client -> server [4000000]
//    --policy:  migration policy at 3 s: probe or switch [probe]
//    --stop:    simulation end [15s]
//
// Run (standalone build):
//     build/bin/quic-multi-access
// Expected: "delivered 4000000 of 4000000 bytes, 0 pattern errors" (exit status 0) and, at
// the server, peer_address_changed and path_validated for 10.1.1.101, 10.254.2.1 (the NAT of
// access 1) and 10.1.1.101 again (the migration's new port).

#include "ns3/boolean.h"
#include "ns3/command-line.h"
#include "ns3/config.h"
#include "ns3/inet-socket-address.h"
#include "ns3/quic-address-change.h"
#include "ns3/quic-bulk-send-application.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-endpoint.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-migration-topology.h"
#include "ns3/quic-sink-application.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <iomanip>
#include <iostream>

using namespace ns3;

namespace
{

/// Print an address change.
void
OnChange(const QuicAddressChangeEvent& e)
{
    std::cout << std::fixed << std::setprecision(6) << Simulator::Now().GetSeconds() << " s  "
              << QuicAddressChangeActionName(e.m_action) << (e.m_ok ? "  ok  " : "  FAILED  ")
              << e.m_detail << "\n";
}

/// Print a path event of one side.
void
OnPath(std::string side,
       Ptr<const QuicConnection>,
       const std::string& event,
       const std::string& from,
       const std::string& to)
{
    std::cout << std::fixed << std::setprecision(6) << Simulator::Now().GetSeconds() << " s  "
              << side << " " << event << " " << from << " -> " << to << "\n";
}

/// Hook the path events of a new connection.
void
OnConnection(std::string side, Ptr<QuicConnection> c)
{
    c->TraceConnectWithoutContext("PathEvent", MakeBoundCallback(&OnPath, side));
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string access = "p2p:rate=10Mbps,delay=10ms;p2p:rate=20Mbps,delay=30ms,nat=1";
    uint64_t bytes = 4000000;
    std::string policy = "probe";
    Time stop = Seconds(15);
    CommandLine cmd(__FILE__);
    cmd.AddValue("access", "access networks (TYPE:key=value,...;...)", access);
    cmd.AddValue("bytes", "stream bytes client -> server", bytes);
    cmd.AddValue("policy", "migration policy at 3 s: probe or switch", policy);
    cmd.AddValue("stop", "simulation end", stop);
    cmd.Parse(argc, argv);

    std::vector<QuicAccessNetworkConfig> configs;
    std::string error;
    if (!QuicMigrationTopologyHelper::ParseAccessList(access, configs, error))
    {
        std::cerr << "quic-multi-access: --access: " << error << "\n";
        return 2;
    }
    if (configs.size() < 2 || (policy != "probe" && policy != "switch"))
    {
        std::cerr << "quic-multi-access: need two access networks and --policy probe|switch\n";
        return 2;
    }
    std::cout << "access networks:\n";
    for (size_t i = 0; i < configs.size(); ++i)
    {
        std::cout << "  " << i << ": " << QuicMigrationTopologyHelper::AccessToString(configs[i])
                  << "\n";
    }
    std::cout << "bytes " << bytes << ", policy " << policy << ", stop " << stop.As(Time::S)
              << "\n";

    QuicMigrationTopologyHelper helper;
    for (const auto& c : configs)
    {
        helper.AddAccessNetwork(c);
    }
    QuicMigrationTopology t = helper.Install();
    QuicMigrationTopologyHelper::AssignStreams(t, 100);
    QuicEndpoint::Install(t.m_server)->AssignStreams(10);
    Ptr<QuicEndpoint> clientEp = QuicEndpoint::Install(t.m_client);
    clientEp->AssignStreams(20);
    QuicEndpoint::Install(t.m_server)
        ->TraceConnectWithoutContext("NewConnection",
                                     MakeBoundCallback(&OnConnection, std::string("server")));
    clientEp->TraceConnectWithoutContext("NewConnection",
                                         MakeBoundCallback(&OnConnection, std::string("client")));
    t.m_changer->TraceConnectWithoutContext("AddressChange", MakeCallback(&OnChange));

    QuicSinkHelper sink(InetSocketAddress(Ipv4Address::GetAny(), 4433));
    ApplicationContainer sinkApps = sink.Install(t.m_server);
    QuicBulkSendHelper bulk(InetSocketAddress(t.m_serverAddress, 4433));
    bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
    bulk.SetAttribute("CloseOnComplete", BooleanValue(false));
    ApplicationContainer bulkApps = bulk.Install(t.m_client);
    bulkApps.Start(Seconds(0.1));

    uint32_t if0 = t.m_access[0].m_clientInterface;
    uint32_t if1 = t.m_access[1].m_clientInterface;
    Ptr<QuicAddressChanger> changer = t.m_changer;
    changer->ScheduleRenumber(Seconds(0.6), if0);
    changer->ScheduleInterfaceDown(Seconds(1), if0);
    changer->ScheduleDefaultRoute(Seconds(1.2), if1);
    changer->ScheduleInterfaceUp(Seconds(3), if0);
    Ptr<QuicBulkSendApplication> app = DynamicCast<QuicBulkSendApplication>(bulkApps.Get(0));
    QuicConnection::MigrationPolicy p =
        policy == "probe" ? QuicConnection::PROBE_THEN_SWITCH : QuicConnection::SWITCH_IMMEDIATELY;
    Simulator::ScheduleWithContext(t.m_client->GetId(), Seconds(3), [changer, app, if0, p]() {
        changer->MigrateConnection(app->GetConnection(), if0, p);
    });

    Simulator::Stop(stop);
    Simulator::Run();
    Ptr<QuicSinkApplication> s = DynamicCast<QuicSinkApplication>(sinkApps.Get(0));
    std::cout << "delivered " << s->GetTotalRx() << " of " << bytes << " bytes, "
              << s->GetPatternErrors() << " pattern errors\n";
    int status = s->GetTotalRx() == bytes && s->GetPatternErrors() == 0 ? 0 : 1;
    Simulator::Destroy();
    return status;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * One QUIC connection between two nodes over a point-to-point link, built
 * against an installed quic-migration (find_package or pkg-config). Prints
 * "delivered: N bytes" as counted by the server's sink; exits 1 unless the
 * whole transfer arrived with its FIN.
 *
 *   quic-out-of-tree [bytes]   (default 200000)
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-migration-module.h"

#include <cstdio>
#include <cstdlib>

using namespace ns3;

int
main(int argc, char* argv[])
{
    uint64_t bytes = 200000;
    if (argc > 1)
    {
        bytes = std::strtoull(argv[1], nullptr, 10);
    }

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("10ms"));
    NetDeviceContainer devices = p2p.Install(nodes);
    InternetStackHelper internet;
    internet.Install(nodes);
    Ipv4AddressHelper ipv4;
    ipv4.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer interfaces = ipv4.Assign(devices);

    QuicHelper::InstallEndpoints(nodes);
    QuicHelper::AssignStreams(nodes, 1);

    const uint16_t port = 4433;
    QuicSinkHelper sinkHelper(InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer sinkApps = sinkHelper.Install(nodes.Get(1));
    QuicBulkSendHelper sendHelper(InetSocketAddress(interfaces.GetAddress(1), port));
    sendHelper.SetAttribute("MaxBytes", UintegerValue(bytes));
    ApplicationContainer sendApps = sendHelper.Install(nodes.Get(0));
    sendApps.Start(MilliSeconds(100));

    Simulator::Stop(Seconds(60));
    Simulator::Run();

    Ptr<QuicSinkApplication> sink = DynamicCast<QuicSinkApplication>(sinkApps.Get(0));
    const uint64_t delivered = sink->GetTotalRx();
    const uint64_t finished = sink->GetCompletedStreams();
    std::printf("delivered: %lu bytes, completed streams: %lu\n",
                static_cast<unsigned long>(delivered),
                static_cast<unsigned long>(finished));
    Simulator::Destroy();
    return delivered == bytes && finished == 1 ? 0 : 1;
}

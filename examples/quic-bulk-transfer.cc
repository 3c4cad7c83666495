/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// quic-bulk-transfer: one QUIC bulk transfer over a point-to-point link.
//
//   client (10.1.1.1) ---- dataRate, delay, device queue, optional loss ---- server (10.1.1.2)
//   QuicBulkSendApplication                                       QuicSinkApplication :443
//
// The client opens a connection, sends --bytes bytes of QuicStreamPattern on one
// bidirectional stream and closes the connection once the sink has reported that it
// read them all. Loss (--loss, a packet RateErrorModel) applies to packets arriving at
// the server. The device queue (--queue) is the only queue: the traffic-control queue
// disc that Ipv4AddressHelper adds is removed.
//
// Outputs in --outDir: pcap of both link devices (quic-bulk-transfer-<node>-0.pcap) and the
// NSS key log quic-keylog.txt, so that the capture decrypts:
//   tshark -o tls.keylog_file:quic-keylog.txt -r quic-bulk-transfer-0-0.pcap -Y quic
//
// Run:  build/bin/quic-bulk-transfer [--dataRate=10Mbps] [--delay=20ms] [--bytes=10000000]
//                                    [--loss=0] [--queue=100p] [--pcap=true] [--keylog=true]
//                                    [--outDir=.]
// Expected with the defaults: handshake complete 42.2 ms and confirmed about 84 ms after
// the first Initial (1 and 2 RTT plus serialization), 9.4 Mbit/s application goodput,
// exit status 0. The exit status is 1 if the transfer did not complete byte-exact.

#include "ns3/command-line.h"
#include "ns3/config.h"
#include "ns3/core-module.h"
#include "ns3/error-model.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-bulk-send-application.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-sink-application.h"
#include "ns3/traffic-control-helper.h"

#include <cstdio>
#include <iostream>
#include <string>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("QuicBulkTransferExample");

namespace
{

uint64_t g_linkDrops = 0; //!< packets dropped by the error model

/**
 * \brief PhyRxDrop trace sink: counts error-model drops.
 * \param p the packet
 */
void
LinkDrop(Ptr<const Packet> /* p */)
{
    ++g_linkDrops;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string dataRate = "10Mbps";
    std::string delay = "20ms";
    uint64_t bytes = 10000000;
    double loss = 0;
    std::string queue = "100p";
    bool pcap = true;
    bool keylog = true;
    std::string outDir = ".";

    // Defaults that a run may override with --ns3::QuicConnection::X=... on the command line.
    Config::SetDefault("ns3::QuicConnection::MaxIdleTimeout", TimeValue(Seconds(30)));

    CommandLine cmd(__FILE__);
    cmd.AddValue("dataRate", "Link data rate", dataRate);
    cmd.AddValue("delay", "One-way link delay", delay);
    cmd.AddValue("bytes", "Bytes to transfer", bytes);
    cmd.AddValue("loss", "Packet loss rate at the server's device (0..1)", loss);
    cmd.AddValue("queue", "Device queue size (packets 'p' or bytes 'B')", queue);
    cmd.AddValue("pcap", "Write pcap files of both devices", pcap);
    cmd.AddValue("keylog", "Write the NSS key log quic-keylog.txt", keylog);
    cmd.AddValue("outDir", "Directory for pcap and key log files", outDir);
    cmd.Parse(argc, argv);

    if (bytes == 0 || loss < 0 || loss >= 1)
    {
        std::cerr << "need --bytes > 0 and 0 <= --loss < 1\n";
        return 2;
    }
    std::cout << "quic-bulk-transfer: dataRate=" << dataRate << " delay=" << delay
              << " bytes=" << bytes << " loss=" << loss << " queue=" << queue
              << " pcap=" << (pcap ? "true" : "false") << " keylog=" << (keylog ? "true" : "false")
              << " outDir=" << outDir << "\n";

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(dataRate));
    p2p.SetChannelAttribute("Delay", StringValue(delay));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue(queue));
    NetDeviceContainer devices = p2p.Install(nodes);

    InternetStackHelper internet;
    internet.Install(nodes);
    Ipv4AddressHelper ipv4;
    ipv4.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer interfaces = ipv4.Assign(devices);
    TrafficControlHelper::Default().Uninstall(devices);

    if (loss > 0)
    {
        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
        em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
        em->SetAttribute("ErrorRate", DoubleValue(loss));
        em->AssignStreams(1000);
        devices.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    }
    devices.Get(1)->TraceConnectWithoutContext("PhyRxDrop", MakeCallback(&LinkDrop));

    QuicHelper::InstallEndpoints(nodes);
    QuicHelper::AssignStreams(nodes, 1);
    if (keylog)
    {
        QuicHelper::EnableKeyLog(nodes, outDir + "/quic-keylog.txt");
    }

    const uint16_t port = 443;
    QuicSinkHelper sinkHelper(InetSocketAddress(Ipv4Address::GetAny(), port));
    ApplicationContainer sinkApps = sinkHelper.Install(nodes.Get(1));
    sinkApps.Start(Seconds(0));

    QuicBulkSendHelper sendHelper(InetSocketAddress(interfaces.GetAddress(1), port));
    sendHelper.SetAttribute("MaxBytes", UintegerValue(bytes));
    sendHelper.SetAttribute("ServerName", StringValue("server.example"));
    ApplicationContainer sendApps = sendHelper.Install(nodes.Get(0));
    sendApps.Start(MilliSeconds(100));

    if (pcap)
    {
        p2p.EnablePcapAll(outDir + "/quic-bulk-transfer");
    }

    // The run ends by itself once the connection is closed; this bound only stops a run
    // whose transfer cannot finish.
    DataRate rate(dataRate);
    Time bound = Seconds(60) + Seconds(20.0 * 8.0 * static_cast<double>(bytes) /
                                       static_cast<double>(rate.GetBitRate()));
    Simulator::Stop(bound);
    Simulator::Run();

    Ptr<QuicBulkSendApplication> sender = DynamicCast<QuicBulkSendApplication>(sendApps.Get(0));
    Ptr<QuicSinkApplication> sink = DynamicCast<QuicSinkApplication>(sinkApps.Get(0));
    Ptr<QuicConnection> client = sender->GetConnection();
    std::vector<QuicSinkStreamRecord> records = sink->GetStreamRecords();

    bool complete = false;
    if (client && records.size() == 1)
    {
        const QuicConnectionStats& cs = client->GetStats();
        const QuicSinkStreamRecord& r = records[0];
        complete = r.m_finished && r.m_bytes == bytes && r.m_patternErrors == 0;
        std::printf("handshake: complete %.3f ms, confirmed %.3f ms after the first Initial\n",
                    (cs.m_handshakeCompleteTime - cs.m_firstInitialSentTime).GetSeconds() * 1e3,
                    (cs.m_handshakeConfirmedTime - cs.m_firstInitialSentTime).GetSeconds() * 1e3);
        std::vector<Ptr<QuicConnection>> servers = sink->GetConnections();
        std::printf("server: %s\n",
                    servers.empty()                     ? "no connection"
                    : servers[0]->IsHandshakeComplete() ? "handshake complete"
                                                        : "handshake NOT complete");
        std::printf("delivered: %lu of %lu bytes, FIN %s, pattern %s\n",
                    static_cast<unsigned long>(r.m_bytes),
                    static_cast<unsigned long>(bytes),
                    r.m_finished ? "read" : "missing",
                    r.m_patternErrors == 0 ? "ok" : "MISMATCH");
        if (r.m_finished)
        {
            Time span = r.m_finTime - cs.m_firstStreamDataSentTime;
            std::printf("goodput: %.3f Mbit/s (application bytes, first STREAM frame sent to "
                        "FIN read: %.3f s)\n",
                        8.0 * static_cast<double>(r.m_bytes) / span.GetSeconds() / 1e6,
                        span.GetSeconds());
        }
        std::printf("sender: %lu packets sent, %lu declared lost, %lu PTOs, %lu STREAM bytes "
                    "sent; link drops %lu; sink report %s\n",
                    static_cast<unsigned long>(cs.m_packetsSent),
                    static_cast<unsigned long>(cs.m_packetsLost),
                    static_cast<unsigned long>(cs.m_ptoCount),
                    static_cast<unsigned long>(cs.m_streamBytesSent),
                    static_cast<unsigned long>(g_linkDrops),
                    sender->IsTransferComplete() ? "received" : "missing");
    }
    else
    {
        std::printf("no transfer: the connection or the stream never started\n");
    }
    if (keylog)
    {
        std::printf("key log: %s/quic-keylog.txt\n", outDir.c_str());
    }
    std::printf("result: %s\n", complete ? "complete, byte-exact" : "INCOMPLETE");

    Simulator::Destroy();
    return complete ? 0 : 1;
}

/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// quic-bench-bulk: simulation cost of one bulk transfer over a point-to-point link, for one
// transport per process run:
//
//   sender (10.1.1.1) ---- --rate, --delay, DropTail --queue, no traffic control ---- receiver
//
//   --proto=quic         QuicBulkSendApplication -> QuicSinkApplication (real AEAD and header
//                        protection, QuicStreamPattern payload), MaxUdpPayloadSize 1252
//   --proto=tcp-newreno  BulkSendApplication -> PacketSink, TcpNewReno
//   --proto=tcp-cubic    the same with TcpCubic
//   --proto=udp          OnOffApplication (always on, just below the link rate) -> PacketSink,
//                        --packets datagrams of 1252 bytes (default: as many as QUIC needs
//                        for --bytes of stream data)
//
// Every transport sends IP packets of at most 1280 bytes (QUIC: 1252-byte UDP payloads; TCP:
// SegmentSize 1228 + 20 IP + 32 TCP with timestamps; UDP: 1252-byte payloads). TCP socket
// buffers equal QUIC's flow-control windows (8 MiB stream window).
//
// Prints a human-readable summary and one "BENCH {json}" line: wall and CPU seconds of
// Simulator::Run(), packets received by the receiver's device, microseconds per packet, peak
// RSS; also the packets the sender's device received (ACKs). Exit status 0 only if every byte (or
// datagram) was delivered.

#include "bench-common.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-bulk-send-application.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-sink-application.h"
#include "ns3/traffic-control-helper.h"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

using namespace ns3;

namespace
{

uint64_t g_rxPackets = 0;  //!< packets received by the receiver's device (MacRx)
uint64_t g_revPackets = 0; //!< packets received by the sender's device (ACKs; MacRx)
uint64_t g_expected = 0;   //!< bytes the receiver must get
uint64_t g_sinkBytes = 0;  //!< bytes the PacketSink got

/// PacketSink Rx sink: stops the simulation once every byte arrived. \param p the packet
void
SinkRx(Ptr<const Packet> p, const Address& /* from */)
{
    g_sinkBytes += p->GetSize();
    if (g_sinkBytes >= g_expected)
    {
        Simulator::Stop();
    }
}

/// QuicSinkApplication StreamComplete sink: stops the simulation at the FIN.
/// \param bytes bytes of the stream
void
StreamComplete(Ptr<const QuicConnection> /* c */, uint64_t /* id */, uint64_t bytes, bool /* ok */)
{
    if (bytes >= g_expected)
    {
        Simulator::Stop();
    }
}

/// MacRx sink of the receiver's device. \param p the packet
void
CountRx(Ptr<const Packet> /* p */)
{
    ++g_rxPackets;
}

/// MacRx sink of the sender's device (the reverse direction: ACKs). \param p the packet
void
CountReverse(Ptr<const Packet> /* p */)
{
    ++g_revPackets;
}

const uint32_t UDP_PAYLOAD = 1252;    //!< QUIC's MaxUdpPayloadSize default, also the UDP size
const uint32_t TCP_SEGMENT = 1228;    //!< 1280-byte IP packets with TCP timestamps
const uint32_t STREAM_PAYLOAD = 1220; //!< approx. STREAM bytes per full QUIC 1-RTT packet

} // namespace

int
main(int argc, char* argv[])
{
    std::string proto = "quic";
    uint64_t bytes = 100000000;
    uint64_t packets = 0;
    std::string rate = "100Mbps";
    std::string delay = "10ms";
    std::string queue = "100p";
    uint32_t buffer = 8 << 20;

    CommandLine cmd(__FILE__);
    cmd.AddValue("proto", "quic, tcp-newreno, tcp-cubic or udp", proto);
    cmd.AddValue("bytes", "Application bytes to transfer (quic, tcp)", bytes);
    cmd.AddValue("packets",
                 "Datagrams to send (udp; 0 = as many as quic needs for --bytes)",
                 packets);
    cmd.AddValue("rate", "Link data rate", rate);
    cmd.AddValue("delay", "One-way link delay", delay);
    cmd.AddValue("queue", "Device DropTail queue size", queue);
    cmd.AddValue("buffer", "TCP SndBufSize and RcvBufSize (bytes)", buffer);
    cmd.Parse(argc, argv);

    if (proto != "quic" && proto != "tcp-newreno" && proto != "tcp-cubic" && proto != "udp")
    {
        std::cerr << "unknown --proto=" << proto << "\n";
        return 2;
    }
    if (bytes == 0)
    {
        std::cerr << "need --bytes > 0\n";
        return 2;
    }
    if (proto == "udp" && packets == 0)
    {
        packets = (bytes + STREAM_PAYLOAD - 1) / STREAM_PAYLOAD;
    }

    quicbench::Stopwatch total;
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(TCP_SEGMENT));
    Config::SetDefault("ns3::TcpSocket::SndBufSize", UintegerValue(buffer));
    Config::SetDefault("ns3::TcpSocket::RcvBufSize", UintegerValue(buffer));
    if (proto == "tcp-cubic")
    {
        Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(TcpCubic::GetTypeId()));
    }
    else
    {
        Config::SetDefault("ns3::TcpL4Protocol::SocketType", TypeIdValue(TcpNewReno::GetTypeId()));
    }

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(rate));
    p2p.SetChannelAttribute("Delay", StringValue(delay));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue(queue));
    NetDeviceContainer devices = p2p.Install(nodes);
    InternetStackHelper internet;
    internet.Install(nodes);
    Ipv4AddressHelper ipv4;
    ipv4.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer interfaces = ipv4.Assign(devices);
    TrafficControlHelper::Default().Uninstall(devices);
    devices.Get(1)->TraceConnectWithoutContext("MacRx", MakeCallback(&CountRx));
    devices.Get(0)->TraceConnectWithoutContext("MacRx", MakeCallback(&CountReverse));

    const uint16_t port = 443;
    Address sinkAddress = InetSocketAddress(Ipv4Address::GetAny(), port);
    Address remote = InetSocketAddress(interfaces.GetAddress(1), port);
    ApplicationContainer senders;
    ApplicationContainer sinks;
    if (proto == "quic")
    {
        QuicHelper::InstallEndpoints(nodes);
        QuicHelper::AssignStreams(nodes, 1);
        QuicSinkHelper sinkHelper(sinkAddress);
        sinkHelper.SetAttribute("VerifyPattern", BooleanValue(false));
        sinks = sinkHelper.Install(nodes.Get(1));
        QuicBulkSendHelper sendHelper(remote);
        sendHelper.SetAttribute("MaxBytes", UintegerValue(bytes));
        senders = sendHelper.Install(nodes.Get(0));
    }
    else if (proto == "udp")
    {
        PacketSinkHelper sinkHelper("ns3::UdpSocketFactory", sinkAddress);
        sinks = sinkHelper.Install(nodes.Get(1));
        OnOffHelper onoff("ns3::UdpSocketFactory", remote);
        onoff.SetConstantRate(DataRate(rate), UDP_PAYLOAD);
        // Just below the link rate (PPP + IP + UDP headers add 30 bytes): no queue overflow.
        const double fraction = 0.99 * UDP_PAYLOAD / (UDP_PAYLOAD + 30.0);
        onoff.SetAttribute("DataRate",
                           DataRateValue(DataRate(static_cast<uint64_t>(std::floor(
                               fraction * static_cast<double>(DataRate(rate).GetBitRate()))))));
        onoff.SetAttribute("MaxBytes", UintegerValue(packets * UDP_PAYLOAD));
        senders = onoff.Install(nodes.Get(0));
    }
    else
    {
        PacketSinkHelper sinkHelper("ns3::TcpSocketFactory", sinkAddress);
        sinks = sinkHelper.Install(nodes.Get(1));
        BulkSendHelper sendHelper("ns3::TcpSocketFactory", remote);
        sendHelper.SetAttribute("MaxBytes", UintegerValue(bytes));
        sendHelper.SetAttribute("SendSize", UintegerValue(TCP_SEGMENT));
        senders = sendHelper.Install(nodes.Get(0));
    }
    g_expected = proto == "udp" ? packets * UDP_PAYLOAD : bytes;
    if (proto == "quic")
    {
        sinks.Get(0)->TraceConnectWithoutContext("StreamComplete", MakeCallback(&StreamComplete));
    }
    else
    {
        sinks.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&SinkRx));
    }
    sinks.Start(Seconds(0));
    senders.Start(MilliSeconds(100));

    // The run stops once the receiver has every byte; the bound only stops a stuck run.
    Simulator::Stop(Seconds(120) + Seconds(40.0 * 8.0 * static_cast<double>(bytes) /
                                           static_cast<double>(DataRate(rate).GetBitRate())));
    const double setupWall = total.Wall();
    quicbench::Stopwatch run;
    Simulator::Run();
    const double runWall = run.Wall();
    const double runCpu = run.Cpu();
    const Time simTime = Simulator::Now();

    uint64_t delivered = 0;
    const uint64_t expected = g_expected;
    Time lastRx;
    if (proto == "quic")
    {
        Ptr<QuicSinkApplication> sink = DynamicCast<QuicSinkApplication>(sinks.Get(0));
        for (const QuicSinkStreamRecord& r : sink->GetStreamRecords())
        {
            delivered += r.m_bytes;
            lastRx = r.m_finished ? r.m_finTime : r.m_lastRxTime;
        }
    }
    else
    {
        delivered = DynamicCast<PacketSink>(sinks.Get(0))->GetTotalRx();
    }
    const bool complete = delivered == expected;
    Simulator::Destroy();

    const double usPerPacket = g_rxPackets ? runWall * 1e6 / static_cast<double>(g_rxPackets) : 0;
    std::printf("quic-bench-bulk: proto=%s bytes=%lu rate=%s delay=%s queue=%s\n",
                proto.c_str(),
                static_cast<unsigned long>(expected),
                rate.c_str(),
                delay.c_str(),
                queue.c_str());
    std::printf("delivered %lu of %lu bytes in %lu packets at the receiver (%lu packets back "
                "to the sender), simulated %.3f s\n",
                static_cast<unsigned long>(delivered),
                static_cast<unsigned long>(expected),
                static_cast<unsigned long>(g_rxPackets),
                static_cast<unsigned long>(g_revPackets),
                simTime.GetSeconds());
    std::printf("run: %.3f s wall, %.3f s CPU, %.3f us wall per packet; setup %.3f s; peak RSS "
                "%lu KiB\n",
                runWall,
                runCpu,
                usPerPacket,
                setupWall,
                static_cast<unsigned long>(quicbench::PeakRssKiB()));

    quicbench::Result result;
    result.SetString("bench", "bulk");
    result.SetString("proto", proto);
    result.SetInt("bytes", expected);
    result.SetInt("delivered", delivered);
    result.SetInt("rx_packets", g_rxPackets);
    result.SetInt("reverse_packets", g_revPackets);
    result.Set("sim_s", simTime.GetSeconds());
    result.Set("wall_s", runWall);
    result.Set("cpu_s", runCpu);
    result.Set("us_per_packet", usPerPacket);
    result.Set("cpu_us_per_packet",
               g_rxPackets ? runCpu * 1e6 / static_cast<double>(g_rxPackets) : 0);
    result.SetInt("peak_rss_kib", quicbench::PeakRssKiB());
    result.SetInt("complete", complete ? 1 : 0);
    result.Print();
    return complete ? 0 : 1;
}

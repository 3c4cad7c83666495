/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_FUZZ_WORLD_H
#define QUIC_FUZZ_WORLD_H

// A small simulated world shared by the live-connection fuzz target and the seed-corpus
// generator: a client and a server on one point-to-point link, a bulk transfer client ->
// server, the handshake run to completion, and the client's 1-RTT secrets read back from the
// endpoint's key log so that fuzz inputs can be sealed as authentic client packets.

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-bulk-send-application.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-endpoint.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-new-reno.h"
#include "ns3/quic-packet-codec.h"
#include "ns3/quic-packet-protection.h"
#include "ns3/quic-sink-application.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ns3
{
namespace quicfuzz
{

/// Secrets of one key log: label -> secret (the last line of each label wins).
inline std::map<std::string, QuicSecret>
ReadKeyLog(const std::string& path)
{
    std::map<std::string, QuicSecret> out;
    std::ifstream in(path);
    std::string label;
    std::string random;
    std::string hex;
    while (in >> label >> random >> hex)
    {
        if (hex.size() != 2 * QUIC_SECRET_LENGTH)
        {
            continue;
        }
        QuicSecret s{};
        for (size_t i = 0; i < s.size(); ++i)
        {
            s[i] = static_cast<uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
        }
        out[label] = s;
    }
    return out;
}

/**
 * Deliver one UDP payload to \p node as if it had arrived on its first point-to-point device
 * in an IPv4 packet from \p from to \p to: the node's IPv4 and UDP layers, socket and
 * QuicEndpoint process it synchronously, whatever (spoofed) source address it carries.
 * \param node the receiving node
 * \param data payload bytes
 * \param size payload size
 * \param from source address and port
 * \param to destination address and port (one of the node's)
 */
inline void
InjectUdp(Ptr<Node> node,
          const uint8_t* data,
          size_t size,
          const InetSocketAddress& from,
          const InetSocketAddress& to)
{
    Ptr<Packet> p = Create<Packet>(data, static_cast<uint32_t>(size));
    UdpHeader udp;
    udp.SetSourcePort(from.GetPort());
    udp.SetDestinationPort(to.GetPort());
    p->AddHeader(udp);
    Ipv4Header ip;
    ip.SetSource(from.GetIpv4());
    ip.SetDestination(to.GetIpv4());
    ip.SetProtocol(UdpL4Protocol::PROT_NUMBER);
    ip.SetPayloadSize(p->GetSize());
    ip.SetTtl(64);
    p->AddHeader(ip);
    Ptr<Ipv4L3Protocol> l3 = node->GetObject<Ipv4L3Protocol>();
    l3->Receive(node->GetDevice(1),
                p,
                Ipv4L3Protocol::PROT_NUMBER,
                Address(),
                Address(),
                NetDevice::PACKET_HOST);
}

/// The world: two nodes, two endpoints, one established connection.
struct World
{
    NodeContainer nodes;
    NetDeviceContainer devices;
    Ptr<QuicEndpoint> clientEp;
    Ptr<QuicEndpoint> serverEp;
    Ptr<QuicConnection> client;
    Ptr<QuicConnection> server;
    ApplicationContainer apps;
    std::string keyLog;

    void OnServerConnection(Ptr<QuicConnection> c)
    {
        if (!server)
        {
            server = c;
        }
    }

    /**
     * Build the topology, start a transfer of \p bytes and run the simulation for \p runFor.
     * \param bytes bytes the client sends
     * \param runFor simulated time to run
     * \param keyLogPath key log file of the client endpoint (emptied first)
     * \param beforeRun called once the topology exists, before the simulation runs
     * \return true if both connections exist and the handshake is confirmed
     */
    bool Build(uint64_t bytes,
               Time runFor,
               const std::string& keyLogPath,
               std::function<void()> beforeRun = nullptr)
    {
        // Types created by name only: register them (the fuzz build links the model as a
        // static library, whose unreferenced objects the linker leaves out).
        QuicSinkApplication::GetTypeId();
        QuicBulkSendApplication::GetTypeId();
        QuicNewReno::GetTypeId();
        RngSeedManager::SetSeed(11);
        RngSeedManager::SetRun(1);
        keyLog = keyLogPath;
        std::remove(keyLog.c_str());
        nodes.Create(2);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("1ms"));
        devices = p2p.Install(nodes);
        NetDeviceContainer& d = devices;
        InternetStackHelper stack;
        stack.Install(nodes);
        Ipv4AddressHelper ip;
        ip.SetBase("10.1.1.0", "255.255.255.0");
        Ipv4InterfaceContainer ifs = ip.Assign(d);
        serverEp = QuicEndpoint::Install(nodes.Get(1));
        clientEp = QuicEndpoint::Install(nodes.Get(0));
        serverEp->AssignStreams(10);
        clientEp->AssignStreams(20);
        clientEp->SetAttribute("KeyLogFile", StringValue(keyLog));
        serverEp->TraceConnectWithoutContext("NewConnection",
                                             MakeCallback(&World::OnServerConnection, this));
        QuicSinkHelper sink(InetSocketAddress(Ipv4Address::GetAny(), 4433));
        apps.Add(sink.Install(nodes.Get(1)));
        QuicBulkSendHelper bulk(InetSocketAddress(ifs.GetAddress(1), 4433));
        bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
        bulk.SetAttribute("CloseOnComplete", BooleanValue(false));
        ApplicationContainer c = bulk.Install(nodes.Get(0));
        apps.Add(c);
        c.Start(MilliSeconds(1));
        if (beforeRun)
        {
            beforeRun();
        }
        Simulator::Stop(runFor);
        Simulator::Run();
        std::vector<Ptr<QuicConnection>> cc = clientEp->GetConnections();
        if (!cc.empty())
        {
            client = cc.front();
        }
        return client && server && client->GetState() == QuicConnection::CONNECTED &&
               server->GetState() == QuicConnection::CONNECTED;
    }

    /// \return the server's address and port as the client sends to it
    InetSocketAddress ServerAddress() const
    {
        return InetSocketAddress(
            nodes.Get(1)->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal(),
            InetSocketAddress::ConvertFrom(server->GetActivePath().GetLocalAddress()).GetPort());
    }

    /// \return the client's address and port as the server sees it
    InetSocketAddress ClientAddress() const
    {
        return InetSocketAddress::ConvertFrom(server->GetActivePath().GetRemoteAddress());
    }

    /**
     * The client stops receiving: what the server sends in answer to injected packets (ACKs
     * of packet numbers the real client never used, challenges) cannot disturb the client,
     * whose connection stays open until its idle timeout.
     */
    void IsolateClient()
    {
        Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
        em->SetAttribute("ErrorRate", DoubleValue(1.0));
        em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
        devices.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(em));
    }

    /// Release everything and destroy the simulator.
    void Tear()
    {
        client = nullptr;
        server = nullptr;
        clientEp = nullptr;
        serverEp = nullptr;
        apps = ApplicationContainer();
        devices = NetDeviceContainer();
        nodes = NodeContainer();
        Simulator::Destroy();
        std::remove(keyLog.c_str());
    }
};

/**
 * Seal \p frames as the payload of a 1-RTT packet from the client to the server.
 * \param keys the client's 1-RTT packet keys
 * \param dcid Destination Connection ID (one of the server's)
 * \param pn packet number
 * \param frames plaintext payload
 * \return the datagram (empty if it cannot be built)
 */
inline std::vector<uint8_t>
SealOneRtt(const QuicPacketKeys& keys,
           const QuicConnectionId& dcid,
           uint64_t pn,
           const uint8_t* frames,
           size_t size)
{
    std::vector<uint8_t> datagram;
    datagram.reserve(1500);
    QuicPacketHeader h;
    h.m_type = QuicPacketType::ONE_RTT;
    h.m_dcid = dcid;
    QuicPacketBuilder b;
    if (!b.Begin(datagram, h, pn, std::nullopt, 1452))
    {
        return {};
    }
    size = std::min(size, b.Remaining());
    datagram.insert(datagram.end(), frames, frames + size);
    QuicPacketProtector sealer(keys);
    if (!sealer.IsReady() || !b.Finish(sealer))
    {
        return {};
    }
    return datagram;
}

} // namespace quicfuzz
} // namespace ns3

#endif /* QUIC_FUZZ_WORLD_H */

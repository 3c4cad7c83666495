/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_BENCH_NET_H
#define QUIC_BENCH_NET_H

// The many-connections network of quic-bench-scale and quic-bench-migration:
//
//   client 10.1.1.1 --- 1Gbps/1ms --- router (QuicNat, external 203.0.113.1) --- 1Gbps/1ms ---
//   server 203.0.113.2:443
//
// and a driver that opens N connections from the client (spread over --sockets local ports,
// connection IDs demultiplex them) and sends one small request on a stream of each connection
// every --interval.

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-endpoint.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-nat-helper.h"
#include "ns3/quic-nat.h"
#include "ns3/traffic-control-helper.h"

#include <cstdint>
#include <vector>

namespace quicbench
{

using namespace ns3;

/// Client, NAT router, server.
struct NatNetwork
{
    Ptr<Node> client;           //!< the client host
    Ptr<Node> router;           //!< the NAT router
    Ptr<Node> server;           //!< the server host
    Ptr<QuicNat> nat;           //!< the NAT
    Ipv4Address clientAddress;  //!< client address
    Ipv4Address serverAddress;  //!< server address
    Ptr<QuicEndpoint> clientEp; //!< client endpoint
    Ptr<QuicEndpoint> serverEp; //!< server endpoint
};

/**
 * \brief Build the network, the NAT (rebinding every port every rebindInterval from
 * rebindInterval on, 0 = never) and the endpoints; the server listens on port 443.
 * \param rebindInterval NAT rebinding period
 * \return the network
 */
inline NatNetwork
BuildNatNetwork(Time rebindInterval)
{
    NatNetwork net;
    NodeContainer nodes;
    nodes.Create(3);
    net.client = nodes.Get(0);
    net.router = nodes.Get(1);
    net.server = nodes.Get(2);
    InternetStackHelper stack;
    stack.Install(nodes);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("10000p"));
    NetDeviceContainer inside = p2p.Install(net.client, net.router);
    NetDeviceContainer outside = p2p.Install(net.router, net.server);
    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer in = addresses.Assign(inside);
    addresses.SetBase("203.0.113.0", "255.255.255.0");
    Ipv4InterfaceContainer out = addresses.Assign(outside);
    TrafficControlHelper::Default().Uninstall(inside);
    TrafficControlHelper::Default().Uninstall(outside);
    net.clientAddress = in.GetAddress(0);
    net.serverAddress = out.GetAddress(1);
    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(net.client->GetObject<Ipv4>())->SetDefaultRoute(in.GetAddress(1), 1);
    routing.GetStaticRouting(net.server->GetObject<Ipv4>())->SetDefaultRoute(out.GetAddress(0), 1);

    QuicNatHelper natHelper;
    natHelper.SetAttribute("PortAllocation", StringValue("Sequential"));
    if (rebindInterval.IsStrictlyPositive())
    {
        natHelper.SetAttribute("RebindStart", TimeValue(rebindInterval));
        natHelper.SetAttribute("RebindInterval", TimeValue(rebindInterval));
    }
    Ptr<Ipv4> ipv4 = net.router->GetObject<Ipv4>();
    net.nat = natHelper.Install(net.router,
                                ipv4->GetInterfaceForDevice(inside.Get(1)),
                                ipv4->GetInterfaceForDevice(outside.Get(0)),
                                out.GetAddress(0));
    natHelper.AssignStreams(NodeContainer(net.router), 100);

    NodeContainer hosts(net.client, net.server);
    QuicHelper::InstallEndpoints(hosts);
    QuicHelper::AssignStreams(hosts, 1);
    net.clientEp = QuicEndpoint::Install(net.client);
    net.serverEp = QuicEndpoint::Install(net.server);
    net.serverEp->Listen(InetSocketAddress(Ipv4Address::GetAny(), 443));
    return net;
}

/// N client connections, each sending a small request every interval once established.
class ConnectionDriver
{
  public:
    /**
     * \param net the network
     * \param sockets number of client ports the connections are spread over
     * \param requestSize bytes per request
     */
    ConnectionDriver(const NatNetwork& net, uint32_t sockets, uint32_t requestSize)
        : m_net(net),
          m_sockets(sockets ? sockets : 1),
          m_request(requestSize, 0x61)
    {
    }

    /**
     * \brief Schedule n connection attempts spread evenly over [start, start + spread).
     * \param n connections
     * \param start first attempt
     * \param spread time over which they are spread
     */
    void ScheduleConnects(uint32_t n, Time start, Time spread)
    {
        m_conns.resize(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            Simulator::Schedule(start + spread * (static_cast<double>(i) / n),
                                &ConnectionDriver::Connect,
                                this,
                                i);
        }
    }

    /**
     * \brief From start on, every connection sends one request per interval, the connections
     * staggered over the interval (one event per connection and request).
     * \param start first request time
     * \param interval request period
     * \param stop no request at or after this time
     */
    void ScheduleRequests(Time start, Time interval, Time stop)
    {
        m_interval = interval;
        m_stop = stop;
        const uint32_t n = static_cast<uint32_t>(m_conns.size());
        for (uint32_t i = 0; i < n; ++i)
        {
            Simulator::Schedule(start + interval * (static_cast<double>(i) / n) - Simulator::Now(),
                                &ConnectionDriver::Request,
                                this,
                                i);
        }
    }

    /// \return client connections whose handshake is confirmed and not closed
    uint32_t CountEstablished() const
    {
        uint32_t n = 0;
        for (const auto& c : m_conns)
        {
            n += c.connection && c.connection->GetState() == QuicConnection::CONNECTED &&
                         c.connection->IsHandshakeConfirmed()
                     ? 1
                     : 0;
        }
        return n;
    }

    /// \return requests accepted by the connections
    uint64_t GetRequestsSent() const
    {
        return m_requests;
    }

    /// \return the client connections (null where the attempt failed)
    std::vector<Ptr<QuicConnection>> GetConnections() const
    {
        std::vector<Ptr<QuicConnection>> v;
        for (const auto& c : m_conns)
        {
            v.push_back(c.connection);
        }
        return v;
    }

    /// \return the client address
    Ipv4Address GetClientAddress() const
    {
        return m_net.clientAddress;
    }

  private:
    /// \param i connection index
    void Connect(uint32_t i)
    {
        Address local = InetSocketAddress(m_net.clientAddress, 20000 + i % m_sockets);
        m_conns[i].connection =
            m_net.clientEp->Connect(InetSocketAddress(m_net.serverAddress, 443), local);
    }

    /// \param i connection index
    void Request(uint32_t i)
    {
        if (Simulator::Now() >= m_stop)
        {
            return;
        }
        Conn& c = m_conns[i];
        if (c.connection && c.connection->GetState() == QuicConnection::CONNECTED)
        {
            if (c.stream < 0)
            {
                c.stream = c.connection->OpenStream(true);
            }
            if (c.stream >= 0 && c.connection->Send(static_cast<uint64_t>(c.stream),
                                                    m_request.data(),
                                                    m_request.size()) > 0)
            {
                ++m_requests;
            }
        }
        Simulator::Schedule(m_interval, &ConnectionDriver::Request, this, i);
    }

    /// One client connection.
    struct Conn
    {
        Ptr<QuicConnection> connection; //!< the connection
        int64_t stream{-1};             //!< its request stream
    };

    NatNetwork m_net;               //!< the network
    uint32_t m_sockets;             //!< client ports used
    std::vector<uint8_t> m_request; //!< request bytes
    std::vector<Conn> m_conns;      //!< the connections
    Time m_interval;                //!< request period
    Time m_stop;                    //!< no requests from then on
    uint64_t m_requests{0};         //!< requests accepted
};

} // namespace quicbench

#endif /* QUIC_BENCH_NET_H */

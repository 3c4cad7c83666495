/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The NAT middlebox (QuicNat, QuicNatHelper) on real packets: a client behind a NAT router
// talking UDP to one or two servers, no QUIC needed. Topology of every case:
//
//   client 10.1.1.1 --p2p-- 10.1.1.2 [router + QuicNat] 203.0.113.1 --CSMA-- servers .2, .3
//            (inside interface)                      (outside interface, external address)
//
// The servers have no route to 10.1.1.0/24: a reply reaches the client only through the NAT.
// Rows of ../shared/rfc9000-migration-requirements.md proved here: NAT-01 (the middlebox side:
// a scheduled or commanded rebinding of port or address makes the server see a new peer
// address and kills the old one), NAT-05 (30 s binding timeout, 45 s idle with and without
// keep-alive). RFC 4787 requirements: REQ-1 (endpoint-independent mapping), REQ-3 (no port
// overloading, ranges), REQ-4 (parity), REQ-5 (120 s default timeout), REQ-6 (refresh
// direction), REQ-8 (filtering), REQ-11 (determinism with AssignStreams).

#include "quic-ns3-compat.h"

#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/csma-helper.h"
#include "ns3/enum.h"
#include "ns3/global-value.h"
#include "ns3/inet-socket-address.h"
#include "ns3/internet-stack-helper.h"
#include "ns3/ipv4-address-helper.h"
#include "ns3/ipv4-global-routing-helper.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-list-routing.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4-static-routing-helper.h"
#include "ns3/ipv6-address.h"
#include "ns3/node-container.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/pcap-file.h"
#include "ns3/point-to-point-helper.h"
#include "ns3/quic-nat-helper.h"
#include "ns3/quic-nat.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/trace-helper.h"
#include "ns3/udp-header.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

const Ipv4Address CLIENT("10.1.1.1");         //!< the host behind the NAT
const Ipv4Address ROUTER_INSIDE("10.1.1.2");  //!< router, inside interface
const Ipv4Address EXTERNAL("203.0.113.1");    //!< router, outside interface = external address
const Ipv4Address SERVER1("203.0.113.2");     //!< first server
const Ipv4Address SERVER2("203.0.113.3");     //!< second server
const Ipv4Address EXTERNAL2("203.0.113.100"); //!< second address of the outside interface
constexpr uint16_t SERVER_PORT = 4433;        //!< server UDP port
constexpr uint16_t CLIENT_PORT = 5000;        //!< first client UDP port

/// A UDP socket on a node that records what it receives and may echo it back.
class UdpPeer
{
  public:
    /// One received datagram.
    struct Rx
    {
        Time at;                //!< reception time
        InetSocketAddress from; //!< its source as the socket saw it
        uint32_t size;          //!< payload size
    };

    /**
     * \param node the node
     * \param port the local port
     * \param echo send every datagram back to its source
     */
    UdpPeer(Ptr<Node> node, uint16_t port, bool echo)
        : m_node(node),
          m_echo(echo)
    {
        m_socket = Socket::CreateSocket(node, UdpSocketFactory::GetTypeId());
        m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), port));
        m_socket->SetRecvCallback(MakeCallback(&UdpPeer::Receive, this));
    }

    /**
     * \brief Send a datagram now.
     * \param to destination
     * \param size payload size
     */
    void Send(InetSocketAddress to, uint32_t size)
    {
        m_socket->SendTo(Create<Packet>(size), 0, to);
    }

    /**
     * \brief Send a datagram at an absolute time (scheduled before Simulator::Run).
     * \param at the time
     * \param to destination
     * \param size payload size
     */
    void SendAt(Time at, InetSocketAddress to, uint32_t size = 100)
    {
        Simulator::ScheduleWithContext(m_node->GetId(),
                                       at - Simulator::Now(),
                                       &UdpPeer::Send,
                                       this,
                                       to,
                                       size);
    }

    std::vector<Rx> rx; //!< what was received

  private:
    /// \param socket the socket with data
    void Receive(Ptr<Socket> socket)
    {
        Address from;
        while (Ptr<Packet> p = socket->RecvFrom(from))
        {
            rx.push_back({Simulator::Now(), InetSocketAddress::ConvertFrom(from), p->GetSize()});
            if (m_echo)
            {
                socket->SendTo(Create<Packet>(p->GetSize()), 0, from);
            }
        }
    }

    Ptr<Node> m_node;     //!< the node
    Ptr<Socket> m_socket; //!< the socket
    bool m_echo;          //!< echo mode
};

/// Everything a QuicNat trace reports.
struct NatLog
{
    /// One Rebind event.
    struct Rebound
    {
        Time at;                       //!< when
        InetSocketAddress internal;    //!< internal endpoint
        InetSocketAddress oldExternal; //!< old external endpoint
        InetSocketAddress newExternal; //!< new external endpoint
    };

    /// One Drop event.
    struct Dropped
    {
        Time at;                    //!< when
        QuicNat::DropReason reason; //!< why
        Ipv4Address destination;    //!< IPv4 destination of the dropped packet
    };

    std::vector<QuicNatBinding> created; //!< BindingCreated
    std::vector<QuicNatBinding> expired; //!< BindingExpired
    std::vector<Time> expiredAt;         //!< when each BindingExpired fired
    std::vector<Rebound> rebinds;        //!< Rebind
    std::vector<Dropped> drops;          //!< Drop
    uint32_t routerLocalUdp{0};          //!< UDP datagrams the router delivered to itself

    /// \param nat the NAT to listen to
    void Connect(Ptr<QuicNat> nat)
    {
        nat->TraceConnectWithoutContext("BindingCreated", MakeCallback(&NatLog::Created, this));
        nat->TraceConnectWithoutContext("BindingExpired", MakeCallback(&NatLog::Expired, this));
        nat->TraceConnectWithoutContext("Rebind", MakeCallback(&NatLog::Rebind, this));
        nat->TraceConnectWithoutContext("Drop", MakeCallback(&NatLog::Drop, this));
    }

    /// \param ipv4 the router's IPv4 stack, to count local deliveries
    void ConnectRouter(Ptr<Ipv4L3Protocol> ipv4)
    {
        ipv4->TraceConnectWithoutContext("LocalDeliver", MakeCallback(&NatLog::Local, this));
    }

    /// \param reason a reason \return the number of drops for it
    uint32_t Drops(QuicNat::DropReason reason) const
    {
        uint32_t n = 0;
        for (const auto& d : drops)
        {
            n += d.reason == reason ? 1 : 0;
        }
        return n;
    }

    /// \param b binding
    void Created(const QuicNatBinding& b)
    {
        created.push_back(b);
    }

    /// \param b binding
    void Expired(const QuicNatBinding& b)
    {
        expired.push_back(b);
        expiredAt.push_back(Simulator::Now());
    }

    /// \param i internal \param o old external \param n new external
    void Rebind(const InetSocketAddress& i, const InetSocketAddress& o, const InetSocketAddress& n)
    {
        rebinds.push_back({Simulator::Now(), i, o, n});
    }

    /// \param r reason \param p packet \param h header
    void Drop(QuicNat::DropReason r, Ptr<const Packet> /* p */, const Ipv4Header& h)
    {
        drops.push_back({Simulator::Now(), r, h.GetDestination()});
    }

    /// \param h header \param p packet \param iif interface
    void Local(const Ipv4Header& h, Ptr<const Packet> /* p */, uint32_t /* iif */)
    {
        routerLocalUdp += h.GetProtocol() == 17 ? 1 : 0;
    }
};

/// The test network.
struct NatNet
{
    Ptr<Node> client;                  //!< the host behind the NAT
    Ptr<Node> router;                  //!< the NAT router
    std::vector<Ptr<Node>> servers;    //!< servers on the outside LAN
    Ptr<QuicNat> nat;                  //!< the NAT
    uint32_t insideIf{0};              //!< router inside interface
    uint32_t outsideIf{0};             //!< router outside interface
    Ptr<NetDevice> routerInsideDevice; //!< router device on the inside link
};

/// Options of BuildNet.
struct NetOptions
{
    uint32_t servers{1};        //!< number of servers
    bool secondExternal{false}; //!< add EXTERNAL2 to the outside interface and the pool
    std::string insidePcap;     //!< pcap file of the client's device, if not empty
    std::string outsidePcap;    //!< pcap file of the first server's device, if not empty
    bool install{true};         //!< install the NAT
    bool globalRouting{false};  //!< global routing, populated after the NAT is installed
};

/**
 * \brief Build the test network and install the NAT with a helper.
 * \param helper the NAT helper (attributes already set)
 * \param options options
 * \return the network
 */
NatNet
BuildNet(const QuicNatHelper& helper, const NetOptions& options = NetOptions())
{
    NatNet net;
    NodeContainer nodes;
    nodes.Create(2 + options.servers);
    net.client = nodes.Get(0);
    net.router = nodes.Get(1);
    InternetStackHelper stack;
    stack.Install(nodes);

    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("5ms"));
    NetDeviceContainer inside = p2p.Install(net.client, net.router);

    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue("100Mbps"));
    csma.SetChannelAttribute("Delay", TimeValue(MilliSeconds(5)));
    NodeContainer lan(net.router);
    for (uint32_t i = 0; i < options.servers; ++i)
    {
        net.servers.push_back(nodes.Get(2 + i));
        lan.Add(nodes.Get(2 + i));
    }
    NetDeviceContainer outside = csma.Install(lan);

    Ipv4AddressHelper addresses;
    addresses.SetBase("10.1.1.0", "255.255.255.0");
    addresses.Assign(inside);
    addresses.SetBase("203.0.113.0", "255.255.255.0");
    addresses.Assign(outside);

    if (!options.globalRouting)
    {
        Ipv4StaticRoutingHelper routing;
        routing.GetStaticRouting(net.client->GetObject<Ipv4>())->SetDefaultRoute(ROUTER_INSIDE, 1);
    }

    Ptr<Ipv4> ipv4 = net.router->GetObject<Ipv4>();
    net.routerInsideDevice = inside.Get(1);
    net.insideIf = ipv4->GetInterfaceForDevice(inside.Get(1));
    net.outsideIf = ipv4->GetInterfaceForDevice(outside.Get(0));
    if (options.secondExternal)
    {
        ipv4->AddAddress(net.outsideIf, Ipv4InterfaceAddress(EXTERNAL2, "255.255.255.0"));
    }
    if (!options.insidePcap.empty())
    {
        p2p.EnablePcap(options.insidePcap, inside.Get(0), false, true);
    }
    if (!options.outsidePcap.empty())
    {
        csma.EnablePcap(options.outsidePcap, outside.Get(1), false, true);
    }
    if (options.install)
    {
        net.nat = helper.Install(net.router, net.insideIf, net.outsideIf, EXTERNAL);
        if (options.secondExternal)
        {
            net.nat->AddExternalAddress(EXTERNAL2);
        }
    }
    if (options.globalRouting)
    {
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    }
    return net;
}

/// \param rx received datagrams \return the distinct source ports, in order of appearance
std::vector<uint16_t>
SourcePorts(const std::vector<UdpPeer::Rx>& rx)
{
    std::vector<uint16_t> ports;
    for (const auto& r : rx)
    {
        if (ports.empty() || ports.back() != r.from.GetPort())
        {
            ports.push_back(r.from.GetPort());
        }
    }
    return ports;
}

/// Base of the cases: destroys the simulator afterwards, whatever happened.
class QuicNatTestCase : public TestCase
{
  public:
    /// \param name case name
    explicit QuicNatTestCase(const std::string& name)
        : TestCase(name)
    {
    }

  protected:
    void DoTeardown() override
    {
        Simulator::Destroy();
    }
};

} // namespace

/**
 * \ingroup quic-migration-tests
 * Outbound datagrams leave with the external address and an allocated port; replies reach the
 * client; an unsolicited datagram to a NAT port is dropped and traced, not delivered locally.
 */
class QuicNatTranslationTestCase : public QuicNatTestCase
{
  public:
    QuicNatTranslationTestCase()
        : QuicNatTestCase("NAT-01 translation both ways: the server sees external address and "
                          "an allocated port, replies reach the client; unsolicited inbound to "
                          "a NAT port dropped and traced, not delivered to the router")
    {
    }

  private:
    void DoRun() override
    {
        QuicNatHelper helper;
        NatNet net = BuildNet(helper);
        helper.AssignStreams(NodeContainer(net.router), 1);
        NatLog log;
        log.Connect(net.nat);
        log.ConnectRouter(net.router->GetObject<Ipv4L3Protocol>());

        UdpPeer client(net.client, CLIENT_PORT, false);
        UdpPeer server(net.servers[0], SERVER_PORT, true);
        UdpPeer prober(net.servers[0], 7000, false);
        for (int i = 0; i < 3; ++i)
        {
            client.SendAt(Seconds(1.0 + 0.1 * i), InetSocketAddress(SERVER1, SERVER_PORT), 100);
        }
        uint16_t unboundPort = 0;
        Simulator::Schedule(Seconds(2), [&]() {
            uint16_t bound = server.rx.empty() ? 2000 : server.rx[0].from.GetPort();
            unboundPort = bound == 1024 ? 1025 : bound - 1;
            prober.Send(InetSocketAddress(EXTERNAL, unboundPort), 50);
        });
        // Port 9 is outside [MinPort, MaxPort]: not the NAT's, the router handles it.
        prober.SendAt(Seconds(2.5), InetSocketAddress(EXTERNAL, 9), 50);
        uint32_t countMid = 0;
        std::optional<InetSocketAddress> external;
        std::optional<InetSocketAddress> internal;
        Simulator::Schedule(Seconds(3), [&]() {
            countMid = net.nat->GetBindingCount();
            external = net.nat->GetExternalEndpoint(CLIENT, CLIENT_PORT);
            if (external)
            {
                internal = net.nat->GetInternalEndpoint(EXTERNAL, external->GetPort());
            }
        });
        Simulator::Stop(Seconds(4));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(server.rx.size(), 3, "the server receives the 3 datagrams");
        const uint16_t port = server.rx[0].from.GetPort();
        for (const auto& r : server.rx)
        {
            NS_TEST_EXPECT_MSG_EQ(r.from.GetIpv4(), EXTERNAL, "source = external address");
            NS_TEST_EXPECT_MSG_EQ(r.from.GetPort(), port, "one binding, one port");
        }
        NS_TEST_EXPECT_MSG_GT_OR_EQ(port, 1024, "port within [MinPort, MaxPort]");
        NS_TEST_ASSERT_MSG_EQ(client.rx.size(), 3, "the 3 echoes reach the client");
        for (const auto& r : client.rx)
        {
            NS_TEST_EXPECT_MSG_EQ(r.from.GetIpv4(), SERVER1, "reply from the server address");
            NS_TEST_EXPECT_MSG_EQ(r.from.GetPort(), SERVER_PORT, "reply from the server port");
        }
        NS_TEST_EXPECT_MSG_EQ(log.created.size(), 1, "one binding created");
        NS_TEST_EXPECT_MSG_EQ(countMid, 1, "GetBindingCount");
        NS_TEST_ASSERT_MSG_EQ(external.has_value(), true, "GetExternalEndpoint finds it");
        NS_TEST_EXPECT_MSG_EQ(external->GetIpv4(), EXTERNAL, "lookup address");
        NS_TEST_EXPECT_MSG_EQ(external->GetPort(), port, "lookup port = what the server saw");
        NS_TEST_ASSERT_MSG_EQ(internal.has_value(), true, "GetInternalEndpoint finds it");
        NS_TEST_EXPECT_MSG_EQ(internal->GetIpv4(), CLIENT, "reverse lookup address");
        NS_TEST_EXPECT_MSG_EQ(internal->GetPort(), CLIENT_PORT, "reverse lookup port");
        NS_TEST_EXPECT_MSG_EQ(net.nat->GetTranslatedCount(QuicNat::OUTBOUND), 3, "3 out");
        NS_TEST_EXPECT_MSG_EQ(net.nat->GetTranslatedCount(QuicNat::INBOUND), 3, "3 in");
        NS_TEST_EXPECT_MSG_EQ(log.Drops(QuicNat::NO_BINDING), 1, "the unsolicited datagram");
        NS_TEST_EXPECT_MSG_EQ(net.nat->GetDropCount(QuicNat::NO_BINDING), 1, "drop counter");
        NS_TEST_EXPECT_MSG_EQ(log.routerLocalUdp,
                              1,
                              "only the datagram to port 9 (outside the NAT range) reaches the "
                              "router's own UDP layer");
        NS_TEST_EXPECT_MSG_EQ(prober.rx.size(), 0, "nothing reaches the prober");
    }
};

/**
 * \ingroup quic-migration-tests
 * The wrapped routing protocol may be global routing populated after the NAT is installed.
 */
class QuicNatGlobalRoutingTestCase : public QuicNatTestCase
{
  public:
    QuicNatGlobalRoutingTestCase()
        : QuicNatTestCase("global routing populated after Attach: routes through the wrapped "
                          "protocol, translation both ways")
    {
    }

  private:
    void DoRun() override
    {
        QuicNatHelper helper;
        NetOptions options;
        options.globalRouting = true;
        NatNet net = BuildNet(helper, options);
        UdpPeer client(net.client, CLIENT_PORT, false);
        UdpPeer server(net.servers[0], SERVER_PORT, true);
        client.SendAt(Seconds(1), InetSocketAddress(SERVER1, SERVER_PORT));
        client.SendAt(Seconds(1.5), InetSocketAddress(SERVER1, SERVER_PORT));
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(server.rx.size(), 2, "the server receives both datagrams");
        NS_TEST_EXPECT_MSG_EQ(server.rx[0].from.GetIpv4(), EXTERNAL, "translated");
        NS_TEST_EXPECT_MSG_EQ(client.rx.size(), 2, "both echoes come back");
        NS_TEST_EXPECT_MSG_EQ(net.nat->GetTranslatedCount(QuicNat::INBOUND), 2, "via the NAT");
    }
};

/**
 * \ingroup quic-migration-tests
 * RFC 4787 REQ-1: one binding per internal endpoint whatever the destination.
 */
class QuicNatEndpointIndependentTestCase : public QuicNatTestCase
{
  public:
    QuicNatEndpointIndependentTestCase()
        : QuicNatTestCase("RFC 4787 REQ-1 endpoint-independent mapping: two servers see the same "
                          "external endpoint of one socket; a second socket gets another port")
    {
    }

  private:
    void DoRun() override
    {
        QuicNatHelper helper;
        NetOptions options;
        options.servers = 2;
        NatNet net = BuildNet(helper, options);
        helper.AssignStreams(NodeContainer(net.router), 2);
        NatLog log;
        log.Connect(net.nat);
        UdpPeer a(net.client, CLIENT_PORT, false);
        UdpPeer b(net.client, CLIENT_PORT + 1, false);
        UdpPeer s1(net.servers[0], SERVER_PORT, true);
        UdpPeer s2(net.servers[1], SERVER_PORT, true);
        a.SendAt(Seconds(1.0), InetSocketAddress(SERVER1, SERVER_PORT));
        a.SendAt(Seconds(1.1), InetSocketAddress(SERVER2, SERVER_PORT));
        b.SendAt(Seconds(1.2), InetSocketAddress(SERVER1, SERVER_PORT));
        uint32_t count = 0;
        Simulator::Schedule(Seconds(2), [&]() { count = net.nat->GetBindingCount(); });
        Simulator::Stop(Seconds(3));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(s1.rx.size(), 2, "server 1 hears a and b");
        NS_TEST_ASSERT_MSG_EQ(s2.rx.size(), 1, "server 2 hears a");
        NS_TEST_EXPECT_MSG_EQ(s1.rx[0].from, s2.rx[0].from, "REQ-1: same external endpoint");
        NS_TEST_EXPECT_MSG_EQ(s1.rx[0].from.GetIpv4(), EXTERNAL, "external address");
        NS_TEST_EXPECT_MSG_NE(s1.rx[1].from.GetPort(),
                              s1.rx[0].from.GetPort(),
                              "REQ-3: another internal endpoint, another port");
        NS_TEST_EXPECT_MSG_EQ(a.rx.size(), 2, "a hears both servers");
        NS_TEST_EXPECT_MSG_EQ(b.rx.size(), 1, "b hears server 1");
        NS_TEST_EXPECT_MSG_EQ(log.created.size(), 2, "two bindings");
        NS_TEST_EXPECT_MSG_EQ(count, 2, "GetBindingCount");
    }
};

/**
 * \ingroup quic-migration-tests
 * Idle timeout: after BindingTimeout without traffic the binding is gone (a server reply is
 * dropped and traced); the next outbound datagram gets a new binding and port.
 */
class QuicNatIdleTimeoutTestCase : public QuicNatTestCase
{
  public:
    /**
     * \param name case name
     * \param timeout BindingTimeout to set (0 = keep the default, which must be 120 s)
     * \param idle idle time before the server replies
     * \param sequential sequential port allocation (else random)
     */
    QuicNatIdleTimeoutTestCase(const std::string& name, Time timeout, Time idle, bool sequential)
        : QuicNatTestCase(name),
          m_timeout(timeout),
          m_idle(idle),
          m_sequential(sequential)
    {
    }

  private:
    void DoRun() override
    {
        QuicNatHelper helper;
        if (m_timeout.IsStrictlyPositive())
        {
            helper.SetAttribute("BindingTimeout", TimeValue(m_timeout));
        }
        if (m_sequential)
        {
            helper.SetAttribute("PortAllocation", EnumValue(QuicNat::SEQUENTIAL));
        }
        NatNet net = BuildNet(helper);
        helper.AssignStreams(NodeContainer(net.router), 3);
        TimeValue timeoutValue;
        net.nat->GetAttribute("BindingTimeout", timeoutValue);
        const Time timeout = timeoutValue.Get();
        if (!m_timeout.IsStrictlyPositive())
        {
            NS_TEST_EXPECT_MSG_EQ(timeout, Seconds(120), "RFC 4787 REQ-5 default: 120 s");
        }
        NatLog log;
        log.Connect(net.nat);
        UdpPeer client(net.client, CLIENT_PORT, false);
        UdpPeer server(net.servers[0], SERVER_PORT, false);
        const InetSocketAddress serverAddress(SERVER1, SERVER_PORT);
        const Time t0 = Seconds(1);
        client.SendAt(t0, serverAddress);
        // After the idle time the server answers the endpoint it saw: dropped.
        Simulator::Schedule(t0 + m_idle, [&]() {
            if (!server.rx.empty())
            {
                server.Send(server.rx[0].from, 60);
            }
        });
        // The client speaks again: a new binding.
        client.SendAt(t0 + m_idle + Seconds(1), serverAddress);
        // The server answers both endpoints: the new one works, the old one stays dead.
        Simulator::Schedule(t0 + m_idle + Seconds(2), [&]() {
            if (server.rx.size() >= 2)
            {
                server.Send(server.rx[1].from, 61);
                server.Send(server.rx[0].from, 62);
            }
        });
        Simulator::Stop(t0 + m_idle + Seconds(3));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(server.rx.size(), 2, "both client datagrams reach the server");
        const InetSocketAddress first = server.rx[0].from;
        const InetSocketAddress second = server.rx[1].from;
        NS_TEST_EXPECT_MSG_NE(first.GetPort(), second.GetPort(), "new binding, new port");
        if (m_sequential)
        {
            NS_TEST_EXPECT_MSG_EQ(second.GetPort(), first.GetPort() + 1, "sequential: next port");
        }
        NS_TEST_EXPECT_MSG_EQ(log.created.size(), 2, "two bindings created");
        NS_TEST_ASSERT_MSG_EQ(log.expired.size(), 1, "the first one expired");
        NS_TEST_EXPECT_MSG_EQ(log.expired[0].externalPort, first.GetPort(), "expired binding");
        NS_TEST_EXPECT_MSG_GT_OR_EQ(log.expiredAt[0],
                                    log.expired[0].lastUsed + timeout,
                                    "not removed before BindingTimeout of idleness");
        NS_TEST_EXPECT_MSG_EQ(log.Drops(QuicNat::NO_BINDING), 2, "reply to the dead endpoint x2");
        NS_TEST_ASSERT_MSG_EQ(client.rx.size(), 1, "only the reply to the new endpoint arrives");
        NS_TEST_EXPECT_MSG_EQ(client.rx[0].size, 61, "the one sent to the new endpoint");
    }

    Time m_timeout;    //!< BindingTimeout (0 = default)
    Time m_idle;       //!< idle gap
    bool m_sequential; //!< sequential allocation
};

/**
 * \ingroup quic-migration-tests
 * NAT-05: keep-alives more frequent than the binding timeout keep the binding; rarer ones do
 * not (each gap produces a rebinding the server sees).
 */
class QuicNatKeepAliveTestCase : public QuicNatTestCase
{
  public:
    /**
     * \param name case name
     * \param period client keep-alive period
     * \param expectedBindings bindings expected over the run
     */
    QuicNatKeepAliveTestCase(const std::string& name, Time period, uint32_t expectedBindings)
        : QuicNatTestCase(name),
          m_period(period),
          m_expectedBindings(expectedBindings)
    {
    }

  private:
    void DoRun() override
    {
        QuicNatHelper helper;
        helper.SetAttribute("BindingTimeout", TimeValue(Seconds(30)));
        NatNet net = BuildNet(helper);
        helper.AssignStreams(NodeContainer(net.router), 4);
        NatLog log;
        log.Connect(net.nat);
        UdpPeer client(net.client, CLIENT_PORT, false);
        UdpPeer server(net.servers[0], SERVER_PORT, false);
        const Time end = Seconds(181);
        uint32_t sent = 0;
        for (Time t = Seconds(1); t <= end; t += m_period)
        {
            client.SendAt(t, InetSocketAddress(SERVER1, SERVER_PORT), 10);
            ++sent;
        }
        // The server answers the last endpoint it saw.
        Simulator::Schedule(end + Seconds(0.5), [&]() {
            if (!server.rx.empty())
            {
                server.Send(server.rx.back().from, 60);
            }
        });
        Simulator::Stop(end + Seconds(1));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(server.rx.size(), sent, "every keep-alive reaches the server");
        NS_TEST_EXPECT_MSG_EQ(log.created.size(), m_expectedBindings, "bindings created");
        NS_TEST_EXPECT_MSG_EQ(SourcePorts(server.rx).size(),
                              m_expectedBindings,
                              "external ports the server saw");
        NS_TEST_EXPECT_MSG_EQ(log.expired.size(), m_expectedBindings - 1, "bindings expired");
        NS_TEST_EXPECT_MSG_EQ(client.rx.size(), 1, "the server reaches the client at the end");
    }

    Time m_period;               //!< keep-alive period
    uint32_t m_expectedBindings; //!< expected bindings
};

/**
 * \ingroup quic-migration-tests
 * RFC 4787 §4.3: inbound traffic refreshes a binding only with InboundRefresh.
 */
class QuicNatInboundRefreshTestCase : public QuicNatTestCase
{
  public:
    /// \param inboundRefresh value of the InboundRefresh attribute
    explicit QuicNatInboundRefreshTestCase(bool inboundRefresh)
        : QuicNatTestCase(std::string("RFC 4787 REQ-6 refresh direction: server-only traffic "
                                      "every 10 s, 30 s timeout, InboundRefresh=") +
                          (inboundRefresh ? "true keeps the binding" : "false loses it")),
          m_inboundRefresh(inboundRefresh)
    {
    }

  private:
    void DoRun() override
    {
        QuicNatHelper helper;
        helper.SetAttribute("BindingTimeout", TimeValue(Seconds(30)));
        helper.SetAttribute("InboundRefresh", BooleanValue(m_inboundRefresh));
        NatNet net = BuildNet(helper);
        NatLog log;
        log.Connect(net.nat);
        UdpPeer client(net.client, CLIENT_PORT, false);
        UdpPeer server(net.servers[0], SERVER_PORT, false);
        client.SendAt(Seconds(1), InetSocketAddress(SERVER1, SERVER_PORT));
        for (int k = 0; k < 10; ++k)
        {
            Simulator::Schedule(Seconds(10.5 + 10 * k), [&]() {
                if (!server.rx.empty())
                {
                    server.Send(server.rx[0].from, 20);
                }
            });
        }
        Simulator::Stop(Seconds(110));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(server.rx.size(), 1, "the client's datagram");
        NS_TEST_EXPECT_MSG_EQ(client.rx.size(), (m_inboundRefresh ? 10u : 3u), "server datagrams");
        NS_TEST_EXPECT_MSG_EQ(log.Drops(QuicNat::NO_BINDING),
                              (m_inboundRefresh ? 0u : 7u),
                              "drops");
    }

    bool m_inboundRefresh; //!< attribute value
};

/**
 * \ingroup quic-migration-tests
 * NAT-01: scheduled rebinding of every binding (port, or address and port): the server sees
 * the new endpoint, the old one is dead (replies to it dropped and traced).
 */
class QuicNatScheduledRebindTestCase : public QuicNatTestCase
{
  public:
    /**
     * \param name case name
     * \param interval RebindInterval (0 = once)
     * \param address RebindMode=Address with a second external address
     */
    QuicNatScheduledRebindTestCase(const std::string& name, Time interval, bool address)
        : QuicNatTestCase(name),
          m_interval(interval),
          m_address(address)
    {
    }

  private:
    void DoRun() override
    {
        QuicNatHelper helper;
        helper.SetAttribute("RebindStart", TimeValue(Seconds(5)));
        helper.SetAttribute("RebindInterval", TimeValue(m_interval));
        if (m_address)
        {
            helper.SetAttribute("RebindMode", EnumValue(QuicNat::REBIND_ADDRESS));
        }
        NetOptions options;
        options.secondExternal = m_address;
        NatNet net = BuildNet(helper, options);
        helper.AssignStreams(NodeContainer(net.router), 5);
        NatLog log;
        log.Connect(net.nat);
        log.ConnectRouter(net.router->GetObject<Ipv4L3Protocol>());
        UdpPeer client(net.client, CLIENT_PORT, false);
        UdpPeer server(net.servers[0], SERVER_PORT, true);
        UdpPeer prober(net.servers[0], 7000, false);
        uint32_t sent = 0;
        for (Time t = Seconds(0.25); t < Seconds(10); t += Seconds(0.5))
        {
            client.SendAt(t, InetSocketAddress(SERVER1, SERVER_PORT));
            ++sent;
        }
        // At 6 s, a datagram to the endpoint the server saw first: dead since 5 s.
        Simulator::Schedule(Seconds(6), [&]() {
            if (!server.rx.empty())
            {
                prober.Send(server.rx[0].from, 30);
            }
        });
        Simulator::Stop(Seconds(10));
        Simulator::Run();

        const uint32_t expectedRebinds = m_interval.IsStrictlyPositive() ? 3 : 1; // 5, 7, 9 s
        NS_TEST_ASSERT_MSG_EQ(server.rx.size(), sent, "every datagram reaches the server");
        NS_TEST_EXPECT_MSG_EQ(client.rx.size(), sent, "every echo reaches the client");
        NS_TEST_ASSERT_MSG_EQ(log.rebinds.size(), expectedRebinds, "Rebind trace");
        std::set<std::pair<uint32_t, uint16_t>> endpoints;
        for (const auto& r : server.rx)
        {
            endpoints.insert({r.from.GetIpv4().Get(), r.from.GetPort()});
            // The endpoint in use at the reception time.
            InetSocketAddress expected = server.rx[0].from;
            for (const auto& rb : log.rebinds)
            {
                if (rb.at <= r.at)
                {
                    expected = rb.newExternal;
                }
            }
            NS_TEST_EXPECT_MSG_EQ(r.from, expected, "server sees the current binding");
        }
        NS_TEST_EXPECT_MSG_EQ(endpoints.size(),
                              expectedRebinds + 1,
                              "one external endpoint per rebinding period");
        const auto& first = log.rebinds[0];
        NS_TEST_EXPECT_MSG_EQ(first.at, Seconds(5), "RebindStart");
        NS_TEST_EXPECT_MSG_EQ(first.internal, InetSocketAddress(CLIENT, CLIENT_PORT), "internal");
        NS_TEST_EXPECT_MSG_EQ(first.oldExternal, server.rx[0].from, "old external endpoint");
        if (m_address)
        {
            NS_TEST_EXPECT_MSG_EQ(first.newExternal.GetIpv4(), EXTERNAL2, "new external address");
            NS_TEST_EXPECT_MSG_EQ(server.rx.back().from.GetIpv4(), EXTERNAL2, "server sees it");
            NS_TEST_EXPECT_MSG_EQ(net.nat->GetExternalAddress(), EXTERNAL2, "current address");
        }
        else
        {
            NS_TEST_EXPECT_MSG_EQ(first.newExternal.GetIpv4(), EXTERNAL, "same address");
            NS_TEST_EXPECT_MSG_NE(first.newExternal.GetPort(), first.oldExternal.GetPort(), "port");
        }
        if (m_interval.IsStrictlyPositive())
        {
            NS_TEST_EXPECT_MSG_EQ(log.rebinds[1].at, Seconds(7), "RebindInterval");
            NS_TEST_EXPECT_MSG_EQ(log.rebinds[2].at, Seconds(9), "RebindInterval");
        }
        NS_TEST_EXPECT_MSG_EQ(log.Drops(QuicNat::NO_BINDING), 1, "the prober's datagram");
        NS_TEST_EXPECT_MSG_EQ(prober.rx.size(), 0, "nothing for the prober");
        NS_TEST_EXPECT_MSG_EQ(log.routerLocalUdp, 0, "the dead endpoint is not the router's");
        NS_TEST_EXPECT_MSG_EQ(log.created.size(), 1, "rebinding creates no binding");
    }

    Time m_interval; //!< RebindInterval
    bool m_address;  //!< address mode
};

/**
 * \ingroup quic-migration-tests
 * NAT-01 on command: Rebind(address, port) moves one binding only.
 */
class QuicNatRebindOneTestCase : public QuicNatTestCase
{
  public:
    QuicNatRebindOneTestCase()
        : QuicNatTestCase("NAT-01 Rebind(internal endpoint) at 5 s: that socket's external port "
                          "changes, the other socket's does not")
    {
    }

  private:
    void DoRun() override
    {
        QuicNatHelper helper;
        NatNet net = BuildNet(helper);
        helper.AssignStreams(NodeContainer(net.router), 6);
        NatLog log;
        log.Connect(net.nat);
        UdpPeer a(net.client, CLIENT_PORT, false);
        UdpPeer b(net.client, CLIENT_PORT + 1, false);
        UdpPeer serverA(net.servers[0], SERVER_PORT, false);
        UdpPeer serverB(net.servers[0], SERVER_PORT + 1, false);
        for (Time t = Seconds(0.5); t < Seconds(10); t += Seconds(1))
        {
            a.SendAt(t, InetSocketAddress(SERVER1, SERVER_PORT));
            b.SendAt(t, InetSocketAddress(SERVER1, SERVER_PORT + 1));
        }
        bool rebound = false;
        bool unknown = true;
        Simulator::Schedule(Seconds(5), [&]() {
            rebound = net.nat->Rebind(CLIENT, CLIENT_PORT);
            unknown = net.nat->Rebind(CLIENT, 6000);
        });
        Simulator::Stop(Seconds(10));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(rebound, true, "Rebind of a live binding succeeds");
        NS_TEST_EXPECT_MSG_EQ(unknown, false, "Rebind of an unknown endpoint fails");
        NS_TEST_EXPECT_MSG_EQ(serverA.rx.size(), 10, "a's datagrams");
        NS_TEST_EXPECT_MSG_EQ(serverB.rx.size(), 10, "b's datagrams");
        NS_TEST_EXPECT_MSG_EQ(SourcePorts(serverA.rx).size(), 2, "a: two external ports");
        NS_TEST_EXPECT_MSG_EQ(SourcePorts(serverB.rx).size(), 1, "b: one external port");
        NS_TEST_ASSERT_MSG_EQ(log.rebinds.size(), 1, "one Rebind event");
        NS_TEST_EXPECT_MSG_EQ(log.rebinds[0].internal.GetPort(), CLIENT_PORT, "for a");
    }
};

/**
 * \ingroup quic-migration-tests
 * RFC 4787 §4.2: sequential and random allocation, ranges, parity, exhaustion.
 */
class QuicNatPortAllocationTestCase : public QuicNatTestCase
{
  public:
    /// What the case checks.
    enum Kind
    {
        SEQUENTIAL_RANGE, //!< 20000.. in order
        RANDOM_RANGE,     //!< in range, distinct, not in order
        EXHAUSTED,        //!< 3 ports, 4 flows
        PARITY,           //!< REQ-4
    };

    /**
     * \param name case name
     * \param kind what to check
     */
    QuicNatPortAllocationTestCase(const std::string& name, Kind kind)
        : QuicNatTestCase(name),
          m_kind(kind)
    {
    }

  private:
    void DoRun() override
    {
        QuicNatHelper helper;
        uint16_t minPort = 20000;
        uint16_t maxPort = 29999;
        if (m_kind == EXHAUSTED)
        {
            minPort = 30000;
            maxPort = 30002;
        }
        helper.SetAttribute("MinPort", UintegerValue(minPort));
        helper.SetAttribute("MaxPort", UintegerValue(maxPort));
        helper.SetAttribute("PortAllocation",
                            EnumValue(m_kind == SEQUENTIAL_RANGE || m_kind == EXHAUSTED
                                          ? QuicNat::SEQUENTIAL
                                          : QuicNat::RANDOM));
        helper.SetAttribute("PreservePortParity", BooleanValue(m_kind == PARITY));
        NatNet net = BuildNet(helper);
        helper.AssignStreams(NodeContainer(net.router), 7);
        NatLog log;
        log.Connect(net.nat);
        const uint32_t flows = m_kind == PARITY ? 20 : (m_kind == EXHAUSTED ? 4 : 5);
        std::vector<std::unique_ptr<UdpPeer>> clients;
        for (uint32_t i = 0; i < flows; ++i)
        {
            clients.push_back(std::make_unique<UdpPeer>(net.client, CLIENT_PORT + i, false));
            clients.back()->SendAt(Seconds(1 + 0.01 * i), InetSocketAddress(SERVER1, SERVER_PORT));
        }
        UdpPeer server(net.servers[0], SERVER_PORT, false);
        Simulator::Stop(Seconds(2));
        Simulator::Run();

        std::vector<uint16_t> ports;
        std::map<uint16_t, uint16_t> externalOf; // internal port -> external port
        for (const auto& b : log.created)
        {
            ports.push_back(b.externalPort);
            externalOf[b.internalPort] = b.externalPort;
            NS_TEST_EXPECT_MSG_GT_OR_EQ(b.externalPort, minPort, "MinPort");
            NS_TEST_EXPECT_MSG_LT_OR_EQ(b.externalPort, maxPort, "MaxPort");
        }
        NS_TEST_EXPECT_MSG_EQ(std::set<uint16_t>(ports.begin(), ports.end()).size(),
                              ports.size(),
                              "REQ-3: no port given twice");
        switch (m_kind)
        {
        case SEQUENTIAL_RANGE:
            NS_TEST_ASSERT_MSG_EQ(ports.size(), 5, "5 bindings");
            for (uint32_t i = 0; i < ports.size(); ++i)
            {
                NS_TEST_EXPECT_MSG_EQ(ports[i], minPort + i, "consecutive from MinPort");
            }
            break;
        case RANDOM_RANGE: {
            NS_TEST_ASSERT_MSG_EQ(ports.size(), 5, "5 bindings");
            bool consecutive = true;
            for (uint32_t i = 1; i < ports.size(); ++i)
            {
                consecutive = consecutive && ports[i] == ports[i - 1] + 1;
            }
            NS_TEST_EXPECT_MSG_EQ(consecutive, false, "random ports are not consecutive");
            break;
        }
        case EXHAUSTED:
            NS_TEST_EXPECT_MSG_EQ(ports.size(), 3, "3 ports, 3 bindings");
            NS_TEST_EXPECT_MSG_EQ(log.Drops(QuicNat::PORTS_EXHAUSTED), 1, "4th flow dropped");
            NS_TEST_EXPECT_MSG_EQ(server.rx.size(), 3, "3 flows reach the server");
            break;
        case PARITY:
            NS_TEST_EXPECT_MSG_EQ(ports.size(), flows, "all bindings");
            for (const auto& [internal, external] : externalOf)
            {
                NS_TEST_EXPECT_MSG_EQ(internal % 2, external % 2, "REQ-4: parity preserved");
            }
            break;
        }
    }

    Kind m_kind; //!< what to check
};

/**
 * \ingroup quic-migration-tests
 * MaxBindings: a full table drops new flows (traced); expired bindings make room.
 */
class QuicNatTableFullTestCase : public QuicNatTestCase
{
  public:
    QuicNatTableFullTestCase()
        : QuicNatTestCase("MaxBindings=3: flows 4 and 5 dropped (TABLE_FULL) until the first "
                          "three expire")
    {
    }

  private:
    void DoRun() override
    {
        QuicNatHelper helper;
        helper.SetAttribute("MaxBindings", UintegerValue(3));
        helper.SetAttribute("BindingTimeout", TimeValue(Seconds(10)));
        NatNet net = BuildNet(helper);
        NatLog log;
        log.Connect(net.nat);
        std::vector<std::unique_ptr<UdpPeer>> clients;
        for (uint32_t i = 0; i < 5; ++i)
        {
            clients.push_back(std::make_unique<UdpPeer>(net.client, CLIENT_PORT + i, false));
            clients.back()->SendAt(Seconds(1 + 0.01 * i), InetSocketAddress(SERVER1, SERVER_PORT));
        }
        clients[3]->SendAt(Seconds(20), InetSocketAddress(SERVER1, SERVER_PORT));
        clients[4]->SendAt(Seconds(20.01), InetSocketAddress(SERVER1, SERVER_PORT));
        UdpPeer server(net.servers[0], SERVER_PORT, false);
        uint32_t countFull = 0;
        Simulator::Schedule(Seconds(2), [&]() { countFull = net.nat->GetBindingCount(); });
        Simulator::Stop(Seconds(21));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(countFull, 3, "table holds MaxBindings");
        NS_TEST_EXPECT_MSG_EQ(log.Drops(QuicNat::TABLE_FULL), 2, "two new flows refused");
        NS_TEST_EXPECT_MSG_EQ(server.rx.size(), 5, "3 at first, 2 once room was made");
        NS_TEST_EXPECT_MSG_EQ(log.created.size(), 5, "5 bindings over the run");
        NS_TEST_EXPECT_MSG_EQ(log.expired.size(), 3, "the first 3 expired");
        NS_TEST_EXPECT_MSG_EQ(net.nat->GetBindingCount(), 2, "2 live at the end");
    }
};

/**
 * \ingroup quic-migration-tests
 * RFC 4787 REQ-8: filtering behaviours.
 */
class QuicNatFilteringTestCase : public QuicNatTestCase
{
  public:
    /// \param filtering the Filtering attribute value
    explicit QuicNatFilteringTestCase(QuicNat::Filtering filtering)
        : QuicNatTestCase(std::string("RFC 4787 REQ-8 filtering: ") +
                          (filtering == QuicNat::ENDPOINT_INDEPENDENT ? "endpoint-independent"
                           : filtering == QuicNat::ADDRESS_DEPENDENT
                               ? "address-dependent"
                               : "address-and-port-dependent")),
          m_filtering(filtering)
    {
    }

  private:
    void DoRun() override
    {
        QuicNatHelper helper;
        helper.SetAttribute("Filtering", EnumValue(m_filtering));
        NetOptions options;
        options.servers = 2;
        NatNet net = BuildNet(helper, options);
        NatLog log;
        log.Connect(net.nat);
        UdpPeer client(net.client, CLIENT_PORT, false);
        UdpPeer s1(net.servers[0], SERVER_PORT, false);
        UdpPeer s1other(net.servers[0], 7000, false);
        UdpPeer s2(net.servers[1], SERVER_PORT, false);
        client.SendAt(Seconds(1), InetSocketAddress(SERVER1, SERVER_PORT));
        Simulator::Schedule(Seconds(2), [&]() {
            if (!s1.rx.empty())
            {
                const InetSocketAddress to = s1.rx[0].from;
                s1.Send(to, 11);      // the contacted endpoint
                s1other.Send(to, 12); // the contacted address, another port
                s2.Send(to, 13);      // another address
            }
        });
        Simulator::Stop(Seconds(3));
        Simulator::Run();

        std::set<uint32_t> sizes;
        for (const auto& r : client.rx)
        {
            sizes.insert(r.size);
        }
        const uint32_t expected = m_filtering == QuicNat::ENDPOINT_INDEPENDENT ? 3
                                  : m_filtering == QuicNat::ADDRESS_DEPENDENT  ? 2
                                                                               : 1;
        NS_TEST_EXPECT_MSG_EQ(client.rx.size(), expected, "datagrams let through");
        NS_TEST_EXPECT_MSG_EQ(sizes.count(11), 1, "the contacted endpoint always gets through");
        NS_TEST_EXPECT_MSG_EQ(log.Drops(QuicNat::FILTERED), 3 - expected, "FILTERED drops");
    }

    QuicNat::Filtering m_filtering; //!< attribute value
};

namespace
{

/// What the checksum check found in a pcap file.
struct PcapChecksums
{
    uint32_t udp{0};      //!< UDP datagrams
    uint32_t good{0};     //!< with a correct checksum
    uint32_t zero{0};     //!< with no checksum (0)
    uint32_t ipGood{0};   //!< IPv4 headers with a correct checksum
    std::string firstBad; //!< description of the first bad one
};

/// \param data bytes \param size count \param sum running sum \return ones'-complement sum
uint32_t
SumWords(const uint8_t* data, size_t size, uint32_t sum)
{
    for (size_t i = 0; i + 1 < size; i += 2)
    {
        sum += (static_cast<uint32_t>(data[i]) << 8) | data[i + 1];
    }
    if (size % 2 != 0)
    {
        sum += static_cast<uint32_t>(data[size - 1]) << 8;
    }
    return sum;
}

/// \param sum a sum \return its folded ones' complement
uint16_t
Fold(uint32_t sum)
{
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<uint16_t>(~sum);
}

/**
 * \brief Recompute the IPv4 and UDP checksums of every UDP datagram in a pcap file.
 * \param path the file (PPP or Ethernet link type)
 * \return the counts
 */
PcapChecksums
CheckPcapChecksums(const std::string& path)
{
    PcapChecksums out;
    PcapFile file;
    file.Open(path, std::ios::in);
    if (file.Fail())
    {
        out.firstBad = "cannot open " + path;
        return out;
    }
    const uint32_t linkType = file.GetDataLinkType();
    std::vector<uint8_t> buffer(65536);
    while (true)
    {
        uint32_t sec = 0;
        uint32_t usec = 0;
        uint32_t inclLen = 0;
        uint32_t origLen = 0;
        uint32_t readLen = 0;
        file.Read(buffer.data(), buffer.size(), sec, usec, inclLen, origLen, readLen);
        if (file.Eof() || file.Fail())
        {
            break;
        }
        size_t offset = 0;
        if (linkType == PcapHelper::DLT_PPP)
        {
            if (readLen < 2 || buffer[0] != 0x00 || buffer[1] != 0x21)
            {
                continue;
            }
            offset = 2;
        }
        else if (linkType == PcapHelper::DLT_EN10MB)
        {
            if (readLen < 14 || buffer[12] != 0x08 || buffer[13] != 0x00)
            {
                continue;
            }
            offset = 14;
        }
        const uint8_t* ip = buffer.data() + offset;
        if (readLen < offset + 28 || (ip[0] >> 4) != 4 || ip[9] != 17)
        {
            continue;
        }
        const size_t ihl = (ip[0] & 0x0f) * 4u;
        const size_t total = (static_cast<size_t>(ip[2]) << 8) | ip[3];
        if (offset + total > readLen || total < ihl + 8)
        {
            continue;
        }
        ++out.udp;
        out.ipGood += Fold(SumWords(ip, ihl, 0)) == 0 ? 1 : 0;
        const uint8_t* udp = ip + ihl;
        const size_t udpLength = total - ihl;
        const uint16_t field = static_cast<uint16_t>((udp[6] << 8) | udp[7]);
        if (field == 0)
        {
            ++out.zero;
            continue;
        }
        uint32_t sum = SumWords(ip + 12, 8, 0); // source and destination addresses
        sum += 17 + static_cast<uint32_t>(udpLength);
        sum = SumWords(udp, udpLength, sum);
        if (Fold(sum) == 0)
        {
            ++out.good;
        }
        else if (out.firstBad.empty())
        {
            std::ostringstream os;
            os << "bad UDP checksum 0x" << std::hex << field << " in record at " << std::dec << sec
               << "." << usec;
            out.firstBad = os.str();
        }
    }
    file.Close();
    return out;
}

/// What tshark said about a pcap file.
struct TsharkResult
{
    bool ran{false};    //!< tshark ran
    uint32_t udp{0};    //!< UDP datagrams
    uint32_t bad{0};    //!< UDP or IPv4 checksums tshark found bad
    uint32_t good{0};   //!< UDP checksums tshark found good
    std::string output; //!< first lines of its output
};

/**
 * \brief Decode a pcap file with tshark, checksum validation on.
 * \param path the file
 * \param outputPath where to write tshark's output
 * \param checkIp count bad IPv4 header checksums too
 * \return the counts
 */
TsharkResult
RunTshark(const std::string& path, const std::string& outputPath, bool checkIp)
{
    TsharkResult result;
    if (std::system("command -v tshark > /dev/null 2>&1") != 0)
    {
        return result;
    }
    // udp.checksum.status and ip.checksum.status: 0 bad, 1 good, 2 unverified (absent).
    const std::string command = "tshark -n -r '" + path +
                                "' -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE "
                                "-Y udp -T fields -E separator=, -e udp.checksum.status "
                                "-e ip.checksum.status > '" +
                                outputPath + "' 2>/dev/null";
    if (std::system(command.c_str()) != 0)
    {
        return result;
    }
    result.ran = true;
    std::ifstream in(outputPath);
    std::string line;
    while (std::getline(in, line))
    {
        if (result.output.size() < 400)
        {
            result.output += line + "\n";
        }
        const auto comma = line.find(',');
        const std::string udpStatus = line.substr(0, comma);
        const std::string ipStatus = comma == std::string::npos ? "" : line.substr(comma + 1);
        ++result.udp;
        result.good += udpStatus == "1" ? 1 : 0;
        result.bad += (udpStatus == "0" || (checkIp && ipStatus == "0")) ? 1 : 0;
    }
    return result;
}

} // namespace

/**
 * \ingroup quic-migration-tests
 * UDP checksums after translation, both directions and across a rebinding: recomputed from
 * the pcap by the test and checked by tshark when installed.
 */
class QuicNatChecksumTestCase : public QuicNatTestCase
{
  public:
    /// \param enabled ChecksumEnabled for the run
    explicit QuicNatChecksumTestCase(bool enabled)
        : QuicNatTestCase(enabled ? "UDP checksums enabled: every translated datagram (both "
                                    "ways, before and after a rebinding) carries a valid "
                                    "checksum over its new pseudo-header (pcap + tshark)"
                                  : "UDP checksums disabled: translated datagrams keep the "
                                    "zero (absent) checksum"),
          m_enabled(enabled)
    {
    }

  private:
    void DoSetup() override
    {
        BooleanValue value;
        GlobalValue::GetValueByName("ChecksumEnabled", value);
        m_previous = value.Get();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(m_enabled));
    }

    void DoTeardown() override
    {
        Simulator::Destroy();
        GlobalValue::Bind("ChecksumEnabled", BooleanValue(m_previous));
    }

    void DoRun() override
    {
        const std::string tag = m_enabled ? "on" : "off";
        const std::string insidePcap = CreateTempDirFilename("quic-nat-inside-" + tag + ".pcap");
        const std::string outsidePcap = CreateTempDirFilename("quic-nat-outside-" + tag + ".pcap");
        QuicNatHelper helper;
        helper.SetAttribute("RebindStart", TimeValue(Seconds(2)));
        NetOptions options;
        options.insidePcap = insidePcap;
        options.outsidePcap = outsidePcap;
        NatNet net = BuildNet(helper, options);
        helper.AssignStreams(NodeContainer(net.router), 8);
        NatLog log;
        log.Connect(net.nat);
        UdpPeer client(net.client, CLIENT_PORT, false);
        UdpPeer server(net.servers[0], SERVER_PORT, true);
        // Odd and even sizes, up to a full QUIC datagram.
        const std::vector<uint32_t> sizes{1, 2, 99, 100, 511, 1200, 1251, 1400};
        uint32_t sent = 0;
        for (uint32_t i = 0; i < 16; ++i)
        {
            client.SendAt(Seconds(0.5 + 0.25 * i),
                          InetSocketAddress(SERVER1, SERVER_PORT),
                          sizes[i % sizes.size()]);
            ++sent;
        }
        Simulator::Stop(Seconds(5));
        Simulator::Run();

        // With checksums on, ns-3's UDP layer drops a datagram with a bad checksum: the
        // echoes arriving at both ends are a first proof.
        NS_TEST_EXPECT_MSG_EQ(server.rx.size(), sent, "server: all datagrams accepted");
        NS_TEST_EXPECT_MSG_EQ(client.rx.size(), sent, "client: all echoes accepted");
        NS_TEST_EXPECT_MSG_EQ(log.rebinds.size(), 1, "a rebinding in the middle");
        Simulator::Destroy(); // closes the pcap files

        for (const std::string& path : {insidePcap, outsidePcap})
        {
            PcapChecksums c = CheckPcapChecksums(path);
            NS_TEST_EXPECT_MSG_EQ(c.udp, 2 * sent, path << ": datagrams both ways captured");
            if (m_enabled)
            {
                NS_TEST_EXPECT_MSG_EQ(c.ipGood, c.udp, path << ": IPv4 header checksums");
                NS_TEST_EXPECT_MSG_EQ(c.good, c.udp, path << ": " << c.firstBad);
            }
            else
            {
                NS_TEST_EXPECT_MSG_EQ(c.zero, c.udp, path << ": checksum stays 0 (absent)");
            }
            // Without ChecksumEnabled ns-3 also leaves the IPv4 header checksum at 0.
            TsharkResult t = RunTshark(path, path + ".tshark.txt", m_enabled);
            if (!t.ran)
            {
                std::cout << "quic-nat: tshark not available, pcap checksum check by tshark "
                             "skipped (the test's own recomputation above still ran)"
                          << std::endl;
                continue;
            }
            NS_TEST_EXPECT_MSG_EQ(t.udp,
                                  2 * sent,
                                  path << ": tshark sees the datagrams\n"
                                       << t.output);
            NS_TEST_EXPECT_MSG_EQ(t.bad, 0, path << ": tshark finds no bad checksum\n" << t.output);
            NS_TEST_EXPECT_MSG_EQ(t.good,
                                  (m_enabled ? t.udp : 0u),
                                  path << ": tshark UDP checksum status\n"
                                       << t.output);
        }
    }

    bool m_enabled;  //!< ChecksumEnabled during the run
    bool m_previous; //!< value to restore
};

/**
 * \ingroup quic-migration-tests
 * RFC 4787 REQ-11, determinism: the same stream gives the same ports, another stream others.
 */
class QuicNatDeterminismTestCase : public QuicNatTestCase
{
  public:
    QuicNatDeterminismTestCase()
        : QuicNatTestCase("RFC 4787 REQ-11 AssignStreams: same stream, same external ports "
                          "(also across a rebinding); another stream, other ports")
    {
    }

  private:
    /// \param stream the stream \return external ports of 5 flows and their rebinding
    std::vector<uint16_t> Ports(int64_t stream)
    {
        QuicNatHelper helper;
        helper.SetAttribute("RebindStart", TimeValue(Seconds(2)));
        NatNet net = BuildNet(helper);
        int64_t used = helper.AssignStreams(NodeContainer(net.client, net.router), stream);
        NS_TEST_EXPECT_MSG_EQ(used, 1, "one stream per NAT");
        NatLog log;
        log.Connect(net.nat);
        std::vector<std::unique_ptr<UdpPeer>> clients;
        for (uint32_t i = 0; i < 5; ++i)
        {
            clients.push_back(std::make_unique<UdpPeer>(net.client, CLIENT_PORT + i, false));
            clients.back()->SendAt(Seconds(1 + 0.01 * i), InetSocketAddress(SERVER1, SERVER_PORT));
        }
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        std::vector<uint16_t> ports;
        for (const auto& b : log.created)
        {
            ports.push_back(b.externalPort);
        }
        for (const auto& r : log.rebinds)
        {
            ports.push_back(r.newExternal.GetPort());
        }
        Simulator::Destroy();
        return ports;
    }

    void DoRun() override
    {
        std::vector<uint16_t> a = Ports(42);
        std::vector<uint16_t> b = Ports(42);
        std::vector<uint16_t> c = Ports(43);
        NS_TEST_ASSERT_MSG_EQ(a.size(), 10, "5 bindings, 5 rebinds");
        NS_TEST_EXPECT_MSG_EQ((a == b), true, "same stream, same ports");
        NS_TEST_EXPECT_MSG_EQ((a == c), false, "another stream, other ports");
    }
};

/**
 * \ingroup quic-migration-tests
 * Scale: 10 000 bindings injected straight into RouteInput; distinct ports; expiry is lazy
 * and bounded per packet, with no event per binding.
 */
class QuicNatScaleTestCase : public QuicNatTestCase
{
  public:
    QuicNatScaleTestCase()
        : QuicNatTestCase("10 000 bindings: distinct external ports, no per-binding event, "
                          "expiry lazy plus bounded per packet, full purge on GetBindingCount")
    {
    }

  private:
    /// Forward callback: counts what the NAT forwards.
    void Forwarded(Ptr<Ipv4Route> /* route */, Ptr<const Packet> /* p */, const Ipv4Header& header)
    {
        ++m_forwarded;
        m_sources.insert(header.GetSource());
    }

    /**
     * \brief Inject flows into the NAT as if they came from the inside link.
     * \param net the network
     * \param first index of the first flow
     * \param count number of flows
     */
    void Inject(const NatNet& net, uint32_t first, uint32_t count)
    {
        for (uint32_t i = first; i < first + count; ++i)
        {
            Ptr<Packet> p = Create<Packet>(20);
            UdpHeader udp;
            udp.SetSourcePort(static_cast<uint16_t>(10000 + i % 1000));
            udp.SetDestinationPort(SERVER_PORT);
            p->AddHeader(udp);
            Ipv4Header ip;
            ip.SetSource(Ipv4Address(CLIENT.Get() + 10 + i / 1000));
            ip.SetDestination(SERVER1);
            ip.SetProtocol(17);
            ip.SetTtl(64);
            ip.SetPayloadSize(p->GetSize());
            net.nat->RouteInput(
                p,
                ip,
                net.routerInsideDevice,
                MakeCallback(&QuicNatScaleTestCase::Forwarded, this),
                MakeNullCallback<void,
                                 Ptr<Ipv4MulticastRoute>,
                                 Ptr<const Packet>,
                                 const Ipv4Header&>(),
                MakeNullCallback<void, Ptr<const Packet>, const Ipv4Header&, uint32_t>(),
                MakeNullCallback<void,
                                 Ptr<const Packet>,
                                 const Ipv4Header&,
                                 Socket::SocketErrno>());
        }
    }

    void DoRun() override
    {
        constexpr uint32_t N = 10000;
        QuicNatHelper helper;
        helper.SetAttribute("BindingTimeout", TimeValue(Seconds(30)));
        NatNet net = BuildNet(helper);
        NatLog log;
        log.Connect(net.nat);
        uint32_t countAfterInject = 0;
        std::set<uint16_t> ports;
        uint64_t eventsBefore = 0;
        uint64_t eventsAfter = 0;
        size_t expiredAfterOne = 0;
        size_t expiredAfterHundred = 0;
        uint32_t countAtEnd = 0;
        Simulator::Schedule(Seconds(1), [&]() {
            Inject(net, 0, N);
            countAfterInject = net.nat->GetBindingCount();
            for (const auto& b : net.nat->GetBindings())
            {
                ports.insert(b.externalPort);
            }
            eventsBefore = Simulator::GetEventCount();
        });
        Simulator::Schedule(Seconds(40), [&]() {
            eventsAfter = Simulator::GetEventCount();
            Inject(net, N, 1);
            expiredAfterOne = log.expired.size();
            Inject(net, N + 1, 100);
            expiredAfterHundred = log.expired.size();
            countAtEnd = net.nat->GetBindingCount();
        });
        Simulator::Stop(Seconds(41));
        Simulator::Run();

        NS_TEST_EXPECT_MSG_EQ(m_forwarded, N + 101, "every injected datagram forwarded");
        NS_TEST_ASSERT_MSG_EQ(m_sources.size(), 1, "all leave with the external address");
        NS_TEST_EXPECT_MSG_EQ((*m_sources.begin()), EXTERNAL, "the external address");
        NS_TEST_EXPECT_MSG_EQ(countAfterInject, N, "10 000 live bindings");
        NS_TEST_EXPECT_MSG_EQ(ports.size(), N, "10 000 distinct external ports");
        NS_TEST_EXPECT_MSG_EQ(eventsAfter - eventsBefore,
                              1,
                              "no event per binding (only the test's own event ran)");
        NS_TEST_EXPECT_MSG_GT(expiredAfterOne, 0, "a packet removes expired bindings");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(expiredAfterOne, 4, "... but a bounded number");
        NS_TEST_EXPECT_MSG_LT_OR_EQ(expiredAfterHundred, 4 * 101, "bounded per packet");
        NS_TEST_EXPECT_MSG_EQ(countAtEnd, 101, "GetBindingCount purges the rest");
        NS_TEST_EXPECT_MSG_EQ(log.expired.size(), N, "every old binding expired, once");
    }

    uint32_t m_forwarded{0};         //!< forwarded datagrams
    std::set<Ipv4Address> m_sources; //!< their source addresses
};

/**
 * \ingroup quic-migration-tests
 * Packets the NAT does not translate: non-UDP (forwarded untouched, or dropped with
 * DropNonUdp), fragments and malformed UDP (dropped).
 */
class QuicNatNonUdpTestCase : public QuicNatTestCase
{
  public:
    /// \param dropNonUdp the DropNonUdp attribute
    explicit QuicNatNonUdpTestCase(bool dropNonUdp)
        : QuicNatTestCase(std::string("non-UDP forwarded untranslated") +
                          (dropNonUdp ? " unless DropNonUdp (then NOT_UDP)" : "") +
                          "; UDP fragments (FRAGMENT) and malformed UDP (MALFORMED) dropped"),
          m_dropNonUdp(dropNonUdp)
    {
    }

  private:
    /// Forward callback: records the forwarded headers.
    void Forwarded(Ptr<Ipv4Route> /* route */, Ptr<const Packet> /* p */, const Ipv4Header& header)
    {
        m_forwarded.push_back(header);
    }

    /**
     * \param net network \param p packet (transport header first) \param ip IPv4 header
     */
    void Inject(const NatNet& net, Ptr<Packet> p, const Ipv4Header& ip)
    {
        net.nat->RouteInput(
            p,
            ip,
            net.routerInsideDevice,
            MakeCallback(&QuicNatNonUdpTestCase::Forwarded, this),
            MakeNullCallback<void, Ptr<Ipv4MulticastRoute>, Ptr<const Packet>, const Ipv4Header&>(),
            MakeNullCallback<void, Ptr<const Packet>, const Ipv4Header&, uint32_t>(),
            MakeNullCallback<void, Ptr<const Packet>, const Ipv4Header&, Socket::SocketErrno>());
    }

    void DoRun() override
    {
        QuicNatHelper helper;
        helper.SetAttribute("DropNonUdp", BooleanValue(m_dropNonUdp));
        NatNet net = BuildNet(helper);
        NatLog log;
        log.Connect(net.nat);
        Ipv4Header ip;
        ip.SetSource(CLIENT);
        ip.SetDestination(SERVER1);
        ip.SetTtl(64);

        // TCP-like segment (protocol 6).
        Ptr<Packet> tcp = Create<Packet>(40);
        ip.SetProtocol(6);
        ip.SetPayloadSize(tcp->GetSize());
        Inject(net, tcp, ip);

        // First fragment of a UDP datagram.
        ip.SetProtocol(17);
        Ptr<Packet> frag = Create<Packet>(100);
        UdpHeader udp;
        udp.SetSourcePort(CLIENT_PORT);
        udp.SetDestinationPort(SERVER_PORT);
        frag->AddHeader(udp);
        ip.SetPayloadSize(frag->GetSize());
        ip.SetMoreFragments();
        Inject(net, frag, ip);
        ip.SetLastFragment();

        // UDP datagram shorter than a UDP header.
        Ptr<Packet> tiny = Create<Packet>(4);
        ip.SetPayloadSize(tiny->GetSize());
        Inject(net, tiny, ip);

        // A well-formed one, translated.
        Ptr<Packet> good = Create<Packet>(100);
        good->AddHeader(udp);
        ip.SetPayloadSize(good->GetSize());
        Inject(net, good, ip);

        const size_t expectedForwarded = m_dropNonUdp ? 1 : 2;
        NS_TEST_ASSERT_MSG_EQ(m_forwarded.size(), expectedForwarded, "forwarded packets");
        if (!m_dropNonUdp)
        {
            NS_TEST_EXPECT_MSG_EQ(m_forwarded[0].GetProtocol(), 6, "non-UDP forwarded");
            NS_TEST_EXPECT_MSG_EQ(m_forwarded[0].GetSource(), CLIENT, "... untranslated");
        }
        NS_TEST_EXPECT_MSG_EQ(m_forwarded.back().GetSource(), EXTERNAL, "UDP translated");
        NS_TEST_EXPECT_MSG_EQ(log.Drops(QuicNat::NOT_UDP), (m_dropNonUdp ? 1u : 0u), "NOT_UDP");
        NS_TEST_EXPECT_MSG_EQ(log.Drops(QuicNat::FRAGMENT), 1, "FRAGMENT");
        NS_TEST_EXPECT_MSG_EQ(log.Drops(QuicNat::MALFORMED), 1, "MALFORMED");
        NS_TEST_EXPECT_MSG_EQ(log.created.size(), 1, "only the good datagram made a binding");
    }

    bool m_dropNonUdp;                   //!< attribute
    std::vector<Ipv4Header> m_forwarded; //!< forwarded headers
};

/**
 * \ingroup quic-migration-tests
 * Installation: what the helper and Attach() do to the node, and what they refuse.
 */
class QuicNatInstallTestCase : public QuicNatTestCase
{
  public:
    QuicNatInstallTestCase()
        : QuicNatTestCase("helper: attributes, routing protocol wrapped, aggregation and config "
                          "path, PrintRoutingTable; CheckAttach refuses IPv6 and bad interfaces")
    {
    }

  private:
    /// \param b binding
    void Created(const QuicNatBinding& /* b */)
    {
        ++m_createdViaConfig;
    }

    void DoRun() override
    {
        QuicNatHelper helper;
        NetOptions options;
        options.install = false;
        NatNet net = BuildNet(helper, options);
        Ptr<Ipv4> ipv4 = net.router->GetObject<Ipv4>();
        Ptr<Ipv4RoutingProtocol> before = ipv4->GetRoutingProtocol();

        // Refusals, without aborting.
        std::string v6 = QuicNat::CheckAttach(net.router,
                                              net.insideIf,
                                              net.outsideIf,
                                              Ipv6Address("2001:db8::1"));
        NS_TEST_EXPECT_MSG_NE(v6.find("IPv4 only"), std::string::npos, v6);
        std::string loopback =
            QuicNat::CheckAttach(net.router, 0, net.outsideIf, Address(EXTERNAL));
        NS_TEST_EXPECT_MSG_NE(loopback.find("loopback"), std::string::npos, loopback);
        std::string same =
            QuicNat::CheckAttach(net.router, net.insideIf, net.insideIf, Address(EXTERNAL));
        NS_TEST_EXPECT_MSG_NE(same.find("both"), std::string::npos, same);
        Ptr<Node> bare = CreateObject<Node>();
        std::string noStack = QuicNat::CheckAttach(bare, 1, 2, Address(EXTERNAL));
        NS_TEST_EXPECT_MSG_NE(noStack.find("no IPv4 stack"), std::string::npos, noStack);
        NS_TEST_EXPECT_MSG_EQ(
            QuicNat::CheckAttach(net.router, net.insideIf, net.outsideIf, Address(EXTERNAL)),
            "",
            "valid arguments accepted");

        helper.SetAttribute("BindingTimeout", TimeValue(Seconds(30)));
        helper.SetAttribute("MaxBindings", UintegerValue(77));
        Ptr<QuicNat> nat = helper.Install(net.router, net.insideIf, net.outsideIf);
        TimeValue timeout;
        nat->GetAttribute("BindingTimeout", timeout);
        UintegerValue maxBindings;
        nat->GetAttribute("MaxBindings", maxBindings);
        NS_TEST_EXPECT_MSG_EQ(timeout.Get(), Seconds(30), "attribute through the helper");
        NS_TEST_EXPECT_MSG_EQ(maxBindings.Get(), 77, "attribute through the helper");
        NS_TEST_EXPECT_MSG_EQ(nat->GetExternalAddress(), EXTERNAL, "outside interface address");
        NS_TEST_EXPECT_MSG_EQ(nat->IsAttached(), true, "attached");
        NS_TEST_EXPECT_MSG_EQ(ipv4->GetRoutingProtocol(),
                              Ptr<Ipv4RoutingProtocol>(nat),
                              "the NAT is the routing protocol");
        NS_TEST_EXPECT_MSG_EQ(nat->GetWrappedRoutingProtocol(), before, "wrapping the old one");
        NS_TEST_EXPECT_MSG_EQ(net.router->GetObject<QuicNat>(), nat, "aggregated");
        std::string again =
            QuicNat::CheckAttach(net.router, net.insideIf, net.outsideIf, Address(EXTERNAL));
        NS_TEST_EXPECT_MSG_NE(again.find("already"), std::string::npos, again);

        std::ostringstream table;
        nat->PrintRoutingTable(Create<OutputStreamWrapper>(&table));
        NS_TEST_EXPECT_MSG_NE(table.str().find("QuicNat on node"), std::string::npos, "header");
        NS_TEST_EXPECT_MSG_NE(table.str().find("203.0.113.0"),
                              std::string::npos,
                              "the wrapped table follows:\n"
                                  << table.str());

        const std::string path =
            "/NodeList/" + std::to_string(net.router->GetId()) + "/$ns3::QuicNat/BindingCreated";
        bool connected = Config::ConnectWithoutContextFailSafe(
            path,
            MakeCallback(&QuicNatInstallTestCase::Created, this));
        NS_TEST_EXPECT_MSG_EQ(connected, true, "config path " << path);
        UdpPeer client(net.client, CLIENT_PORT, false);
        UdpPeer server(net.servers[0], SERVER_PORT, true);
        client.SendAt(Seconds(1), InetSocketAddress(SERVER1, SERVER_PORT));
        Simulator::Stop(Seconds(2));
        Simulator::Run();
        NS_TEST_EXPECT_MSG_EQ(m_createdViaConfig, 1, "trace through the config path");
        NS_TEST_EXPECT_MSG_EQ(client.rx.size(), 1, "static routes of the wrapped protocol used");
    }

    uint32_t m_createdViaConfig{0}; //!< BindingCreated via Config
};

/**
 * \ingroup quic-migration-tests
 * The NAT middlebox suite.
 */
class QuicNatTestSuite : public TestSuite
{
  public:
    QuicNatTestSuite()
        : TestSuite("quic-nat", QUIC_SUITE_SYSTEM)
    {
        AddTestCase(new QuicNatInstallTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicNatTranslationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicNatGlobalRoutingTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicNatEndpointIndependentTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicNatIdleTimeoutTestCase("NAT-05 30 s binding timeout, 45 s idle: "
                                                   "reply dropped, next datagram gets a new "
                                                   "random port",
                                                   Seconds(30),
                                                   Seconds(45),
                                                   false),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatIdleTimeoutTestCase("RFC 4787 REQ-5 default 120 s timeout, 125 s "
                                                   "idle: reply dropped, new binding",
                                                   Seconds(0),
                                                   Seconds(125),
                                                   false),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatIdleTimeoutTestCase("NAT-05 30 s timeout, 31 s idle, sequential "
                                                   "allocation: next binding takes the next port",
                                                   Seconds(30),
                                                   Seconds(31),
                                                   true),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatKeepAliveTestCase("NAT-05 keep-alive every 15 s, 30 s timeout: "
                                                 "one binding for 3 minutes",
                                                 Seconds(15),
                                                 1),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatKeepAliveTestCase("NAT-05 datagram every 45 s, 30 s timeout: a "
                                                 "new binding (rebinding) after every gap",
                                                 Seconds(45),
                                                 5),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatInboundRefreshTestCase(true), QUIC_TEST_QUICK);
        AddTestCase(new QuicNatInboundRefreshTestCase(false), QUIC_TEST_QUICK);
        AddTestCase(new QuicNatScheduledRebindTestCase("NAT-01 scheduled port rebinding at 5 s: "
                                                       "server sees a new port, old one dead",
                                                       Seconds(0),
                                                       false),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatScheduledRebindTestCase("NAT-01 periodic port rebinding from 5 s "
                                                       "every 2 s",
                                                       Seconds(2),
                                                       false),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatScheduledRebindTestCase("NAT-01 scheduled address rebinding at "
                                                       "5 s: server sees a new address, old "
                                                       "endpoint dead",
                                                       Seconds(0),
                                                       true),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatRebindOneTestCase, QUIC_TEST_QUICK);
        AddTestCase(
            new QuicNatPortAllocationTestCase("RFC 4787 §4.2 sequential allocation from MinPort",
                                              QuicNatPortAllocationTestCase::SEQUENTIAL_RANGE),
            QUIC_TEST_QUICK);
        AddTestCase(new QuicNatPortAllocationTestCase("RFC 4787 §4.2 random allocation within "
                                                      "[MinPort, MaxPort], distinct ports",
                                                      QuicNatPortAllocationTestCase::RANDOM_RANGE),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatPortAllocationTestCase("RFC 4787 REQ-3 3-port range, 4 flows: "
                                                      "PORTS_EXHAUSTED, no overloading",
                                                      QuicNatPortAllocationTestCase::EXHAUSTED),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatPortAllocationTestCase("RFC 4787 REQ-4 port parity preservation",
                                                      QuicNatPortAllocationTestCase::PARITY),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatTableFullTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicNatFilteringTestCase(QuicNat::ENDPOINT_INDEPENDENT), QUIC_TEST_QUICK);
        AddTestCase(new QuicNatFilteringTestCase(QuicNat::ADDRESS_DEPENDENT), QUIC_TEST_QUICK);
        AddTestCase(new QuicNatFilteringTestCase(QuicNat::ADDRESS_AND_PORT_DEPENDENT),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicNatChecksumTestCase(true), QUIC_TEST_QUICK);
        AddTestCase(new QuicNatChecksumTestCase(false), QUIC_TEST_QUICK);
        AddTestCase(new QuicNatDeterminismTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicNatScaleTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicNatNonUdpTestCase(false), QUIC_TEST_QUICK);
        AddTestCase(new QuicNatNonUdpTestCase(true), QUIC_TEST_QUICK);
    }
};

/// The suite instance.
static QuicNatTestSuite g_quicNatTestSuite;

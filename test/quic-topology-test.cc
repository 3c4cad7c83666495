/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The multi-access topology (QuicMigrationTopologyHelper), the address-change actions
// (QuicAddressChanger) and the keep-alive (QuicConnection::KeepAliveInterval) with the real
// simulator. Topology of every case (see quic-migration-topology.h):
//
//   client 10.1.(i+1).1 --access i (p2p|csma, own rate/delay)-- [NAT node] -- router
//          -- core p2p 1 Gbps 1 ms -- server 10.100.0.2:4433
//
// Rows of ../shared/rfc9000-migration-requirements.md proved here: MIG-04 and NAT-01 (a
// renumbered client address or a default-route switch makes the server see a new address,
// which it validates), MIG-08/MIG-09 (client migration with probe-then-switch and
// switch-immediately to a second interface with another delay), NAT-05 (30 s binding
// timeout, 45 s idle without keep-alive: new binding and path validation; with a 15 s
// keep-alive: one binding throughout).

#include "quic-ns3-compat.h"

#include "ns3/boolean.h"
#include "ns3/config.h"
#include "ns3/error-model.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/ppp-header.h"
#include "ns3/quic-address-change.h"
#include "ns3/quic-bulk-send-application.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-endpoint.h"
#include "ns3/quic-frame.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-migration-topology.h"
#include "ns3/quic-nat.h"
#include "ns3/quic-sink-application.h"
#include "ns3/quic-stream.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/test.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint16_t SERVER_PORT = 4433; //!< QUIC server port
constexpr uint16_t ECHO_PORT = 7;      //!< UDP echo port of the RTT probes

/// One access network, shortened.
QuicAccessNetworkConfig
Access(QuicAccessLinkType type, uint64_t rateBps, Time delay, bool nat = false)
{
    QuicAccessNetworkConfig c;
    c.m_type = type;
    c.m_dataRateBps = rateBps;
    c.m_delay = delay;
    c.m_nat = nat;
    return c;
}

/// What a test records of one QUIC connection.
struct Record
{
    /// One packet trace.
    struct Tx
    {
        Time t;                   //!< when
        QuicPacketTraceInfo info; //!< what
    };

    std::vector<Tx> sent;                                 //!< PacketSent
    std::vector<Tx> received;                             //!< PacketReceived
    std::vector<std::pair<Time, std::string>> pathEvents; //!< "event from to"
    std::map<std::string, Time> firstEvent;               //!< first time of each event
    std::vector<std::pair<Time, Time>> rttSamples;        //!< LatestRtt changes

    /// \param c the connection to listen to
    void Connect(Ptr<QuicConnection> c)
    {
        c->TraceConnectWithoutContext("PacketSent", MakeCallback(&Record::Sent, this));
        c->TraceConnectWithoutContext("PacketReceived", MakeCallback(&Record::Received, this));
        c->TraceConnectWithoutContext("PathEvent", MakeCallback(&Record::Path, this));
        c->TraceConnectWithoutContext("LatestRtt", MakeCallback(&Record::Rtt, this));
    }

    /// PacketSent sink
    void Sent(Ptr<const QuicConnection>, const QuicPacketTraceInfo& i)
    {
        sent.push_back({Simulator::Now(), i});
    }

    /// PacketReceived sink
    void Received(Ptr<const QuicConnection>, const QuicPacketTraceInfo& i)
    {
        received.push_back({Simulator::Now(), i});
    }

    /// PathEvent sink
    void Path(Ptr<const QuicConnection>,
              const std::string& e,
              const std::string& from,
              const std::string& to)
    {
        pathEvents.push_back({Simulator::Now(), e + " " + from + " " + to});
        firstEvent.emplace(e, Simulator::Now());
    }

    /// LatestRtt sink
    void Rtt(Time, Time sample)
    {
        rttSamples.push_back({Simulator::Now(), sample});
    }

    /// \param prefix event name followed by a space \return matching events
    std::vector<std::pair<Time, std::string>> Events(const std::string& prefix) const
    {
        std::vector<std::pair<Time, std::string>> out;
        for (const auto& e : pathEvents)
        {
            if (e.second.rfind(prefix, 0) == 0)
            {
                out.push_back(e);
            }
        }
        return out;
    }
};

/// Address-change trace recorder.
struct ChangeLog
{
    std::vector<std::pair<Time, QuicAddressChangeEvent>> events; //!< AddressChange

    /// \param e an event
    void Add(const QuicAddressChangeEvent& e)
    {
        events.push_back({Simulator::Now(), e});
    }
};

/// \param a a socket address \return its IPv4 address
Ipv4Address
Ip(const Address& a)
{
    return InetSocketAddress::IsMatchingType(a) ? InetSocketAddress::ConvertFrom(a).GetIpv4()
                                                : Ipv4Address();
}

/**
 * A topology from QuicMigrationTopologyHelper with a QUIC bulk transfer client -> server
 * (sink verifying the pattern), records of both connections and of the address changes.
 */
class TopologyFixture
{
  public:
    /**
     * \param access the access networks
     * \param bytes bytes of the transfer (0: no application installed)
     */
    TopologyFixture(const std::vector<QuicAccessNetworkConfig>& access, uint64_t bytes)
    {
        RngSeedManager::SetSeed(7);
        RngSeedManager::SetRun(1);
        for (const auto& a : access)
        {
            m_helper.AddAccessNetwork(a);
        }
        m_topo = m_helper.Install();
        QuicMigrationTopologyHelper::AssignStreams(m_topo, 100);
        m_topo.m_changer->TraceConnectWithoutContext("AddressChange",
                                                     MakeCallback(&ChangeLog::Add, &m_changes));
        m_serverEp = QuicEndpoint::Install(m_topo.m_server);
        m_clientEp = QuicEndpoint::Install(m_topo.m_client);
        m_serverEp->AssignStreams(10);
        m_clientEp->AssignStreams(20);
        m_serverEp->TraceConnectWithoutContext("NewConnection",
                                               MakeCallback(&TopologyFixture::OnServer, this));
        m_clientEp->TraceConnectWithoutContext("NewConnection",
                                               MakeCallback(&TopologyFixture::OnClient, this));
        if (bytes > 0)
        {
            QuicSinkHelper sink(InetSocketAddress(Ipv4Address::GetAny(), SERVER_PORT));
            m_sinkApps = sink.Install(m_topo.m_server);
            QuicBulkSendHelper bulk(InetSocketAddress(m_topo.m_serverAddress, SERVER_PORT));
            bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
            bulk.SetAttribute("CloseOnComplete", BooleanValue(false));
            m_bulkApps = bulk.Install(m_topo.m_client);
            m_bulkApps.Start(Seconds(0.1));
        }
    }

    ~TopologyFixture()
    {
        Simulator::Destroy();
    }

    /// \param c the server connection
    void OnServer(Ptr<QuicConnection> c)
    {
        m_server = c;
        m_srv.Connect(c);
    }

    /// \param c the client connection
    void OnClient(Ptr<QuicConnection> c)
    {
        m_client = c;
        m_cli.Connect(c);
    }

    /// \return the sink
    Ptr<QuicSinkApplication> Sink() const
    {
        return DynamicCast<QuicSinkApplication>(m_sinkApps.Get(0));
    }

    /// \param i access index \param t a time \return packets the client sent on access i after t
    uint32_t UplinkPacketsAfter(uint32_t i, Time t) const
    {
        uint32_t n = 0;
        auto it = m_uplinkRx.find(i);
        if (it != m_uplinkRx.end())
        {
            for (Time at : it->second)
            {
                n += at > t ? 1 : 0;
            }
        }
        return n;
    }

    /// Record the packets the client's IP layer sends out of each access interface.
    void WatchUplinks()
    {
        m_topo.m_client->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "SendOutgoing",
            MakeCallback(&TopologyFixture::Outgoing, this));
    }

    /// SendOutgoing sink \param h header \param p packet \param interface output interface
    void Outgoing(const Ipv4Header& /* h */, Ptr<const Packet> /* p */, uint32_t interface)
    {
        for (uint32_t i = 0; i < m_topo.m_access.size(); ++i)
        {
            if (m_topo.m_access[i].m_clientInterface == interface)
            {
                m_uplinkRx[i].push_back(Simulator::Now());
            }
        }
    }

    QuicMigrationTopologyHelper m_helper;             //!< the helper
    QuicMigrationTopology m_topo;                     //!< what it built
    Ptr<QuicEndpoint> m_serverEp;                     //!< server endpoint
    Ptr<QuicEndpoint> m_clientEp;                     //!< client endpoint
    ApplicationContainer m_sinkApps;                  //!< sink
    ApplicationContainer m_bulkApps;                  //!< bulk sender
    Ptr<QuicConnection> m_server;                     //!< server connection
    Ptr<QuicConnection> m_client;                     //!< client connection
    Record m_srv;                                     //!< server records
    Record m_cli;                                     //!< client records
    ChangeLog m_changes;                              //!< address changes
    std::map<uint32_t, std::vector<Time>> m_uplinkRx; //!< per access: IP send times
};

} // namespace

// ---------------------------------------------------------------------------------------------

/**
 * \ingroup quic-migration-tests
 * The helper builds N accesses of both link types with the requested rate and delay: a UDP
 * probe from a socket bound to each access address to an echo on the server measures
 * 2 x (access delay + core delay) plus serialization, and the server sees the access's
 * address (or its NAT's external address).
 */
class QuicTopologyRttTestCase : public TestCase
{
  public:
    /**
     * \param name case name
     * \param access the accesses
     */
    QuicTopologyRttTestCase(const std::string& name,
                            const std::vector<QuicAccessNetworkConfig>& access,
                            bool attackerAndVictim = false)
        : TestCase(name),
          m_access(access),
          m_attackerAndVictim(attackerAndVictim)
    {
    }

  private:
    void DoRun() override
    {
        QuicMigrationTopologyHelper helper;
        for (const auto& a : m_access)
        {
            helper.AddAccessNetwork(a);
        }
        helper.SetAttacker(m_attackerAndVictim);
        helper.SetVictim(m_attackerAndVictim);
        NS_TEST_ASSERT_MSG_EQ(helper.Validate(), "", "valid configuration");
        QuicMigrationTopology t = helper.Install();
        QuicMigrationTopologyHelper::AssignStreams(t, 1);
        NS_TEST_ASSERT_MSG_EQ(t.m_access.size(), m_access.size(), "one result per access");

        Ptr<Socket> echo = Socket::CreateSocket(t.m_server, UdpSocketFactory::GetTypeId());
        echo->Bind(InetSocketAddress(Ipv4Address::GetAny(), ECHO_PORT));
        std::vector<Ipv4Address> seenFrom;
        echo->SetRecvCallback([&seenFrom](Ptr<Socket> s) {
            Address from;
            while (Ptr<Packet> p = s->RecvFrom(from))
            {
                seenFrom.push_back(InetSocketAddress::ConvertFrom(from).GetIpv4());
                s->SendTo(p, 0, from);
            }
        });
        const uint32_t payload = 100; // IP packet 128 bytes
        std::vector<Ptr<Socket>> probes;
        std::vector<std::vector<Time>> rtts(m_access.size());
        std::vector<Time> sentAt(m_access.size());
        for (uint32_t i = 0; i < t.m_access.size(); ++i)
        {
            Ptr<Socket> s = Socket::CreateSocket(t.m_client, UdpSocketFactory::GetTypeId());
            s->Bind(InetSocketAddress(t.m_access[i].m_clientAddress, 0));
            s->SetRecvCallback([&rtts, &sentAt, i](Ptr<Socket> sock) {
                while (sock->Recv())
                {
                    rtts[i].push_back(Simulator::Now() - sentAt[i]);
                }
            });
            probes.push_back(s);
            // Probe 1 warms the ARP caches (CSMA); probe 2 is measured.
            for (Time at : {Seconds(1), Seconds(2)})
            {
                Simulator::Schedule(at + MilliSeconds(100 * i), [s, &sentAt, i, &t, payload]() {
                    sentAt[i] = Simulator::Now();
                    s->SendTo(Create<Packet>(payload),
                              0,
                              InetSocketAddress(t.m_serverAddress, ECHO_PORT));
                });
            }
        }
        // Attacker and victim reach the server through the router.
        for (Ptr<Node> n : {t.m_attacker, t.m_victim})
        {
            NS_TEST_ASSERT_MSG_EQ(bool(n), m_attackerAndVictim, "node built as requested");
            if (n)
            {
                Ptr<Socket> s = Socket::CreateSocket(n, UdpSocketFactory::GetTypeId());
                Ipv4Address server = t.m_serverAddress;
                Simulator::Schedule(Seconds(3), [s, server]() {
                    s->SendTo(Create<Packet>(100), 0, InetSocketAddress(server, ECHO_PORT));
                });
                probes.push_back(s);
            }
        }
        Simulator::Stop(Seconds(4));
        Simulator::Run();
        std::set<Ipv4Address> from(seenFrom.begin(), seenFrom.end());
        if (m_attackerAndVictim)
        {
            NS_TEST_ASSERT_MSG_EQ(from.count(Ipv4Address("10.200.0.2")), 1, "attacker reached");
            NS_TEST_ASSERT_MSG_EQ(from.count(Ipv4Address("10.201.0.2")), 1, "victim reached");
            NS_TEST_ASSERT_MSG_EQ(t.m_attackerAddress, Ipv4Address("10.200.0.2"), "attacker");
            NS_TEST_ASSERT_MSG_EQ(t.m_victimAddress, Ipv4Address("10.201.0.2"), "victim");
        }
        for (uint32_t i = 0; i < t.m_access.size(); ++i)
        {
            const QuicAccessNetworkConfig& c = m_access[i];
            NS_TEST_ASSERT_MSG_EQ(rtts[i].size(), 2, "both probes of access " << i << " came back");
            NS_TEST_ASSERT_MSG_EQ(from.count(t.m_access[i].m_externalAddress),
                                  1,
                                  "the server saw access " << i << "'s external address");
            NS_TEST_ASSERT_MSG_EQ(bool(t.m_access[i].m_nat), c.m_nat, "NAT as requested");
            if (rtts[i].size() < 2)
            {
                continue;
            }
            Time core = MilliSeconds(1);
            double txAccess = 128.0 * 8 / c.m_dataRateBps; // seconds, IP bytes only
            Time lower = 2 * (c.m_delay + core) + Seconds(2 * txAccess);
            // Link headers (PPP 2, Ethernet 18 + padding) and the 1 Gbps core/uplink hops.
            Time upper = 2 * (c.m_delay + core) + Seconds(2 * (128.0 + 64) * 8 / c.m_dataRateBps) +
                         MicroSeconds(20);
            NS_TEST_ASSERT_MSG_GT_OR_EQ(rtts[i][1], lower, "access " << i << " RTT >= expected");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(rtts[i][1], upper, "access " << i << " RTT <= expected");
        }
        Simulator::Destroy();
    }

    std::vector<QuicAccessNetworkConfig> m_access; //!< the accesses
    bool m_attackerAndVictim;                      //!< also build attacker and victim
};

/**
 * \ingroup quic-migration-tests
 * MIG-04 NAT-01: a DHCP-like renumbering of the client's interface mid-transfer. The client's
 * socket is bound to the any-address, so its packets leave with the new address; the server
 * sees the address change, validates the new address and switches to it; the data arrives
 * intact. The AddressChange trace reports the old and new addresses.
 */
class QuicTopologyRenumberTestCase : public TestCase
{
  public:
    QuicTopologyRenumberTestCase()
        : TestCase("MIG-04 NAT-01 renumbered client interface, server validates the new address")
    {
    }

  private:
    void DoRun() override
    {
        TopologyFixture f({Access(QuicAccessLinkType::POINT_TO_POINT, 10000000, MilliSeconds(10)),
                           Access(QuicAccessLinkType::CSMA, 10000000, MilliSeconds(20))},
                          2000000);
        uint32_t ifIndex = f.m_topo.m_access[0].m_clientInterface;
        f.m_topo.m_changer->ScheduleRenumber(Seconds(1), ifIndex);
        Simulator::Stop(Seconds(8));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 2000000, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
        NS_TEST_ASSERT_MSG_EQ(f.m_changes.events.size(), 1, "one address change");
        if (f.m_changes.events.size() == 1)
        {
            const QuicAddressChangeEvent& e = f.m_changes.events[0].second;
            NS_TEST_ASSERT_MSG_EQ((e.m_action == QuicAddressChangeAction::RENUMBER), true, "kind");
            NS_TEST_ASSERT_MSG_EQ(e.m_ok, true, "renumbered");
            NS_TEST_ASSERT_MSG_EQ(e.m_oldAddress, Ipv4Address("10.1.1.1"), "old address");
            NS_TEST_ASSERT_MSG_EQ(e.m_newAddress, Ipv4Address("10.1.1.101"), "new address");
            NS_TEST_ASSERT_MSG_EQ(f.m_changes.events[0].first, Seconds(1), "at the time asked");
        }
        Ptr<Ipv4> ipv4 = f.m_topo.m_client->GetObject<Ipv4>();
        NS_TEST_ASSERT_MSG_EQ(ipv4->GetAddress(ifIndex, 0).GetLocal(),
                              Ipv4Address("10.1.1.101"),
                              "the interface carries the new address");
        auto changed = f.m_srv.Events("peer_address_changed ");
        NS_TEST_ASSERT_MSG_EQ(changed.size(), 1, "MIG-04: the server saw the address change");
        bool validatedNew = false;
        for (const auto& e : f.m_srv.Events("path_validated "))
        {
            validatedNew = validatedNew || (e.first > Seconds(1) &&
                                            e.second.find("10.1.1.101:") != std::string::npos);
        }
        NS_TEST_ASSERT_MSG_EQ(validatedNew, true, "NAT-01: the new address was validated");
        if (f.m_server)
        {
            NS_TEST_ASSERT_MSG_EQ(Ip(f.m_server->GetActivePath().GetRemoteAddress()),
                                  Ipv4Address("10.1.1.101"),
                                  "the server now sends to the new address");
        }
        // The server's first packet to the new address carries PATH_CHALLENGE.
        for (const auto& t : f.m_srv.sent)
        {
            if (Ip(t.info.m_remote) == Ipv4Address("10.1.1.101"))
            {
                NS_TEST_ASSERT_MSG_NE(
                    (t.info.m_frameTypes & QuicFrameTypeBit(QuicFrameType::PATH_CHALLENGE)),
                    0,
                    "first packet to the new address challenges it");
                break;
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * Link down on the access carrying the connection: the static routes through it vanish; the
 * traffic continues on the other interface after a default-route switch (the client's
 * any-address socket now sends with the other access's address, which the server validates,
 * NAT-01) or after a client migration to the other interface (switch-immediately). No packet
 * leaves through the downed access afterwards; the data arrives intact.
 */
class QuicTopologyLinkDownTestCase : public TestCase
{
  public:
    /// \param migrate recover by migration (else by route switch)
    explicit QuicTopologyLinkDownTestCase(bool migrate)
        : TestCase(std::string("link down on access 0, traffic continues on access 1 after ") +
                   (migrate ? "migration" : "route switch")),
          m_migrate(migrate)
    {
    }

  private:
    void DoRun() override
    {
        TopologyFixture f({Access(QuicAccessLinkType::POINT_TO_POINT, 10000000, MilliSeconds(10)),
                           Access(QuicAccessLinkType::POINT_TO_POINT, 10000000, MilliSeconds(25))},
                          3000000);
        f.WatchUplinks();
        uint32_t if0 = f.m_topo.m_access[0].m_clientInterface;
        uint32_t if1 = f.m_topo.m_access[1].m_clientInterface;
        f.m_topo.m_changer->ScheduleInterfaceDown(Seconds(1), if0);
        if (m_migrate)
        {
            Simulator::Schedule(Seconds(1.2), [&f, if1]() {
                f.m_topo.m_changer->MigrateConnection(f.m_client,
                                                      if1,
                                                      QuicConnection::SWITCH_IMMEDIATELY);
            });
        }
        else
        {
            f.m_topo.m_changer->ScheduleDefaultRoute(Seconds(1.2), if1);
        }
        Simulator::Stop(Seconds(12));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
        NS_TEST_ASSERT_MSG_EQ(f.m_changes.events.size(), 2, "two actions traced");
        for (const auto& e : f.m_changes.events)
        {
            NS_TEST_ASSERT_MSG_EQ(e.second.m_ok, true, e.second.m_detail);
        }
        NS_TEST_ASSERT_MSG_GT(f.UplinkPacketsAfter(0, Seconds(0.5)), 0, "access 0 used first");
        // Counted at the client's IP layer (SendOutgoing): Ipv4::SetDown at 1 s.
        NS_TEST_ASSERT_MSG_EQ(f.UplinkPacketsAfter(0, Seconds(1)), 0, "nothing on the downed link");
        NS_TEST_ASSERT_MSG_GT(f.UplinkPacketsAfter(1, Seconds(1.2)), 100, "access 1 carries it");
        NS_TEST_ASSERT_MSG_EQ((f.UplinkPacketsAfter(1, Seconds(0)) ==
                               f.UplinkPacketsAfter(1, Seconds(1.2) - NanoSeconds(1))),
                              true,
                              "access 1 unused before the recovery");
        if (f.m_server)
        {
            NS_TEST_ASSERT_MSG_EQ(Ip(f.m_server->GetActivePath().GetRemoteAddress()),
                                  f.m_topo.m_access[1].m_clientAddress,
                                  "the server ends on access 1's address");
        }
        NS_TEST_ASSERT_MSG_EQ(f.m_srv.Events("path_validated ").empty(), false, "validated");
    }

    bool m_migrate; //!< recovery by migration
};

/**
 * \ingroup quic-migration-tests
 * NAT-01: switching the default route (Wi-Fi to cellular) moves the outgoing packets of an
 * any-address socket to the other access within the time the old device queue drains; the
 * server validates the new address; the data arrives intact.
 */
class QuicTopologyRouteSwitchTestCase : public TestCase
{
  public:
    QuicTopologyRouteSwitchTestCase()
        : TestCase("NAT-01 default-route switch moves outgoing packets to the other access")
    {
    }

  private:
    void DoRun() override
    {
        TopologyFixture f({Access(QuicAccessLinkType::CSMA, 20000000, MilliSeconds(5)),
                           Access(QuicAccessLinkType::POINT_TO_POINT, 20000000, MilliSeconds(15))},
                          3000000);
        f.WatchUplinks();
        uint32_t if1 = f.m_topo.m_access[1].m_clientInterface;
        NS_TEST_ASSERT_MSG_EQ(f.m_topo.m_changer->GetDefaultRouteInterface(),
                              static_cast<int32_t>(f.m_topo.m_access[0].m_clientInterface),
                              "default route on access 0 at first");
        f.m_topo.m_changer->ScheduleDefaultRoute(Seconds(1), if1);
        Simulator::Stop(Seconds(8));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
        NS_TEST_ASSERT_MSG_EQ(f.m_topo.m_changer->GetDefaultRouteInterface(),
                              static_cast<int32_t>(if1),
                              "default route moved");
        NS_TEST_ASSERT_MSG_EQ(f.m_changes.events.size(), 1, "one action traced");
        if (!f.m_changes.events.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(f.m_changes.events[0].second.m_newAddress,
                                  f.m_topo.m_access[1].m_gatewayAddress,
                                  "new gateway reported");
        }
        // Counted at the client's IP layer (SendOutgoing): the route moves at 1 s.
        NS_TEST_ASSERT_MSG_GT(
            (f.UplinkPacketsAfter(0, Seconds(0.5)) - f.UplinkPacketsAfter(0, Seconds(1))),
            0,
            "access 0 carried the data before");
        NS_TEST_ASSERT_MSG_EQ(f.UplinkPacketsAfter(0, Seconds(1)), 0, "none after the switch");
        NS_TEST_ASSERT_MSG_GT(f.UplinkPacketsAfter(1, Seconds(1)), 100, "access 1 after");
        NS_TEST_ASSERT_MSG_EQ(f.m_srv.Events("peer_address_changed ").size(), 1, "address change");
        if (f.m_server)
        {
            NS_TEST_ASSERT_MSG_EQ(Ip(f.m_server->GetActivePath().GetRemoteAddress()),
                                  f.m_topo.m_access[1].m_clientAddress,
                                  "the server ends on access 1's address");
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * MIG-08 MIG-09 PV-05: client migration with both policies to a second interface with a
 * longer delay (access 0: p2p 10 Mbps 10 ms; access 1: p2p 50 Mbps 30 ms; core 1 ms; a CSMA
 * access would not do: ns-3's CsmaChannel stays busy during the propagation delay). The
 * client's path validation completes within the new path's RTT (62 ms) plus serialization
 * and the peer's handling, and not faster (so the challenge really crossed access 1); the
 * RTT samples after the switch show the new delay; packets after the switch leave from the
 * new address; the data arrives intact.
 */
class QuicTopologyMigrationTestCase : public TestCase
{
  public:
    /// \param policy the migration policy
    explicit QuicTopologyMigrationTestCase(QuicConnection::MigrationPolicy policy)
        : TestCase(std::string("MIG-08 MIG-09 migration to a 30 ms interface, ") +
                   (policy == QuicConnection::PROBE_THEN_SWITCH ? "probe-then-switch"
                                                                : "switch-immediately")),
          m_policy(policy)
    {
    }

  private:
    void DoRun() override
    {
        TopologyFixture f({Access(QuicAccessLinkType::POINT_TO_POINT, 10000000, MilliSeconds(10)),
                           Access(QuicAccessLinkType::POINT_TO_POINT, 50000000, MilliSeconds(30))},
                          3000000);
        uint32_t if1 = f.m_topo.m_access[1].m_clientInterface;
        Ipv4Address newAddress = f.m_topo.m_access[1].m_clientAddress;
        Simulator::Schedule(Seconds(1), [&f, if1, this]() {
            f.m_topo.m_changer->MigrateConnection(f.m_client, if1, m_policy);
        });
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
        NS_TEST_ASSERT_MSG_EQ(f.m_changes.events.size(), 1, "one action traced");
        if (!f.m_changes.events.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(f.m_changes.events[0].second.m_ok, true, "migration started");
        }
        auto started = f.m_cli.firstEvent.find("migration_started");
        NS_TEST_ASSERT_MSG_EQ((started != f.m_cli.firstEvent.end()), true, "migration started");
        Time validated = Time::Max();
        for (const auto& e : f.m_cli.Events("path_validated "))
        {
            if (e.first >= Seconds(1) && e.second.find("10.1.2.1:") != std::string::npos)
            {
                validated = std::min(validated, e.first);
            }
        }
        NS_TEST_ASSERT_MSG_NE(validated, Time::Max(), "the new path was validated");
        Time newRtt = 2 * (MilliSeconds(30) + MilliSeconds(1));
        if (validated != Time::Max())
        {
            Time took = validated - Seconds(1);
            NS_TEST_ASSERT_MSG_GT_OR_EQ(took, newRtt, "not faster than the new path's RTT");
            // 1200-byte challenge and response at 50 Mbps (< 0.4 ms both ways) and 1 Gbps, plus
            // the server's immediate response: well within 5 ms.
            NS_TEST_ASSERT_MSG_LT_OR_EQ(took,
                                        newRtt + MilliSeconds(5),
                                        "within RTT + serialization");
        }
        // RTT samples after the switch reflect the 62 ms path (queueing adds at most ~21 ms
        // at 50 Mbps with 100 packets, a delayed ACK at most 25 ms).
        uint32_t after = 0;
        bool allNew = true;
        for (const auto& s : f.m_cli.rttSamples)
        {
            if (s.first > validated + MilliSeconds(200))
            {
                ++after;
                allNew = allNew && s.second >= newRtt && s.second < newRtt + MilliSeconds(50);
            }
        }
        NS_TEST_ASSERT_MSG_GT(after, 10, "RTT samples on the new path");
        NS_TEST_ASSERT_MSG_EQ(allNew, true, "they show the new path's delay");
        uint32_t fromNew = 0;
        uint32_t fromOld = 0;
        for (const auto& t : f.m_cli.sent)
        {
            if (t.t > validated + MilliSeconds(200))
            {
                (Ip(t.info.m_local) == newAddress ? fromNew : fromOld) += 1;
            }
        }
        NS_TEST_ASSERT_MSG_GT(fromNew, 100, "packets leave from the new address");
        NS_TEST_ASSERT_MSG_EQ(fromOld, 0, "none from the old one");
        if (f.m_server)
        {
            NS_TEST_ASSERT_MSG_EQ(Ip(f.m_server->GetActivePath().GetRemoteAddress()),
                                  newAddress,
                                  "the server follows");
        }
    }

    QuicConnection::MigrationPolicy m_policy; //!< policy
};

/// Drops IPv4 fragments arriving at a point-to-point device (a path that does not fragment).
class FragmentDropModel : public ErrorModel
{
  public:
    uint32_t m_dropped{0}; //!< fragments dropped

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        Ptr<Packet> copy = p->Copy();
        PppHeader ppp;
        copy->RemoveHeader(ppp);
        if (ppp.GetProtocol() != 0x0021)
        {
            return false;
        }
        Ipv4Header h;
        copy->PeekHeader(h);
        bool fragment = !h.IsLastFragment() || h.GetFragmentOffset() != 0;
        m_dropped += fragment ? 1 : 0;
        return fragment;
    }

    void DoReset() override
    {
    }
};

/**
 * \ingroup quic-migration-tests
 * FMT-09 PV-15: the client migrates to access 1, whose link has a 1100-byte MTU and does not
 * carry IP fragments (ns-3's IPv4 fragments at the source whatever the DF bit; the link drops
 * the fragments, as a path honouring DF drops the datagram), so it cannot carry 1200-byte UDP
 * payloads (RFC 9000 §14). Every datagram carrying a PATH_CHALLENGE is expanded to 1200 bytes
 * (§8.2.1) and is lost there: the validation of the new path fails, nobody closes the
 * connection (no CONNECTION_CLOSE, no Closed trace) while the old path exists, and the
 * transfer completes on access 0.
 */
class QuicTopologySmallMtuTestCase : public TestCase
{
  public:
    /// \param policy the migration policy
    explicit QuicTopologySmallMtuTestCase(QuicConnection::MigrationPolicy policy)
        : TestCase(std::string("FMT-09 PV-15 migration to a path under 1200 bytes fails, no "
                               "close, ") +
                   (policy == QuicConnection::PROBE_THEN_SWITCH ? "probe-then-switch"
                                                                : "switch-immediately")),
          m_policy(policy)
    {
    }

  private:
    void DoRun() override
    {
        TopologyFixture f({Access(QuicAccessLinkType::POINT_TO_POINT, 10000000, MilliSeconds(10)),
                           Access(QuicAccessLinkType::POINT_TO_POINT, 10000000, MilliSeconds(10))},
                          3000000);
        const QuicAccessNetwork& small = f.m_topo.m_access[1];
        small.m_clientDevice->SetMtu(1100);
        small.m_gatewayDevice->SetMtu(1100);
        Ptr<FragmentDropModel> up = CreateObject<FragmentDropModel>();
        Ptr<FragmentDropModel> down = CreateObject<FragmentDropModel>();
        DynamicCast<PointToPointNetDevice>(small.m_gatewayDevice)->SetReceiveErrorModel(up);
        DynamicCast<PointToPointNetDevice>(small.m_clientDevice)->SetReceiveErrorModel(down);
        uint32_t closes = 0;
        auto onClosed = [&closes](Ptr<const QuicConnection>, uint64_t, bool) { ++closes; };
        Address oldLocal;
        Address oldRemote;
        Simulator::Schedule(Seconds(0.9), [&f, &onClosed, &oldLocal, &oldRemote]() {
            oldLocal = f.m_client->GetActivePath().GetLocalAddress();
            oldRemote = f.m_server->GetActivePath().GetRemoteAddress();
            for (const auto& c : {f.m_client, f.m_server})
            {
                c->TraceConnectWithoutContext(
                    "Closed",
                    Callback<void, Ptr<const QuicConnection>, uint64_t, bool>(onClosed));
            }
        });
        uint32_t if1 = small.m_clientInterface;
        Ipv4Address smallAddress = small.m_clientAddress;
        Simulator::Schedule(Seconds(1), [&f, if1, this]() {
            f.m_topo.m_changer->MigrateConnection(f.m_client, if1, m_policy);
        });
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.m_changes.events.size(), 1, "one action traced");
        if (!f.m_changes.events.empty())
        {
            NS_TEST_ASSERT_MSG_EQ(f.m_changes.events[0].second.m_ok, true, "migration started");
        }
        // The challenges were sent from access 1, expanded to at least 1200 bytes, and lost.
        uint32_t challenges = 0;
        uint32_t small1200 = 0;
        for (const auto& t : f.m_cli.sent)
        {
            if (Ip(t.info.m_local) == smallAddress &&
                (t.info.m_frameTypes & QuicFrameTypeBit(QuicFrameType::PATH_CHALLENGE)))
            {
                ++challenges;
                small1200 += t.info.m_datagramSize < 1200 ? 1 : 0;
            }
        }
        NS_TEST_ASSERT_MSG_GT(challenges, 0, "challenges sent on the small path");
        NS_TEST_ASSERT_MSG_EQ(small1200, 0, "each expanded to 1200 bytes (§8.2.1)");
        NS_TEST_ASSERT_MSG_GT(up->m_dropped, 0, "their fragments did not cross the link");
        std::ostringstream os;
        os << smallAddress << ":";
        std::string tag = os.str();
        uint32_t failed = 0;
        for (const auto& e : f.m_cli.Events("validation_failed "))
        {
            failed += e.second.find(tag) != std::string::npos ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_GT(failed, 0, "FMT-09: the client's validation of the path failed");
        for (const Record* r : {&f.m_cli, &f.m_srv})
        {
            for (const auto& e : r->Events("path_validated "))
            {
                NS_TEST_ASSERT_MSG_EQ(e.second.find(tag),
                                      std::string::npos,
                                      "the small path is never validated: " << e.second);
            }
        }
        // FMT-09: the too-small path closes nothing while the old path exists.
        NS_TEST_ASSERT_MSG_EQ(closes, 0, "FMT-09: neither endpoint closed the connection");
        uint32_t closeFrames = 0;
        for (const Record* r : {&f.m_cli, &f.m_srv})
        {
            for (const auto& t : r->sent)
            {
                closeFrames += (t.info.m_frameTypes & QUIC_FRAME_MASK_CONNECTION_CLOSE) ? 1 : 0;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(closeFrames, 0, "FMT-09: no CONNECTION_CLOSE");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "the transfer completes");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
        if (f.m_client && f.m_server)
        {
            NS_TEST_ASSERT_MSG_EQ(f.m_client->GetActivePath().GetLocalAddress(),
                                  oldLocal,
                                  "the client is back on (or stayed on) the old path");
            NS_TEST_ASSERT_MSG_EQ(f.m_server->GetActivePath().GetRemoteAddress(),
                                  oldRemote,
                                  "the server sends on the old path");
        }
    }

    QuicConnection::MigrationPolicy m_policy; //!< policy
};

/**
 * \ingroup quic-migration-tests
 * NAT-05 NAT-01: a client behind a QuicNat with a 30 s binding timeout sends 20 kB, stays idle
 * 45 s, then sends 20 kB more and the FIN. Without keep-alive the binding expired: the next
 * datagram gets a new binding (new external port), the server sees the port change and
 * validates the new path, and all 40 kB arrive intact. With KeepAliveInterval = 15 s the
 * client's PINGs keep the binding: one binding, one external port at the server throughout.
 */
class QuicTopologyNatKeepAliveTestCase : public TestCase
{
  public:
    /// \param keepAlive the client's KeepAliveInterval (0: off)
    explicit QuicTopologyNatKeepAliveTestCase(Time keepAlive)
        : TestCase(std::string("NAT-05 30 s NAT binding, 45 s idle, ") +
                   (keepAlive.IsZero() ? "no keep-alive: rebinding and validation"
                                       : "15 s keep-alive: no rebinding")),
          m_keepAlive(keepAlive)
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::MaxIdleTimeout", TimeValue(Seconds(120)));
        {
            Run();
        }
        Config::Reset();
    }

    void Run()
    {
        constexpr uint64_t chunk = 20000;
        TopologyFixture f(
            {Access(QuicAccessLinkType::POINT_TO_POINT, 10000000, MilliSeconds(10), true)},
            0);
        // Set before AssignStreams? The NAT was created by Install(): change its timeout now.
        Ptr<QuicNat> nat = f.m_topo.m_access[0].m_nat;
        NS_TEST_ASSERT_MSG_EQ(bool(nat), true, "access 0 is behind a NAT");
        if (!nat)
        {
            return;
        }
        nat->SetAttribute("BindingTimeout", TimeValue(Seconds(30)));
        uint32_t created = 0;
        uint32_t expired = 0;
        nat->TraceConnectWithoutContext("BindingCreated",
                                        MakeBoundCallback(
                                            +[](uint32_t* n, const QuicNatBinding&) { ++*n; },
                                            &created));
        nat->TraceConnectWithoutContext("BindingExpired",
                                        MakeBoundCallback(
                                            +[](uint32_t* n, const QuicNatBinding&) { ++*n; },
                                            &expired));

        // Server: count and verify the stream bytes.
        uint64_t delivered = 0;
        uint64_t mismatches = 0;
        bool fin = false;
        f.m_serverEp->Listen(InetSocketAddress(Ipv4Address::GetAny(), SERVER_PORT));
        std::function<void(Ptr<QuicConnection>, uint64_t, const uint8_t*, size_t, bool)> onData =
            [&](Ptr<QuicConnection>, uint64_t, const uint8_t* data, size_t size, bool isFin) {
                mismatches += QuicStreamPattern::Matches(delivered, data, size) ? 0 : 1;
                delivered += size;
                fin = fin || isFin;
            };
        f.m_serverEp->SetNewConnectionCallback(
            Callback<void, Ptr<QuicConnection>>([&onData](Ptr<QuicConnection> c) {
                c->SetStreamDataCallback(QuicConnection::StreamDataCallback(onData));
            }));
        // Client: connect at 0.1 s, send a chunk once confirmed, another at 46.5 s + FIN.
        Ptr<QuicConnection> client;
        int64_t stream = -1;
        Time keepAlive = m_keepAlive;
        Simulator::ScheduleWithContext(f.m_topo.m_client->GetId(), Seconds(0.1), [&]() {
            client =
                f.m_clientEp->Connect(InetSocketAddress(f.m_topo.m_serverAddress, SERVER_PORT));
            if (!client)
            {
                return;
            }
            client->SetAttribute("KeepAliveInterval", TimeValue(keepAlive));
            client->SetHandshakeConfirmedCallback(
                Callback<void, Ptr<QuicConnection>>([&stream](Ptr<QuicConnection> c) {
                    stream = c->OpenStream(true);
                    if (stream >= 0)
                    {
                        c->SendPattern(static_cast<uint64_t>(stream), chunk);
                    }
                }));
        });
        Simulator::ScheduleWithContext(f.m_topo.m_client->GetId(), Seconds(46.5), [&]() {
            if (client && stream >= 0)
            {
                client->SendPattern(static_cast<uint64_t>(stream), chunk);
                client->FinishStream(static_cast<uint64_t>(stream));
            }
        });
        Simulator::Stop(Seconds(55));
        Simulator::Run();

        NS_TEST_ASSERT_MSG_EQ(delivered, 2 * chunk, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(mismatches, 0, "intact");
        NS_TEST_ASSERT_MSG_EQ(fin, true, "FIN delivered");
        // The last transfer of the first chunk ends within ~1 s; then 45 s of silence.
        Time lastBeforeIdle;
        uint32_t pings = 0;
        std::set<uint16_t> serverSawPorts;
        for (const auto& t : f.m_srv.received)
        {
            serverSawPorts.insert(InetSocketAddress::ConvertFrom(t.info.m_remote).GetPort());
        }
        for (const auto& t : f.m_cli.sent)
        {
            if (t.t > Seconds(2) && t.t < Seconds(46.5))
            {
                pings += (t.info.m_frameTypes & QuicFrameTypeBit(QuicFrameType::PING)) ? 1 : 0;
            }
            if (t.t < Seconds(46.5))
            {
                lastBeforeIdle = t.t;
            }
        }
        if (m_keepAlive.IsZero())
        {
            NS_TEST_ASSERT_MSG_LT(lastBeforeIdle, Seconds(1.5), "idle from 1.5 s to 46.5 s");
            NS_TEST_ASSERT_MSG_EQ(pings, 0, "no keep-alive PING");
            NS_TEST_ASSERT_MSG_EQ(expired, 1, "NAT-05: the binding expired while idle");
            NS_TEST_ASSERT_MSG_EQ(created, 2, "a new binding for the next datagram");
            NS_TEST_ASSERT_MSG_EQ(serverSawPorts.size(), 2, "the server saw a new port");
            bool validated = false;
            for (const auto& e : f.m_srv.Events("path_validated "))
            {
                validated = validated || e.first > Seconds(46.5);
            }
            NS_TEST_ASSERT_MSG_EQ(f.m_srv.Events("peer_port_changed ").size(),
                                  1,
                                  "NAT-01: a port change");
            NS_TEST_ASSERT_MSG_EQ(validated, true, "NAT-01: the new path validated");
        }
        else
        {
            // PINGs at about 15, 30 and 45 s after the last ack-eliciting packet.
            NS_TEST_ASSERT_MSG_GT_OR_EQ(pings, 2, "keep-alive PINGs while idle");
            NS_TEST_ASSERT_MSG_LT_OR_EQ(pings, 3, "one per interval");
            NS_TEST_ASSERT_MSG_EQ(expired, 0, "the binding never expired");
            NS_TEST_ASSERT_MSG_EQ(created, 1, "one binding throughout");
            NS_TEST_ASSERT_MSG_EQ(serverSawPorts.size(), 1, "one external port throughout");
            NS_TEST_ASSERT_MSG_EQ(f.m_srv.Events("peer_port_changed ").size(), 0, "no rebinding");
        }
    }

    Time m_keepAlive; //!< KeepAliveInterval
};

/**
 * \ingroup quic-migration-tests
 * The access-list syntax of the scenario option --access: valid lists parse to the values
 * given; malformed ones are rejected with a message naming the problem.
 */
class QuicTopologyParseTestCase : public TestCase
{
  public:
    QuicTopologyParseTestCase()
        : TestCase("access-list parsing")
    {
    }

  private:
    void DoRun() override
    {
        std::vector<QuicAccessNetworkConfig> v;
        std::string err;
        bool ok = QuicMigrationTopologyHelper::ParseAccessList(
            "p2p:rate=10Mbps,delay=15ms;csma:rate=100Mbps,delay=5ms,nat=1,loss=0.01,queue=50",
            v,
            err);
        NS_TEST_ASSERT_MSG_EQ(ok, true, err);
        NS_TEST_ASSERT_MSG_EQ(v.size(), 2, "two accesses");
        if (v.size() == 2)
        {
            NS_TEST_ASSERT_MSG_EQ(v[0].m_dataRateBps, 10000000, "rate 0");
            NS_TEST_ASSERT_MSG_EQ(v[0].m_delay, MilliSeconds(15), "delay 0");
            NS_TEST_ASSERT_MSG_EQ(v[0].m_nat, false, "nat 0");
            NS_TEST_ASSERT_MSG_EQ((v[1].m_type == QuicAccessLinkType::CSMA), true, "type 1");
            NS_TEST_ASSERT_MSG_EQ(v[1].m_dataRateBps, 100000000, "rate 1");
            NS_TEST_ASSERT_MSG_EQ(v[1].m_nat, true, "nat 1");
            NS_TEST_ASSERT_MSG_EQ(v[1].m_queuePackets, 50, "queue 1");
            NS_TEST_ASSERT_MSG_EQ(v[1].m_lossRate, 0.01, "loss 1");
            std::vector<QuicAccessNetworkConfig> back;
            std::string text = QuicMigrationTopologyHelper::AccessToString(v[1]);
            NS_TEST_ASSERT_MSG_EQ(QuicMigrationTopologyHelper::ParseAccessList(text, back, err),
                                  true,
                                  "round trip: " << text << " " << err);
        }
        for (const char* bad : {"",
                                "wifi",
                                "p2p:rate=abc",
                                "p2p:delay=-5ms",
                                "p2p:loss=1",
                                "p2p:queue=0",
                                "p2p:mtu=500",
                                "p2p:nat=2",
                                "p2p:color=red",
                                "p2p:rate",
                                "p2p;;csma"})
        {
            NS_TEST_ASSERT_MSG_EQ(QuicMigrationTopologyHelper::ParseAccessList(bad, v, err),
                                  false,
                                  "rejected: '" << bad << "'");
            NS_TEST_ASSERT_MSG_EQ(err.empty(), false, "with a message");
        }
        QuicMigrationTopologyHelper h;
        NS_TEST_ASSERT_MSG_NE(h.Validate(), "", "no access: invalid");
        h.AddAccessNetwork(QuicAccessNetworkConfig());
        h.SetDefaultAccess(3);
        NS_TEST_ASSERT_MSG_NE(h.Validate(), "", "unknown default access: invalid");
    }
};

/**
 * \ingroup quic-migration-tests
 * The topology test suite.
 */
class QuicTopologyTestSuite : public TestSuite
{
  public:
    QuicTopologyTestSuite()
        : TestSuite("quic-topology", QUIC_SUITE_UNIT)
    {
        AddTestCase(new QuicTopologyParseTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTopologyRttTestCase(
                        "two accesses p2p 10 Mbps 5 ms and csma 100 Mbps 20 ms, RTT per access",
                        {Access(QuicAccessLinkType::POINT_TO_POINT, 10000000, MilliSeconds(5)),
                         Access(QuicAccessLinkType::CSMA, 100000000, MilliSeconds(20))}),
                    QUIC_TEST_QUICK);
        AddTestCase(
            new QuicTopologyRttTestCase(
                "three accesses csma, p2p with NAT, csma with NAT, RTT per access, attacker "
                "and victim",
                {Access(QuicAccessLinkType::CSMA, 50000000, MilliSeconds(8)),
                 Access(QuicAccessLinkType::POINT_TO_POINT, 5000000, MilliSeconds(30), true),
                 Access(QuicAccessLinkType::CSMA, 20000000, MilliSeconds(2), true)},
                true),
            QUIC_TEST_QUICK);
        AddTestCase(new QuicTopologyRenumberTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTopologyLinkDownTestCase(false), QUIC_TEST_QUICK);
        AddTestCase(new QuicTopologyLinkDownTestCase(true), QUIC_TEST_QUICK);
        AddTestCase(new QuicTopologyRouteSwitchTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicTopologyMigrationTestCase(QuicConnection::PROBE_THEN_SWITCH),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicTopologyMigrationTestCase(QuicConnection::SWITCH_IMMEDIATELY),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicTopologySmallMtuTestCase(QuicConnection::PROBE_THEN_SWITCH),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicTopologySmallMtuTestCase(QuicConnection::SWITCH_IMMEDIATELY),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicTopologyNatKeepAliveTestCase(Time(0)), QUIC_TEST_QUICK);
        AddTestCase(new QuicTopologyNatKeepAliveTestCase(Seconds(15)), QUIC_TEST_QUICK);
    }
};

static QuicTopologyTestSuite g_quicTopologyTestSuite; //!< the suite

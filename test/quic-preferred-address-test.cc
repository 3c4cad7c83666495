/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// The server's preferred address (RFC 9000 §9.6) over IPv4 and IPv6, a black-holed preferred
// address, disable_active_migration together with a preferred address, the IPv6 flow label
// (§9.7), the second full-size validation after an undersized challenge (§8.2.1) and the
// server's choice on clients that ignore disable_active_migration (§9).

#include "quic-ns3-compat.h"
#include "quic-test-record.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
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

using quictest::Has;
using quictest::Record;
using quictest::RecordConnection;

/// Drops IPv4 / IPv6 packets to one address on a point-to-point device (a black hole).
class DropToAddressErrorModel : public ErrorModel
{
  public:
    explicit DropToAddressErrorModel(const Address& target)
        : m_target(target)
    {
    }

    uint32_t m_dropped{0}; //!< packets dropped

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        Ptr<Packet> copy = p->Copy();
        PppHeader ppp;
        copy->RemoveHeader(ppp);
        bool hit = false;
        if (ppp.GetProtocol() == 0x0021 && Ipv4Address::IsMatchingType(m_target))
        {
            Ipv4Header h;
            copy->PeekHeader(h);
            hit = h.GetDestination() == Ipv4Address::ConvertFrom(m_target);
        }
        else if (ppp.GetProtocol() == 0x0057 && Ipv6Address::IsMatchingType(m_target))
        {
            Ipv6Header h;
            copy->PeekHeader(h);
            hit = h.GetDestination() == Ipv6Address::ConvertFrom(m_target);
        }
        m_dropped += hit;
        return hit;
    }

    void DoReset() override
    {
    }

    Address m_target;
};

/**
 * Client (node 0) and server (node 1) on one point-to-point link; the server has a second
 * address on its interface and offers it as preferred address; a bulk transfer client ->
 * server.
 */
class PreferredAddressFixture
{
  public:
    PreferredAddressFixture(bool ipv6, uint64_t bytes, bool offer = true)
        : m_ipv6(ipv6)
    {
        RngSeedManager::SetSeed(7);
        RngSeedManager::SetRun(1);
        Config::SetDefault("ns3::Icmpv6L4Protocol::DAD", BooleanValue(false));
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue("10ms"));
        p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("100p"));
        m_nodes.Create(2);
        m_devices = p2p.Install(m_nodes);
        InternetStackHelper stack;
        stack.Install(m_nodes);
        Address serverAddress;
        if (!ipv6)
        {
            Ipv4AddressHelper ip;
            ip.SetBase("10.1.1.0", "255.255.255.0");
            Ipv4InterfaceContainer ifs = ip.Assign(m_devices);
            Ptr<Ipv4> ipv4 = m_nodes.Get(1)->GetObject<Ipv4>();
            uint32_t ifIndex = ipv4->GetInterfaceForDevice(m_devices.Get(1));
            ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress("10.1.1.200", "255.255.255.0"));
            serverAddress = InetSocketAddress(ifs.GetAddress(1), 4433);
            m_preferred = InetSocketAddress(Ipv4Address("10.1.1.200"), 4433);
            m_original = serverAddress;
        }
        else
        {
            Ipv6AddressHelper ip;
            ip.SetBase("2001:db8:1::", Ipv6Prefix(64));
            Ipv6InterfaceContainer ifs = ip.Assign(m_devices);
            Ptr<Ipv6> ipv6p = m_nodes.Get(1)->GetObject<Ipv6>();
            uint32_t ifIndex = ipv6p->GetInterfaceForDevice(m_devices.Get(1));
            ipv6p->AddAddress(ifIndex,
                              Ipv6InterfaceAddress(Ipv6Address("2001:db8:1::200"), Ipv6Prefix(64)));
            serverAddress = Inet6SocketAddress(ifs.GetAddress(1, 1), 4433);
            m_preferred = Inet6SocketAddress(Ipv6Address("2001:db8:1::200"), 4433);
            m_original = serverAddress;
        }
        m_serverEp = QuicEndpoint::Install(m_nodes.Get(1));
        m_clientEp = QuicEndpoint::Install(m_nodes.Get(0));
        m_serverEp->AssignStreams(10);
        m_clientEp->AssignStreams(20);
        if (offer)
        {
            m_offered = ipv6 ? m_serverEp->SetPreferredAddress(Address(), m_preferred)
                             : m_serverEp->SetPreferredAddress(m_preferred);
        }
        m_serverEp->TraceConnectWithoutContext(
            "NewConnection",
            MakeCallback(&PreferredAddressFixture::OnServerConn, this));
        m_clientEp->TraceConnectWithoutContext(
            "NewConnection",
            MakeCallback(&PreferredAddressFixture::OnClientConn, this));
        // The server listens on its original address explicitly, so that it tells it apart
        // from the preferred one.
        QuicSinkHelper sink(serverAddress);
        m_sinkApps = sink.Install(m_nodes.Get(1));
        QuicBulkSendHelper bulk(serverAddress);
        bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
        bulk.SetAttribute("CloseOnComplete", BooleanValue(false));
        m_bulkApps = bulk.Install(m_nodes.Get(0));
        m_bulkApps.Start(Seconds(0.1));
    }

    ~PreferredAddressFixture()
    {
        Simulator::Destroy();
        Config::Reset();
    }

    void Attach(Ptr<QuicConnection> c, Record* r)
    {
        RecordConnection(c, r);
    }

    void OnServerConn(Ptr<QuicConnection> c)
    {
        m_server = c;
        Attach(c, &m_srv);
    }

    void OnClientConn(Ptr<QuicConnection> c)
    {
        m_client = c;
        Attach(c, &m_cli);
    }

    Ptr<QuicSinkApplication> Sink()
    {
        return DynamicCast<QuicSinkApplication>(m_sinkApps.Get(0));
    }

    /// \return the IP part of a socket address as text
    static std::string Ip(const Address& a)
    {
        std::ostringstream os;
        if (InetSocketAddress::IsMatchingType(a))
        {
            os << InetSocketAddress::ConvertFrom(a).GetIpv4();
        }
        else if (Inet6SocketAddress::IsMatchingType(a))
        {
            os << Inet6SocketAddress::ConvertFrom(a).GetIpv6();
        }
        return os.str();
    }

    bool m_ipv6;
    bool m_offered{false};
    NodeContainer m_nodes;
    NetDeviceContainer m_devices;
    Address m_original;
    Address m_preferred;
    Ptr<QuicEndpoint> m_serverEp;
    Ptr<QuicEndpoint> m_clientEp;
    ApplicationContainer m_sinkApps;
    ApplicationContainer m_bulkApps;
    Ptr<QuicConnection> m_server;
    Ptr<QuicConnection> m_client;
    Record m_srv;
    Record m_cli;
};

/**
 * \ingroup quic-migration-tests
 * PA-01 PA-03 PA-04 PA-05 PA-06 PA-07 PRIV-02: the server offers a preferred address; after
 * confirmation the client validates it with a connection ID never used before, sending only
 * probing packets there until validated, then moves; the server probes from its preferred
 * address itself and moves its non-probing traffic only after a non-probing packet from the
 * client arrived there and its own validation succeeded; the data arrives intact.
 */
class QuicPreferredAddressMigrationTestCase : public TestCase
{
  public:
    explicit QuicPreferredAddressMigrationTestCase(bool ipv6)
        : TestCase(
              std::string("PA-01 PA-03 PA-04 PA-05 PA-06 PA-07 PA-11 preferred address over ") +
              (ipv6 ? "IPv6" : "IPv4")),
          m_ipv6(ipv6)
    {
    }

  private:
    void DoRun() override
    {
        PreferredAddressFixture f(m_ipv6, 3000000);
        NS_TEST_ASSERT_MSG_EQ(f.m_offered, true, "preferred address accepted by the endpoint");
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
        NS_TEST_ASSERT_MSG_NE(f.m_client, nullptr, "client connection");
        NS_TEST_ASSERT_MSG_NE(f.m_server, nullptr, "server connection");
        if (!f.m_client || !f.m_server)
        {
            return;
        }
        // PA-01: only the family in use is offered; the other is all-zero.
        const QuicPreferredAddress& pa =
            f.m_client->GetPeerTransportParameters().GetPreferredAddress();
        NS_TEST_ASSERT_MSG_EQ(pa.HasIpv4(), !m_ipv6, "IPv4 family offered or zero");
        NS_TEST_ASSERT_MSG_EQ(pa.HasIpv6(), m_ipv6, "IPv6 family offered or zero");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->IsOnPreferredAddress(), true, "client moved (PA-04)");
        NS_TEST_ASSERT_MSG_EQ(f.m_server->IsOnPreferredAddress(), true, "server moved");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->GetActivePath().GetRemoteAddress(),
                              f.m_preferred,
                              "client sends to the preferred address");
        NS_TEST_ASSERT_MSG_EQ(f.m_server->GetActivePath().GetLocalAddress(),
                              f.m_preferred,
                              "server sends from the preferred address");

        Time clientValidated = f.m_cli.firstEvent.count("path_validated")
                                   ? f.m_cli.firstEvent["path_validated"]
                                   : Time(0);
        Time clientSwitched = f.m_cli.firstEvent.count("preferred_address_switched")
                                  ? f.m_cli.firstEvent["preferred_address_switched"]
                                  : Time(0);
        NS_TEST_ASSERT_MSG_GT(clientValidated,
                              Seconds(0),
                              "client validated the preferred address");
        NS_TEST_ASSERT_MSG_GT(clientSwitched, Seconds(0), "client switched");

        // PA-03 PRIV-02: the DCID toward the preferred address was never used toward the
        // original address; PA-05: only probing packets before validation; PA-04: nothing
        // to the original address after the switch.
        std::set<QuicConnectionId> dcidsToOriginal;
        std::set<QuicConnectionId> dcidsToPreferred;
        uint32_t nonProbingBeforeValidation = 0;
        uint32_t toPreferred = 0;
        uint32_t toOriginalAfterSwitch = 0;
        for (const auto& t : f.m_cli.sent)
        {
            if (t.info.m_remote == f.m_preferred)
            {
                ++toPreferred;
                dcidsToPreferred.insert(t.info.m_dcid);
                if (t.t < clientValidated && !t.info.m_probing)
                {
                    ++nonProbingBeforeValidation;
                }
            }
            else
            {
                dcidsToOriginal.insert(t.info.m_dcid);
                if (t.t > clientSwitched)
                {
                    ++toOriginalAfterSwitch;
                }
            }
        }
        NS_TEST_ASSERT_MSG_GT(toPreferred, 500, "the transfer went to the preferred address");
        NS_TEST_ASSERT_MSG_EQ(nonProbingBeforeValidation,
                              0,
                              "PA-05: probing only before validation");
        NS_TEST_ASSERT_MSG_EQ(toOriginalAfterSwitch, 0, "PA-04: old server address abandoned");
        for (const auto& cid : dcidsToPreferred)
        {
            NS_TEST_ASSERT_MSG_EQ(dcidsToOriginal.count(cid), 0, "PA-03: a CID never used before");
        }

        // PA-07: the server probes from its preferred address; PA-06: its non-probing packets
        // leave from there only after a client non-probing packet arrived there and its own
        // validation of that path succeeded.
        Time firstClientNonProbingAtPa(0);
        for (const auto& t : f.m_srv.received)
        {
            if (t.info.m_local == f.m_preferred && !t.info.m_probing)
            {
                firstClientNonProbingAtPa = t.t;
                break;
            }
        }
        NS_TEST_ASSERT_MSG_GT(firstClientNonProbingAtPa, Seconds(0), "client data reached the PA");
        Time serverValidated(0);
        for (const auto& e : f.m_srv.pathEvents)
        {
            if (e.second.rfind("path_validated", 0) == 0 &&
                e.second.find(QuicPath::AddressToString(f.m_preferred)) != std::string::npos)
            {
                serverValidated = e.first;
                break;
            }
        }
        NS_TEST_ASSERT_MSG_GT(serverValidated, Seconds(0), "the server validated its PA path");
        bool firstFromPaIsChallenge = false;
        bool seenFromPa = false;
        uint32_t earlyNonProbing = 0;
        for (const auto& t : f.m_srv.sent)
        {
            if (t.info.m_local != f.m_preferred)
            {
                continue;
            }
            if (!seenFromPa)
            {
                seenFromPa = true;
                firstFromPaIsChallenge = Has(t.info, QuicFrameType::PATH_CHALLENGE);
            }
            if (!t.info.m_probing && (t.t < firstClientNonProbingAtPa || t.t < serverValidated))
            {
                ++earlyNonProbing;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(firstFromPaIsChallenge, true, "PA-07: the server probes from its PA");
        NS_TEST_ASSERT_MSG_EQ(earlyNonProbing, 0, "PA-06: no early non-probing from the PA");
    }

    bool m_ipv6;
};

/**
 * \ingroup quic-migration-tests
 * PA-04 PV-15: the preferred address is black-holed: the client's validation fails after
 * about 3 x PTO and it keeps using the original server address; the data arrives intact.
 */
class QuicPreferredAddressBlackholeTestCase : public TestCase
{
  public:
    QuicPreferredAddressBlackholeTestCase()
        : TestCase("PA-04 PA-11 PV-15 black-holed preferred address: the client stays")
    {
    }

  private:
    void DoRun() override
    {
        PreferredAddressFixture f(false, 2000000);
        Ptr<DropToAddressErrorModel> hole = Create<DropToAddressErrorModel>(
            InetSocketAddress::ConvertFrom(f.m_preferred).GetIpv4());
        f.m_devices.Get(1)->SetAttribute("ReceiveErrorModel", PointerValue(hole));
        Simulator::Stop(Seconds(12));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 2000000, "all data delivered");
        NS_TEST_ASSERT_MSG_GT(hole->m_dropped, 0u, "probes went into the black hole");
        NS_TEST_ASSERT_MSG_EQ(f.m_cli.eventCount["validation_failed"], 1u, "validation failed");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->IsOnPreferredAddress(), false, "client did not move");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->GetActivePath().GetRemoteAddress(),
                              f.m_original,
                              "PA-04: original server address kept");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->GetState(), QuicConnection::CONNECTED, "alive");
        uint32_t nonProbingToPa = 0;
        for (const auto& t : f.m_cli.sent)
        {
            nonProbingToPa += t.info.m_remote == f.m_preferred && !t.info.m_probing;
        }
        NS_TEST_ASSERT_MSG_EQ(nonProbingToPa, 0u, "PA-05: nothing but probes to the PA");
    }
};

/**
 * \ingroup quic-migration-tests
 * PA-13 MIG-02: a server sending disable_active_migration and a preferred address: the client
 * moves to the preferred address, and may migrate its own address afterwards.
 */
class QuicPreferredAddressDisableMigrationTestCase : public TestCase
{
  public:
    QuicPreferredAddressDisableMigrationTestCase()
        : TestCase("PA-13 MIG-02 disable_active_migration does not cover the preferred address")
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::DisableActiveMigration", BooleanValue(true));
        PreferredAddressFixture f(false, 3000000);
        Ptr<Ipv4> ipv4 = f.m_nodes.Get(0)->GetObject<Ipv4>();
        uint32_t ifIndex = ipv4->GetInterfaceForDevice(f.m_devices.Get(0));
        ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress("10.1.1.77", "255.255.255.0"));
        bool beforePa = true;
        bool afterPa = false;
        Simulator::Schedule(Seconds(0.25), [&f, &beforePa]() {
            // Confirmed but maybe not yet on the PA: refused while still on the handshake
            // address.
            if (!f.m_client->IsOnPreferredAddress())
            {
                beforePa = f.m_client->Migrate(InetSocketAddress(Ipv4Address("10.1.1.77"), 0),
                                               QuicConnection::PROBE_THEN_SWITCH);
            }
            else
            {
                beforePa = false;
            }
        });
        Simulator::Schedule(Seconds(2), [&f, &afterPa]() {
            afterPa = f.m_client->Migrate(InetSocketAddress(Ipv4Address("10.1.1.77"), 0),
                                          QuicConnection::PROBE_THEN_SWITCH);
        });
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.m_client->GetPeerTransportParameters().IsActiveMigrationDisabled(),
                              true,
                              "server sent disable_active_migration");
        NS_TEST_ASSERT_MSG_EQ(beforePa, false, "MIG-02: refused on the handshake address");
        NS_TEST_ASSERT_MSG_EQ(afterPa, true, "PA-13: allowed after the move to the PA");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->IsOnPreferredAddress(), true, "moved to the PA");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(
            InetSocketAddress::ConvertFrom(f.m_client->GetActivePath().GetLocalAddress()).GetIpv4(),
            Ipv4Address("10.1.1.77"),
            "client moved its own address");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->GetActivePath().GetRemoteAddress(),
                              f.m_preferred,
                              "still toward the PA");
    }
};

/**
 * \ingroup quic-migration-tests
 * MIG-03: a server that sent disable_active_migration, facing a client that moves anyway,
 * drops its packets on the new path (policy Drop) or validates and follows it (policy
 * Validate); never a stateless reset (SR-14: none for packets that violate
 * disable_active_migration), never a CONNECTION_CLOSE.
 */
class QuicDisabledMigrationPolicyTestCase : public TestCase
{
  public:
    explicit QuicDisabledMigrationPolicyTestCase(bool drop)
        : TestCase(std::string("MIG-03 client ignoring disable_active_migration, policy ") +
                   (drop ? "Drop" : "Validate")),
          m_drop(drop)
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::DisableActiveMigration", BooleanValue(true));
        Config::SetDefault("ns3::QuicConnection::DisabledMigrationAction",
                           StringValue(m_drop ? "Drop" : "Validate"));
        Config::SetDefault("ns3::QuicConnection::MaxIdleTimeout", TimeValue(Seconds(60)));
        PreferredAddressFixture f(false, 2000000, false);
        uint32_t resets = 0;
        f.m_serverEp->TraceConnectWithoutContext(
            "StatelessResetSent",
            MakeBoundCallback(
                +[](uint32_t* n, const Address&, uint32_t, uint32_t) { ++*n; },
                &resets));
        // The faulty client moves anyway: its socket changes address behind the connection's
        // back (what a client ignoring the parameter looks like on the wire).
        Ptr<Ipv4> ipv4 = f.m_nodes.Get(0)->GetObject<Ipv4>();
        uint32_t ifIndex = ipv4->GetInterfaceForDevice(f.m_devices.Get(0));
        ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress("10.1.1.77", "255.255.255.0"));
        Simulator::Schedule(Seconds(1), [&f]() {
            f.m_client->RebindForTesting(InetSocketAddress(Ipv4Address("10.1.1.77"), 0));
        });
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        uint32_t closes = 0;
        for (const auto& t : f.m_srv.sent)
        {
            closes += Has(t.info, QuicFrameType::CONNECTION_CLOSE) ||
                      Has(t.info, QuicFrameType::CONNECTION_CLOSE_APP);
        }
        uint32_t unexpected = 0;
        for (const auto& d : f.m_srv.dropList)
        {
            unexpected += d.first == QuicDropReason::UNEXPECTED_SOURCE;
        }
        NS_TEST_ASSERT_MSG_EQ(resets, 0u, "MIG-03 SR-14: no stateless reset");
        NS_TEST_ASSERT_MSG_EQ(closes, 0u, "MIG-03: no CONNECTION_CLOSE");
        if (m_drop)
        {
            NS_TEST_ASSERT_MSG_GT(unexpected, 10u, "packets from the new address dropped");
            NS_TEST_ASSERT_MSG_EQ(f.m_srv.eventCount["peer_address_changed"], 0u, "not followed");
            NS_TEST_ASSERT_MSG_LT(f.Sink()->GetTotalRx(), 2000000u, "the transfer is stuck");
        }
        else
        {
            NS_TEST_ASSERT_MSG_EQ(f.m_srv.eventCount["peer_address_changed"], 1u, "followed");
            NS_TEST_ASSERT_MSG_GT_OR_EQ(f.m_srv.eventCount["path_validated"], 1u, "validated");
            NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 2000000u, "all data delivered");
        }
    }

    bool m_drop;
};

/**
 * \ingroup quic-migration-tests
 * PRIV-07: on IPv6 the flow label the connection computes changes when the client migrates
 * and when it switches to another connection ID, and stays the same otherwise.
 */
class QuicFlowLabelTestCase : public TestCase
{
  public:
    QuicFlowLabelTestCase()
        : TestCase("PRIV-07 IPv6 flow label changes with the path and the connection ID")
    {
    }

  private:
    void DoRun() override
    {
        PreferredAddressFixture f(true, 3000000, false);
        Ptr<Ipv6> ipv6 = f.m_nodes.Get(0)->GetObject<Ipv6>();
        uint32_t ifIndex = ipv6->GetInterfaceForDevice(f.m_devices.Get(0));
        ipv6->AddAddress(ifIndex,
                         Ipv6InterfaceAddress(Ipv6Address("2001:db8:1::77"), Ipv6Prefix(64)));
        std::vector<uint32_t> labels;
        bool migrated = false;
        bool rotated = false;
        for (double t : {0.5, 0.8})
        {
            Simulator::Schedule(Seconds(t),
                                [&f, &labels]() { labels.push_back(f.m_client->GetFlowLabel()); });
        }
        Simulator::Schedule(Seconds(1), [&f, &migrated]() {
            migrated = f.m_client->Migrate(Inet6SocketAddress(Ipv6Address("2001:db8:1::77"), 0),
                                           QuicConnection::SWITCH_IMMEDIATELY);
        });
        for (double t : {1.5, 1.8})
        {
            Simulator::Schedule(Seconds(t),
                                [&f, &labels]() { labels.push_back(f.m_client->GetFlowLabel()); });
        }
        Simulator::Schedule(Seconds(2),
                            [&f, &rotated]() { rotated = f.m_client->RotateDestinationCid(); });
        Simulator::Schedule(Seconds(2.5),
                            [&f, &labels]() { labels.push_back(f.m_client->GetFlowLabel()); });
        Simulator::Stop(Seconds(8));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(migrated, true, "migration started");
        NS_TEST_ASSERT_MSG_EQ(rotated, true, "CID rotated");
        NS_TEST_ASSERT_MSG_EQ(labels.size(), 5u, "labels sampled");
        if (labels.size() != 5)
        {
            return;
        }
        for (uint32_t l : labels)
        {
            NS_TEST_ASSERT_MSG_GT(l, 0u, "a label on IPv6 paths");
            NS_TEST_ASSERT_MSG_LT(l, 1u << 20, "20 bits");
        }
        NS_TEST_ASSERT_MSG_EQ(labels[0], labels[1], "stable on one path and CID");
        NS_TEST_ASSERT_MSG_NE(labels[1], labels[2], "changes with the migration");
        NS_TEST_ASSERT_MSG_EQ(labels[2], labels[3], "stable after it");
        NS_TEST_ASSERT_MSG_NE(labels[3], labels[4], "changes with the connection ID");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000u, "all data delivered");
    }
};

/**
 * \ingroup quic-migration-tests
 * PV-06 PV-05: the client's port changes while it sends only a small packet, so the server's
 * challenge on the new path fits only the 3x budget and goes out under 1200 bytes; the
 * response validates the address, and a second validation in a full-size datagram follows.
 */
class QuicSecondFullSizeValidationTestCase : public TestCase
{
  public:
    QuicSecondFullSizeValidationTestCase()
        : TestCase("PV-06 undersized challenge followed by a full-size validation")
    {
    }

  private:
    void DoRun() override
    {
        PreferredAddressFixture f(false, 1000, false);
        // The application sends 1000 bytes, then nothing: the connection is idle at 1 s.
        Simulator::Schedule(Seconds(1), [&f]() {
            f.m_client->RebindForTesting(InetSocketAddress(Ipv4Address("10.1.1.1"), 0));
            int64_t id = f.m_client->OpenStream(true);
            uint8_t hello[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            if (id >= 0)
            {
                f.m_client->Send(static_cast<uint64_t>(id), hello, sizeof(hello));
            }
        });
        Simulator::Stop(Seconds(5));
        Simulator::Run();
        Address newPath;
        for (const auto& t : f.m_srv.received)
        {
            if (t.t >= Seconds(1))
            {
                newPath = t.info.m_remote;
                break;
            }
        }
        std::vector<uint32_t> challengeSizes;
        for (const auto& t : f.m_srv.sent)
        {
            if (t.info.m_remote == newPath && Has(t.info, QuicFrameType::PATH_CHALLENGE))
            {
                challengeSizes.push_back(t.info.m_datagramSize);
            }
        }
        NS_TEST_ASSERT_MSG_GT_OR_EQ(challengeSizes.size(), 2u, "two challenges on the new path");
        if (challengeSizes.size() < 2)
        {
            return;
        }
        NS_TEST_ASSERT_MSG_LT(challengeSizes[0], 1200u, "PV-05: first one limited by 3x");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(challengeSizes.back(), 1200u, "PV-06: then a full-size one");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(f.m_srv.eventCount["path_validated"], 2u, "validated twice");
        NS_TEST_ASSERT_MSG_EQ(f.m_server->GetActivePath().GetRemoteAddress(), newPath, "moved");
    }
};

/**
 * \ingroup quic-migration-tests
 * PA-09: a preferred address belongs to the connection that carried it: after the first
 * connection moved there, a second connection from the same client endpoint starts toward
 * the original server address.
 */
class QuicPreferredAddressScopeTestCase : public TestCase
{
  public:
    QuicPreferredAddressScopeTestCase()
        : TestCase("PA-09 a new connection targets the original server address")
    {
    }

  private:
    void DoRun() override
    {
        PreferredAddressFixture f(false, 500000);
        Ptr<QuicConnection> second;
        Record rec;
        Simulator::Schedule(Seconds(2), [&f, &second, &rec]() {
            second = f.m_clientEp->Connect(f.m_original);
            if (second)
            {
                second->TraceConnectWithoutContext("PacketSent",
                                                   MakeBoundCallback(&quictest::OnSent, &rec));
            }
        });
        Simulator::Stop(Seconds(4));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.m_client->IsOnPreferredAddress(), true, "first one moved");
        NS_TEST_ASSERT_MSG_NE(second, nullptr, "second connection opened");
        NS_TEST_ASSERT_MSG_GT(rec.sent.size(), 0u, "it sent");
        if (rec.sent.empty())
        {
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(rec.sent.front().info.m_remote,
                              f.m_original,
                              "PA-09: its first Initial goes to the original address");
        uint32_t toPaBeforeConfirmation = 0;
        for (const auto& t : rec.sent)
        {
            toPaBeforeConfirmation +=
                t.info.m_remote == f.m_preferred && t.info.m_type != QuicPacketType::ONE_RTT;
        }
        NS_TEST_ASSERT_MSG_EQ(toPaBeforeConfirmation, 0u, "no handshake packet to the PA");
    }
};

/**
 * \ingroup quic-migration-tests
 * PA-12 AMP-05: the client's port changes (a NAT giving it another binding) just before it
 * probes the preferred address: the server sees a client address it never validated at its
 * preferred address, validates it with its own PATH_CHALLENGE from there and stays within 3x
 * of what it received on that path until validated; the move completes, data intact.
 */
class QuicPreferredAddressNewClientAddressTestCase : public TestCase
{
  public:
    QuicPreferredAddressNewClientAddressTestCase()
        : TestCase("PA-12 AMP-05 new client address at the preferred address: 3x and validation")
    {
    }

  private:
    void DoRun() override
    {
        PreferredAddressFixture f(false, 2000000);
        bool rebound = false;
        f.m_clientEp->TraceConnectWithoutContext(
            "NewConnection",
            MakeBoundCallback(
                +[](bool* done, Ptr<QuicConnection> c) {
                    c->TraceConnectWithoutContext(
                        "HandshakeEvent",
                        MakeBoundCallback(
                            +[](bool* d, Ptr<const QuicConnection> cc, const std::string& e) {
                                if (e == "handshake_confirmed" && !*d)
                                {
                                    *d = ConstCast<QuicConnection>(cc)->RebindForTesting(
                                        InetSocketAddress(Ipv4Address("10.1.1.1"), 0));
                                }
                            },
                            done));
                },
                &rebound));
        Simulator::Stop(Seconds(8));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(rebound, true, "client port changed before the PA probe");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 2000000u, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(f.m_server->IsOnPreferredAddress(), true, "server moved");
        Address client = f.m_client->GetActivePath().GetLocalAddress();
        // The server's view of the client at the PA: the new port.
        Address newTuple;
        for (const auto& t : f.m_srv.received)
        {
            if (t.info.m_local == f.m_preferred)
            {
                newTuple = t.info.m_remote;
                break;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(InetSocketAddress::IsMatchingType(newTuple), true, "probe seen");
        if (!InetSocketAddress::IsMatchingType(newTuple))
        {
            return;
        }
        Time validated(0);
        std::string key = "path_validated " + QuicPath::AddressToString(f.m_preferred) + " " +
                          QuicPath::AddressToString(newTuple);
        for (const auto& e : f.m_srv.pathEvents)
        {
            if (e.second == key)
            {
                validated = e.first;
                break;
            }
        }
        NS_TEST_ASSERT_MSG_GT(validated, Seconds(0), "PA-12: the server validated that address");
        bool challenged = false;
        uint64_t sentBefore = 0;
        uint64_t receivedBefore = 0;
        bool within = true;
        // Merge both directions in time order on that path and check 3x at every send.
        size_t ri = 0;
        for (const auto& t : f.m_srv.sent)
        {
            if (t.t >= validated)
            {
                break;
            }
            while (ri < f.m_srv.received.size() && f.m_srv.received[ri].t <= t.t)
            {
                const auto& r = f.m_srv.received[ri++];
                if (r.info.m_local == f.m_preferred && r.info.m_remote == newTuple)
                {
                    receivedBefore += r.info.m_datagramSize;
                }
            }
            if (t.info.m_local == f.m_preferred && t.info.m_remote == newTuple)
            {
                challenged = challenged || Has(t.info, QuicFrameType::PATH_CHALLENGE);
                sentBefore += t.info.m_datagramSize;
                within = within && sentBefore <= 3 * receivedBefore;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(challenged, true, "PA-12: PATH_CHALLENGE from the PA to it");
        NS_TEST_ASSERT_MSG_EQ(within, true, "AMP-05: within 3x until validated");
        NS_TEST_ASSERT_MSG_GT(sentBefore, 0u, "the server sent there before validation");
        NS_TEST_ASSERT_MSG_EQ(f.m_server->GetActivePath().GetRemoteAddress(), client, "final");
    }
};

/// Delivers one chosen IPv4 packet to another address of the receiving node (a rerouted
/// datagram: it keeps its place in the stream of packets).
class RedirectErrorModel : public ErrorModel
{
  public:
    uint32_t m_uid{0};        //!< uid of the packet to redirect (0: none)
    Ipv4Address m_to;         //!< its new destination
    uint32_t m_redirected{0}; //!< packets redirected

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        if (m_uid == 0 || p->GetUid() != m_uid)
        {
            return false;
        }
        PppHeader ppp;
        Ipv4Header ip;
        p->RemoveHeader(ppp);
        p->RemoveHeader(ip);
        ip.SetDestination(m_to);
        p->AddHeader(ip);
        p->AddHeader(ppp);
        m_uid = 0;
        ++m_redirected;
        return false;
    }

    void DoReset() override
    {
    }
};

/**
 * \ingroup quic-migration-tests
 * PA-08 (RFC 9000 §9.6.2): the server has moved to its preferred address. One client
 * datagram toward the preferred address reaches the server's original address instead (same
 * bytes, same client address and port): rerouted in place, so that its packet number is above
 * the largest the server received (dropped: the server does not process newer packets at the
 * old address), or lost and a copy arriving there 60 ms later, after newer packets reached
 * the preferred address (a delayed packet: processed).
 */
class QuicPreferredAddressOldAddressTestCase : public TestCase
{
  public:
    QuicPreferredAddressOldAddressTestCase()
        : TestCase("PA-08 after the move, newer packets at the old server address are dropped, "
                   "delayed ones processed")
    {
    }

  private:
    void DoRun() override
    {
        RunOnce(false);
        RunOnce(true);
    }

    void RunOnce(bool delayed)
    {
        PreferredAddressFixture f(false, 6000000);
        Ipv4Address original = InetSocketAddress::ConvertFrom(f.m_original).GetIpv4();
        Ptr<RedirectErrorModel> redirect = CreateObject<RedirectErrorModel>();
        redirect->m_to = original;
        Ptr<ListErrorModel> loss = CreateObject<ListErrorModel>();
        f.m_devices.Get(1)->SetAttribute(
            "ReceiveErrorModel",
            PointerValue(delayed ? Ptr<ErrorModel>(loss) : Ptr<ErrorModel>(redirect)));
        // The UDP payload and uid of the datagram the client's device got last.
        std::vector<uint8_t> lastBytes;
        uint32_t lastUid = 0;
        f.m_devices.Get(0)->TraceConnectWithoutContext(
            "MacTx",
            Callback<void, Ptr<const Packet>>([&lastBytes, &lastUid](Ptr<const Packet> p) {
                Ptr<Packet> copy = p->Copy();
                PppHeader ppp;
                Ipv4Header ip;
                UdpHeader udp;
                copy->RemoveHeader(ppp);
                copy->RemoveHeader(ip);
                copy->RemoveHeader(udp);
                lastBytes.resize(copy->GetSize());
                copy->CopyData(lastBytes.data(), lastBytes.size());
                lastUid = p->GetUid();
            }));
        bool armed = false;
        uint64_t pn = 0;
        bool onPa = false;
        Time chosenAt;
        std::vector<std::pair<Time, QuicDropReason>> drops;
        Simulator::Schedule(Seconds(2), [&]() {
            armed = true;
            onPa = f.m_server->IsOnPreferredAddress();
            f.m_server->TraceConnectWithoutContext(
                "PacketDropped",
                Callback<void, Ptr<const QuicConnection>, QuicDropReason, uint32_t>(
                    [&drops](Ptr<const QuicConnection>, QuicDropReason r, uint32_t) {
                        drops.emplace_back(Simulator::Now(), r);
                    }));
            f.m_client->TraceConnectWithoutContext(
                "PacketSent",
                Callback<void, Ptr<const QuicConnection>, const QuicPacketTraceInfo&>(
                    [&](Ptr<const QuicConnection>, const QuicPacketTraceInfo& i) {
                        if (!armed || i.m_type != QuicPacketType::ONE_RTT ||
                            !(i.m_remote == f.m_preferred) || !i.m_ackEliciting)
                        {
                            return;
                        }
                        armed = false;
                        pn = i.m_packetNumber;
                        chosenAt = Simulator::Now();
                        if (!delayed)
                        {
                            redirect->m_uid = lastUid;
                            return;
                        }
                        loss->SetList({lastUid}); // lost on the way to the preferred address
                        std::vector<uint8_t> bytes = lastBytes;
                        Ptr<Socket> socket = f.m_client->GetActivePath().GetSocket();
                        Simulator::Schedule(MilliSeconds(60), [&f, bytes, socket]() {
                            f.m_clientEp->SendDatagram(socket,
                                                       bytes.data(),
                                                       bytes.size(),
                                                       f.m_original);
                        });
                    }));
        });
        Simulator::Stop(Seconds(8));
        Simulator::Run();
        std::string tag = delayed ? " (60 ms later)" : " (rerouted in place)";
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 6000000, "all data delivered" << tag);
        NS_TEST_ASSERT_MSG_EQ(armed, false, "a client datagram was chosen" << tag);
        NS_TEST_ASSERT_MSG_EQ(onPa, true, "the server was on its preferred address" << tag);
        // Where and when the chosen packet number was processed, or the packet dropped.
        uint32_t processedAtOld = 0;
        uint32_t processedAtPa = 0;
        Time arrival = Time::Max();
        for (const auto& t : f.m_srv.received)
        {
            if (t.info.m_type == QuicPacketType::ONE_RTT && t.info.m_packetNumber == pn &&
                t.t > chosenAt)
            {
                (t.info.m_local == f.m_original ? processedAtOld : processedAtPa) += 1;
                arrival = t.t;
            }
        }
        uint32_t droppedAtOld = 0;
        for (const auto& d : drops)
        {
            if (d.first > chosenAt && d.second == QuicDropReason::UNEXPECTED_SOURCE)
            {
                ++droppedAtOld;
                arrival = std::min(arrival, d.first);
            }
        }
        NS_TEST_ASSERT_MSG_NE(arrival, Time::Max(), "the packet reached the server" << tag);
        uint64_t largestBefore = 0;
        for (const auto& t : f.m_srv.received)
        {
            if (t.info.m_type == QuicPacketType::ONE_RTT && t.t < arrival)
            {
                largestBefore = std::max(largestBefore, t.info.m_packetNumber);
            }
        }
        NS_TEST_ASSERT_MSG_EQ(processedAtPa, 0, "it did not reach the preferred address" << tag);
        if (!delayed)
        {
            NS_TEST_ASSERT_MSG_EQ(redirect->m_redirected, 1, "rerouted to the old address");
            NS_TEST_ASSERT_MSG_LT(largestBefore, pn, "it carried the largest packet number");
            NS_TEST_ASSERT_MSG_EQ(droppedAtOld, 1, "PA-08: the newer packet was dropped");
            NS_TEST_ASSERT_MSG_EQ(processedAtOld, 0, "PA-08: and not processed");
        }
        else
        {
            NS_TEST_ASSERT_MSG_GT(largestBefore, pn, "newer packets arrived before it");
            NS_TEST_ASSERT_MSG_EQ(droppedAtOld, 0, "PA-08: the delayed packet was not dropped");
            NS_TEST_ASSERT_MSG_EQ(processedAtOld, 1, "PA-08: it was processed");
        }
        NS_TEST_ASSERT_MSG_EQ(f.m_server->GetActivePath().GetLocalAddress(),
                              f.m_preferred,
                              "the server stays on its preferred address" << tag);
    }
};

/**
 * \ingroup quic-migration-tests
 * Preferred address, flow label and related §9 rules.
 */
class QuicPreferredAddressTestSuite : public TestSuite
{
  public:
    QuicPreferredAddressTestSuite()
        : TestSuite("quic-preferred-address", QUIC_SUITE_SYSTEM)
    {
        AddTestCase(new QuicPreferredAddressMigrationTestCase(false), QUIC_TEST_QUICK);
        AddTestCase(new QuicPreferredAddressMigrationTestCase(true), QUIC_TEST_QUICK);
        AddTestCase(new QuicPreferredAddressBlackholeTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicPreferredAddressDisableMigrationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicDisabledMigrationPolicyTestCase(true), QUIC_TEST_QUICK);
        AddTestCase(new QuicDisabledMigrationPolicyTestCase(false), QUIC_TEST_QUICK);
        AddTestCase(new QuicFlowLabelTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicSecondFullSizeValidationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicPreferredAddressScopeTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicPreferredAddressNewClientAddressTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicPreferredAddressOldAddressTestCase, QUIC_TEST_QUICK);
    }
};

static QuicPreferredAddressTestSuite g_quicPreferredAddressTestSuite; //!< registers the suite

} // namespace

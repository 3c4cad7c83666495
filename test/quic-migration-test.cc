/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Path validation and connection migration on simulated networks (RFC 9000 §8.2, §9):
// NAT rebinding with both §9.4 state policies (NAT-01, NAT-02, MIG-04, MIG-10, AMP-05, CC-02),
// rebinding through the QuicNat middlebox every 5 s during a 10 MB transfer, client
// migration with probe-then-switch and switch-immediately (MIG-08, MIG-09, PV-05, PV-08,
// PRIV-02), refusals (MIG-01, MIG-02), and a black-holed new address falling back (SEC-01,
// PV-14, PV-15).

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
#include "ns3/quic-nat-helper.h"
#include "ns3/quic-nat.h"
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

/**
 * Client (node 0) and server (node 1) on one point-to-point link, or, with a NAT, client —
 * NAT router — server; a bulk transfer client -> server; records of both connections.
 */
class MigrationFixture
{
  public:
    MigrationFixture(uint64_t bytes,
                     bool withNat,
                     const std::string& delay = "10ms",
                     Time rebindInterval = Seconds(5))
    {
        RngSeedManager::SetSeed(5);
        RngSeedManager::SetRun(1);
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue(delay));
        p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("100p"));
        InternetStackHelper stack;
        Ipv4AddressHelper ip;
        if (!withNat)
        {
            m_nodes.Create(2);
            NetDeviceContainer d = p2p.Install(m_nodes);
            stack.Install(m_nodes);
            ip.SetBase("10.1.1.0", "255.255.255.0");
            Ipv4InterfaceContainer ifs = ip.Assign(d);
            m_clientAddress = ifs.GetAddress(0);
            m_serverAddress = ifs.GetAddress(1);
            m_clientDevice = d.Get(0);
        }
        else
        {
            m_nodes.Create(3); // client, NAT router, server
            NetDeviceContainer inside = p2p.Install(m_nodes.Get(0), m_nodes.Get(1));
            NetDeviceContainer outside = p2p.Install(m_nodes.Get(1), m_nodes.Get(2));
            stack.Install(m_nodes);
            ip.SetBase("192.168.1.0", "255.255.255.0");
            Ipv4InterfaceContainer in = ip.Assign(inside);
            ip.SetBase("10.1.1.0", "255.255.255.0");
            Ipv4InterfaceContainer out = ip.Assign(outside);
            m_clientAddress = in.GetAddress(0);
            m_serverAddress = out.GetAddress(1);
            m_clientDevice = inside.Get(0);
            Ipv4GlobalRoutingHelper::PopulateRoutingTables();
            QuicNatHelper natHelper;
            natHelper.SetAttribute("RebindStart", TimeValue(Seconds(1)));
            natHelper.SetAttribute("RebindInterval", TimeValue(rebindInterval));
            m_nat = natHelper.Install(m_nodes.Get(1), 1, 2);
            m_nat->AssignStreams(77);
        }
        Ptr<Node> server = m_nodes.Get(m_nodes.GetN() - 1);
        m_serverEp = QuicEndpoint::Install(server);
        m_clientEp = QuicEndpoint::Install(m_nodes.Get(0));
        m_serverEp->AssignStreams(10);
        m_clientEp->AssignStreams(20);
        m_serverEp->TraceConnectWithoutContext("NewConnection",
                                               MakeCallback(&MigrationFixture::OnServerConn, this));
        m_clientEp->TraceConnectWithoutContext("NewConnection",
                                               MakeCallback(&MigrationFixture::OnClientConn, this));
        QuicSinkHelper sink(InetSocketAddress(Ipv4Address::GetAny(), 4433));
        m_sinkApps = sink.Install(server);
        QuicBulkSendHelper bulk(InetSocketAddress(m_serverAddress, 4433));
        bulk.SetAttribute("MaxBytes", UintegerValue(bytes));
        bulk.SetAttribute("CloseOnComplete", BooleanValue(false));
        m_bulkApps = bulk.Install(m_nodes.Get(0));
        m_bulkApps.Start(Seconds(0.1));
    }

    ~MigrationFixture()
    {
        Simulator::Destroy();
    }

    void OnServerConn(Ptr<QuicConnection> c)
    {
        m_server = c;
        RecordConnection(c, &m_srv);
    }

    void OnClientConn(Ptr<QuicConnection> c)
    {
        m_client = c;
        RecordConnection(c, &m_cli);
    }

    /// Add a second address to the client's interface (same link).
    Ipv4Address AddClientAddress(const char* address)
    {
        Ptr<Ipv4> ipv4 = m_nodes.Get(0)->GetObject<Ipv4>();
        uint32_t ifIndex = ipv4->GetInterfaceForDevice(m_clientDevice);
        ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(Ipv4Address(address), "255.255.255.0"));
        return Ipv4Address(address);
    }

    Ptr<QuicSinkApplication> Sink()
    {
        return DynamicCast<QuicSinkApplication>(m_sinkApps.Get(0));
    }

    NodeContainer m_nodes;
    Ptr<NetDevice> m_clientDevice;
    Ipv4Address m_clientAddress;
    Ipv4Address m_serverAddress;
    Ptr<QuicNat> m_nat;
    Ptr<QuicEndpoint> m_serverEp;
    Ptr<QuicEndpoint> m_clientEp;
    ApplicationContainer m_sinkApps;
    ApplicationContainer m_bulkApps;
    Ptr<QuicConnection> m_server;
    Ptr<QuicConnection> m_client;
    Record m_srv;
    Record m_cli;
};

} // namespace

/**
 * \ingroup quic-migration-tests
 * NAT-01 MIG-04 MIG-10 AMP-05 NAT-02 CC-02 NAT-03: the client's port changes mid-transfer
 * (a NAT rebinding, modelled by moving its socket). The server switches to the new address at
 * once, its first packet there carries PATH_CHALLENGE, it stays within 3x of what it received
 * until the response arrives, keeps its DCID (NAT-03), and keeps or resets its RTT state
 * according to the §9.4 policy; the data arrives intact.
 */
class QuicPortRebindingTestCase : public TestCase
{
  public:
    explicit QuicPortRebindingTestCase(bool keepState)
        : TestCase(std::string("NAT-01 MIG-04 MIG-10 AMP-05 port rebinding mid-transfer, ") +
                   (keepState ? "NAT-02 state kept" : "CC-02 state reset")),
          m_keepState(keepState)
    {
    }

  private:
    void DoRun() override
    {
        Config::SetDefault("ns3::QuicConnection::KeepStateOnPortChange", BooleanValue(m_keepState));
        {
            MigrationFixture f(3000000, false);
            Time srttBefore;
            Simulator::Schedule(Seconds(1), [&f, &srttBefore]() {
                if (f.m_server)
                {
                    srttBefore = f.m_server->GetSmoothedRtt();
                }
                f.m_client->RebindForTesting(InetSocketAddress(f.m_clientAddress, 0));
            });
            Simulator::Stop(Seconds(10));
            Simulator::Run();
            NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "all data delivered");
            NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
            NS_TEST_ASSERT_MSG_EQ(f.m_srv.firstEvent.count("peer_port_changed"), 1, "seen");
            NS_TEST_ASSERT_MSG_EQ(f.m_srv.firstEvent.count("path_validated"), 1, "validated");
            if (!f.m_server)
            {
                return;
            }
            Address newPeer = f.m_server->GetActivePath().GetRemoteAddress();
            NS_TEST_ASSERT_MSG_NE(InetSocketAddress::ConvertFrom(newPeer).GetPort(),
                                  49153,
                                  "the server now sends to the new port");
            // The first server packet to the new address carries PATH_CHALLENGE (MIG-04).
            const Record::Tx* first = nullptr;
            uint64_t unvalidatedSent = 0;
            Time validated = f.m_srv.firstEvent["path_validated"];
            for (const auto& t : f.m_srv.sent)
            {
                if (t.info.m_remote == newPeer)
                {
                    first = first ? first : &t;
                    if (t.t <= validated)
                    {
                        unvalidatedSent += t.info.m_size;
                    }
                }
            }
            NS_TEST_ASSERT_MSG_EQ(bool(first), true, "packets to the new address");
            if (first)
            {
                NS_TEST_ASSERT_MSG_EQ(Has(first->info, QuicFrameType::PATH_CHALLENGE),
                                      true,
                                      "first packet on the new path carries PATH_CHALLENGE");
                NS_TEST_ASSERT_MSG_GT_OR_EQ(first->info.m_datagramSize,
                                            1200,
                                            "PV-05: padded to 1200 bytes (budget allowed it)");
                NS_TEST_ASSERT_MSG_EQ(first->info.m_dcid,
                                      f.m_client->GetLocalCid(),
                                      "NAT-03: the same CID toward the new address");
            }
            uint64_t receivedFromNew = 0;
            for (const auto& t : f.m_srv.received)
            {
                if (t.info.m_remote == newPeer && t.t <= validated)
                {
                    receivedFromNew += t.info.m_datagramSize;
                }
            }
            NS_TEST_ASSERT_MSG_LT_OR_EQ(unvalidatedSent,
                                        3 * receivedFromNew,
                                        "AMP-05: at most 3x before validation");
            // Smoothed RTT of the server's active path right after it switched to the new
            // address (the trace fires once the switch is done).
            Time srttAfter = f.m_srv.srttAtFirstEvent["active_path_switched"];
            if (m_keepState)
            {
                // The server's estimate includes the queueing delay its ACK-eliciting packets
                // (RFC 9000 §13.2.4 PINGs) see behind the client's data on the 10 Mbps link;
                // kept means it continues from the value before the rebinding (a sample or two
                // may arrive in between), far from kInitialRtt.
                NS_TEST_ASSERT_MSG_GT(srttBefore, MilliSeconds(0), "an estimate before");
                NS_TEST_ASSERT_MSG_LT(srttAfter, srttBefore * 1.25, "NAT-02: RTT estimate kept");
                NS_TEST_ASSERT_MSG_GT(srttAfter, srttBefore * 0.75, "NAT-02: RTT estimate kept");
            }
            else
            {
                NS_TEST_ASSERT_MSG_EQ(srttAfter,
                                      MilliSeconds(333),
                                      "CC-02: new path starts from kInitialRtt");
            }
        }
        Config::Reset();
    }

    bool m_keepState;
};

/**
 * \ingroup quic-migration-tests
 * NAT-01 PV-08: the QuicNat middlebox rebinds every 5 s from t = 1 s during a 10 MB transfer
 * at 10 Mbps / 15 ms: the data arrives intact, the first server packet on each new path
 * carries PATH_CHALLENGE, every challenge value comes back in a PATH_RESPONSE, and at least
 * two paths are seen.
 */
class QuicNatRebindingTestCase : public TestCase
{
  public:
    QuicNatRebindingTestCase()
        : TestCase("NAT-01 PV-08 NAT rebinding every 5 s during 10 MB at 10 Mbps, 15 ms")
    {
    }

  private:
    void DoRun() override
    {
        MigrationFixture f(10000000, true, "7500us");
        Simulator::Stop(Seconds(30));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 10000000, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
        std::set<Address> remotes;
        std::map<Address, const Record::Tx*> firstTo;
        uint32_t challenges = 0;
        for (const auto& t : f.m_srv.sent)
        {
            remotes.insert(t.info.m_remote);
            firstTo.emplace(t.info.m_remote, &t);
            challenges += Has(t.info, QuicFrameType::PATH_CHALLENGE) ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_GT_OR_EQ(remotes.size(), 2, "at least two paths");
        for (const auto& r : firstTo)
        {
            if (r.second == &f.m_srv.sent.front())
            {
                continue; // the handshake path
            }
            NS_TEST_ASSERT_MSG_EQ(Has(r.second->info, QuicFrameType::PATH_CHALLENGE),
                                  true,
                                  "first packet on a new path carries PATH_CHALLENGE");
        }
        uint32_t responses = 0;
        for (const auto& t : f.m_cli.sent)
        {
            responses += Has(t.info, QuicFrameType::PATH_RESPONSE) ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_GT(challenges, 0, "challenges sent");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(responses,
                                    f.m_server->GetStats().m_pathsValidated,
                                    "a response for every validated path");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(f.m_server->GetStats().m_pathsValidated,
                                    remotes.size() - 1,
                                    "every new path validated");
    }
};

/**
 * \ingroup quic-migration-tests
 * MIG-08 MIG-09 PRIV-02 PV-05: client migration to a second address, probe-then-switch (only
 * probing packets from the new address until it is validated) or switch-immediately
 * (non-probing packets at once); a fresh connection ID on the new path; data intact.
 */
class QuicClientMigrationTestCase : public TestCase
{
  public:
    explicit QuicClientMigrationTestCase(QuicConnection::MigrationPolicy policy)
        : TestCase(std::string("MIG-08 MIG-09 PRIV-02 client migration, ") +
                   (policy == QuicConnection::PROBE_THEN_SWITCH ? "probe then switch"
                                                                : "switch immediately")),
          m_policy(policy)
    {
    }

  private:
    void DoRun() override
    {
        MigrationFixture f(4000000, false);
        Ipv4Address second = f.AddClientAddress("10.1.1.77");
        bool started = false;
        QuicConnectionId oldDcid;
        QuicConnection::MigrationPolicy policy = m_policy;
        Simulator::Schedule(Seconds(1), [&f, &started, &oldDcid, second, policy]() {
            oldDcid = f.m_client->GetPeerCid();
            started = f.m_client->Migrate(InetSocketAddress(second, 0), policy);
        });
        Simulator::Stop(Seconds(12));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(started, true, "migration started");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 4000000, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
        Address newLocal = f.m_client->GetActivePath().GetLocalAddress();
        NS_TEST_ASSERT_MSG_EQ(InetSocketAddress::ConvertFrom(newLocal).GetIpv4(),
                              second,
                              "the client moved");
        NS_TEST_ASSERT_MSG_NE(f.m_client->GetPeerCid(), oldDcid, "PRIV-02: a fresh CID");
        NS_TEST_ASSERT_MSG_EQ(f.m_srv.firstEvent.count("peer_address_changed"), 1, "server saw it");
        Time validated = f.m_cli.firstEvent["path_validated"];
        NS_TEST_ASSERT_MSG_GT(validated, Seconds(1), "the client validated the new path");
        uint32_t nonProbingBefore = 0;
        uint32_t sentFromNew = 0;
        for (const auto& t : f.m_cli.sent)
        {
            if (t.info.m_local != newLocal)
            {
                continue;
            }
            ++sentFromNew;
            if (t.t < validated && !t.info.m_probing)
            {
                ++nonProbingBefore;
            }
        }
        NS_TEST_ASSERT_MSG_GT(sentFromNew, 100, "data sent from the new address");
        if (m_policy == QuicConnection::PROBE_THEN_SWITCH)
        {
            NS_TEST_ASSERT_MSG_EQ(nonProbingBefore, 0, "MIG-08: only probing before validation");
        }
        else
        {
            NS_TEST_ASSERT_MSG_GT(nonProbingBefore, 0, "MIG-09: non-probing at once");
        }
    }

    QuicConnection::MigrationPolicy m_policy;
};

/**
 * \ingroup quic-migration-tests
 * MIG-01 MIG-02: no migration before the handshake is confirmed, and none when the server
 * sent disable_active_migration.
 */
class QuicMigrationRefusedTestCase : public TestCase
{
  public:
    QuicMigrationRefusedTestCase()
        : TestCase("MIG-01 MIG-02 migration refused before confirmation and when disabled")
    {
    }

  private:
    void DoRun() override
    {
        bool early = true;
        bool disabled = true;
        {
            MigrationFixture f(100000, false);
            Ipv4Address second = f.AddClientAddress("10.1.1.77");
            Simulator::Schedule(Seconds(0.1001), [&f, &early, second]() {
                early = f.m_client->Migrate(InetSocketAddress(second, 0),
                                            QuicConnection::SWITCH_IMMEDIATELY);
            });
            Simulator::Stop(Seconds(2));
            Simulator::Run();
        }
        Config::SetDefault("ns3::QuicConnection::DisableActiveMigration", BooleanValue(true));
        {
            MigrationFixture f(100000, false);
            Ipv4Address second = f.AddClientAddress("10.1.1.77");
            Simulator::Schedule(Seconds(1), [&f, &disabled, second]() {
                disabled = f.m_client->Migrate(InetSocketAddress(second, 0),
                                               QuicConnection::SWITCH_IMMEDIATELY);
            });
            Simulator::Stop(Seconds(2));
            Simulator::Run();
            uint32_t fromSecond = 0;
            for (const auto& t : f.m_cli.sent)
            {
                fromSecond += InetSocketAddress::ConvertFrom(t.info.m_local).GetIpv4() == second;
            }
            NS_TEST_ASSERT_MSG_EQ(fromSecond, 0, "MIG-02: not even a probe from the new address");
        }
        Config::Reset();
        NS_TEST_ASSERT_MSG_EQ(early, false, "MIG-01: refused before the handshake is confirmed");
        NS_TEST_ASSERT_MSG_EQ(disabled, false, "MIG-02: refused with disable_active_migration");
    }
};

/**
 * \ingroup quic-migration-tests
 * SEC-01 PV-14 PV-15: the client moves to an address the server cannot reach; validation
 * fails on both sides after about 3 x PTO and both fall back to the last validated path;
 * the transfer completes.
 */
class QuicBlackholeFallbackTestCase : public TestCase
{
  public:
    QuicBlackholeFallbackTestCase()
        : TestCase("SEC-01 PV-14 PV-15 black-holed new path: validation fails, fallback")
    {
    }

  private:
    void DoRun() override
    {
        MigrationFixture f(3000000, false);
        // An address outside the link's subnet: the server has no route back to it.
        Ipv4Address unreachable = f.AddClientAddress("10.9.9.9");
        Simulator::Schedule(Seconds(1), [&f, unreachable]() {
            f.m_client->Migrate(InetSocketAddress(unreachable, 0),
                                QuicConnection::SWITCH_IMMEDIATELY);
        });
        Simulator::Stop(Seconds(20));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(f.m_cli.firstEvent.count("validation_failed"), 1, "client gave up");
        NS_TEST_ASSERT_MSG_EQ(f.m_cli.firstEvent.count("fallback"), 1, "client fell back");
        NS_TEST_ASSERT_MSG_NE(
            InetSocketAddress::ConvertFrom(f.m_client->GetActivePath().GetLocalAddress()).GetIpv4(),
            unreachable,
            "back on the original path");
        Time failed = f.m_cli.firstEvent["validation_failed"];
        NS_TEST_ASSERT_MSG_GT(failed, Seconds(1) + Seconds(2.5), "PV-14: about 3 x PTO");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->GetState(), QuicConnection::CONNECTED, "PV-15: alive");
    }
};

/**
 * \ingroup quic-migration-tests
 * PV-09 PV-05 PV-12: on an idle path with round-trip time R, path validation completes in R
 * plus the serialization time of the padded PATH_CHALLENGE and PATH_RESPONSE datagrams: the
 * response is sent without delay.
 */
class QuicValidationTimeTestCase : public TestCase
{
  public:
    QuicValidationTimeTestCase()
        : TestCase("PV-09 validation completes in one RTT plus serialization")
    {
    }

  private:
    void DoRun() override
    {
        MigrationFixture f(100000, false); // 10 Mbps, 10 ms one way: R = 20 ms
        Ipv4Address second = f.AddClientAddress("10.1.1.77");
        Simulator::Schedule(Seconds(2), [&f, second]() {
            f.m_client->Migrate(InetSocketAddress(second, 0), QuicConnection::PROBE_THEN_SWITCH);
        });
        Simulator::Stop(Seconds(4));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 100000, "transfer done before");
        NS_TEST_ASSERT_MSG_EQ(f.m_cli.firstEvent.count("validation_started"), 1, "started");
        NS_TEST_ASSERT_MSG_EQ(f.m_cli.firstEvent.count("path_validated"), 1, "validated");
        Time took = f.m_cli.firstEvent["path_validated"] - f.m_cli.firstEvent["validation_started"];
        // Each way: a 1200-byte UDP payload + 8 (UDP) + 20 (IPv4) + 2 (PPP) bytes at 10 Mbps.
        Time serialization = Seconds(2 * (1200.0 + 8 + 20 + 2) * 8 / 10e6);
        Time expected = MilliSeconds(20) + serialization;
        NS_TEST_ASSERT_MSG_GT_OR_EQ(took, expected - MicroSeconds(10), "not faster than physics");
        NS_TEST_ASSERT_MSG_LT(took, expected + MicroSeconds(100), "PV-09: no added delay");
    }
};

/**
 * \ingroup quic-migration-tests
 * NAT-01 MIG-04: a NAT rebinding every 400 ms during a transfer: the server follows every new
 * address although MaxPaths is 4, by forgetting stale paths (never the active one), and the
 * data arrives intact.
 */
class QuicFrequentRebindingTestCase : public TestCase
{
  public:
    QuicFrequentRebindingTestCase()
        : TestCase(
              "NAT-01 MIG-04 rebinding every 400 ms: stale paths are forgotten, MaxPaths holds")
    {
    }

  private:
    void DoRun() override
    {
        MigrationFixture f(4000000, true, "10ms", MilliSeconds(400));
        size_t most = 0;
        for (int i = 1; i < 80; ++i)
        {
            Simulator::Schedule(MilliSeconds(100 * i), [&f, &most]() {
                if (f.m_server)
                {
                    most = std::max(most, f.m_server->GetPathCount());
                }
            });
        }
        Simulator::Stop(Seconds(8));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 4000000, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetPatternErrors(), 0, "intact");
        uint32_t changes = 0;
        uint32_t removed = 0;
        for (const auto& e : f.m_srv.pathEvents)
        {
            changes += e.second.rfind("peer_port_changed", 0) == 0 ||
                       e.second.rfind("peer_address_changed", 0) == 0;
            removed += e.second.rfind("path_removed", 0) == 0;
        }
        NS_TEST_ASSERT_MSG_GT(changes, 6, "the server followed every rebinding");
        NS_TEST_ASSERT_MSG_GT(removed, 2, "stale paths were forgotten");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(most, 4, "MaxPaths holds");
        NS_TEST_ASSERT_MSG_EQ(f.m_server->GetState(), QuicConnection::CONNECTED, "alive");
    }
};

/**
 * \ingroup quic-migration-tests
 * Path validation and migration suite.
 */
class QuicMigrationTestSuite : public TestSuite
{
  public:
    QuicMigrationTestSuite()
        : TestSuite("quic-migration", QUIC_SUITE_SYSTEM)
    {
        AddTestCase(new QuicPortRebindingTestCase(true), QUIC_TEST_QUICK);
        AddTestCase(new QuicPortRebindingTestCase(false), QUIC_TEST_QUICK);
        AddTestCase(new QuicNatRebindingTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicClientMigrationTestCase(QuicConnection::PROBE_THEN_SWITCH),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicClientMigrationTestCase(QuicConnection::SWITCH_IMMEDIATELY),
                    QUIC_TEST_QUICK);
        AddTestCase(new QuicMigrationRefusedTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicBlackholeFallbackTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicValidationTimeTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicFrequentRebindingTestCase, QUIC_TEST_QUICK);
    }
};

static QuicMigrationTestSuite g_quicMigrationTestSuite; //!< registers the suite
